"""Splitting a document's paragraphs into provisions by its own structure.

Recognised: preamble clauses (every paragraph before the first article that ends like a clause),
"Article N" / "Art. N" / "§ N" headings (with the article's text on the same line or after it),
numbered paragraphs ("1.", "1)") and unnumbered paragraphs of an article (¶1, ¶2 ...), and lettered or
roman sub-points ("(a)", "a)", "i)") kept with the paragraph they belong to. A paragraph that does
not end like a sentence or clause before the first article is a title line, not a provision.

>>> from negotiation.importing.paragraphs import paragraphs_of_text
>>> doc = "DRAFT\\n\\nThe Parties,\\n\\nArticle 1\\n\\nThey shall meet.\\n\\nArticle 2. They shall talk."
>>> [(d.id, d.text) for d in split_provisions(paragraphs_of_text(doc)).drafts]
[('pre-1', 'The Parties,'), ('art-1', 'They shall meet.'), ('art-2', 'They shall talk.')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from negotiation.importing.paragraphs import Block

_ARTICLE = re.compile(r"^(?:article|art\.|§)\s*(\d+|[ivxlc]+)\b[.:]?\s*(.*)$", re.I)
_NUMBERED = re.compile(r"^(\d+)[.)]\s+\S")
_SUBPOINT = re.compile(r"^\(?(?:[a-z]|[ivx]+)\)\s+\S")
#: A placeholder of the project's source texts for words that were not recovered; it holds a
#: paragraph's place (so the next one keeps its number) but is not a provision.
_GAP = "[[GAP"
_CLAUSE_END = tuple('.,;:!?"”’)')
_PARTIAL = "\0"  # marks, inside the splitter only, a paragraph recovered after a gap


@dataclass(frozen=True)
class Draft:
    """A provision as split from a document: id, reference, verbatim text and its locators."""

    id: str
    ref: str
    text: str
    locators: tuple[str, ...]
    partial: bool = False  # the words follow a [[GAP ...]] note: the start of the provision is lost


@dataclass
class Split:
    """The drafts of a document, and whether any structure was recognised at all."""

    drafts: list[Draft] = field(default_factory=list)
    structured: bool = True


def _article_number(token: str) -> str:
    if token.isdigit():
        return token
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    for a, b in zip(token.lower(), [*token.lower()[1:], ""], strict=True):
        total += -values[a] if b and values[b] > values[a] else values[a]
    return str(total)


def _title_line(text: str) -> bool:
    """A title or label line before the text proper ("DRAFT TREATY", "Unofficial translation")."""
    return text.isupper() or (len(text.split()) <= 4 and not text.endswith(_CLAUSE_END))


def split_provisions(blocks: list[Block]) -> Split:
    """The provisions of ``blocks``; with no recognisable structure, one provision per paragraph."""
    preamble: list[Block] = []
    # Per article: its paragraphs as [text, locators], or None for a gap holding a paragraph's place.
    articles: list[tuple[str, list[tuple[str, list[str]] | None]]] = []
    for block in blocks:
        heading = _ARTICLE.match(block.text)
        if heading:
            rest = heading.group(2).strip()
            articles.append((_article_number(heading.group(1)), [(rest, [block.locator])] if rest else []))
        elif articles:
            paragraphs = articles[-1][1]
            last = paragraphs[-1] if paragraphs else None
            if block.text.startswith(_GAP):
                # Words after the note's closing brackets are the recovered rest of the paragraph.
                rest = block.text.partition("]]")[2].strip()
                paragraphs.append((_PARTIAL + rest, [block.locator]) if rest else None)
            elif _SUBPOINT.match(block.text) and last is not None:
                paragraphs[-1] = (f"{last[0]} {block.text}", [*last[1], block.locator])
            else:
                paragraphs.append((block.text, [block.locator]))
        elif not block.text.startswith(_GAP) and not _title_line(block.text):
            preamble.append(block)
    if not articles:
        return Split([Draft(f"par-{i}", f"¶{i}", b.text, (b.locator,)) for i, b in enumerate(blocks, 1)], False)
    drafts = [Draft(f"pre-{i}", f"Preamble, clause {i}", b.text, (b.locator,)) for i, b in enumerate(preamble, 1)]
    for number, paragraphs in articles:
        drafts += _article(number, paragraphs)
    return Split(drafts)


def _article(number: str, paragraphs: list[tuple[str, list[str]] | None]) -> list[Draft]:
    if len(paragraphs) == 1 and paragraphs[0] is not None:
        text, where = paragraphs[0]
        return [
            Draft(f"art-{number}", f"Art. {number}", text.lstrip(_PARTIAL), tuple(where), text.startswith(_PARTIAL))
        ]
    drafts = []
    for k, item in enumerate(paragraphs, 1):
        if item is None:
            continue
        text, where = item
        numbered = _NUMBERED.match(text)
        p = numbered.group(1) if numbered else str(k)
        partial = text.startswith(_PARTIAL)
        text = text.lstrip(_PARTIAL)
        drafts.append(Draft(f"art-{number}-p{p}", f"Art. {number} ¶{p}", text, tuple(where), partial))
    return drafts
