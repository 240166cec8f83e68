"""Readable dumps of binary exports (for golden files and assertions): a workbook's cells and styles, a
Word document's paragraphs and tables, a database's schema and rows. They do not depend on zlib or SQLite
versions, so goldens stay stable across machines while still pinning every visible detail."""

from __future__ import annotations

import io
import json
import sqlite3
import tempfile
from pathlib import Path


def xlsx_dump(data: bytes) -> str:
    """Every sheet of a workbook: name, frozen panes, filter range, widths, and one line per cell
    (coordinate, type, bold, fill, value as JSON)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    props = book.properties
    lines = [
        f"core: creator={props.creator} modified_by={props.lastModifiedBy} created={props.created.isoformat()} "
        f"modified={props.modified.isoformat()} title={props.title}"
    ]
    for sheet in book.worksheets:
        widths = " ".join(f"{k}={v.width:g}" for k, v in sorted(sheet.column_dimensions.items()))
        lines.append(
            f"sheet {sheet.title!r} freeze={sheet.freeze_panes} filter={sheet.auto_filter.ref} widths: {widths}"
        )
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                fill = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else "-"
                bold = "bold" if cell.font.bold else "-"
                lines.append(
                    f"  {cell.coordinate} {cell.data_type} {bold} {fill} {json.dumps(cell.value, ensure_ascii=False)}"
                )
    return "\n".join(lines) + "\n"


def docx_dump(data: bytes) -> str:
    """A Word document: its page setup and core properties, then every block in order (headings with
    their style, paragraphs, and tables row by row with each cell's shading)."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    props = document.core_properties
    lines = [
        f"page: {section.orientation} {section.page_width.cm:.1f}x{section.page_height.cm:.1f}cm",
        f"core: author={props.author} modified_by={props.last_modified_by} created={props.created.isoformat()} "
        f"modified={props.modified.isoformat()} revision={props.revision} title={props.title}",
    ]
    body = document.element.body
    tables = iter(document.tables)
    paragraphs = iter(document.paragraphs)
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            para = next(paragraphs)
            lines.append(f"[{para.style.name}] {para.text}")
        elif child.tag == qn("w:tbl"):
            table = next(tables)
            lines.append(f"<table style={table.style.name if table.style is not None else None}>")
            for row in table.rows:
                cells = []
                for cell in row.cells:
                    shade = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
                    fill = shade.get(qn("w:fill")) if shade is not None else "-"
                    cells.append(f"{cell.text!r}@{fill}")
                lines.append("  | " + " | ".join(cells))
            lines.append("</table>")
    return "\n".join(lines) + "\n"


def sqlite_dump(data: bytes) -> str:
    """A database as SQL: user_version, then the schema and rows (``iterdump``)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "db.sqlite"
        path.write_bytes(data)
        connection = sqlite3.connect(path)
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            return f"-- user_version {version}\n" + "\n".join(connection.iterdump()) + "\n"
        finally:
            connection.close()


def open_sqlite(data: bytes) -> sqlite3.Connection:
    """An in-memory connection holding the database ``data``."""
    connection = sqlite3.connect(":memory:")
    connection.deserialize(data)
    return connection
