"""Text formats: golden files, hostile cells, LaTeX escaping, and the same bytes on every run."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiation.loading import LoadedDossier
from negotiation.render import BINARY_FORMATS, formats, inert, latex_text, render
from negotiation.tables import make_table
from tests.exports.lake import HOSTILE, fixture_tables, hostile_table

TEXT_FORMATS = [f for f in formats() if f not in BINARY_FORMATS]
EXTENSIONS = {"csv": "csv", "json": "json", "html": "html", "markdown": "md", "github": "md", "pipe": "md"}
LATEX_FORMATS = ("latex", "latex_booktabs", "latex_longtable")
ROOT = Path(__file__).resolve().parents[2]


def extension(fmt: str) -> str:
    """The golden file extension of a format."""
    return "tex" if fmt.startswith("latex") else EXTENSIONS.get(fmt, "txt")


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_fixture_tables_match_golden(fmt: str, lake: LoadedDossier, golden: Callable[[str, str | bytes], None]) -> None:
    """Each text format renders the fixture tables (a diff and hostile cells) exactly as its golden file."""
    golden(f"fixture/tables.{fmt}.{extension(fmt)}", render(fixture_tables(lake), fmt))


def test_every_tabulate_style_and_the_house_formats_are_offered() -> None:
    """The registry offers the briefing formats the issue names, and no style that passes markup through."""
    offered = set(formats())
    assert {
        "plain",
        "github",
        "grid",
        "rst",
        "latex_booktabs",
        "mediawiki",
        "csv",
        "json",
        "markdown",
        "html",
    } <= offered
    assert {"xlsx", "docx", "sqlite"} <= offered
    assert {"xlsx", "docx", "sqlite"} <= BINARY_FORMATS
    assert not {"unsafehtml", "latex_raw"} & offered


@pytest.mark.parametrize("fmt", [f for f in TEXT_FORMATS if f != "json"])
def test_no_terminal_control_or_bidi_character_survives(fmt: str) -> None:
    """ESC and the right-to-left override in a cell are written as visible escapes, never as themselves."""
    out = render([hostile_table()], fmt)
    assert isinstance(out, str)
    assert "\x1b" not in out and "\u202e" not in out
    # Wiki styles write markup characters as entities ("[" as "&#91;"); read them back first.
    shown = html.unescape(out.replace("\\textbackslash{}", "").replace("\\", ""))
    assert "x1b[31mred" in shown and "u202eevil" in shown


def test_json_keeps_the_data_and_escapes_controls() -> None:
    """JSON parses back to the exact cells, while ESC and bidi overrides appear only as \\u escapes."""
    out = render([hostile_table()], "json")
    assert isinstance(out, str)
    assert "\x1b" not in out and "\u202e" not in out and "\\u202e" in out
    assert [row["text"] for row in json.loads(out)] == list(HOSTILE)


def test_csv_neutralises_formulas() -> None:
    """CSV cells opening with =, +, - or @ get a leading apostrophe; other cells are unchanged."""
    out = render([hostile_table()], "csv")
    assert isinstance(out, str)
    texts = [row[1] for row in list(csv.reader(io.StringIO(out)))[1:]]
    assert texts[1] == '\'=HYPERLINK("http://x")'
    assert texts[6:9] == ["'+1+1", "'-2", "'@SUM(A1:A9)"]
    assert texts[0] == "<script>alert(1)</script>"
    assert not [t for t in texts if t[:1] in "=+-@"]


@pytest.mark.parametrize("fmt", ["markdown", "github", "pipe"])
def test_pipe_tables_keep_their_columns(fmt: str) -> None:
    """In Markdown pipe tables a '|' or '<script>' in a cell is escaped: every row keeps six cells."""
    out = render([hostile_table()], fmt)
    assert isinstance(out, str)
    rows = [line for line in out.splitlines() if line.startswith("|")]
    assert len(rows) == len(HOSTILE) + 2
    for line in rows:
        assert len(re.findall(r"(?<!\\)\|", line)) == 7, line
    assert "<script>" not in out and "\\<script\\>" in out


# LaTeX: nothing in a cell may start a command, a group, math, a comment, an alignment tab or a parameter.

_LATEX_WORDS = {
    r"\textbackslash{}": "\\",
    r"\textasciicircum{}": "^",
    r"\textasciitilde{}": "~",
    r"\textless{}": "<",
    r"\textgreater{}": ">",
    r"\textbar{}": "|",
}
_LATEX_TOKEN = re.compile(r"\\text[a-z]+\{\}|\\[{}$&%#_]|\{[\[*]\}")


def unlatex(text: str) -> str:
    """Undo :func:`latex_text` (for tests): every escape back to its character."""

    def back(match: re.Match[str]) -> str:
        token = match.group()
        if token in _LATEX_WORDS:
            return _LATEX_WORDS[token]
        if token.startswith("{"):
            return token[1]
        assert token[0] == "\\", token
        return token[1]

    return _LATEX_TOKEN.sub(back, text)


def assert_inert_latex(text: str) -> None:
    """Fail if ``text`` holds a LaTeX command or special character other than the escapes latex_text writes."""
    rest = _LATEX_TOKEN.sub("", text)
    assert not re.search(r"[\\{}$&%#_^~]", rest), (text, rest)
    # The escaped text itself must not open with what a preceding row end `\\` would take as an argument.
    assert not text.startswith(("[", "*")), text


@given(st.text())
def test_latex_text_escapes_every_special_character(text: str) -> None:
    """For any text, latex_text leaves only known escapes, and undoing them gives the text back (one line)."""
    escaped = latex_text(text)
    assert_inert_latex(escaped)
    assert unlatex(escaped) == " ".join(inert(text).split())


@pytest.mark.parametrize("fmt", LATEX_FORMATS)
def test_latex_styles_escape_cells_titles_and_notes(fmt: str) -> None:
    """Every cell, title and note of a LaTeX table is inert; only the table's own commands remain."""
    table = hostile_table()
    out = render([table, table], fmt)
    assert isinstance(out, str)
    structure = {
        r"\begin{tabular}",
        r"\end{tabular}",
        r"\begin{longtable}",
        r"\end{longtable}",
        r"\hline",
        r"\toprule",
        r"\midrule",
        r"\bottomrule",
        r"\endhead",
    }
    commands = set(re.findall(r"\\[a-zA-Z]+(?:\{(?:tabular|longtable)\})?", out))
    assert commands - structure <= {"\\" + w[1:-2] for w in _LATEX_WORDS}
    body = [line for line in out.splitlines() if line.startswith(" ")]
    for line in body:
        assert line.endswith(r" \\")
        cells = line[1:-3].split(" & ")
        assert len(cells) == 6
        for cell in cells:
            assert_inert_latex(cell.rstrip())
    assert r"\textbackslash{}input\{/etc/passwd\}" in out
    assert r"{[}2pt] bracket" in out
    assert r"\textless{}b\textgreater{}Hostile\textless{}/b\textgreater{} \& \textbackslash{}cells" in out
    assert r"note: =1+1 \textless{}i\textgreater{}not markup\textless{}/i\textgreater{} 100\%" in out


