"""Hypothesis strategies for hostile input and output: syntax-token text for the parsers, mutated
copies of the valid fixtures, random data shaped like positions, and tables of hostile strings.

(The engine's strategies, for well-formed positions, live in tests/strategies.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from negotiation.tables import Table, make_table

VALID = Path(__file__).parent / "data" / "valid"
DOSSIER = VALID / "lake-varna"
#: The fixture files a mutation may start from: name -> bytes.
FIXTURES: dict[str, bytes] = {
    p.name: p.read_bytes() for p in sorted(DOSSIER.iterdir()) if p.suffix in (".yaml", ".json")
}

#: Pieces of YAML syntax, so random text reaches deep into the parser instead of failing at once.
YAML_TOKENS = [
    "schema_version: 1\n",
    "id: a-1\n",
    "party: ald\n",
    "provisions:\n",
    "  - ",
    "    ",
    "- ",
    ": ",
    ":",
    "\n",
    " ",
    "\t",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "!!python/object:os.system ",
    "!tag ",
    "!!str ",
    "!!binary ",
    "<<: ",
    "? ",
    "|\n",
    ">-\n",
    "'",
    '"',
    "\\u202e",
    "\\x1b",
    "# c\n",
    "%YAML 1.1\n",
    "%TAG ! x:\n",
    "---\n",
    "...\n",
    "~",
    "null",
    "yes",
    "no",
    "on",
    "1",
    "-1",
    "0x1f",
    "1e999",
    ".nan",
    ".inf",
    "2031-02-30",
    "2031-01-01",
    "99999999999999999999",
    "stance",
    "text_status",
    "verbatim",
    "issues",
    "responds_to",
    "to: a#b",
    "\ufeff",
    "\x85",
    "\u2028",
    "\r\n",
    "\r",
    "é",
    "\U0001f600",
]
JSON_TOKENS = [
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    '"schema_version"',
    '"id"',
    '"provisions"',
    '"a-1"',
    "1",
    "-0",
    "1e999",
    "NaN",
    "Infinity",
    "-Infinity",
    "true",
    "false",
    "null",
    '"\\ud800"',
    '"\\u0000"',
    '"x\\ny"',
    " ",
    "\n",
    "\t",
    '"',
    "\\",
    "//",
    "/*",
    "'",
    "9" * 30,
]


@st.composite
def token_text(draw: st.DrawFn, tokens: list[str]) -> str:
    """Text made of syntax tokens and arbitrary characters, in random order."""
    parts = draw(st.lists(st.one_of(st.sampled_from(tokens), st.text(max_size=4)), max_size=60))
    return "".join(parts)


@st.composite
def mutated_fixture(draw: st.DrawFn) -> tuple[str, bytes]:
    """A fixture file after a few random edits: deletions, insertions, duplications, byte flips, line swaps."""
    name = draw(st.sampled_from(sorted(FIXTURES)))
    data = bytearray(FIXTURES[name])
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "flip", "swap-lines", "token", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
        elif op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "swap-lines":
            lines = bytes(data).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
        elif op == "token":
            data[at:at] = draw(st.sampled_from(YAML_TOKENS if name.endswith(".yaml") else JSON_TOKENS)).encode()
        elif op == "truncate":
            del data[at:]
    return name, bytes(data)


FIELD_NAMES = [
    "schema_version",
    "id",
    "dossier",
    "party",
    "addressees",
    "kind",
    "title",
    "version",
    "supersedes",
    "responds_to",
    "delivered",
    "published",
    "provenance",
    "authenticity",
    "packages",
    "provisions",
    "ref",
    "issues",
    "stance",
    "obligations",
    "obligors",
    "conditions",
    "linked_to",
    "text",
    "text_status",
    "sources",
    "file",
    "witness",
    "to",
    "relation",
    "notes",
    "unknown",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["propose", "reject", "verbatim", "missing", "a-1", "a-1#p1", "2031-01-01"]),
)
#: JSON-like values whose keys are mostly the schema's own field names.
json_values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=6)), children, max_size=6),
    ),
    max_leaves=30,
)

#: Strings that try to break out of a format: markup, formulas, escapes, controls, bidi, table syntax.
HOSTILE_STRINGS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</td></tr></table>",
    "&amp;&lt;",
    "=1+1",
    "+SUM(A1)",
    "-2+3",
    "@cmd",
    '=HYPERLINK("http://x","y")',
    "\t=1",
    "\r=1",
    "\\input{/etc/passwd}",
    "\\write18{rm -rf /}",
    "$x^2$",
    "50% & #1 _a_ {b} ~ ^",
    "| a | b |",
    "a\\|b",
    "`code`",
    "**bold**",
    "[link](http://x)",
    "![img](http://x)",
    "<br>",
    "line\nbreak",
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;http://x\x07y",
    "\x07bell",
    "\x9b31m",
    "\u202eevil",
    "\u2066isolate\u2069",
    "\u200f",
    "\u061c",
    "\x00nul",
    "\ud800",
    "''; DROP TABLE t; --",
    "'quoted'",
    '"double"',
    "ok",
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    st.lists(st.sampled_from(HOSTILE_STRINGS), min_size=1, max_size=3).map("".join),
    st.text(max_size=30),
)


@st.composite
def hostile_tables(draw: st.DrawFn) -> list[Table]:
    """One or two tables whose titles, columns, cells and notes are hostile strings."""
    tables = []
    for i in range(draw(st.integers(1, 2))):
        width = draw(st.integers(1, 4))
        columns = [f"c{j}{draw(hostile_text)}" for j in range(width)]
        cell = st.one_of(hostile_text, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
        rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=4))
        notes = draw(st.lists(hostile_text, max_size=2))
        tables.append(make_table(f"t{i}", draw(hostile_text), columns, rows, notes=notes))
    return tables
