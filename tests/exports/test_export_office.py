"""XLSX and DOCX: loaded back with openpyxl and python-docx, cell by cell; fixed metadata; same bytes twice."""

from __future__ import annotations

import builtins
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from negotiation.engine.model import Comparison, Matrix
from negotiation.engine.views import matrix_table
from negotiation.errors import DependencyError
from negotiation.export.docx import matrix_document
from negotiation.loading import LoadedDossier
from negotiation.render import render
from negotiation.tables import make_table
from tests.exports.dumps import docx_dump, xlsx_dump
from tests.exports.lake import HOSTILE, fixture_tables, hostile_table


def _bytes(tables: Any, fmt: str) -> bytes:
    out = render(tables, fmt)
    assert isinstance(out, bytes)
    return out


def test_xlsx_one_sheet_per_table_with_header_freeze_and_filter(lake: LoadedDossier) -> None:
    """Each table is a sheet with a bold shaded header, panes frozen below it, a filter over the rows, and
    landscape printing fitted to the width with the header repeated."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(_bytes(fixture_tables(lake), "xlsx")))
    assert book.sheetnames == ["diff", "hostile"]
    diff = book["diff"]
    assert [c.value for c in diff[1]] == ["issue", "title", "category", "status", "left", "right", "rationale"]
    assert all(c.font.bold and c.fill.fgColor.rgb == "00E6E6E6" for c in diff[1])
    assert diff.freeze_panes == "B2"
    assert diff.auto_filter.ref == "A1:G7"
    assert (diff.page_setup.orientation, diff.page_setup.fitToWidth, diff.print_title_rows) == ("landscape", 1, "$1:$1")
    assert diff["A9"].value == "summary: {'overlap': 1, 'rejection': 2, 'open': 3}"


def test_xlsx_colours_rows_by_category(lake: LoadedDossier) -> None:
    """Every cell of a diff row is filled with its category's colour."""
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(_bytes(fixture_tables(lake), "xlsx")))["diff"]
    fills = [{c.fill.fgColor.rgb for c in row} for row in sheet.iter_rows(min_row=2, max_row=7)]
    assert fills == [{"00F9D6D5"}, {"00F9D6D5"}, {"00FFF0C2"}, {"00D7EFD9"}, {"00FFF0C2"}, {"00FFF0C2"}]


def test_xlsx_matrix_colours_each_verdict(matrix: Matrix) -> None:
    """In the matrix sheet a cell is filled by its own verdict; an opening stance stays unfilled."""
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(_bytes([matrix_table(matrix)], "xlsx")))["matrix"]
    row = [(c.value, c.fill.fill_type and c.fill.fgColor.rgb) for c in sheet[5]]
    assert row == [
        ("data", None),
        ("propose", None),
        ("overlap (agreed)", "00D7EFD9"),
        ("open (conditional)", "00FFF0C2"),
    ]


def test_xlsx_neutralises_formulas_and_keeps_types() -> None:
    """Formula-like text is stored as text with an apostrophe; controls are escapes; numbers stay numbers."""
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(_bytes([hostile_table()], "xlsx")))["hostile"]
    texts = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2, max_row=len(HOSTILE) + 1)}
    assert texts[1].value == '\'=HYPERLINK("http://x")' and texts[1].data_type == "s"
    assert [texts[i].value for i in (6, 7, 8)] == ["'+1+1", "'-2", "'@SUM(A1:A9)"]
    assert texts[4].value == "\\x1b[31mred\\x1b[0m"
    assert texts[5].value == "\\u202eevil"
    assert texts[0].value == "<script>alert(1)</script>"
    assert texts[11].value == "line one\nline two"
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert [c.value for c in sheet[3]] == [1, '\'=HYPERLINK("http://x")', 10, 0.25, "no", None]
    assert sheet["A17"].value == "note: =1+1 <i>not markup</i> 100%"


