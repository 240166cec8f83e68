"""File exports beyond plain text (HTML report, office formats, PDF, SQLite) and the briefing pack.

The format names are declared in :data:`negotiation.render.EXPORT_FORMATS`; each renderer's module
(and openpyxl, python-docx, sqlite3 and the engine behind it) is imported the first time that format
is rendered, so the CLI starts fast.
"""
