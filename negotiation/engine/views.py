"""The engine's results as neutral tables: what ``diff``, ``matrix``, ``changes`` and ``balance`` show.

Each table's ``data`` is the result's JSON contract and, where rows are verdicts, ``categories``
gives each row's category so that exporters can colour it.

>>> issue_label("missiles.intermediate-range")
'· missiles.intermediate-range'
"""

from __future__ import annotations

import json
from typing import Any

from negotiation.engine.balance import Balance
from negotiation.engine.decision import SILENT, severity
from negotiation.engine.model import (
    CATEGORIES,
    Changes,
    Comparison,
    DiffItem,
    Evidence,
    Matrix,
    PositionInfo,
    ProvisionChange,
)
from negotiation.tables import Cell, Table, make_table
from negotiation.words import counted

#: Marks one level of the issue tree; white space would be stripped by the table renderers.
INDENT = "· "


def issue_label(code: str) -> str:
    """An issue code indented by its depth in the tree."""
    return INDENT * code.count(".") + code


def position_heading(position: PositionInfo) -> str:
    """A position as a person reads it in a column heading: party, kind and date (the id is in the legend).

    >>> position_heading(PositionInfo("us-response", "usa", "non-paper", "US response", "2022-01-26"))
    'usa non-paper 2022-01-26'
    """
    return " ".join(part for part in (position.party, position.kind, position.date) if part)


def position_legend(positions: tuple[PositionInfo, ...]) -> list[str]:
    """One line per position shown under a heading: its heading and the id to type in commands."""
    return [f"{position_heading(p)}: {p.id}" for p in positions]


#: At most this many refs per side in a diff row; the JSON carries every piece of evidence.
MAX_REFS = 3


def _side(stance: str, evidence: tuple[Evidence, ...]) -> str:
    """The side's stance and the refs of the provisions that carry it (those counting as that stance)."""
    if stance == SILENT:
        return SILENT
    refs = list(dict.fromkeys(e.ref for e in evidence if e.counts_as == stance))
    shown = ", ".join(refs[:MAX_REFS])
    if len(refs) > MAX_REFS:
        shown += f" (+{len(refs) - MAX_REFS} more)"
    return f"{stance}: {shown}" if shown else stance


def _summary_note(counts: dict[str, int]) -> str:
    parts = ", ".join(f"{counts[c]} {c}" for c in CATEGORIES)
    return f"{counted(sum(counts.values()), 'issue')}: {parts}"


def diff_table(comparison: Comparison) -> Table:
    """One row per issue: issue, category, status, each side's stance with the refs of the provisions
    that carry it (at most :data:`MAX_REFS`), and the rationale."""
    rows = [_diff_row(item) for item in comparison.items]
    notes = [_summary_note(comparison.summary), *(f"warning: {w}" for w in comparison.warnings)]
    return make_table(
        "diff",
        f"{comparison.left.id} × {comparison.right.id}",
        ("issue", "category", "status", comparison.left.id, comparison.right.id, "rationale"),
        rows,
        data=comparison.to_dict(),
        notes=notes,
        categories=[item.category for item in comparison.items],
        headings=(
            "issue",
            "category",
            "status",
            *map(position_heading, (comparison.left, comparison.right)),
            "rationale",
        ),
        legend=position_legend((comparison.left, comparison.right)),
        empty=f"{comparison.left.id} × {comparison.right.id}: no issue to show",
    )


def _diff_row(item: DiffItem) -> tuple[Cell, ...]:
    return (
        issue_label(item.issue),
        item.category,
        item.status,
        _side(item.left_stance, item.left),
        _side(item.right_stance, item.right),
        item.rationale,
    )


def matrix_table(matrix: Matrix) -> Table:
    """Issues × positions: ``category (status)`` where a position answers others, else its stance."""
    rows = []
    categories: list[str | None] = []
    for row in matrix.rows:
        cells: list[Cell] = [issue_label(row.issue)]
        for cell in row.cells:
            if cell.category is not None:
                cells.append(f"{cell.category} ({cell.status})")
            else:
                cells.append("" if cell.stance == SILENT else cell.stance)
        rows.append(tuple(cells))
        found = [c.category for c in row.cells if c.category is not None]
        categories.append(min(found, key=severity) if found else None)
    return make_table(
        "matrix",
        f"Matrix of {matrix.dossier}",
        ("issue", *(p.id for p in matrix.positions)),
        rows,
        data=matrix.to_dict(),
        notes=[
            "A position that answers others shows category (status) against what it answers; "
            "an opening position shows its own stance."
        ],
        categories=categories,
        headings=("issue", *map(position_heading, matrix.positions)),
        legend=position_legend(matrix.positions),
        empty=f"Matrix of {matrix.dossier}: no issue to show",
    )


def _value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _detail(change: ProvisionChange) -> str:
    parts = []
    for f in change.fields:
        if f.path in ("id", "ref"):
            continue
        if f.path == "stance":
            moved = f" ({change.stance_movement})" if change.stance_movement else ""
            parts.append(f"stance {f.old} → {f.new}{moved}")
        elif f.path == "text":
            parts.append(f"text: {change.redline}")
        else:
            parts.append(f"{f.path}: {_value(f.old)} → {_value(f.new)}")
    if change.moved:
        parts.append(f"place {change.old_index + 1} → {change.new_index + 1}")
    if change.matched_by != "id":
        parts.append(f"matched by {change.matched_by}")
    return "; ".join(parts)


def _arrow(old: str, new: str) -> str:
    return new if old == new else f"{old} → {new}"


def changes_table(changes: Changes) -> Table:
    """One row per provision added, removed, changed, renumbered or moved, in the new version's order
    (removed ones last, in the old order); ``detail`` holds the redline and the stance movement."""
    ordered: list[tuple[int, tuple[Cell, ...]]] = []
    for p in changes.added_provisions:
        ordered.append((p.index, ("added", p.id, p.ref, f"{p.stance} on {', '.join(p.issues)}")))
    for c in (*changes.changed, *changes.moved):
        if not c.fields:
            kind = "moved"
        else:
            kind = "renumbered" if c.renumbered else "changed"
            kind += ", moved" if c.moved else ""
        ordered.append((c.new_index, (kind, _arrow(c.old_id, c.new_id), _arrow(c.old_ref, c.ref), _detail(c))))
    rows = [row for _, row in sorted(ordered, key=lambda t: t[0])]
    rows += [("removed", p.id, p.ref, f"{p.stance} on {', '.join(p.issues)}") for p in changes.removed_provisions]
    counts = changes.to_dict()["summary"]
    note = "no changes" if changes.empty else ", ".join(f"{n} {k}" for k, n in counts.items())
    title = (
        f"{changes.old.id} ({changes.old.date}) → {changes.new.id} ({changes.new.date})"
        if changes.old.id == changes.new.id
        else f"{changes.old.id} → {changes.new.id}"
    )
    return make_table(
        "changes",
        title,
        ("kind", "id", "ref", "detail"),
        rows,
        data=changes.to_dict(),
        notes=[note],
        empty=f"{title}: no changes",
    )


def balance_table(result: Balance) -> Table:
    """One row per party: commitments binding it, how many are reciprocal or one-sided, and benefiting it."""
    rows = [(p.party, p.name, p.binding, p.reciprocal, p.one_sided, p.benefiting) for p in result.parties]
    return make_table(
        "balance",
        f"Balance of {result.position.id}",
        ("party", "name", "binding", "reciprocal", "one-sided", "benefiting"),
        rows,
        data=result.to_dict(),
        notes=[f"{counted(result.commitments, 'commitment')}, {result.reciprocal} reciprocal"],
    )