def test_xlsx_fixed_metadata_and_identical_bytes(lake: LoadedDossier) -> None:
    """The workbook's creator and dates are fixed, and two renders are the same bytes."""
    first, second = _bytes(fixture_tables(lake), "xlsx"), _bytes(fixture_tables(lake), "xlsx")
    assert first == second
    import openpyxl

    props = openpyxl.load_workbook(io.BytesIO(first)).properties
    assert (props.creator, props.lastModifiedBy) == ("negotiation", "negotiation")
    assert props.created.isoformat() == props.modified.isoformat() == "2000-01-01T00:00:00"
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_xlsx_sheet_names_are_valid_and_unique() -> None:
    """Names too long, repeated or holding []:*?/\\ become valid, distinct sheet names."""
    import openpyxl

    tables = [make_table("a/b:c*" + "x" * 40, "T", ["c"], [["1"]]), make_table("a/b:c*" + "x" * 40, "T", ["c"], [])]
    assert openpyxl.load_workbook(io.BytesIO(_bytes(tables, "xlsx"))).sheetnames == [
        "a-b-c-" + "x" * 25,
        "a-b-c-" + "x" * 21 + " (2)",
    ]


def test_docx_tables_with_shading_evidence_and_landscape(lake: LoadedDossier) -> None:
    """A diff becomes a shaded Word table followed by the evidence: rule, both sides' refs, words and sources."""
    import docx

    document = docx.Document(io.BytesIO(_bytes(fixture_tables(lake)[:1], "docx")))
    section = document.sections[0]
    assert section.page_width > section.page_height
    assert document.paragraphs[0].style.name == "Heading 1"
    assert document.paragraphs[0].text == "down-response-2030-02-01 answering up-proposal-2030-01-10"
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "issue",
        "title",
        "category",
        "status",
        "left",
        "right",
        "rationale",
    ]
    assert [c.text for c in table.rows[2].cells][:4] == ["flows.minimum", "Minimum flow", "rejection", "rejected"]
    texts = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 2", "Evidence") in texts
    i = texts.index(("Heading 3", "Minimum flow (flows.minimum) — rejection: rejected"))
    assert texts[i + 1 : i + 7] == [
        ("Normal", "Rule: propose x reject -> rejected"),
        ("Normal", "up-proposal-2030-01-10 (propose)"),
        ("Normal", "Art. 1 (up-proposal-2030-01-10) — propose. Text status: verbatim."),
        ("Quote", "The Parties shall keep a minimum flow <script>alert(1)</script> of 40 m3/s."),
        ("Normal", "Summary: A minimum flow of 40 m3/s."),
        ("List Bullet", "sources/up-proposal.md"),
    ]


def test_docx_hostile_cells_are_plain_text() -> None:
    """Hostile cells are the cell texts (controls as escapes); nothing becomes a field or markup."""
    import docx

    data = _bytes([hostile_table()], "docx")
    table = docx.Document(io.BytesIO(data)).tables[0]
    assert [r.cells[1].text for r in table.rows[1:]] == [
        t.replace("\x1b", "\\x1b").replace("\u202e", "\\u202e") for t in HOSTILE
    ]
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<w:fldSimple" not in xml and "<w:instrText" not in xml and "<script" not in xml


def test_docx_four_column_document(lake: LoadedDossier, matrix: Matrix, comparisons: tuple[Comparison, ...]) -> None:
    """The matrix document: title, a reading note, the summary table (short headings and dates, each cell its
    verdict and a line of words, linked to a bookmark), then the annex with every cell's evidence."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(matrix_document(lake, matrix, comparisons)))
    table = document.tables[0]
    assert table.style.name == "Summary Table"
    assert [c.text for c in table.rows[0].cells] == [
        "Issue",
        "UP draft-agreement → DOWN\n10 Jan 2030",
        "DOWN written-response → UP\n1 Feb 2030",
        "OBS statement\n5 Feb 2030 (publ.)",
    ]
    assert [c.text for c in table.rows[4].cells] == [
        "Data sharing data",
        "propose\n“Data | pipe \\input{/etc/passwd}…”",
        "OVERLAP agreed\n“The Union accepts the sharing of…”",
        "OPEN conditional\n+ Data sharing, provided both…",
    ]
    anchors = [link.get(qn("w:anchor")) for link in table._tbl.iter(qn("w:hyperlink"))]
    marks = {mark.get(qn("w:name")) for mark in document.element.body.iter(qn("w:bookmarkStart"))}
    assert anchors[:3] == ["ev_0_0", "ev_0_1", "ev_1_0"] and set(anchors) <= marks
    texts = [(p.style.name, p.text) for p in document.paragraphs]
    assert texts[0] == ("Title", "Lake Arden water sharing (a fictional exercise)")
    assert texts.index(("Heading 1", "Annex: the evidence")) == 3  # after the table and the section break
    i = texts.index(("Heading 3", "OBS statement · 5 Feb 2030 (publ.) — open: conditional"))
    assert texts[i + 1 : i + 7] == [
        ("Normal", "Rule: propose x accept-conditional -> conditional"),
        ("Normal", "Against: up-proposal-2030-01-10"),
        ("Normal", "Statement — accept-conditional. Text status: reported."),
        ("Evidence Text", "+ Data sharing, provided both sides share."),
        ("Normal", "Answers: accepts-conditionally up-proposal-2030-01-10#art-3"),
        ("List Bullet", "Basin Bulletin"),
    ]
    assert [s.orientation for s in document.sections] == [1, 1]  # both landscape


def test_docx_fixed_metadata_and_identical_bytes(lake: LoadedDossier, matrix: Matrix) -> None:
    """The document's author and dates are fixed, and two renders are the same bytes."""
    import docx

    first, second = matrix_document(lake, matrix), matrix_document(lake, matrix)
    assert first == second
    props = docx.Document(io.BytesIO(first)).core_properties
    assert (props.author, props.last_modified_by, props.revision) == ("negotiation", "negotiation", 1)
    assert props.created.isoformat() == props.modified.isoformat() == "2000-01-01T00:00:00+00:00"


