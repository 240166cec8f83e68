"""File exports beyond plain text (HTML report, office formats, SQLite) and the briefing pack.

Importing this package only registers format names; heavy libraries (openpyxl, python-docx, sqlite3)
and the engine are imported when a renderer or the pack runs, so the CLI starts fast.
"""

from negotiation.export import docx, html, sqlite, xlsx

__all__ = ["docx", "html", "sqlite", "xlsx"]
