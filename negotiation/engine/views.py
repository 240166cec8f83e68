"""The engine's results as neutral tables: what ``diff``, ``matrix``, ``changes`` and ``balance`` show.

Each table's ``data`` is the result's JSON contract and, where rows are verdicts, ``categories``
gives each row's category so that exporters can colour it.

>>> issue_label("missiles.intermediate-range")
'· missiles.intermediate-range'
"""

from __future__ import annotations

import json
from typing import Any

from negotiation.engine.attestation import MARKERS, legend
from negotiation.engine.balance import Balance
from negotiation.engine.decision import SILENT, severity
from negotiation.engine.matrix import SensitiveCell
from negotiation.engine.model import (
    Changes,
    Comparison,
    DiffItem,
    Evidence,
    Matrix,
    PositionInfo,
    ProvisionChange,
    breakdown_text,
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
    parts = ", ".join(f"{n} {c}" for c, n in counts.items())
    return f"{counted(sum(counts.values()), 'issue')}: {parts}"


def mode_note(comparison: Comparison) -> str:
    """One line saying how the diff reads its two positions (its mode and direction)."""
    left, right = comparison.left.id, comparison.right.id
    if comparison.mode == "versions":
        earlier, later = (right, left) if comparison.respondent == "left" else (left, right)
        return (
            f"mode: versions — {left} and {right} are positions of the same party; "
            f"read as its movement from {earlier} to {later}"
        )
    if comparison.mode == "alignment":
        return f"mode: alignment — neither {left} nor {right} answers the other; read as where they take the same line"
    answering, answered = (left, right) if comparison.respondent == "left" else (right, left)
    return f"mode: answer — {answering} answers {answered}"


def set_aside_note(min_attestation: str | None, set_aside: tuple[str, ...]) -> list[str]:
    """The line saying how many provisions ``--min-attestation`` set aside (none without it)."""
    if min_attestation is None:
        return []
    per_position: dict[str, int] = {}
    for ref in set_aside:
        position = ref.partition("#")[0]
        per_position[position] = per_position.get(position, 0) + 1
    listed = f" ({', '.join(f'{p}: {n}' for p, n in per_position.items())})" if per_position else ""
    return [
        f"min-attestation {min_attestation}: {counted(len(set_aside), 'provision')} below it set aside{listed}; "
        "the JSON lists them"
    ]


def tentative_note(count: int) -> list[str]:
    """The line counting tentative verdicts, with the legend of their markers (none when there are none)."""
    return [f"{counted(count, 'verdict')} tentative; {legend()}"] if count else []


def verdict_status(status: str | None, breakdown: tuple[tuple[str, int], ...], attestation: str | None) -> str:
    """A status as tables show it: with how a parent's sub-issues divide and the tentative marker.

    >>> verdict_status("divided", (("overlap", 2), ("rejection", 1)), "one-source")
    'divided — sub-issues: 2 overlap, 1 rejection ~one'
    """
    text = status or ""
    if breakdown:
        text += " — sub-issues: " + breakdown_text(breakdown)
    marker = MARKERS.get(attestation, "") if attestation else ""  # type: ignore[call-overload]
    return f"{text} {marker}" if marker else text


def diff_table(comparison: Comparison) -> Table:
    """One row per issue: issue, category, status (with how a parent's sub-issues divide and the
    tentative marker), each side's stance with the refs of the provisions that carry it (at most
    :data:`MAX_REFS`), the attestation grade and the rationale."""
    rows = [_diff_row(item) for item in comparison.items]
    notes = [
        mode_note(comparison),
        _summary_note(comparison.summary),
        *set_aside_note(comparison.min_attestation, comparison.set_aside),
        *tentative_note(comparison.tentative_count),
        *(f"warning: {w}" for w in comparison.warnings),
    ]
    return make_table(
        "diff",
        f"{comparison.left.id} × {comparison.right.id} ({comparison.mode})",
        ("issue", "category", "status", comparison.left.id, comparison.right.id, "attestation", "rationale"),
        rows,
        data=comparison.to_dict(),
        notes=notes,
        categories=[item.category for item in comparison.items],
        kind="diff",
        headings=(
            "issue",
            "category",
            "status",
            *map(position_heading, (comparison.left, comparison.right)),
            "attestation",
            "rationale",
        ),
        legend=position_legend((comparison.left, comparison.right)),
        empty=f"{comparison.left.id} × {comparison.right.id}: no issue to show",
    )


def _diff_row(item: DiffItem) -> tuple[Cell, ...]:
    return (
        issue_label(item.issue),
        item.category,
        verdict_status(item.status, item.breakdown, item.attestation),
        _side(item.left_stance, item.left),
        _side(item.right_stance, item.right),
        item.attestation,
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
                cells.append(f"{cell.category} ({verdict_status(cell.status, cell.breakdown, cell.attestation)})")
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
            "an opening position shows its own stance.",
            *set_aside_note(matrix.min_attestation, matrix.set_aside),
            *tentative_note(sum(c.tentative for r in matrix.rows for c in r.cells)),
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


def _graded(ids: tuple[str, ...], grades: dict[str, str]) -> str:
    return ", ".join(f"{pid} ({grades.get(pid, '?')})" for pid in ids) or SILENT


def diff_explain_table(comparison: Comparison) -> Table:
    """``diff --explain``: per verdict, the rule, the deciding provisions of each side with their
    grades, and the verdict's grade."""
    rows = []
    for item in comparison.items:
        lgrades = {e.provision: e.grade for e in item.left}
        rgrades = {e.provision: e.grade for e in item.right}
        rows.append(
            (
                issue_label(item.issue),
                f"{item.category} ({verdict_status(item.status, item.breakdown, item.attestation)})",
                item.rule,
                _graded(item.left_deciding, lgrades),
                _graded(item.right_deciding, rgrades),
                item.attestation,
            )
        )
    return make_table(
        "explain",
        f"Why: {comparison.left.id} × {comparison.right.id} ({comparison.mode})",
        (
            "issue",
            "verdict",
            "rule",
            f"{comparison.left.id} deciding",
            f"{comparison.right.id} deciding",
            "attestation",
        ),
        rows,
        data=comparison.to_dict(),
        notes=[
            mode_note(comparison),
            "A verdict's grade is the weaker of the two sides' strongest deciding evidence.",
            *set_aside_note(comparison.min_attestation, comparison.set_aside),
            *tentative_note(comparison.tentative_count),
        ],
        categories=[item.category for item in comparison.items],
    )


def matrix_explain_table(matrix: Matrix) -> Table:
    """``matrix --explain``: per verdict cell, the rule, the deciding provisions (``position#provision``)
    with their grades, and the cell's grade."""
    rows = []
    categories: list[str | None] = []
    for row in matrix.rows:
        for info, cell in zip(matrix.positions, row.cells, strict=True):
            if cell.category is None:
                continue
            rows.append(
                (
                    issue_label(row.issue),
                    info.id,
                    ", ".join(cell.against),
                    f"{cell.category} ({verdict_status(cell.status, cell.breakdown, cell.attestation)})",
                    cell.rule,
                    ", ".join(f"{ref} ({grade})" for ref, grade in cell.deciding) or SILENT,
                    cell.attestation,
                )
            )
            categories.append(cell.category)
    return make_table(
        "explain",
        f"Why: matrix of {matrix.dossier}",
        ("issue", "position", "against", "verdict", "rule", "deciding", "attestation"),
        rows,
        data=matrix.to_dict(),
        notes=[
            "A verdict's grade is the weaker of the two sides' strongest deciding evidence.",
            *set_aside_note(matrix.min_attestation, matrix.set_aside),
        ],
        categories=categories,
    )


def sensitivity_table(cells: list[SensitiveCell], level: str) -> Table:
    """``matrix --sensitivity``: the cells whose verdict changes when evidence below ``level`` is set
    aside, old → new, with the provisions responsible."""
    rows = [(issue_label(c.issue), c.position, f"{c.old} → {c.new}", ", ".join(c.responsible)) for c in cells]
    return make_table(
        "sensitivity",
        f"Verdicts that change without evidence below {level}",
        ("issue", "position", "verdict", "set aside"),
        rows,
        data={
            "contract": "negotiation.sensitivity/1",
            "level": level,
            "cells": [
                {"issue": c.issue, "position": c.position, "old": c.old, "new": c.new, "set_aside": list(c.responsible)}
                for c in cells
            ],
        },
        notes=[f"{counted(len(cells), 'cell')} change when evidence below {level} is set aside"],
        empty=f"No verdict changes when evidence below {level} is set aside",
    )
