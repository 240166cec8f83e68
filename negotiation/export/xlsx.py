"""XLSX: one worksheet per table, with a bold header row, frozen panes, filters and category colours; and
the four-column workbook of a dossier (:func:`matrix_workbook`): a summary sheet that prints on landscape
pages, each cell linked to its rows on an evidence sheet.

Cells a spreadsheet would run as formulas (``=``, ``+``, ``-``, ``@``) get the same leading apostrophe as
in CSV and are stored as text; control characters are shown as escapes. The workbook carries fixed
metadata (creator "negotiation", dated 2000-01-01) and a reproducible zip container, so exporting the
same tables twice gives the same bytes. Needs the ``office`` extra (openpyxl).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

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
from negotiation.words import counted

if TYPE_CHECKING:
    from negotiation.engine.model import Comparison, Matrix
    from negotiation.export.report import Report, RowView
    from negotiation.loading import LoadedDossier

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
    """An Excel workbook: a worksheet per table, header row, frozen panes, autofilter, category colours, and
    landscape A4 printing fitted to the width with the header row repeated."""
    openpyxl = office_module("openpyxl", "xlsx")
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

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
            _print_setup(sheet, "1:1")
        # Notes go below the data, after a blank row, so the filter range holds only rows.
        for i, note in enumerate(table.notes):
            sheet.cell(
                row=len(table.rows) + 3 + i, column=1, value=_fit_cell(spreadsheet_safe(inert(note)))
            ).data_type = "s"
    if not tables:
        workbook.create_sheet("empty")
    return _save(workbook, tables[0].title if tables else "negotiation")


def _save(workbook: Any, title: str) -> bytes:
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    _fix_properties(workbook.properties, title)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # ExcelWriter rather than Workbook.save: save() stamps the current time as the modified date.
        ExcelWriter(workbook, archive).save()
    return reproducible_zip(buffer.getvalue())


def _text(sheet: Any, row: int, column: int, value: str, **style: Any) -> Any:
    """Write ``value`` as inert, formula-safe text (never a formula) with the given style attributes."""
    cell = sheet.cell(row=row, column=column, value=spreadsheet_safe(inert(value)))
    cell.data_type = "s"
    for key, attr in style.items():
        setattr(cell, key, attr)
    return cell


def _wrapped_lines(text: str, width: int) -> int:
    """How many lines ``text`` takes wrapped at ``width`` characters (each line break starts a new one).

    >>> _wrapped_lines("OPEN countered\\n“The United States, in close…”", 38), _wrapped_lines("x" * 50, 42)
    (2, 2)
    """
    return sum(max(1, -(-len(line) // width)) for line in text.split("\n"))


def _print_setup(sheet: Any, title_rows: str) -> None:
    """Landscape A4, fitted to the page width, ``title_rows`` repeated on every page, narrow margins."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.page_margins.header = sheet.page_margins.footer = 0.2


#: Names of the two sheets of the four-column workbook.
SUMMARY_SHEET, EVIDENCE_SHEET = "Summary", "Evidence"
_EVIDENCE_COLUMNS = (
    ("Issue", 28),
    ("Code", 18),
    ("Position", 22),
    ("Date", 12),
    ("Verdict", 16),
    ("Rule", 40),
    ("Ref", 16),
    ("Stance", 10),
    ("Text status", 10),
    ("Words", 70),
    ("Summary", 40),
    ("Notes", 40),
    ("Answers", 24),
    ("Sources", 50),
)


