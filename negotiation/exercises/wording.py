"""How exercise reports write numbers and packages, and the note every report carries.

>>> fmt(24.000000000000004), signed(8), package_text({"a": "a2", "b": "b1"})
('24', '+8', 'a2 b1')
"""

from __future__ import annotations

from negotiation.exercises.loaded import Package

#: Stated under every brief and report: the schedules are teaching devices, not intelligence.
ASSUMPTION_NOTE = (
    "Points, weights, reservation values and red lines are the instructor's illustrative assumptions "
    "for this exercise, not claims about any real government's preferences."
)

#: Points are compared after rounding, so that 1.6 x 15 counts as 24.
PRECISION = 6


def fmt(value: float) -> str:
    """A number as the reports show it: integers without decimals, others to two places.

    >>> fmt(24.000000000000004), fmt(-3.5), fmt(0), fmt(1.6), fmt(2 / 3)
    ('24', '-3.5', '0', '1.6', '0.67')
    """
    rounded = round(value, PRECISION)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.2f}".rstrip("0")


def num(value: float | None) -> int | float | None:
    """A number for JSON: an int when it is whole, else rounded to :data:`PRECISION` places.

    >>> num(24.000000000000004), num(1.5), num(None)
    (24, 1.5, None)
    """
    if value is None:
        return None
    rounded = round(value, PRECISION)
    return int(rounded) if rounded == int(rounded) else rounded


def signed(value: float) -> str:
    """A margin with its sign: ``+8``, ``-3``, ``0``."""
    text = fmt(value)
    return text if text.startswith("-") or text == "0" else "+" + text


def package_text(package: Package) -> str:
    """A package on one line: ``a2 b2 c2 d2 e2``."""
    return " ".join(package.values())
