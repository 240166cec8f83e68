"""DOCX: Word documents for briefings — landscape A4, styled headings, tables with category shading, and the
evidence behind each verdict (the provisions' refs, words and sources).

``render_docx`` (the ``docx`` format) writes any tables, adding the evidence of a comparison when a table
carries the diff contract in its ``data``; column widths follow the content (a category column narrow, the
evidence wide). ``matrix_document`` writes the four-column document of a whole dossier: the summary (issues
× positions, each cell its verdict and a line of the deciding words, linked to the annex) on a few landscape
pages, then the annex with every cell's evidence, each entry bookmarked. Its styles are named ("Summary
Table", "Verdict", "Deciding Words", "Issue Code", "Evidence Text", ...) so an analyst can restyle it in
Word. Fixed metadata (creator "negotiation", dated 2000-01-01) and a reproducible zip container make two
exports of the same input the same bytes. Needs the ``office`` extra (python-docx).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from negotiation.export.common import (
    CREATOR,
    FIXED_DATE,
    cell_categories,
    office_module,
    reproducible_zip,
)
from negotiation.render import cell_text, inert
from negotiation.tables import Table
from negotiation.words import counted

if TYPE_CHECKING:
    from negotiation.engine.model import Comparison, Matrix
    from negotiation.export.report import ProvisionView, Report
    from negotiation.loading import LoadedDossier

#: Cell shading (RGB) of the three categories, the same hues as the HTML report and the workbook.
SHADES = {"overlap": "D7EFD9", "rejection": "F9D6D5", "open": "FFF0C2", "none": "F1F1F1"}
HEADER_SHADE = "E6E6E6"


class _Writer:
    """A python-docx document with the house layout; every text goes through :func:`inert`."""

    def __init__(self, title: str) -> None:
        docx = office_module("docx", "docx")
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm, Pt

        self.doc: Any = docx.Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(1.8))
        normal = self.doc.styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(10)
        props = self.doc.core_properties
        props.author = CREATOR
        props.last_modified_by = CREATOR
        props.created = FIXED_DATE
        props.modified = FIXED_DATE
        props.revision = 1
        # The document properties hold at most 255 characters (python-docx refuses more).
        props.title = inert(title)[:255]
        props.subject = ""
        props.keywords = ""
        props.category = ""
        props.comments = "Written by negotiation"

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(inert(text), level)

    def paragraph(self, text: str = "", style: str | None = None, bold_lead: str | None = None) -> Any:
        para = self.doc.add_paragraph(style=style)
        if bold_lead:
            para.add_run(inert(bold_lead)).bold = True
        if text:
            para.add_run(inert(text))
        return para

    def table(
        self, columns: Sequence[str], rows: Sequence[Sequence[str]], shades: Sequence[Sequence[str | None]]
    ) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        table = self.doc.add_table(rows=1 + len(rows), cols=max(len(columns), 1))
        table.style = "Table Grid"
        header = table.rows[0]
        # Repeat the header row on every page of a long table.
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header._tr.get_or_add_trPr().append(repeat)
        for cell, text in zip(header.cells, columns, strict=False):
            cell.text = ""
            cell.paragraphs[0].add_run(inert(text)).bold = True
            _shade(cell, HEADER_SHADE)
        for row, values, row_shades in zip(table.rows[1:], rows, shades, strict=True):
            for cell, text, shade in zip(row.cells, values, row_shades, strict=False):
                cell.text = inert(text)
                if shade:
                    _shade(cell, SHADES[shade])
        self.set_widths(table, content_widths([columns, *rows], self.text_width))
        return table

    def set_widths(self, table: Any, widths: Sequence[float]) -> None:
        """Fix the columns of ``table`` to ``widths`` (centimetres)."""
        from docx.shared import Cm

        table.autofit = False
        # Word reads each cell's width, LibreOffice the table grid: set both.
        for column, width in zip(table.columns, widths, strict=False):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = Cm(width)

    @property
    def text_width(self) -> float:
        """The width between the margins, in centimetres."""
        section = self.doc.sections[0]
        return float((section.page_width - section.left_margin - section.right_margin) / 360000)

    def style(self, name: str, kind: str, base: str | None = None, **font: Any) -> Any:
        """Add (once) a named style: ``kind`` is ``paragraph``, ``character`` or ``table``."""
        from docx.enum.style import WD_STYLE_TYPE
        from docx.shared import Pt

        styles = self.doc.styles
        if name in [s.name for s in styles]:
            return styles[name]
        kinds = {
            "paragraph": WD_STYLE_TYPE.PARAGRAPH,
            "character": WD_STYLE_TYPE.CHARACTER,
            "table": WD_STYLE_TYPE.TABLE,
        }
        style = styles.add_style(name, kinds[kind])
        if base:
            style.base_style = styles[base]
        for key, value in font.items():
            setattr(style.font, key, Pt(value) if key == "size" else value)
        if kind == "paragraph":
            style.paragraph_format.space_before = Pt(0)
            style.paragraph_format.space_after = Pt(0)
        return style

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return reproducible_zip(buffer.getvalue())


def content_widths(rows: Sequence[Sequence[str]], total: float) -> list[float]:
    """Column widths (centimetres, summing to ``total``) by what each column holds.

    Each column first gets room for its longest word (at 10 pt, up to 20 characters), so ``rejection``
    never breaks; the rest is shared in proportion to each column's longest line (up to 48 characters):
    a category or stance column stays narrow, a rule or the evidence takes the room.

    >>> content_widths([["Issue", "Category", "Rule"], ["NATO enlargement", "rejection", "x " * 40]], 20.0)
    [5.67, 3.93, 10.4]
    """
    count = max((len(r) for r in rows), default=0)
    lines, words = [4] * count, [4] * count
    for row in rows:
        for col, text in enumerate(row[:count]):
            lines[col] = max(lines[col], *(len(line) for line in text.split("\n")))
            words[col] = max(words[col], *(len(word) for word in text.split()), 0)
    floors = [0.2 * min(w, 20) + 0.4 for w in words]
    spare = max(total - sum(floors), 0.0)
    shares = [min(n, 48) for n in lines]
    whole = sum(shares) or 1
    widths = [round(f + spare * n / whole, 2) for f, n in zip(floors, shares, strict=True)]
    if widths:
        widths[-1] = round(total - sum(widths[:-1]), 2)
    return widths


def _bookmark(paragraph: Any, name: str, number: int) -> None:
    """Make ``paragraph`` the target of bookmark ``name`` (an internal link's anchor)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(0, start)
    paragraph._p.append(end)


def _link_runs(paragraph: Any, runs: Sequence[Any], anchor: str) -> None:
    """Wrap ``runs`` of ``paragraph`` in an internal hyperlink to bookmark ``anchor``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    runs[0]._r.addprevious(link)
    for run in runs:
        link.append(run._r)


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:color"), "auto")
    shade.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shade)


def _legend(writer: _Writer) -> None:
    writer.paragraph(
        "overlap — compatible commitments on both sides; rejection — one side refuses or reaffirms the opposite; "
        "open — still to negotiate (an offer to talk, a counter, a condition, no answer).",
        bold_lead="Categories: ",
    )
    writer.paragraph(
        "a verdict marked TENTATIVE rests on less than the document's own words (reported by several sources, its "
        "author's summary, one source, or the other party's characterisation); its grade is given beside it.",
        bold_lead="Attestation: ",
    )


def _split(breakdown: Any) -> str:
    from negotiation.engine.model import breakdown_text

    return breakdown_text(breakdown)


def _tentative(writer: _Writer, attestation: str | None) -> None:
    """A visibly styled line (italic, with a lead) saying why a verdict is tentative; nothing when it is not."""
    from negotiation.engine.attestation import MEANINGS

    if not attestation or attestation == "own-words":
        return
    para = writer.paragraph(bold_lead="Tentative: ")
    run = para.add_run(inert(f"the deciding evidence is {MEANINGS.get(attestation, attestation)} ({attestation})."))  # type: ignore[call-overload]
    run.italic = True


def _evidence_lines(writer: _Writer, evidence: Mapping[str, Any]) -> None:
    """One provision cited as evidence (a diff contract's Evidence entry)."""
    lead = f"{evidence.get('ref') or evidence.get('provision')} ({evidence.get('position')}) — {evidence.get('stance')}"
    if evidence.get("relation"):
        lead += f", {evidence['relation']}"
    writer.paragraph(bold_lead=lead + ". ", text=f"Text status: {evidence.get('text_status')}.")
    if evidence.get("text"):
        writer.paragraph(str(evidence["text"]), style="Quote")
    if evidence.get("summary"):
        writer.paragraph(str(evidence["summary"]), bold_lead="Summary: ")
    for source in evidence.get("sources") or ():
        writer.paragraph(str(source), style="List Bullet")


def _diff_evidence(writer: _Writer, data: Mapping[str, Any]) -> None:
    left, right = data.get("left", {}), data.get("right", {})
    registry = data.get("evidence") or {}
    writer.heading("Evidence", 2)
    for item in data.get("items", ()):
        split = _split((item.get("breakdown") or {}).items())
        split = f" (sub-issues: {split})" if split else ""
        writer.heading(
            f"{item.get('title')} ({item.get('issue')}) — {item.get('category')}: {item.get('status')}{split}", 3
        )
        writer.paragraph(str(item.get("rationale", "")), bold_lead="Rule: ")
        _tentative(writer, item.get("attestation"))
        for side, info in (("left", left), ("right", right)):
            cited = item.get(side) or ()
            writer.paragraph(bold_lead=f"{info.get('id', side)} ({item.get(side + '_stance', '')})")
            if not cited:
                writer.paragraph("says nothing on this issue", style="List Bullet")
            if isinstance(cited, Mapping):
                # Contract 2: provision id → stance it counts as; the provision is in ``evidence``.
                cited = [
                    {"provision": pid, "position": info.get("id"), **registry.get(side, {}).get(pid, {})}
                    for pid in cited
                ]
            for evidence in cited:
                _evidence_lines(writer, evidence)


def render_docx(tables: Sequence[Table]) -> bytes:
    """A Word document: a heading and a shaded table per table, its notes, and a comparison's evidence."""
    writer = _Writer(tables[0].title if tables else "negotiation")
    for table in tables:
        writer.heading(table.title, 1)
        rows = [[cell_text(c) for c in row] for row in table.rows]
        shades = cell_categories(table)
        if any(s for row in shades for s in row):
            _legend(writer)
        writer.table(table.columns, rows, shades)
        for note in table.notes:
            writer.paragraph(note)
        if table.kind == "diff" and isinstance(table.data, Mapping):
            _diff_evidence(writer, table.data)
    return writer.bytes()


def _provision_lines(writer: _Writer, view: ProvisionView) -> None:
    if not view.found:
        writer.paragraph(f"{view.position}#{view.provision}: not in the dossier", style="List Bullet")
        return
    writer.paragraph(bold_lead=f"{view.ref} — {view.stance}. ", text=f"Text status: {view.text_status}.")
    if view.text is not None:
        writer.paragraph(view.text, style="Evidence Text")
    if view.summary:
        writer.paragraph(view.summary, bold_lead="Summary: ")
    if view.responds_to:
        writer.paragraph("; ".join(view.responds_to), bold_lead="Answers: ")
    if view.notes:
        writer.paragraph(view.notes, bold_lead="Notes: ")
    for source in view.sources:
        writer.paragraph(source, style="List Bullet")


def _cell_margins(table: Any, twips: int) -> None:
    """Narrow cell margins for a dense table (``twips`` on the left and right, none above and below)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", 0), ("left", twips), ("bottom", 0), ("right", twips)):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(value))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _report_styles(writer: _Writer) -> None:
    """The named styles of the four-column document, so an analyst can restyle it in Word."""
    writer.style("Summary Heading", "paragraph", "Normal", size=7, bold=True)
    writer.style("Summary Cell", "paragraph", "Normal", size=7)
    writer.style("Summary Note", "paragraph", "Normal", size=7.5)
    writer.style("Verdict", "character", None, bold=True)
    writer.style("Deciding Words", "character", None)
    writer.style("Reported Words", "character", None, italic=True)
    writer.style("Issue Code", "character", None, size=6)
    writer.style("Evidence Text", "paragraph", "Quote")
    table = writer.style("Summary Table", "table", "Table Grid")
    table.font.size = None


def _summary_table(writer: _Writer, report: Report, bookmarks: dict[str, str]) -> None:
    columns = report.columns
    table = writer.doc.add_table(rows=1 + len(report.rows), cols=1 + len(columns))
    table.style = "Summary Table"
    _cell_margins(table, 57)
    header = table.rows[0]
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    heads = [("Issue", ""), *((c.short_title, report.column_date(c)) for c in columns)]
    for cell, (title, date) in zip(header.cells, heads, strict=True):
        para = cell.paragraphs[0]
        para.style = "Summary Heading"
        para.add_run(inert(title))
        if date:
            para.add_run("\n" + inert(date)).bold = False
        _shade(cell, HEADER_SHADE)
    for row, values in zip(table.rows[1:], report.rows, strict=True):
        whole = OxmlElement("w:cantSplit")  # a row is never broken across two pages
        whole.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(whole)
        first = row.cells[0].paragraphs[0]
        first.style = "Summary Cell"
        first.add_run(("  " * values.depth) + inert(values.title)).bold = values.depth == 0
        first.add_run(" " + inert(values.issue), style="Issue Code")
        for cell, view in zip(row.cells[1:], values.cells, strict=True):
            para = cell.paragraphs[0]
            para.style = "Summary Cell"
            if view.category:
                _shade(cell, SHADES[view.category])
            if not (view.category or view.provisions):
                continue
            verdict = view.verdict if not view.category else f"{view.category.upper()} {view.status or ''}".strip()
            runs = [para.add_run(inert(verdict), style="Verdict")]
            if view.marker:
                runs.append(para.add_run(" " + inert(view.marker), style="Verdict"))
            _link_runs(para, runs, bookmarks[view.anchor])
            line = view.line
            if line is not None:
                shown = f"“{line.text}”" if line.quoted else line.text
                para.add_run("\n" + inert(shown), style="Deciding Words" if line.quoted else "Reported Words")
    issue_width = 5.8
    rest = (writer.text_width - issue_width) / max(len(columns), 1)
    writer.set_widths(table, [issue_width, *([round(rest, 2)] * len(columns))])


def report_docx(report: Report) -> bytes:
    """The four-column document of a built report: the summary on a few landscape pages, then the annex.

    Each summary cell links to its annex entry (a bookmark on the entry's heading).
    """
    from docx.enum.section import WD_SECTION
    from docx.shared import Cm, Pt

    from negotiation.export.report import DATE_NOTE

    writer = _Writer(f"{report.title} — four-column document")
    section = writer.doc.sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.2))
    _report_styles(writer)
    # Bookmark names: Word allows letters, digits and underscores, 40 characters at most.
    bookmarks = {cell.anchor: f"ev_{r}_{c}" for r, row in enumerate(report.rows) for c, cell in enumerate(row.cells)}
    title = writer.paragraph(report.title, style="Title")
    title.style.font.size = Pt(16)
    writer.paragraph(
        f"{report.period} · {counted(len(report.rows), 'issue')} × {counted(len(report.columns), 'position')}. "
        "Each cell: the verdict (follow it to the evidence in the annex) and the opening words behind it — in "
        "quotation marks the document's own words, in italics reported content or a summary. Categories: overlap "
        "(green) — compatible commitments; rejection (red) — one side refuses or reaffirms the opposite; open "
        "(amber) — still to negotiate. A marker after a verdict (~several, ~summary, ~one, ~other, ~none) says it "
        f"is tentative: it rests on less than the document's own words. {DATE_NOTE}",
        style="Summary Note",
    )
    _summary_table(writer, report, bookmarks)

    annex = writer.doc.add_section(WD_SECTION.NEW_PAGE)
    annex.orientation, annex.page_width, annex.page_height = (
        section.orientation,
        section.page_width,
        section.page_height,
    )
    heading = writer.doc.add_heading("Annex: the evidence", 1)
    _bookmark(heading, "annex", 0)
    writer.paragraph(
        "Per issue, each position's verdict, the rule that fired and the provisions behind it: refs, stances, "
        "the words with their text status, and sources."
    )
    _annex_entries(writer, report, bookmarks)
    if report.comparisons:
        _responses(writer, report)
    writer.paragraph(
        "Text status: verbatim — the document's own words; partial — a recovered part of them; reported — the "
        "content as reported by the named sources; missing — no text recovered."
    )
    return writer.bytes()


def _annex_entries(writer: _Writer, report: Report, bookmarks: dict[str, str]) -> None:
    """Per issue, each cell's verdict (a bookmarked heading), why it is tentative, its rule and provisions."""
    columns = {c.id: c for c in report.columns}
    number = 1
    for row in report.rows:
        cited = [cell for cell in row.cells if cell.category or cell.provisions]
        if not cited:
            continue
        writer.heading(f"{row.title} ({row.issue})", 2)
        for cell in cited:
            column = columns[cell.position]
            verdict = f"{cell.category}: {cell.status}" if cell.category else cell.stance
            if cell.marker:
                verdict += f" {cell.marker}"
            entry = writer.doc.add_heading(inert(f"{column.short_title} · {report.column_date(column)} — {verdict}"), 3)
            _bookmark(entry, bookmarks[cell.anchor], number)
            number += 1
            if cell.rationale:
                writer.paragraph(cell.rationale, bold_lead="Rule: ")
            _tentative(writer, cell.attestation)
            if cell.breakdown:
                writer.paragraph(cell.breakdown, bold_lead="Sub-issues: ")
            if cell.against:
                writer.paragraph(", ".join(cell.against), bold_lead="Against: ")
            for view in cell.provisions:
                if view.coded_on(row.issue):
                    _provision_lines(writer, view)
            elsewhere = [v for v in cell.provisions if not v.coded_on(row.issue)]
            if elsewhere:
                para = writer.paragraph(bold_lead="Rolled up from its sub-issues: ")
                for i, view in enumerate(elsewhere):
                    target = f"{view.sub_issue(row.issue) or row.issue}--{cell.position}"
                    run = para.add_run(inert(view.ref), style="Hyperlink" if "Hyperlink" in writer.doc.styles else None)
                    if target in bookmarks:
                        _link_runs(para, [run], bookmarks[target])
                    para.add_run("." if i == len(elsewhere) - 1 else ", ")


def _responses(writer: _Writer, report: Report) -> None:
    """Each response's comparison, item by item, with each verdict's attestation."""
    headings = {c.id: c.short_title for c in report.columns}
    writer.heading("Responses, item by item", 1)
    for comparison in report.comparisons:
        writer.heading(f"{comparison.right.title} answering {comparison.left.title}", 2)
        counts = ", ".join(f"{n} {c}" for c, n in comparison.summary.items())
        writer.paragraph(counts)
        writer.table(
            [
                "Issue",
                "Category",
                "Status",
                headings.get(comparison.left.id, comparison.left.id),
                headings.get(comparison.right.id, comparison.right.id),
                "Attestation",
                "Rule",
            ],
            [
                [
                    f"{i.title}\n{i.issue}",
                    i.category,
                    i.status
                    + (f"\nsub-issues: {', '.join(f'{n} {c}' for c, n in i.breakdown)}" if i.breakdown else ""),
                    i.left_stance,
                    i.right_stance,
                    i.attestation + ("\nTENTATIVE" if i.tentative else ""),
                    i.rationale,
                ]
                for i in comparison.items
            ],
            [[None, i.category, None, None, None, None, None] for i in comparison.items],
        )


def matrix_document(record: LoadedDossier, matrix: Matrix, comparisons: Sequence[Comparison] = ()) -> bytes:
    """The four-column document of a dossier as a Word file: the summary, then every cell's evidence."""
    from negotiation.export.report import build_report

    return report_docx(build_report(record, matrix, comparisons))
