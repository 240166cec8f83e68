"""Hostile strings in every text output format are rendered inert: no markup, formula, command,
escape sequence or bidirectional control from a file ever acts where the output is opened.

These cover the formats of negotiation/render.py (every tabulate style, csv, json, markdown);
the HTML, office and SQLite exporters carry their own tests.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
import tabulate
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation import render as r
from negotiation.tables import Table, make_table
from tests.conftest import Run
from tests.input_strategies import HOSTILE_STRINGS, hostile_tables

#: The formats render.py itself defines ("html" is tested through tabulate's renderer directly,
#: because the exporters may register a richer html under the same name).
OWN_FORMATS = sorted(
    {s for s in tabulate.tabulate_formats if s not in {"unsafehtml", "latex_raw", "html"}} | {"csv", "json", "markdown"}
)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _render(tables: list[Table], fmt: str) -> str:
    out = r.render(tables, fmt)
    assert isinstance(out, str)
    return out


def hostile_table() -> Table:
    """One row per hostile string, plus a number, so each format meets every attack."""
    return make_table(
        "hostile",
        "Hostile <b>title</b> \x1b[31m",
        ["text", "n"],
        [[s, i] for i, s in enumerate(HOSTILE_STRINGS)],
        notes=["note \\input{x} | <i>", "\u202enote"],
    )


@pytest.mark.parametrize("fmt", [*OWN_FORMATS, "html"])
def test_no_control_or_bidi_character_survives(fmt: str) -> None:
    """No C0/C1 control (but tab and newline), DEL, bidi control or lone surrogate reaches the output."""
    out = _render([hostile_table()], fmt)
    assert UNSAFE.search(out) is None
    out.encode("utf-8")


def test_terminal_shows_escapes_instead_of_obeying_them() -> None:
    """In the terminal table, an ANSI sequence and a right-to-left override are shown as visible escapes."""
    table = make_table("t", "T", ["text"], [["\x1b[31mred\x1b[0m"], ["\u202eevil"], ["\x9b31m"]])
    assert r.render([table], "simple") == "text\n------------------\n\\x1b[31mred\\x1b[0m\n\\u202eevil\n\\x9b31m\n"


@settings(max_examples=200, deadline=None, derandomize=True)
@given(tables=hostile_tables(), fmt=st.sampled_from([*OWN_FORMATS, "html"]))
def test_any_hostile_table_renders_inert(tables: list[Table], fmt: str) -> None:
    """Any table of hostile strings renders in any text format with no unsafe character, ending in a newline."""
    out = _render(tables, fmt)
    assert out.endswith("\n")
    assert UNSAFE.search(out) is None


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_spreadsheet_formulas_are_neutralised(fmt: str) -> None:
    """In csv and tsv every text cell that a spreadsheet would run as a formula starts with an apostrophe."""
    out = _render([hostile_table()], fmt)
    reader = csv.reader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t")
    cells = [cell.strip() for row in list(reader)[1:] for cell in row[:1]]
    assert len(cells) == len(HOSTILE_STRINGS)
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'=1+1" in cells and "'@cmd" in cells and "'+SUM(A1)" in cells


def test_csv_titles_of_several_tables_are_inert() -> None:
    """With several tables, csv writes a title row per table; its text is made inert like the cells."""
    tables = [make_table("a", "A \ud800\x1b[2J", ["x"], [["1"]]), make_table("b", "B", ["x"], [["2"]])]
    assert r.render(tables, "csv") == "# A \\ud800\\x1b[2J\nx\n1\n\n# B\nx\n2\n"


def test_computed_numbers_stay_numbers_in_csv() -> None:
    """A negative number the tool computed is written as a number, not neutralised as a formula."""
    table = make_table("t", "T", ["a", "n"], [["-x", -5]])
    assert r.render([table], "csv") == "a,n\n'-x,-5\n"


@pytest.mark.parametrize("fmt", ["latex", "latex_booktabs", "latex_longtable"])
def test_latex_commands_are_escaped(fmt: str) -> None:
    """No LaTeX command from a cell, title or note survives, and each row keeps its column separators."""
    out = _render([hostile_table(), hostile_table()], fmt)
    assert "\\input" not in out and "\\write18" not in out
    assert "\\textbackslash{}input" in out
    rows = [line for line in out.splitlines() if line.rstrip().endswith("\\\\")]
    assert len(rows) == 2 * (len(HOSTILE_STRINGS) + 1)
    assert all(len(re.findall(r"(?<!\\)&", row)) == 1 for row in rows)


def test_latex_leading_bracket_is_braced() -> None:
    """A cell starting with '[' cannot be read as the row-spacing argument of the previous row's \\\\."""
    out = r.render([make_table("t", "T", ["a"], [["[2pt] x"], ["*y"]])], "latex")
    assert " {[}2pt] x \\\\" in out and " {*}y" in out


@pytest.mark.parametrize("fmt", ["markdown", "github", "pipe"])
def test_markdown_tables_cannot_be_broken(fmt: str) -> None:
    """Pipes and HTML in cells are escaped: every row has exactly its column separators and no tag opens."""
    out = _render([hostile_table()], fmt)
    rows = [line for line in out.splitlines() if line.startswith("|")]
    assert len(rows) == len(HOSTILE_STRINGS) + 2
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 3 for row in rows)
    assert not re.search(r"(?<!\\)<", out)


def test_markdown_format_escapes_all_markup() -> None:
    """The markdown format also escapes links, emphasis and code; github and pipe keep them readable."""
    table = make_table("t", "T", ["text"], [["[l](javascript:x) **b** `c` _i_"]])
    assert "\\[l\\](javascript:x) \\*\\*b\\*\\* \\`c\\` \\_i\\_" in r.render([table], "markdown")
    assert "| [l](javascript:x) **b** `c` _i_ |" in r.render([table], "github")


