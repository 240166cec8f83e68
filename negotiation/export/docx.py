"""DOCX: Word documents for briefings — landscape A4, styled headings, tables with category shading, and the
evidence behind each verdict (the provisions' refs, words and sources).

``render_docx`` (the ``docx`` format) writes any tables, adding the evidence of a comparison when a table
carries the diff contract in its ``data``; ``matrix_document`` writes the four-column document of a
whole dossier with every cell's evidence. Fixed metadata (creator "negotiation", dated 2000-01-01) and a
reproducible zip container make two exports of the same input the same bytes. Needs the ``office``
extra (python-docx).
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
        return table

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return reproducible_zip(buffer.getvalue())


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
        writer.paragraph(view.text, style="Quote")
    if view.summary:
        writer.paragraph(view.summary, bold_lead="Summary: ")
    if view.responds_to:
        writer.paragraph("; ".join(view.responds_to), bold_lead="Answers: ")
    if view.notes:
        writer.paragraph(view.notes, bold_lead="Notes: ")
    for source in view.sources:
        writer.paragraph(source, style="List Bullet")


def report_docx(report: Report) -> bytes:
    """The four-column document of a built report: the table, then every cell's evidence."""
    writer = _Writer(f"{report.title} — four-column document")
    writer.heading(report.title, 0)
    writer.paragraph(
        f"Dossier {report.dossier}: {counted(len(report.rows), 'issue')}, {counted(len(report.columns), 'position')}. "
        "One row per issue, one column per position."
    )
    _legend(writer)
    columns = ["Issue", *(f"{c.title}\n{c.party_name} · {c.date or 'undated'}" for c in report.columns)]
    rows, shades = [], []
    for row in report.rows:
        cells = [f"{'  ' * row.depth}{row.title}\n{row.issue}"]
        for cell in row.cells:
            label = cell.category.upper() if cell.category else "no verdict"
            refs = ", ".join(p.ref for p in cell.provisions)
            text = " · ".join(x for x in (label, cell.status, cell.stance) if x)
            text += f"\nsub-issues: {cell.breakdown}" if cell.breakdown else ""
            text += f"\nTENTATIVE ({cell.attestation})" if cell.tentative else ""
            cells.append(text + (f"\n{refs}" if refs else ""))
        rows.append(cells)
        shades.append([None, *(c.category_key if c.category else None for c in row.cells)])
    writer.table(columns, rows, shades)
    writer.heading("Evidence", 1)
    for row in report.rows:
        cited = [(col, cell) for col, cell in zip(report.columns, row.cells, strict=True) if cell.provisions]
        if not cited:
            continue
        writer.heading(f"{row.title} ({row.issue})", 2)
        for column, cell in cited:
            verdict = f"{cell.category}: {cell.status}" if cell.category else "no verdict"
            writer.heading(f"{column.title} — {verdict}", 3)
            if cell.rationale:
                writer.paragraph(cell.rationale, bold_lead="Rule: ")
            _tentative(writer, cell.attestation)
            for view in cell.provisions:
                _provision_lines(writer, view)
    if report.comparisons:
        writer.heading("Responses, item by item", 1)
        for comparison in report.comparisons:
            writer.heading(f"{comparison.right.title} answering {comparison.left.title}", 2)
            counts = ", ".join(f"{n} {c}" for c, n in comparison.summary.items())
            writer.paragraph(counts)
            writer.table(
                ["Issue", "Category", "Status", comparison.left.id, comparison.right.id, "Attestation", "Rule"],
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
    writer.paragraph(
        "Text status: verbatim — the document's own words; partial — a recovered part of them; reported — the "
        "content as reported by the named sources; missing — no text recovered."
    )
    return writer.bytes()


def matrix_document(record: LoadedDossier, matrix: Matrix, comparisons: Sequence[Comparison] = ()) -> bytes:
    """The four-column document of a dossier as a Word file, with every cell's evidence."""
    from negotiation.export.report import build_report

    return report_docx(build_report(record, matrix, comparisons))