def report_workbook(report: Report) -> bytes:
    """The four-column workbook of a built report: a summary sheet and an evidence sheet.

    The summary has a title row, the issues (titles, codes in small print) × positions (short titles and
    dates), each cell its verdict (a tentative one in italics, with its marker) and a line of the deciding
    words, coloured by category, with a link (the arrow beside it) to the cell's first row on the evidence
    sheet; panes frozen, an autofilter, landscape fit-to-width printing with the header row repeated. The
    evidence sheet has one row per provision behind each cell.
    """
    openpyxl = office_module("openpyxl", "xlsx")

    workbook = openpyxl.Workbook()
    summary = workbook.active
    summary.title = SUMMARY_SHEET
    evidence = workbook.create_sheet(EVIDENCE_SHEET)
    # The evidence sheet first: each summary cell links to the row where its evidence starts.
    first_row = _evidence_sheet(evidence, report)
    _summary_sheet(summary, report, first_row)
    return _save(workbook, f"{report.title} — four-column workbook")


def _fills() -> tuple[dict[str, Any], Any]:
    """The category fills and the header fill."""
    from openpyxl.styles import PatternFill

    fills = {k: PatternFill("solid", start_color=v, end_color=v) for k, v in FILLS.items()}
    return fills, PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)


def _evidence_sheet(evidence: Any, report: Report) -> dict[str, int]:
    """Fill the evidence sheet: one row per provision behind each cell; returns each cell's first row."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wrap = Alignment(wrap_text=True, vertical="top")
    small = Font(size=8)
    fills, header_fill = _fills()
    columns = {c.id: c for c in report.columns}
    _text(evidence, 1, 1, "Annex: the evidence", font=Font(bold=True, size=13))
    _text(evidence, 1, 3, f"{report.title} · {report.period}", font=small)
    for col, (name, width) in enumerate(_EVIDENCE_COLUMNS, start=1):
        _text(evidence, 2, col, name, font=Font(bold=True, size=8), fill=header_fill, alignment=wrap)
        evidence.column_dimensions[get_column_letter(col)].width = width
    first_row: dict[str, int] = {}
    r = 3
    for row in report.rows:
        for cell in row.cells:
            if not (cell.category or cell.provisions):
                continue
            column = columns[cell.position]
            verdict = f"{cell.category}: {cell.status}" if cell.category else f"no verdict ({cell.stance})"
            if cell.tentative:
                verdict += f" {cell.marker} ({cell.tentative})"
            lead = [row.title, row.issue, column.short_title, report.column_date(column), verdict, cell.rationale or ""]
            first_row[cell.anchor] = r
            for view in cell.provisions or (None,):
                values = lead[:]
                if view is not None:
                    values += [
                        view.ref,
                        view.stance,
                        view.text_status,
                        view.text or "",
                        view.summary or "",
                        view.notes or "",
                        "; ".join(view.responds_to),
                        "\n".join(view.sources),
                    ]
                for col, value in enumerate(values, start=1):
                    if value:
                        _text(evidence, r, col, value, font=small, alignment=wrap)
                if cell.category:
                    evidence.cell(row=r, column=5).fill = fills[cell.category]
                r += 1
    last = get_column_letter(len(_EVIDENCE_COLUMNS))
    evidence.freeze_panes = "C3"
    evidence.auto_filter.ref = f"A2:{last}{max(r - 1, 2)}"
    _print_setup(evidence, "2:2")
    return first_row


def _summary_sheet(summary: Any, report: Report, first_row: dict[str, int]) -> None:
    """Fill the summary sheet: title row, a line saying how to read it, the header row, one row per issue."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from negotiation.export.report import DATE_NOTE

    wrap = Alignment(wrap_text=True, vertical="top")
    small = Font(size=8)
    fills, header_fill = _fills()
    _text(summary, 1, 1, report.title, font=Font(bold=True, size=13))
    _text(
        summary,
        2,
        1,
        f"{report.period} · {counted(len(report.rows), 'issue')} × {counted(len(report.columns), 'position')}. "
        "Each cell: the verdict and the opening words behind it (in quotation marks the document's own words); it "
        f"links to its rows on the {EVIDENCE_SHEET} sheet. A tentative verdict is in italics, with its marker. "
        f"{DATE_NOTE}",
        font=small,
        alignment=wrap,
    )
    last = get_column_letter(2 + 2 * len(report.columns))
    # The reading line spans the table (merged, wrapped) so it never widens the printed page.
    summary.merge_cells(f"A2:{last}2")
    summary.row_dimensions[2].height = 24
    _text(summary, 3, 1, "Issue", font=Font(bold=True, size=8), fill=header_fill, alignment=wrap)
    _text(summary, 3, 2, "Code", font=Font(bold=True, size=8), fill=header_fill, alignment=wrap)
    for i, column in enumerate(report.columns):
        col = 3 + 2 * i
        head = f"{column.short_title}\n{report.column_date(column)}"
        _text(summary, 3, col, head, font=Font(bold=True, size=8), fill=header_fill, alignment=wrap)
        summary.cell(row=3, column=col + 1).fill = header_fill
        summary.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + 1)
        summary.column_dimensions[get_column_letter(col)].width = 30
        summary.column_dimensions[get_column_letter(col + 1)].width = 3
    summary.row_dimensions[3].height = 24
    for i, row in enumerate(report.rows):
        _summary_row(summary, 4 + i, row, first_row, fills)
    summary.column_dimensions["A"].width = 34
    summary.column_dimensions["B"].width = 22
    summary.freeze_panes = "C4"
    summary.auto_filter.ref = f"A3:{last}{3 + len(report.rows)}"
    summary.print_area = f"A1:{last}{3 + len(report.rows)}"
    _print_setup(summary, "3:3")


