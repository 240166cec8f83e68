"""Fit text into a terminal's width: wrap table cells at word boundaries and paragraphs of prose.

A table too wide for the width loses width from its widest columns first, down to the longest
word of each column, so a verdict such as ``rejection (contested)`` is wrapped, never cut.

>>> fit_columns(["issue", "verdict"], [["principles", "rejection (contested)"]], width=24, overhead=2).rows
[['principles', 'rejection\\n(contested)']]
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

#: Words up to this long are never broken (every verdict word is shorter); longer ones may be, at
#: hyphens, dots, slashes and underscores.
SHORT_WORD = 12
#: When nothing else makes a table fit, words longer than this are broken too.
LAST_RESORT_WORD = 8
#: No column is kept wider than this for one word: longer pieces (URLs) are broken anywhere.
LONGEST_UNBROKEN_WORD = 24
# A word too long for its line breaks after one of these (issue codes, dates, paths), else anywhere.
_INNER_BREAKS = re.compile(r"(?<=[-./_])")
# The tree drawn in front of an issue code: it is repeated as blank space on the lines that follow.
_INDENT = re.compile(r"^(?:· | )*")


def _longest_word(text: str) -> int:
    # Short words, such as a verdict's, are kept whole; a longer one (an issue code, an option id, a
    # path) reads well broken at its hyphens, dots, slashes and underscores.
    return max(
        (len(w) if len(w) <= SHORT_WORD else max(map(len, _INNER_BREAKS.split(w))) for w in text.split()),
        default=0,
    )


def _text_width(text: str) -> int:
    return max((len(line) for line in text.split("\n")), default=0)


def _pieces(word: str, width: int) -> list[str]:
    """A word in pieces no wider than ``width``: whole if it fits, else at hyphens, dots and slashes."""
    if len(word) <= width:
        return [word]
    pieces: list[str] = []
    for part in _INNER_BREAKS.split(word):
        if pieces and len(pieces[-1]) + len(part) <= width:
            pieces[-1] += part
        else:
            pieces += [part[i : i + width] for i in range(0, len(part), width)] or [""]
    return pieces


def wrap(text: str, width: int) -> str:
    """``text`` wrapped to ``width``: at spaces, and inside a word only when the word alone is wider.
    The tree indentation in front of an issue code is repeated, as blank space, on every line.

    >>> wrap("open (new-item)", 12)
    'open\\n(new-item)'
    >>> print(wrap("· principles.indivisible-security", 20))
    · principles.
      indivisible-
      security
    """
    if "\n" in text:
        return "\n".join(wrap(line, width) for line in text.split("\n"))
    if len(text) <= width:
        return text
    lead = _INDENT.match(text)
    indent = lead.group() if lead else ""
    room = max(width - len(indent), 1)
    lines: list[str] = []
    line = ""
    for word in text[len(indent) :].split():
        for i, piece in enumerate(_pieces(word, room)):
            glue = "" if i or not line else " "
            if line and len(line) + len(glue) + len(piece) > room:
                lines.append(line)
                line = piece
            else:
                line += glue + piece
    lines.append(line)
    blank = " " * len(indent)
    return "\n".join((indent if i == 0 else blank) + line for i, line in enumerate(lines))


def column_widths(natural: list[int], minimal: list[int], room: int) -> list[int]:
    """Widths that fit in ``room`` characters: the widest column gives up a character at a time, never
    below its minimal width (the result is wider than ``room`` only if the minima are).

    >>> column_widths([10, 30, 4], [5, 8, 4], 30)
    [10, 16, 4]
    """
    widths = list(natural)
    while sum(widths) > room:
        shrinkable = [i for i, w in enumerate(widths) if w > minimal[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: (widths[i], -i))
        widths[widest] -= 1
    return widths


def abbreviate(heading: str, width: int) -> str:
    """A heading cut to ``width`` characters, a dot marking the cut (a legend says what it stands for).

    >>> abbreviate("concessions", 4)
    'con.'
    """
    return heading if len(heading) <= width else heading[: max(width - 1, 1)].rstrip() + "."


@dataclass(frozen=True)
class Fitted:
    """A table's headings and rows wrapped to fit, and a legend for the headings it had to abbreviate."""

    headers: list[str]
    rows: list[list[str]]
    legend: list[str]


def fit_columns(
    headers: list[str], rows: list[list[str]], *, width: int, overhead: int, heading_padding: int = 0
) -> Fitted:
    """Headers and rows wrapped so that the table, with ``overhead`` characters of rules and separators,
    fits in ``width`` characters; a heading takes ``heading_padding`` more than its text (as tabulate
    pads headings). Headings wider than their column's words are abbreviated, widest saving first,
    while the table cannot fit otherwise."""
    columns = range(len(headers))
    pad = heading_padding
    room = width - overhead
    natural = [max([_text_width(headers[i]) + pad, *(_text_width(r[i]) for r in rows)]) for i in columns]

    def minima(cap: int) -> list[int]:
        return [max([1, *(min(_longest_word(r[i]), cap) for r in rows)]) for i in columns]

    cells = minima(LONGEST_UNBROKEN_WORD)
    heading = [min(_longest_word(h) + pad, LONGEST_UNBROKEN_WORD) for h in headers]
    if sum(map(max, cells, heading)) > room:
        # Too narrow for whole long words: break them anywhere rather than overflow (short ones stay whole).
        cells = minima(SHORT_WORD)
    headers = list(headers)
    legend = []
    for i in sorted(columns, key=lambda i: (cells[i] - heading[i], i)):
        if sum(map(max, cells, heading)) <= room or heading[i] <= cells[i]:
            break
        short = abbreviate(headers[i], max(cells[i] - pad, 4))
        legend.append(f"{short} = {headers[i]}")
        headers[i] = short
        heading[i] = len(short) + pad
        natural[i] = max([len(short) + pad, *(_text_width(r[i]) for r in rows)])
    if sum(map(max, cells, heading)) > room:
        # Still too wide: the last resort breaks any word longer than a few characters.
        cells = minima(LAST_RESORT_WORD)
    minimal = [min(natural[i], max(cells[i], heading[i])) for i in columns]
    widths = column_widths(natural, minimal, room)
    return Fitted(
        [wrap(h, w - pad) for h, w in zip(headers, widths, strict=True)],
        [[wrap(c, w) for c, w in zip(row, widths, strict=True)] for row in rows],
        legend,
    )


def wrap_paragraph(text: str, width: int | None, *, indent: str = "") -> str:
    """A paragraph wrapped to ``width`` (unwrapped when None), every line starting with ``indent``.

    >>> print(wrap_paragraph("one two three", 9, indent="  "))
      one two
      three
    """
    if width is None:
        return indent + text
    lines = textwrap.wrap(
        text, width=max(width, len(indent) + 8), initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    )
    return "\n".join(lines) if lines else indent