@pytest.mark.parametrize("name", ["xlsx", "docx"])
def test_office_goldens(name: str, lake: LoadedDossier, golden: Callable[[str, str | bytes], None]) -> None:
    """What the office files show (cells, fills, styles, paragraphs) matches its golden dump."""
    dump = xlsx_dump if name == "xlsx" else docx_dump
    golden(f"fixture/tables.{name}.txt", dump(_bytes(fixture_tables(lake), name)))


def test_docx_report_golden(
    lake: LoadedDossier, matrix: Matrix, comparisons: tuple[Comparison, ...], golden: Callable[[str, str | bytes], None]
) -> None:
    """The four-column Word document of Lake Arden matches its golden dump."""
    golden("fixture/report.docx.txt", docx_dump(matrix_document(lake, matrix, comparisons)))


@pytest.mark.parametrize(("fmt", "module"), [("xlsx", "openpyxl"), ("docx", "docx")])
def test_missing_office_extra_says_what_to_install(fmt: str, module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without openpyxl or python-docx, the office formats raise DependencyError naming the extra."""
    real_import = builtins.__import__
    import sys

    for loaded in [m for m in sys.modules if m == module or m.startswith(module + ".")]:
        monkeypatch.delitem(sys.modules, loaded)

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == module or name.startswith(module + "."):
            raise ModuleNotFoundError(f"No module named '{module}'", name=module)
        return real_import(name, *args, **kwargs)

    import importlib

    real_import_module = importlib.import_module

    def refuse_module(name: str, package: str | None = None) -> Any:
        refuse(name)
        return real_import_module(name, package)

    monkeypatch.setattr(builtins, "__import__", refuse)
    monkeypatch.setattr(importlib, "import_module", refuse_module)
    with pytest.raises(DependencyError) as error:
        render([hostile_table()], fmt)
    assert str(error.value) == f"format '{fmt}' needs the office extra: pip install 'negotiation[office]'"
    assert error.value.exit_code == 2


@pytest.mark.parametrize("where", ["cell", "header", "note", "title"])
def test_office_files_hold_what_their_formats_can(where: str) -> None:
    """Text longer than a spreadsheet cell holds is cut with a note saying so, and a title longer than a
    document property holds is cut to 255 characters; characters XML cannot hold become escapes."""
    import openpyxl

    long = "w" * 40_000 + "\ufffe"
    table = make_table(
        "t",
        long if where == "title" else "T",
        (long if where == "header" else "h",),
        [(long if where == "cell" else "c",)],
        notes=(long,) if where == "note" else (),
    )
    book = openpyxl.load_workbook(io.BytesIO(render([table], "xlsx")))  # type: ignore[arg-type]
    longest = max(len(str(c.value or "")) for sheet in book for row in sheet.iter_rows() for c in row)
    assert longest == (32_767 if where != "title" else 1)
    assert len(book.properties.title) == (255 if where == "title" else 1)
    document = render([table], "docx")
    assert isinstance(document, bytes)
    with zipfile.ZipFile(io.BytesIO(document)) as docx:
        core = docx.read("docProps/core.xml").decode("utf-8")
        body = docx.read("word/document.xml").decode("utf-8")
    assert "\ufffe" not in body and ("\\ufffe" in body or where == "title")
    assert ("w" * 255 + "<") in core if where == "title" else "<dc:title>T</dc:title>" in core


def test_docx_marks_a_tentative_verdict_in_italics_with_its_reason() -> None:
    """A diff verdict resting on one reported source gets an italic 'Tentative:' line saying why;
    one on the document's own words gets none."""
    import docx

    from negotiation.engine.compare import compare
    from negotiation.engine.views import diff_table
    from tests.engine_fixtures import water

    record = water()
    result = compare(record.position("north-proposal"), record.position("south-response"), record)
    document = docx.Document(io.BytesIO(render([diff_table(result)], "docx")))  # type: ignore[arg-type]
    lines = [p for p in document.paragraphs if p.text.startswith("Tentative: ")]
    assert [p.text for p in lines] == [
        "Tentative: the deciding evidence is reported by one source (one-source).",
    ]
    assert [run.italic for run in lines[0].runs] == [None, True]
    assert sum(i.tentative for i in result.items) == 1


def test_xlsx_sets_tentative_verdicts_in_italics() -> None:
    """In the matrix sheet, a verdict resting on one reported source is italic; one on the document's words is not."""
    import openpyxl

    from negotiation.engine.matrix import build_matrix
    from tests.engine_fixtures import water

    book = openpyxl.load_workbook(io.BytesIO(render([matrix_table(build_matrix(water()))], "xlsx")))  # type: ignore[arg-type]
    sheet = book.worksheets[0]
    italic = {str(c.value) for row in sheet.iter_rows(min_row=2) for c in row if c.value and c.font.italic}
    assert italic == {"overlap (compatible ~one)", "open (unanswered ~one)"}


def test_xlsx_four_column_workbook(lake: LoadedDossier, matrix: Matrix, comparisons: tuple[Comparison, ...]) -> None:
    """The matrix workbook: a summary sheet (title row, short headings, frozen panes, filter, landscape
    fit-to-width printing with the header repeated) whose every cell with evidence links to its own rows on
    the evidence sheet; text only, never a formula."""
    import openpyxl

    from negotiation.export.xlsx import matrix_workbook

    book = openpyxl.load_workbook(io.BytesIO(matrix_workbook(lake, matrix, comparisons)))
    assert book.sheetnames == ["Summary", "Evidence"]
    summary, evidence = book["Summary"], book["Evidence"]
    assert summary["A1"].value == "Lake Arden water sharing (a fictional exercise)"
    assert [summary.cell(3, c).value for c in range(1, 9)] == [
        "Issue",
        "Code",
        "UP draft-agreement → DOWN\n10 Jan 2030",
        None,
        "DOWN written-response → UP\n1 Feb 2030",
        None,
        "OBS statement\n5 Feb 2030 (publ.)",
        None,
    ]
    assert [summary.cell(7, c).value for c in range(1, 9)] == [
        "Data sharing",
        "data",
        "propose\n“Data | pipe \\input{/etc/passwd}…”",
        "→",
        "OVERLAP agreed\n“The Union accepts the sharing of…”",
        "→",
        "OPEN conditional\n+ Data sharing, provided both…",
        "→",
    ]
    assert (summary.freeze_panes, summary.auto_filter.ref) == ("C4", "A3:H9")
    setup = summary.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert summary.sheet_properties.pageSetUpPr.fitToPage and summary.print_title_rows == "$3:$3"
    links = 0
    for r, row in enumerate(matrix.rows, start=4):
        for j, (position, cell) in enumerate(zip(matrix.positions, row.cells, strict=True)):
            link = summary.cell(r, 4 + 2 * j).hyperlink
            if not (cell.category or cell.provisions):
                assert link is None and summary.cell(r, 3 + 2 * j).value is None
                continue
            links += 1
            target = int(link.location.rpartition("!A")[2])
            assert link.location.startswith("'Evidence'!A")
            assert evidence.cell(target, 2).value == row.issue
            assert evidence.cell(target, 3).value.startswith(position.party.upper())
    assert links == 12  # 18 cells, 6 of them silent
    assert [evidence.cell(2, c).value for c in (1, 5, 7, 10, 14)] == ["Issue", "Verdict", "Ref", "Words", "Sources"]
    assert all(c.data_type != "f" for sheet in book for row in sheet.iter_rows() for c in row)
