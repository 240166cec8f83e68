"""Render neutral tables into text formats. Formats are a registry; ``--format`` choices come from it.

Every renderer is pure: ``render(tables) -> str | bytes``, with the same bytes for the same input.
Text renderers neutralise hostile content: terminal control and bidirectional characters are shown
as escapes, CSV cells that a spreadsheet would run as formulas are prefixed with a quote.

>>> from negotiation.tables import make_table
>>> t = make_table("t", "T", ["a", "b"], [["x", 1]])
>>> print(render([t], "csv"), end="")
a,b
x,1
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import tabulate as _tabulate

from negotiation.errors import UsageError
from negotiation.tables import Cell, Table

Renderer = Callable[[Sequence[Table]], "str | bytes"]
_REGISTRY: dict[str, Renderer] = {}
#: Formats that produce bytes and so need --output.
BINARY_FORMATS: set[str] = set()

_tabulate.PRESERVE_WHITESPACE = False

# C0/C1 controls (but tab/newline), DEL, and bidirectional overrides/isolates: shown, never obeyed.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def register(name: str, *, binary: bool = False) -> Callable[[Renderer], Renderer]:
    """Register a renderer under ``name`` (a decorator)."""

    def add(func: Renderer) -> Renderer:
        _REGISTRY[name] = func
        if binary:
            BINARY_FORMATS.add(name)
        return func

    return add


def formats() -> list[str]:
    """Every format name, sorted."""
    _load_plugins()
    return sorted(_REGISTRY)


def render(tables: Sequence[Table], fmt: str) -> str | bytes:
    """Render ``tables`` in format ``fmt``."""
    _load_plugins()
    try:
        renderer = _REGISTRY[fmt]
    except KeyError:
        raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(formats())}") from None
    return renderer(tables)


def _load_plugins() -> None:
    # Office, HTML and SQLite renderers live in negotiation.export and import heavy libraries lazily;
    # importing the module only registers their names.
    import negotiation.export  # noqa: F401


def inert(text: str) -> str:
    r"""Make text safe for a terminal or a plain-text file: control and bidi characters become escapes.

    >>> inert("ok\x1b[31m")
    'ok\\x1b[31m'
    """
    return _UNSAFE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def cell_text(value: Cell) -> str:
    """A cell as text, the same way in every text format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _clean_rows(table: Table, *, one_line: bool) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells = [inert(cell_text(c)) for c in row]
        if one_line:
            cells = [" ".join(c.split()) for c in cells]
        rows.append(cells)
    return rows


# Pipe-table styles are pasted into Markdown documents: a "|" would split a cell and "<script>" would be HTML.
_PIPE_STYLES = ("github", "pipe")


def _tabulate_renderer(style: str) -> Renderer:
    def render_style(tables: Sequence[Table]) -> str:
        parts = []
        for table in tables:
            rows = _clean_rows(table, one_line=style not in ("grid", "fancy_grid", "simple_grid", "rounded_grid"))
            headers = list(table.columns)
            if style in _PIPE_STYLES:
                rows = [[pipe_cell(c) for c in row] for row in rows]
                headers = [pipe_cell(c) for c in headers]
            elif style == "mediawiki":
                rows = [[mediawiki_cell(c) for c in row] for row in rows]
                headers = [mediawiki_cell(c) for c in headers]
            body = _tabulate.tabulate(
                rows,
                headers=headers,
                tablefmt=style,
                disable_numparse=True,
            )
            text = pipe_cell if style in _PIPE_STYLES else mediawiki_cell if style == "mediawiki" else inert
            block = body
            if len(tables) > 1 or style in ("plain", "simple"):
                block = f"{text(table.title)}\n\n{body}" if len(tables) > 1 else body
            notes = "".join(f"\n{text(n)}" for n in table.notes)
            parts.append(block + ("\n" + notes if notes else ""))
        return "\n\n".join(parts) + "\n"

    return render_style


# Styles that pass cell text through unescaped are left out: a provision's words must never become markup.
_UNSAFE_STYLES = {"unsafehtml", "latex_raw"}
# LaTeX styles are written below, not by tabulate: its escaping leaves titles, notes and a leading "["
# (read by the previous row's "\\" as a spacing argument) to chance.
_LATEX_STYLES = ("latex", "latex_booktabs", "latex_longtable")
for _style in _tabulate.tabulate_formats:
    if _style not in _UNSAFE_STYLES and _style not in _LATEX_STYLES:
        register(_style)(_tabulate_renderer(_style))


_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_LATEX_SPECIAL = re.compile("[" + re.escape("".join(_LATEX_ESCAPES)) + "]")


def latex_text(text: str) -> str:
    r"""Escape text for LaTeX so that no character of it can start a command, a group, math or a comment.

    Line breaks become spaces; a leading ``[`` or ``*`` is braced, so the ``\\`` ending the previous
    table row cannot read it as an argument.

    >>> latex_text(r"\input{x} 100% [1]")
    '\\textbackslash{}input\\{x\\} 100\\% [1]'
    >>> latex_text("[2pt]")
    '{[}2pt]'
    """
    escaped = _LATEX_SPECIAL.sub(lambda m: _LATEX_ESCAPES[m.group()], " ".join(inert(text).split()))
    if escaped[:1] in ("[", "*"):
        escaped = "{" + escaped[0] + "}" + escaped[1:]
    return escaped


