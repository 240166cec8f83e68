"""File exports beyond plain text (HTML report, office formats, SQLite) and the briefing pack.

Importing this package only registers format names; heavy libraries are imported when used.
"""