def _summary_row(summary: Any, r: int, row: RowView, first_row: dict[str, int], fills: dict[str, Any]) -> None:
    """One issue's row of the summary sheet: title, code, and per position its verdict with a link."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    wrap = Alignment(wrap_text=True, vertical="top")
    title = _text(summary, r, 1, row.title, font=Font(size=8, bold=row.depth == 0), alignment=wrap)
    title.alignment = Alignment(wrap_text=True, vertical="top", indent=row.depth)
    _text(summary, r, 2, row.issue, font=Font(size=7, color="555555"), alignment=wrap)
    for j, cell in enumerate(row.cells):
        col = 3 + 2 * j
        if not (cell.category or cell.provisions):
            continue
        verdict = f"{cell.category.upper()} {cell.status or ''}".strip() if cell.category else cell.stance
        if cell.marker:
            verdict += f" {cell.marker}"
        line = cell.line
        if line is not None:
            verdict += "\n" + (f"“{line.text}”" if line.quoted else line.text)
        # A tentative verdict (below the document's own words) is set in italics, as in the matrix sheet.
        content = _text(summary, r, col, verdict, font=Font(size=8, italic=bool(cell.tentative)), alignment=wrap)
        # The link has a cell of its own: LibreOffice shows a linked cell on one line, unwrapped.
        link = _text(summary, r, col + 1, "→", font=Font(size=8, color="1A5FB4"), alignment=Alignment(vertical="top"))
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{EVIDENCE_SHEET}'!A{first_row[cell.anchor]}")
        if cell.category:
            content.fill = link.fill = fills[cell.category]
    # Spreadsheets do not grow a row to fit wrapped text on opening; give each row the lines it needs.
    texts = [(row.title, 38), (row.issue, 34)]
    texts += [(str(c.value), 38) for c in summary[r][2::2] if c.value is not None]
    summary.row_dimensions[r].height = 2 + 10.5 * max(_wrapped_lines(t, n) for t, n in texts)


def matrix_workbook(record: LoadedDossier, matrix: Matrix, comparisons: Sequence[Comparison] = ()) -> bytes:
    """The four-column workbook of a dossier: the summary sheet and the evidence sheet."""
    from negotiation.export.report import build_report

    return report_workbook(build_report(record, matrix, comparisons))


def _fix_properties(properties: Any, title: str) -> None:
    properties.creator = CREATOR
    properties.lastModifiedBy = CREATOR
    properties.created = FIXED_DATE
    properties.modified = FIXED_DATE
    properties.title = inert(title)[:255]
