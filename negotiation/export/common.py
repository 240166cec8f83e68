"""What the file exporters share: category detection, fixed metadata, reproducible zip containers.

Nothing here imports an office library; each renderer imports its own when it runs.

>>> cell_category("rejection (rejected)")
'rejection'
>>> cell_category("open-ended talks") is None
True
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from types import ModuleType

from negotiation.errors import DependencyError
from negotiation.tables import Table

#: The three categories, in the order every legend shows them (the same as negotiation.engine.model).
CATEGORY_NAMES: tuple[str, ...] = ("overlap", "rejection", "open")

#: Metadata date of every office file, so two exports of the same tables are the same bytes.
FIXED_DATE = dt.datetime(2000, 1, 1, 0, 0, 0)
#: Author and last editor recorded in office files.
CREATOR = "negotiation"
# The earliest date a zip entry can carry; used for every entry so the container is reproducible.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_FIRST_WORD = re.compile(r"[a-z]+(?![a-z-])")


def cell_category(text: str) -> str | None:
    """The category a cell's text opens with (``overlap``, ``rejection``, ``open``), or None."""
    match = _FIRST_WORD.match(text.strip().lower())
    return match.group() if match and match.group() in CATEGORY_NAMES else None


def cell_tentative(text: str) -> bool:
    """True when a cell's text carries the marker of a tentative verdict (``rejected ~one``).

    >>> cell_tentative("rejection (rejected ~several)"), cell_tentative("open (negotiable)")
    (True, False)
    """
    from negotiation.engine.attestation import MARKERS

    return any(f" {marker}" in text for marker in MARKERS.values() if marker)


def row_categories(categories: tuple[str | None, ...], count: int) -> list[str | None]:
    """A table's per-row categories padded to ``count`` rows (tables may carry none)."""
    out: list[str | None] = [c if c in CATEGORY_NAMES else None for c in categories[:count]]
    return out + [None] * (count - len(out))


def cell_categories(table: Table) -> list[list[str | None]]:
    """The category each cell is coloured with, row by row.

    A cell whose text opens with a category (``rejection (rejected)`` in a matrix) has that one. In a
    table with a ``category`` column (a diff), the category belongs to the row and colours all its
    cells; elsewhere (a matrix row holds several verdicts) a row's category colours nothing else.
    """
    by_row = "category" in table.columns
    out = []
    for row, category in zip(table.rows, row_categories(table.categories, len(table.rows)), strict=True):
        own = [cell_category(v) if isinstance(v, str) else None for v in row]
        out.append([c or (category if by_row else None) for c in own])
    return out


def office_module(name: str, fmt: str) -> ModuleType:
    """Import the office library ``name`` for format ``fmt``, or say which extra to install."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        raise DependencyError(f"format '{fmt}' needs the office extra: pip install 'negotiation[office]'") from None


def reproducible_zip(data: bytes) -> bytes:
    """Rewrite a zip container with fixed entry dates and attributes, keeping entry order and content.

    Office files are zip archives whose entries carry the time they were written; fixing it makes two
    exports of the same tables the same bytes.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename), compresslevel=6)
    return out.getvalue()
