"""The matrix: issues × positions for a whole dossier, the four-column document computed.

Each position that answers others (``responds_to``, or links to another party's provisions) is
compared with each position it answers, exactly as ``diff`` would compare them; its cell on an issue
shows the most severe category it reaches there (rejection > open > overlap), and ``against`` names
the answered position(s) that gave it. A position that answers nothing (an opening draft) shows its
own effective stance, with no category.

>>> from negotiation.loading import load_dossier                               # doctest: +SKIP
>>> matrix = build_matrix(load_dossier("tests/data/engine/water"))            # doctest: +SKIP
>>> [c.category for c in matrix.rows[0].cells]                                # doctest: +SKIP
[None, 'open', 'overlap']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from negotiation.engine.answers import answered_positions
from negotiation.engine.attestation import Grade, provision_grade, weakest
from negotiation.engine.compare import (
    IssueVerdict,
    SideIndex,
    Taxonomy,
    check_categories,
    in_subtree,
    index_position,
    issue_verdicts,
    keep_attested,
    position_info,
)
from negotiation.engine.decision import SILENT, most_decisive, severity
from negotiation.engine.model import Matrix, MatrixCell, MatrixRow
from negotiation.loading import LoadedDossier


def build_matrix(
    record: LoadedDossier,
    position_ids: Sequence[str] | None = None,
    *,
    min_attestation: Grade | None = None,
) -> Matrix:
    """Issues × positions for ``record`` (all its positions in timeline order, or ``position_ids``).

    Rows are the issues some shown cell speaks to (a position addresses it, or an answered position
    raised it), with their parents, in taxonomy order. With ``min_attestation``, provisions graded
    below it are set aside before any verdict is computed (listed in ``set_aside``).
    """
    ids = list(record.positions) if not position_ids else list(dict.fromkeys(position_ids))
    for pid in ids:
        record.position(pid)  # a UsageError naming the known ids
    taxonomy = Taxonomy.of(record)
    positions = dict(record.positions)
    set_aside: list[str] = []
    if min_attestation is not None:
        for pid, position in record.positions.items():
            positions[pid], dropped = keep_attested(position, min_attestation)
            if pid in ids:
                set_aside += (f"{pid}#{provision}" for provision in dropped)
    indexes: dict[str, SideIndex] = {}

    def grade(position: str, provision: str) -> Grade:
        found = positions[position].provision(provision)
        return provision_grade(found) if found is not None else "unattested"

    def index(pid: str) -> SideIndex:
        found = indexes.get(pid)
        if found is None:
            found = indexes[pid] = index_position(positions[pid])
        return found

    columns: list[dict[str, MatrixCell]] = []
    for pid in ids:
        own = index(pid)
        answered = answered_positions(own.position, positions)
        if not answered:
            columns.append(_own_cells(own))
            continue
        verdicts = {other: issue_verdicts(index(other), own, taxonomy) for other in answered}
        columns.append(_answer_cells(own, verdicts, grade))
    codes = taxonomy.sort({code for column in columns for code in column})
    empty = MatrixCell(category=None, status=None, stance=SILENT)
    rows = tuple(
        MatrixRow(
            issue=code,
            title=taxonomy.title(code),
            depth=code.count("."),
            cells=tuple(column.get(code, empty) for column in columns),
        )
        for code in codes
    )
    return Matrix(
        record.id,
        tuple(position_info(record.positions[pid]) for pid in ids),
        rows,
        min_attestation=min_attestation,
        set_aside=tuple(set_aside),
    )


def _own_cells(own: SideIndex) -> dict[str, MatrixCell]:
    return {
        code: MatrixCell(
            category=None,
            status=None,
            stance=most_decisive(p.stance_shown for p in provisions),
            provisions=tuple(p.id for p in provisions),
        )
        for code, provisions in own.subtree.items()
    }


def _answer_cells(
    own: SideIndex, verdicts: dict[str, dict[str, IssueVerdict]], grade: Callable[[str, str], Grade]
) -> dict[str, MatrixCell]:
    cells: dict[str, MatrixCell] = {}
    codes = {code for by_issue in verdicts.values() for code in by_issue}
    for code in codes:
        found = [(other, by_issue[code]) for other, by_issue in verdicts.items() if code in by_issue]
        worst = min(severity(v.category) for _, v in found)
        winners = [(other, v) for other, v in found if severity(v.category) == worst]
        first = winners[0][1]
        cells[code] = MatrixCell(
            category=first.category,
            status=first.status,
            stance=first.right_stance,
            provisions=tuple(p.id for p in own.subtree.get(code, ())),
            against=tuple(other for other, _ in winners),
            attestation=weakest(v.grade for _, v in winners),
            breakdown=first.breakdown,
            rule=first.rule,
            deciding=tuple(
                dict.fromkeys(
                    pair
                    for other, v in winners
                    for pair in (
                        *((f"{other}#{pid}", grade(other, pid)) for pid in v.left_deciding),
                        *((f"{own.position.id}#{pid}", grade(own.position.id, pid)) for pid in v.right_deciding),
                    )
                )
            ),
        )
    return cells


def filter_matrix(
    matrix: Matrix,
    taxonomy: Taxonomy,
    *,
    categories: Sequence[str] = (),
    issue: str | None = None,
) -> Matrix:
    """Keep the rows under ``issue`` (with its children) where some cell is in ``categories``."""
    check_categories(categories)
    if issue is not None:
        taxonomy.check(issue)
    rows = tuple(
        row
        for row in matrix.rows
        if (issue is None or in_subtree(row.issue, issue))
        and (not categories or any(cell.category in categories for cell in row.cells))
    )
    return replace(matrix, rows=rows)


@dataclass(frozen=True)
class SensitiveCell:
    """A matrix cell whose verdict changes when weak evidence is set aside, and the provisions why."""

    issue: str
    position: str
    old: str
    new: str
    #: The provisions set aside that this cell's comparisons used (``position#provision``).
    responsible: tuple[str, ...]


def sensitivity(
    record: LoadedDossier, position_ids: Sequence[str] | None = None, level: Grade = "own-words"
) -> tuple[Matrix, list[SensitiveCell]]:
    """The cells whose verdict changes when evidence below ``level`` is set aside: old → new, with
    the set-aside provisions that decided the old verdict."""
    full = build_matrix(record, position_ids)
    strict = build_matrix(record, position_ids, min_attestation=level)
    weak: set[str] = set()
    for pid, position in record.positions.items():
        weak.update(f"{pid}#{p}" for p in keep_attested(position, level)[1])
    strict_rows = {row.issue: row for row in strict.rows}
    empty = MatrixCell(category=None, status=None, stance=SILENT)
    found: list[SensitiveCell] = []
    for row in full.rows:
        after = strict_rows.get(row.issue)
        for i, (info, cell) in enumerate(zip(full.positions, row.cells, strict=True)):
            new = after.cells[i] if after is not None else empty
            if cell.category is None or (cell.category, cell.status) == (new.category, new.status):
                continue
            # Responsible: the set-aside provisions that decided the old verdict; when none did (a
            # parent decided by its parts), every set-aside provision of the comparison on the issue.
            responsible = [ref for ref, _ in cell.deciding if ref in weak]
            if not responsible:
                responsible = sorted(
                    {
                        f"{pid}#{p.id}"
                        for pid in (info.id, *cell.against)
                        for p in record.positions[pid].provisions
                        if any(in_subtree(code, row.issue) for code in p.issues)
                    }
                    & weak
                )
            found.append(
                SensitiveCell(
                    issue=row.issue,
                    position=info.id,
                    old=_verdict(cell),
                    new=_verdict(new),
                    responsible=tuple(responsible),
                )
            )
    return full, found


def _verdict(cell: MatrixCell) -> str:
    return f"{cell.category} ({cell.status})" if cell.category else "no verdict"
