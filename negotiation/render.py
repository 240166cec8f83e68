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
import inspect
import io
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import tabulate as _tabulate

from negotiation.errors import UsageError
from negotiation.fitting import fit_columns, wrap_paragraph
from negotiation.registry import Entry, resolve
from negotiation.tables import Cell, Table

Renderer = Callable[[Sequence[Table]], "str | bytes"]
# The formats written in this module, filled below as each renderer is defined.
_BUILTIN: dict[str, Renderer] = {}
#: The file formats of ``negotiation.export``: named here, imported the first time one is rendered,
#: so the renderers (and openpyxl, python-docx, sqlite3 and the engine behind them) cost the CLI's
#: start nothing and rendering never imports the floor above it.
EXPORT_FORMATS: dict[str, Entry] = {
    "html": Entry("negotiation.export.html:render_html"),
    "xlsx": Entry("negotiation.export.xlsx:render_xlsx", extra="office"),
    "docx": Entry("negotiation.export.docx:render_docx", extra="office"),
    "sqlite": Entry("negotiation.export.sqlite:render_sqlite"),
    # Needs Chromium, not a Python library: pdf.print_html says what to install where it is missing.
    "pdf": Entry("negotiation.export.pdf:render_pdf"),
}
#: Formats that produce bytes and so need --output.
BINARY_FORMATS: frozenset[str] = frozenset({"xlsx", "docx", "sqlite", "pdf"})

# C0/C1 controls (but tab/newline), DEL, bidirectional marks/overrides/isolates: shown, never obeyed.
# Lone surrogates (from undecodable file names) cannot be written as UTF-8, and U+FFFE and U+FFFF
# cannot be held by XML (DOCX, XLSX, HTML), so they are shown too.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def _builtin(name: str) -> Callable[[Renderer], Renderer]:
    def add(func: Renderer) -> Renderer:
        _BUILTIN[name] = func
        return func

    return add


def formats() -> list[str]:
    """Every format name, sorted."""
    return sorted([*_BUILTIN, *EXPORT_FORMATS])


def renderer(fmt: str) -> Renderer:
    """The renderer of format ``fmt`` (an export format's module is imported here, on first use)."""
    if fmt in _BUILTIN:
        return _BUILTIN[fmt]
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(formats())}")
    found: Renderer = resolve("format", fmt, EXPORT_FORMATS[fmt])
    return found


def render(tables: Sequence[Table], fmt: str, *, width: int | None = None) -> str | bytes:
    """Render ``tables`` in format ``fmt``; a terminal style (:data:`TERMINAL_STYLES`) fits each table,
    its title and notes into ``width`` characters when it is given. Other formats are data and ignore it."""
    found = renderer(fmt)
    if width is not None and fmt in TERMINAL_STYLES:
        return _tabulate_renderer(fmt, width=width)(tables)
    return found(tables)


def inert(text: str) -> str:
    r"""Make text safe for a terminal or a plain-text file: control and bidi characters become escapes.

    >>> inert("ok\x1b[31m")
    'ok\\x1b[31m'
    """
    return _UNSAFE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def inert_line(text: str) -> str:
    r"""Like :func:`inert`, and keep the text on one line: tabs and line breaks become escapes too.

    Used for messages, where one problem must be exactly one line.

    >>> inert_line("a\nb\tc\x1b")
    'a\\nb\\tc\\x1b'
    """
    return inert(text).replace("\t", "\\t").replace("\n", "\\n")


