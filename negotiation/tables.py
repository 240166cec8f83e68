"""Neutral tables: what every command shows, before it is rendered into any format.

A :class:`Table` has a title, named columns and rows of plain values; ``data`` carries the full
structured result (the JSON contract) so that ``--format json`` is not limited to what fits a cell.

>>> t = Table(name="positions", title="Positions", columns=("id", "party"), rows=(("a", "rus"),))
>>> t.column_index("party")
1
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Cell = str | int | float | bool | None
#: A table's structured payload, ready for JSON: an object (a versioned contract) or a list of them.
Payload = Mapping[str, Any] | Sequence[Any]
#: What a table holds, for formats that treat a result specially (a diff's evidence in DOCX, its
#: rows in SQLite's ``results``); ``table`` is everything else.
TableKind = Literal["table", "diff"]


@dataclass(frozen=True)
class Table:
    """One table of output.

    ``name`` is a stable machine name (sheet and SQL table names); ``data`` is the JSON payload
    (when None, JSON output is the rows as objects keyed by column); ``kind`` says which result it is.
    """

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    data: Payload | None = None
    notes: tuple[str, ...] = ()
    #: Optional per-row category (overlap / rejection / open) used by formats that colour rows.
    categories: tuple[str | None, ...] = field(default=())
    kind: TableKind = "table"
    #: Column headings for a person at a terminal (e.g. a position's party, kind and date for its id);
    #: empty means the column names. Data formats always use the names.
    headings: tuple[str, ...] = ()
    #: Lines shown under a table fitted to a terminal, saying what its headings stand for.
    legend: tuple[str, ...] = ()
    #: The one line a terminal shows instead of a table without rows (default: the title and "nothing to
    #: show"); notes that start with "warning: " follow it.
    empty: str = ""

    def column_index(self, name: str) -> int:
        """The position of column ``name``."""
        return self.columns.index(name)

    def records(self) -> list[dict[str, Cell]]:
        """The rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def make_table(
    name: str,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    data: Payload | None = None,
    notes: Sequence[str] = (),
    categories: Sequence[str | None] = (),
    kind: TableKind = "table",
    headings: Sequence[str] = (),
    legend: Sequence[str] = (),
    empty: str = "",
) -> Table:
    """Build a :class:`Table`, freezing the rows."""
    return Table(
        name=name,
        title=title,
        columns=tuple(columns),
        rows=tuple(tuple(r) for r in rows),
        data=data,
        notes=tuple(notes),
        categories=tuple(categories),
        kind=kind,
        headings=tuple(headings),
        legend=tuple(legend),
        empty=empty,
    )