def _latex_renderer(style: str) -> Renderer:
    begin, end = ("longtable", "longtable") if style == "latex_longtable" else ("tabular", "tabular")
    top, mid, bottom = (r"\toprule", r"\midrule", r"\bottomrule") if style == "latex_booktabs" else (r"\hline",) * 3

    def render_latex(tables: Sequence[Table]) -> str:
        parts = []
        for table in tables:
            header = [latex_text(c) for c in table.columns]
            body = [[latex_text(cell_text(c)) for c in row] for row in table.rows]
            widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]

            def line(cells: list[str], widths: list[int] = widths) -> str:
                return " " + " & ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + r" \\"

            lines = [f"\\begin{{{begin}}}{{{'l' * len(header)}}}", top, line(header), mid]
            if style == "latex_longtable":
                lines.append(r"\endhead")
            lines += [line(r) for r in body]
            lines += [bottom, f"\\end{{{end}}}"]
            block = "\n".join(lines)
            if len(tables) > 1:
                block = f"{latex_text(table.title)}\n\n{block}"
            notes = "".join(f"\n{latex_text(n)}" for n in table.notes)
            parts.append(block + ("\n" + notes if notes else ""))
        return "\n\n".join(parts) + "\n"

    return render_latex


for _style in _LATEX_STYLES:
    register(_style)(_latex_renderer(_style))


_MD_BREAKERS = re.compile(r"([|\\`*_\[\]<>])")


def markdown_cell(text: str) -> str:
    r"""Escape a cell for a Markdown (GFM) table: pipes, emphasis, HTML and line breaks cannot break it.

    >>> markdown_cell("a|b <script>")
    'a\\|b \\<script\\>'
    """
    return _MD_BREAKERS.sub(r"\\\1", " ".join(inert(text).split()))


_PIPE_BREAKERS = re.compile(r"([|\\<>])")


def pipe_cell(text: str) -> str:
    r"""Escape a cell of a ``github`` or ``pipe`` table: only what would split the row or open HTML
    (``|``, ``\``, ``<``, ``>``), so the text stays readable; the ``markdown`` format escapes all Markdown.

    >>> pipe_cell("a|b <i> [-x-]")
    'a\\|b \\<i\\> [-x-]'
    """
    return _PIPE_BREAKERS.sub(r"\\\1", inert(text))


_WIKI_MARKUP = re.compile(r"[|!\[\]{}'~*#:;=_-]")


def mediawiki_cell(text: str) -> str:
    """Escape a cell for a MediaWiki table: entities for ``&<>``, and ``<nowiki>`` around any wiki markup.

    >>> mediawiki_cell("a | b <script>")
    '<nowiki>a | b &lt;script&gt;</nowiki>'
    """
    escaped = inert(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<nowiki>{escaped}</nowiki>" if _WIKI_MARKUP.search(escaped) else escaped


@register("markdown")
def render_markdown(tables: Sequence[Table]) -> str:
    """GitHub-flavoured Markdown: a heading and a pipe table per table."""
    parts = []
    for table in tables:
        lines = [f"## {markdown_cell(table.title)}", ""]
        lines.append("| " + " | ".join(markdown_cell(c) for c in table.columns) + " |")
        lines.append("|" + "|".join("---" for _ in table.columns) + "|")
        for row in table.rows:
            lines.append("| " + " | ".join(markdown_cell(cell_text(c)) for c in row) + " |")
        lines += [f"\n{markdown_cell(n)}" for n in table.notes]
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula, by prefixing an apostrophe.

    >>> spreadsheet_safe("=HYPERLINK(1)")
    "'=HYPERLINK(1)"
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


@register("csv")
def render_csv(tables: Sequence[Table]) -> str:
    """CSV (RFC 4180, LF line ends); several tables are separated by a blank line and a title row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for i, table in enumerate(tables):
        if len(tables) > 1:
            if i:
                out.write("\n")
            writer.writerow([f"# {table.title}"])
        writer.writerow([spreadsheet_safe(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([spreadsheet_safe(inert(cell_text(c))) for c in row])
    return out.getvalue()


# JSON already escapes C0 controls; DEL, C1 controls and bidirectional controls are escaped too (the same
# data once parsed), so JSON shown in a terminal or an editor cannot be driven or reordered by a provision.
_JSON_UNSAFE = {
    c: f"\\u{c:04x}" for c in (*range(0x7F, 0xA0), 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
}


def to_json(value: Any) -> str:
    """Deterministic JSON: sorted keys where dicts are unordered, two-space indent, trailing newline."""
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False).translate(_JSON_UNSAFE) + "\n"


@register("json")
def render_json(tables: Sequence[Table]) -> str:
    """The documented JSON contract of each table (its ``data``), or its rows as objects."""
    payloads = [t.data if t.data is not None else t.records() for t in tables]
    return to_json(payloads[0] if len(payloads) == 1 else {t.name: p for t, p in zip(tables, payloads, strict=True)})