def cell_text(value: Cell) -> str:
    """A cell as text, the same way in every text format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _one_line(text: str) -> str:
    # Runs of whitespace collapse to one space, but leading indentation is kept: it draws the issue tree.
    indent = len(text) - len(text.lstrip(" "))
    return " " * indent + " ".join(text.split())


def _clean_rows(table: Table, *, one_line: bool) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells = [inert(cell_text(c)) for c in row]
        if one_line:
            cells = [_one_line(c) for c in cells]
        rows.append(cells)
    return rows


# tabulate 0.10 takes preserve_whitespace per call; 0.9 only has a module-wide switch.
_PER_CALL_WHITESPACE = "preserve_whitespace" in inspect.signature(_tabulate.tabulate).parameters


def _tabulate_keeping_indent(rows: list[list[str]], headers: list[str], style: str) -> str:
    # Leading spaces are kept (they draw the issue tree); trailing ones never matter.
    rows = [[cell.rstrip() for cell in row] for row in rows]
    if _PER_CALL_WHITESPACE:
        return _tabulate.tabulate(
            rows, headers=headers, tablefmt=style, disable_numparse=True, preserve_whitespace=True
        )
    # Set the switch for this call only: importing negotiation must not change another library.
    saved = _tabulate.PRESERVE_WHITESPACE
    _tabulate.PRESERVE_WHITESPACE = True
    try:
        return _tabulate.tabulate(rows, headers=headers, tablefmt=style, disable_numparse=True)
    finally:
        _tabulate.PRESERVE_WHITESPACE = saved


#: Plain-text table styles meant for a terminal: their cells may span lines, so they can fit a width.
TERMINAL_STYLES = frozenset(
    {"plain", "simple", "presto", "pretty", "psql", "grid", "outline"}
    | {
        f"{kind}_{shape}"
        for kind in ("simple", "rounded", "heavy", "mixed", "double", "fancy")
        for shape in ("grid", "outline")
    }
)


def _rules(style: str, count: int) -> tuple[int, int]:
    """What a ``style`` table of ``count`` columns adds to its cells' widths: the characters of its rules
    and separators, and the padding it gives a column whose heading is its widest line."""

    def width(cell: str) -> int:
        sample = _tabulate.tabulate([[cell] * count], headers=["x"] * count, tablefmt=style, disable_numparse=True)
        return max(len(line) for line in sample.splitlines())

    rules = width("x" * 8) - 8 * count
    return rules, (width("x") - rules) // count - 1


def _tabulate_renderer(style: str, *, width: int | None = None) -> Renderer:
    cell = _CELL_ESCAPES.get(style, _same)

    def fitted(line: str) -> str:
        return line if width is None else wrap_paragraph(line, width)

    def render_style(tables: Sequence[Table]) -> str:
        parts = []
        for table in tables:
            if not table.rows and style in TERMINAL_STYLES:
                # A person at a terminal reads one line saying so, not a header over nothing; warnings stay.
                said = [table.empty or f"{table.title}: nothing to show"]
                said += [n for n in table.notes if n.startswith("warning: ")]
                parts.append("\n".join(cell(_one_line(inert(line))) for line in said))
                continue
            rows = _clean_rows(table, one_line=style not in ("grid", "fancy_grid", "simple_grid", "rounded_grid"))
            # A terminal reads the headings meant for people; data formats keep the machine names.
            shown = table.headings if width is not None and table.headings else table.columns
            headers = [_one_line(inert(c)) for c in shown]
            abbreviations: list[str] = []
            if width is not None:
                rules, padding = _rules(style, len(headers))
                fitted_table = fit_columns(headers, rows, width=width, overhead=rules, heading_padding=padding)
                headers, rows, abbreviations = fitted_table.headers, fitted_table.rows, fitted_table.legend
            body = _tabulate_keeping_indent(
                # Numbers the tool computed hold no markup and no formula; only text is escaped.
                [
                    [cell(c) if isinstance(r, str) else c for c, r in zip(row, raw, strict=True)]
                    for row, raw in zip(rows, table.rows, strict=True)
                ],
                [cell(h) for h in headers],
                style,
            )
            # tsv is data for other programs: a title or a note there would read as more rows. A fitted
            # table is read by a person in a terminal: its title says what it shows.
            titled = (len(tables) > 1 or width is not None) and style != "tsv"
            block = f"{fitted(cell(_one_line(inert(table.title))))}\n\n{body}" if titled else body
            legend = (*table.legend, *abbreviations) if width is not None else ()
            notes = (
                ""
                if style == "tsv"
                else "".join(f"\n{fitted(cell(_one_line(inert(n))))}" for n in (*legend, *table.notes))
            )
            parts.append(block + ("\n" + notes if notes else ""))
        return "\n\n".join(parts) + "\n"

    return render_style


def _same(text: str) -> str:
    return text


_MD_BREAKERS = re.compile(r"([|\\`*_\[\]<>])")
_PIPE_BREAKERS = re.compile(r"([|\\<>])")
_RST_MARKUP = re.compile(r"([\\`*_|])")
# Characters that start markup in wiki syntaxes, as numeric entities (rendered as the character itself).
_WIKI_ENTITIES = str.maketrans({c: f"&#{ord(c)};" for c in "&<>|[]{}'!"})
_WIKI_MARKUP = re.compile(r"[|!\[\]{}'~*#:;=_-]")


def pipe_cell(text: str) -> str:
    r"""Escape a cell of a ``github`` or ``pipe`` table: only what would split the row or open HTML
    (``|``, ``\``, ``<``, ``>``), so the text stays readable; the ``markdown`` format escapes all Markdown.

    >>> pipe_cell("a|b <i> [-x-]")
    'a\\|b \\<i\\> [-x-]'
    """
    return _PIPE_BREAKERS.sub(r"\\\1", inert(text))


def mediawiki_cell(text: str) -> str:
    """Escape a cell for a MediaWiki table: entities for ``&<>``, and ``<nowiki>`` around any wiki markup.

    >>> mediawiki_cell("a | b <script>")
    '<nowiki>a | b &lt;script&gt;</nowiki>'
    """
    escaped = inert(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<nowiki>{escaped}</nowiki>" if _WIKI_MARKUP.search(escaped) else escaped


#: How each markup style escapes a cell so that it stays one cell of plain text (the latex styles
#: have their own writer below). Plain-text styles need only inert(), which every cell gets.
_CELL_ESCAPES: dict[str, Callable[[str], str]] = {
    "github": pipe_cell,
    "pipe": pipe_cell,
    "mediawiki": mediawiki_cell,
    "rst": lambda t: _RST_MARKUP.sub(r"\\\1", t),
    "moinmoin": lambda t: t.translate(_WIKI_ENTITIES),
    "textile": lambda t: t.translate(_WIKI_ENTITIES),
    "jira": lambda t: t.replace("\\", "\\\\").replace("|", "\\|"),
    "asciidoc": lambda t: t.replace("\\", "\\\\").replace("|", "\\|"),
    "youtrack": lambda t: t.replace("\\", "\\\\").replace("|", "\\|"),
    "orgtbl": lambda t: t.replace("|", "\\vert{}"),
    "tsv": lambda t: spreadsheet_safe(t),
}
# Styles that pass cell text through unescaped are left out: a provision's words must never become markup.
_UNSAFE_STYLES = {"unsafehtml", "latex_raw"}
# LaTeX styles are written below, not by tabulate: its escaping leaves titles, notes and a leading "["
# (read by the previous row's "\\" as a spacing argument) to chance.
_LATEX_STYLES = ("latex", "latex_booktabs", "latex_longtable")
# A format of negotiation.export keeps its name: "html" is the report page, not tabulate's bare table.
for _style in _tabulate.tabulate_formats:
    if _style not in _UNSAFE_STYLES and _style not in _LATEX_STYLES and _style not in EXPORT_FORMATS:
        _builtin(_style)(_tabulate_renderer(_style))


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
    _builtin(_style)(_latex_renderer(_style))


def markdown_cell(text: str) -> str:
    r"""Escape a cell for a Markdown (GFM) table: pipes, emphasis, HTML and line breaks cannot break it.

    >>> markdown_cell("a|b <script>")
    'a\\|b \\<script\\>'
    """
    return _MD_BREAKERS.sub(r"\\\1", " ".join(inert(text).split()))


# A link whose destination runs script or reads local files when a Markdown viewer follows it:
# inline "[x](javascript:...)", or a reference definition "[x]: javascript:...".
_UNSAFE_SCHEME = r"\s*<?\s*(?:javascript|vbscript|data|file)\s*:"
_UNSAFE_INLINE_LINK = re.compile(r"\]\((?=" + _UNSAFE_SCHEME + ")", re.IGNORECASE)
_UNSAFE_REFERENCE = re.compile(r"^(\s{0,3})\[(?=[^\]]*\]:" + _UNSAFE_SCHEME + ")", re.IGNORECASE | re.MULTILINE)


def markdown_prose(text: str) -> str:
    r"""Prose written into a Markdown document that people render: Markdown formatting stays, markup goes.

    HTML (``<script>``, ``<img onerror=...>``) is escaped so it shows as text; links to a script or local
    file scheme (``javascript:``, ``vbscript:``, ``data:``, ``file:``) are broken so they show as text;
    control and bidirectional characters become escapes (:func:`inert`).

    >>> markdown_prose("**Note** <script>x</script> [go](javascript:alert(1))")
    '**Note** &lt;script&gt;x&lt;/script&gt; [go]\\(javascript:alert(1))'
    """
    # Links first, while "<javascript:...>" still reads as written; then the markup characters.
    unlinked = _UNSAFE_REFERENCE.sub(r"\1\\[", _UNSAFE_INLINE_LINK.sub(r"]\\(", inert(text)))
    return unlinked.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@_builtin("markdown")
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


@_builtin("csv")
def render_csv(tables: Sequence[Table]) -> str:
    """CSV (RFC 4180, LF line ends); several tables are separated by a blank line and a title row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for i, table in enumerate(tables):
        if len(tables) > 1:
            if i:
                out.write("\n")
            writer.writerow([f"# {inert(table.title)}"])
        writer.writerow([spreadsheet_safe(inert(c)) for c in table.columns])
        for row in table.rows:
            # Numbers the tool computed are written as numbers; only text can smuggle a formula.
            writer.writerow(
                [spreadsheet_safe(inert(cell_text(c))) if isinstance(c, str) else cell_text(c) for c in row]
            )
    return out.getvalue()


# JSON already escapes C0 controls; DEL, C1 controls, bidirectional controls and lone surrogates are
# escaped too (the same data once parsed), so JSON shown in a terminal or an editor cannot be driven or
# reordered by a provision, and can always be written as UTF-8.
_JSON_UNSAFE = {
    c: f"\\u{c:04x}"
    for c in (
        *range(0x7F, 0xA0),
        0x061C,
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        *range(0xD800, 0xE000),
    )
}


def to_json(value: Any) -> str:
    r"""Deterministic JSON: keys in the order given, two-space indent, trailing newline; text stays
    readable (not ASCII-escaped) but characters that act on a terminal or reorder text are escaped.

    >>> to_json({"t": "a\u202eb"})
    '{\n  "t": "a\\u202eb"\n}\n'
    """
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False).translate(_JSON_UNSAFE) + "\n"


@_builtin("json")
def render_json(tables: Sequence[Table]) -> str:
    """The documented JSON contract of each table (its ``data``), or its rows as objects."""
    payloads = [t.data if t.data is not None else t.records() for t in tables]
    return to_json(payloads[0] if len(payloads) == 1 else {t.name: p for t, p in zip(tables, payloads, strict=True)})
