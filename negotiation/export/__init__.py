"""File exports beyond plain text (HTML report, office formats, PDF, SQLite) and the briefing pack.

Importing this package only registers format names: each renderer's module (and openpyxl,
python-docx, sqlite3 and the engine behind it) is imported the first time that format is rendered,
so the CLI starts fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from negotiation.render import register
from negotiation.tables import Table


def _register_lazily(name: str, module: str, function: str, *, binary: bool = False) -> None:
    def render_lazily(tables: Sequence[Table]) -> str | bytes:
        renderer = getattr(importlib.import_module(f"negotiation.export.{module}"), function)
        result: str | bytes = renderer(tables)
        return result

    register(name, binary=binary)(render_lazily)


_register_lazily("html", "html", "render_html")
_register_lazily("xlsx", "xlsx", "render_xlsx", binary=True)
_register_lazily("docx", "docx", "render_docx", binary=True)
_register_lazily("sqlite", "sqlite", "render_sqlite", binary=True)
_register_lazily("pdf", "pdf", "render_pdf", binary=True)