def test_latex_empty_table_is_still_a_table() -> None:
    """A table without rows renders its header between the rules."""
    out = render([make_table("t", "T", ["a", "b"], [])], "latex_booktabs")
    assert out == "\\begin{tabular}{ll}\n\\toprule\n a & b \\\\\n\\midrule\n\\bottomrule\n\\end{tabular}\n"


_DIGEST_SCRIPT = """
import hashlib, sys
sys.path.insert(0, sys.argv[1])
from negotiation.loading import load_dossier
from negotiation.render import formats, render
from negotiation.export.html import matrix_report
from negotiation.export.sqlite import dossier_database
from tests.exports.lake import LAKE, fixture_tables, lake_comparisons, lake_matrix
record = load_dossier(LAKE)
tables = fixture_tables(record)
for fmt in formats():
    out = render(tables, fmt)
    data = out.encode() if isinstance(out, str) else out
    print(fmt, hashlib.sha256(data).hexdigest())
page = matrix_report(record, lake_matrix(record), lake_comparisons(record))
print("report", hashlib.sha256(page.encode()).hexdigest())
print("dossier.sqlite", hashlib.sha256(dossier_database(record, lake_comparisons(record))).hexdigest())
"""


def _digests(seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", _DIGEST_SCRIPT, str(ROOT)], capture_output=True, text=True, env=env, check=True, cwd=ROOT
    )
    return dict(line.split(" ", 1) for line in done.stdout.splitlines())


def test_same_bytes_across_runs_and_hash_seeds() -> None:
    """Every format (text, office, SQLite) and the report give identical bytes under different PYTHONHASHSEEDs."""
    first, second = _digests("0"), _digests("4242")
    assert set(first) == {*formats(), "report", "dossier.sqlite"}
    assert first == second


def test_mediawiki_cells_cannot_split_or_carry_markup() -> None:
    """MediaWiki cells holding wiki markup are wrapped in nowiki, and HTML is written as entities."""
    out = render([hostile_table()], "mediawiki")
    assert isinstance(out, str)
    rows = [re.sub(r"<nowiki>.*?</nowiki>", "X", line) for line in out.splitlines() if line.startswith("| ")]
    assert len(rows) == len(HOSTILE)
    assert all(line.count("||") == 5 for line in rows)
    assert "<script>" not in out and "<nowiki>&lt;script&gt;alert(1)&lt;/script&gt;</nowiki>" in out
