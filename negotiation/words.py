"""Words for counts, so that every message and note reads as English whatever the number.

>>> counted(1, "different package")
'1 different package'
>>> counted(3, "match", "matches")
'3 matches'
"""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun, singular for one and plural (``noun + "s"`` unless given) otherwise."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
