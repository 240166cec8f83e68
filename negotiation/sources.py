"""The bundled source texts: their text section, the passages in it, and how texts are compared.

A source file (``sources/*.md`` of a dossier) has a header, then a section headed ``## Text…``
holding what was recovered of the document. :func:`passages` cuts that section into the units a
coder must cover:

- **paragraph** — a run of non-blank lines of the text section, once every editorial block
  ``[[…]]`` (``[[GAP …]]``, ``[[MISSING …]]``, ``[[FRAGMENTS …]]``, which may span lines) is taken
  out, that is not a heading and is not a list;
- **gap-quote** — every double-quoted string ("…" straight, or “…” curly) inside an editorial block;
- **fragment** — on a list line (``- …``, ``* …``, ``1. …``) of the text section, every double-quoted
  string that is outside parentheses and before the line's first `` — `` (the parenthesised remarks
  and the dash commentary are the compiler's notes on the witnesses, not fragments).

A heading is a one-line paragraph that starts with ``#``, or that does not end in punctuation and
either has at most eight words or is written in capitals ("Article 4", "Draft", the title block).
The text section runs from its heading (any heading starting with ``## Text``) to the next line that
is ``---`` or starts with ``## Reported content``.

>>> text = '''# Doc
... ## Text
...
... Article 1
...
... The Parties shall talk.
...
... [[GAP — TASS: "The parties also vow" …]] not to fight.
... ---
... '''
>>> [(p.kind, p.text) for p in passages(text)]
[('paragraph', 'The Parties shall talk.'), ('gap-quote', 'The parties also vow'), ('paragraph', 'not to fight.')]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

PassageKind = Literal["paragraph", "gap-quote", "fragment"]

_TEXT_HEADING = "## Text"
_SECTION_END = "## Reported content"
_BLOCK = re.compile(r"\[\[.*?\]\]", re.DOTALL)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_TERMINAL = tuple(".,;:!?…\"”’')]")
_HEADING_MAX_WORDS = 8
_DASH = " — "
_ELLIPSES = ("…", "...", "[…]", "[...]")


def normalise(text: str) -> str:
    """Collapse every run of whitespace (line breaks included) to one space, and strip the ends.

    >>> normalise("  a\\n\\n b ")
    'a b'
    """
    return " ".join(text.split())


def match_key(text: str) -> str:
    """The form in which texts and passages are compared: normalised, without leading/trailing "…".

    >>> match_key("… not to deploy …")
    'not to deploy'
    """
    key = normalise(text)
    changed = True
    while changed:
        changed = False
        for mark in _ELLIPSES:
            if key.startswith(mark):
                key, changed = key[len(mark) :].lstrip(), True
            if key.endswith(mark):
                key, changed = key[: -len(mark)].rstrip(), True
    return key


@dataclass(frozen=True)
class Passage:
    """One recovered passage of a source file's text section.

    ``text`` is the passage with whitespace normalised; ``line`` the 1-based line where it starts.
    """

    kind: PassageKind
    text: str
    line: int

    def to_dict(self) -> dict[str, str | int]:
        """JSON-ready form."""
        return {"line": self.line, "kind": self.kind, "text": self.text}


def text_section(source: str) -> tuple[int, str] | None:
    """The text section of a source file as (first line number, text), or None if it has none.

    The heading line itself is not part of the section.
    """
    lines = source.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(_TEXT_HEADING)), None)
    if start is None:
        return None
    end = len(lines)
    for i in range(start + 1, len(lines)):
        if lines[i].strip() == "---" or lines[i].startswith(_SECTION_END):
            end = i
            break
    return start + 2, "\n".join(lines[start + 1 : end])


def is_heading(paragraph: str) -> bool:
    """True for a heading-like paragraph: "Article 4", "Draft", a title in capitals, a ``#`` line.

    >>> is_heading("Article 4"), is_heading("The Parties shall talk."), is_heading("security int")
    (True, False, True)
    """
    if "\n" in paragraph.strip():
        return False
    text = paragraph.strip()
    if text.startswith("#"):
        return True
    if not text or text.endswith(_TERMINAL):
        return False
    return len(text.split()) <= _HEADING_MAX_WORDS or text.upper() == text


def quotes(text: str, *, fragment_line: bool = False) -> list[tuple[int, str]]:
    """The double-quoted strings of ``text`` as (offset, content), outermost quotes only.

    With ``fragment_line``, only quotes outside parentheses count and scanning stops at the first
    `` — `` outside quotes and parentheses (the rule for list lines).

    >>> quotes('a "b" (c "d") — "e"', fragment_line=True)
    [(3, 'b')]
    >>> [q for _, q in quotes('x "b" (c “d”) — "e"')]
    ['b', 'd', 'e']
    """
    found: list[tuple[int, str]] = []
    depth = 0
    closer: str | None = None
    opened_at = 0
    counts = True
    i = 0
    while i < len(text):
        char = text[i]
        if closer is not None:
            if char == closer:
                if counts:
                    found.append((opened_at, text[opened_at:i]))
                closer = None
        elif char in ('"', "“"):
            closer = '"' if char == '"' else "”"
            opened_at = i + 1
            counts = not fragment_line or depth == 0
        elif char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif fragment_line and depth == 0 and text.startswith(_DASH, i):
            break
        i += 1
    return found


def passages(source: str) -> list[Passage]:
    """Every passage of the text section of ``source`` (the text of a bundled source file).

    Paragraphs, quotes inside editorial blocks and fragments on list lines, in file order; a passage
    whose text repeats an earlier one is listed once. See the module docstring for the rules.
    """
    section = text_section(source)
    if section is None:
        return []
    first_line, body = section
    found: list[Passage] = []

    def line_of(offset: int) -> int:
        return first_line + body.count("\n", 0, offset)

    # Editorial blocks: their quotes are passages; their text is blanked (newlines kept, so that line
    # numbers hold and a block on lines of its own separates the paragraphs around it).
    blanked = list(body)
    for block in _BLOCK.finditer(body):
        for offset, quote in quotes(block.group()):
            found.append(Passage("gap-quote", normalise(quote), line_of(block.start() + offset)))
        for j in range(block.start(), block.end()):
            if blanked[j] != "\n":
                blanked[j] = " "
    rest = "".join(blanked)

    offset = 0
    run: list[tuple[int, str]] = []
    for raw in rest.split("\n"):
        if raw.strip():
            run.append((offset, raw))
        else:
            found += _run_passages(run, line_of)
            run = []
        offset += len(raw) + 1
    found += _run_passages(run, line_of)

    unique: dict[str, Passage] = {}
    for passage in sorted(found, key=lambda p: p.line):
        if match_key(passage.text) and passage.text not in unique:
            unique[passage.text] = passage
    return list(unique.values())


def _run_passages(run: list[tuple[int, str]], line_of: Callable[[int], int]) -> list[Passage]:
    first_item = next((i for i, (_, line) in enumerate(run) if _LIST_ITEM.match(line)), len(run))
    out: list[Passage] = []
    if first_item:  # lines before any list item form a paragraph
        paragraph = "\n".join(line for _, line in run[:first_item])
        if not is_heading(paragraph):
            out.append(Passage("paragraph", normalise(paragraph), line_of(run[0][0])))
    items: list[tuple[int, str]] = []
    for offset, line in run[first_item:]:
        if _LIST_ITEM.match(line):
            items.append((offset, line))
        else:  # a continuation of the item above it
            start, text = items[-1]
            items[-1] = (start, f"{text}\n{line}")
    for start, item in items:
        for offset, quote in quotes(item, fragment_line=True):
            out.append(Passage("fragment", normalise(quote), line_of(start + offset)))
    return out