def test_html_is_escaped() -> None:
    """The html format (the report page; tabulate's own html style is not offered) escapes every cell,
    title and note: no tag from a file reaches the page."""
    out = _render([hostile_table(), hostile_table()], "html")
    assert "<script" not in out and "<img" not in out and "<b>" not in out and "<i>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


@pytest.mark.parametrize(
    ("fmt", "separator"),
    [
        ("mediawiki", "||"),
        ("moinmoin", "||"),
        ("jira", "|"),
        ("youtrack", "|"),
        ("textile", "|"),
        ("asciidoc", "|"),
        ("orgtbl", "|"),
        ("tsv", "\t"),
    ],
)
def test_other_markup_styles_keep_their_structure(fmt: str, separator: str) -> None:
    """In wiki, org and tsv styles a cell cannot add a column: every row has as many separators as a plain one."""
    rows = [["plain", "ROW"], *[[s, "ROW"] for s in HOSTILE_STRINGS]]
    out = _render([make_table("t", "T", ["text", "mark"], rows)], fmt)
    counts = [len(re.findall(r"(?<!\\)" + re.escape(separator), line)) for line in out.splitlines() if "ROW" in line]
    assert len(counts) == len(rows)
    assert set(counts) == {counts[0]}


def test_rst_inline_markup_is_escaped() -> None:
    """In rst, backquotes, stars, underscores and pipes from a cell are backslash-escaped."""
    out = _render([make_table("t", "T", ["text"], [["`x <javascript:y>`_ *a* |sub|"]])], "rst")
    assert "\\`x <javascript:y>\\`\\_ \\*a\\* \\|sub\\|" in out


def test_json_is_data_not_markup() -> None:
    """JSON output round-trips every hostile string exactly, with unsafe characters written as escapes."""
    table = make_table("t", "T", ["text"], [[s] for s in HOSTILE_STRINGS])
    out = r.render([table], "json")
    assert UNSAFE.search(out) is None
    assert [row["text"] for row in json.loads(out)] == HOSTILE_STRINGS


def test_messages_are_inert_on_the_terminal(cli: Run, tmp_path: object) -> None:
    """A problem message quoting a hostile key shows its escape sequence and line break as text, on one line."""
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "p.yaml").write_text('schema_version: 1\n"\\e[2J\\u202e\\nx": 1\n', encoding="utf-8")
    result = cli("validate", "p.yaml", cwd=folder)
    assert result.code == 1
    lines = result.stderr.splitlines()
    assert 'p.yaml:2:1: ["\\u001b[2J\\u202e\\nx"]: unknown field' in lines
    assert UNSAFE.search(result.stderr) is None


@pytest.mark.parametrize(
    ("prose", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("[go](javascript:alert(1))", "[go]\\(javascript:alert(1))"),
        ("[go]( JavaScript :x)", "[go]\\( JavaScript :x)"),
        ("[go](<vbscript:x>)", "[go]\\(&lt;vbscript:x&gt;)"),
        ("[d](data:text/html;base64,PHNjcmlwdD4=)", "[d]\\(data:text/html;base64,PHNjcmlwdD4=)"),
        ("[ref]: javascript:alert(1)", "\\[ref]: javascript:alert(1)"),
        ("  [ref]: file:///etc/passwd", "  \\[ref]: file:///etc/passwd"),
        (
            "**kept** _emphasis_ and [a link](https://example.org)",
            "**kept** _emphasis_ and [a link](https://example.org)",
        ),
        ("Tom & Jerry\x1b[2J", "Tom &amp; Jerry\\x1b[2J"),
    ],
)
def test_markdown_prose_keeps_formatting_and_drops_markup(prose: str, expected: str) -> None:
    """Prose in a brief keeps its Markdown formatting and https links; HTML shows as text, a script or
    file link is broken into text, and controls become escapes."""
    assert r.markdown_prose(prose) == expected


def test_briefs_show_markup_as_text(tmp_path, cli: Run) -> None:  # type: ignore[no-untyped-def]
    """A scenario, inject and instructions with markup reach the Markdown brief escaped and the DOCX brief
    as plain text (a DOCX holds no markup)."""
    import shutil
    import zipfile
    from pathlib import Path

    source = Path(__file__).resolve().parent / "data" / "exercises" / "tiny"
    folder = tmp_path / "tiny"
    shutil.copytree(source, folder)
    hostile = "<script>alert(1)</script> [x](javascript:alert(2))"
    exercise = folder / "exercise.yaml"
    text = exercise.read_text(encoding="utf-8")
    text = text.replace("All of it is invented.", f"All of it is invented. {hostile}")
    text = text.replace("A flood hits the lower valley.", f"A flood hits the lower valley. {hostile}")
    exercise.write_text(text, encoding="utf-8")
    schedule = folder / "private" / "north.yaml"
    schedule.write_text(
        schedule.read_text(encoding="utf-8").replace("you keep back.", "you keep back. <img src=y onerror=steal()>"),
        encoding="utf-8",
    )
    done = cli("exercise", "brief", str(folder), "--round", "2")
    assert done.code == 0, done.stderr
    assert "<script>" not in done.stdout and "](javascript:" not in done.stdout
    assert done.stdout.count("&lt;script&gt;alert(1)&lt;/script&gt; [x]\\(javascript:alert(2))") == 2
    done = cli("exercise", "brief", str(folder), "--role", "north")
    assert "&lt;img src=y onerror=steal()&gt;" in done.stdout and "<img" not in done.stdout
    done = cli("exercise", "brief", str(folder), "--output-dir", str(tmp_path / "out"), "--docx")
    assert done.code == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "out" / "general.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # the characters < and >, as XML writes them
    assert "&amp;lt;" not in body
