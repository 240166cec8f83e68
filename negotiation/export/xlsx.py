"""XLSX: one worksheet per table, with a bold header row, frozen panes, filters and category colours.

Cells a spreadsheet would run as formulas (``=``, ``+``, ``-``, ``@``) get the same leading apostrophe as
in CSV and are stored as text; control characters are shown as escapes. The workbook carries fixed
metadata (creator "negotiation", dated 2000-01-01) and a reproducible zip container, so exporting the
same tables twice gives the same bytes. Needs the ``office`` extra (openpyxl).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from negotiation.export.common import (
    CREATOR,
    FIXED_DATE,
    cell_categories,
    cell_tentative,
    office_module,
    reproducible_zip,
)
from negotiation.render import inert, spreadsheet_safe
from negotiation.tables import Cell, Table

#: Fill colours (RGB) of the three categories, the same hues as the HTML report.
FILLS = {"overlap": "D7EFD9", "rejection": "F9D6D5", "open": "FFF0C2"}
HEADER_FILL = "E6E6E6"
_MAX_WIDTH = 60
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")


def sheet_names(tables: Sequence[Table]) -> list[str]:
    """A valid, unique worksheet name for each table (at most 31 characters, no ``[]:*?/\\'``).

    >>> from negotiation.tables import make_table
    >>> sheet_names([make_table("diff", "", [], []), make_table("diff", "", [], [])])
    ['diff', 'diff (2)']
    """
    names: list[str] = []
    for table in tables:
        base = _SHEET_FORBIDDEN.sub("-", inert(table.name)).strip() or "table"
        name, n = base[:31], 1
        while name.lower() in (x.lower() for x in names):
            n += 1
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)] + suffix
        names.append(name)
    return names


def sheet_value(value: Cell) -> str | int | float | None:
    """A cell as stored in the workbook: numbers stay numbers, text is made inert and formula-safe.

    >>> sheet_value('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> sheet_value(3)
    3
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    return _fit_cell(spreadsheet_safe(inert(value)))


#: The most characters a spreadsheet cell holds (Excel's limit; a longer cell makes it repair the file).
MAX_CELL_CHARS = 32_767


def _fit_cell(text: str) -> str:
    """``text`` cut to what a cell holds, saying so at the end, so the workbook opens everywhere.

    >>> len(_fit_cell("w" * 40_000)) == MAX_CELL_CHARS
    True
    """
    if len(text) <= MAX_CELL_CHARS:
        return text
    note = f" [cut: the full text has {len(text)} characters; see the JSON or HTML export]"
    return text[: MAX_CELL_CHARS - len(note)] + note


def render_xlsx(tables: Sequence[Table]) -> bytes:
    """An Excel workbook: a worksheet per table, header row, frozen panes, autofilter, category colours."""
    openpyxl = office_module("openpyxl", "xlsx")
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    workbook = openpyxl.Workbook()
    del workbook[workbook.active.title]  # start with no sheet: one per table follows
    bold = Font(bold=True)
    italic = Font(italic=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    fills = {k: PatternFill("solid", start_color=v, end_color=v) for k, v in FILLS.items()}
    header_fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    for table, name in zip(tables, sheet_names(tables), strict=True):
        sheet = workbook.create_sheet(name)
        widths = [len(c) for c in table.columns]
        for col, title in enumerate(table.columns, start=1):
            cell = sheet.cell(row=1, column=col, value=_fit_cell(spreadsheet_safe(inert(title))))
            cell.font, cell.fill, cell.alignment = bold, header_fill, wrap
        for r, (row, categories) in enumerate(zip(table.rows, cell_categories(table), strict=True), start=2):
            for col, (value, found) in enumerate(zip(row, categories, strict=True), start=1):
                stored = sheet_value(value)
                cell = sheet.cell(row=r, column=col, value=stored)
                if isinstance(stored, str):
                    cell.data_type = "s"  # never a formula, whatever the text
                    cell.alignment = wrap
                    widths[col - 1] = max(widths[col - 1], *(len(line) for line in stored.split("\n")))
                    if cell_tentative(stored):
                        # A tentative verdict (below the document's own words) is set in italics.
                        cell.font = italic
                if found:
                    cell.fill = fills[found]
        for col, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(col)].width = min(max(width, 6) + 2, _MAX_WIDTH)
        if table.columns:
            last = get_column_letter(len(table.columns))
            sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
            sheet.freeze_panes = "B2" if len(table.columns) > 1 else "A2"
        # Notes go below the data, after a blank row, so the filter range holds only rows.
        for i, note in enumerate(table.notes):
            sheet.cell(
                row=len(table.rows) + 3 + i, column=1, value=_fit_cell(spreadsheet_safe(inert(note)))
            ).data_type = "s"
    if not tables:
        workbook.create_sheet("empty")
    _fix_properties(workbook.properties, tables[0].title if tables else "negotiation")
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # ExcelWriter rather than Workbook.save: save() stamps the current time as the modified date.
        ExcelWriter(workbook, archive).save()
    return reproducible_zip(buffer.getvalue())


def _fix_properties(properties: Any, title: str) -> None:
    properties.creator = CREATOR
    properties.lastModifiedBy = CREATOR
    properties.created = FIXED_DATE
    properties.modified = FIXED_DATE
    properties.title = inert(title)[:255]
