"""Located paragraphs: the unit every document reader produces, and the error for an unusable file.

>>> [(b.text, b.locator) for b in paragraphs_of_text("Article 1\\n\\nThe Parties shall\\ncooperate.")]
[('Article 1', '¶1'), ('The Parties shall cooperate.', '¶2')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from negotiation.errors import DependencyError, InputError, Problem


@dataclass(frozen=True)
class Block:
    """One paragraph of a document and where it is: ``¶3`` or ``p. 2 ¶1`` (pages for PDF)."""

    text: str
    locator: str


def unusable(path: str, message: str) -> InputError:
    """The one-line error for a document that cannot be imported."""
    return InputError([Problem(path, 0, 0, "(file)", message, unreadable=True)])


def paragraphs_of_text(text: str, page: int | None = None) -> list[Block]:
    """Paragraphs (separated by blank lines) with their lines joined by single spaces."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        joined = " ".join(line.strip() for line in chunk.splitlines() if line.strip())
        if joined:
            where = f"¶{len(blocks) + 1}"
            blocks.append(Block(joined, where if page is None else f"p. {page} {where}"))
    return blocks


def need(module: str, what: str) -> None:
    """Raise DependencyError when the ``import`` extra's ``module`` is missing."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise DependencyError(f"reading {what} needs the 'import' extra: pip install 'negotiation[import]'")
