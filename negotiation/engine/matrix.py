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

from collections.abc import Sequence
from dataclasses import replace

from negotiation.engine.answers import answered_positions
from negotiation.engine.compare import (
    IssueVerdict,
    SideIndex,
    Taxonomy,
    check_categories,
    in_subtree,
    index_position,
    issue_verdicts,
    position_info,
)
from negotiation.engine.decision import SILENT, most_decisive, severity
from negotiation.engine.model import Matrix, MatrixCell, MatrixRow
from negotiation.loading import LoadedDossier


def build_matrix(record: LoadedDossier, position_ids: Sequence[str] | None = None) -> Matrix:
    """Issues × positions for ``record`` (all its positions in timeline order, or ``position_ids``).

    Rows are the issues some shown cell speaks to (a position addresses it, or an answered position
    raised it), with their parents, in taxonomy order.
    """
    ids = list(record.positions) if not position_ids else list(dict.fromkeys(position_ids))
    for pid in ids:
        record.position(pid)  # a UsageError naming the known ids
    taxonomy = Taxonomy.of(record)
    indexes: dict[str, SideIndex] = {}

    def index(pid: str) -> SideIndex:
        found = indexes.get(pid)
        if found is None:
            found = indexes[pid] = index_position(record.positions[pid])
        return found

    columns: list[dict[str, MatrixCell]] = []
    for pid in ids:
        own = index(pid)
        answered = answered_positions(own.position, record.positions)
        if not answered:
            columns.append(_own_cells(own))
            continue
        verdicts = {other: issue_verdicts(index(other), own, taxonomy) for other in answered}
        columns.append(_answer_cells(own, verdicts))
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
    return Matrix(record.id, tuple(position_info(record.positions[pid]) for pid in ids), rows)


def _own_cells(own: SideIndex) -> dict[str, MatrixCell]:
    return {
        code: MatrixCell(
            category=None,
            status=None,
            stance=most_decisive(p.stance for p in provisions),
            provisions=tuple(p.id for p in provisions),
        )
        for code, provisions in own.subtree.items()
    }


def _answer_cells(own: SideIndex, verdicts: dict[str, dict[str, IssueVerdict]]) -> dict[str, MatrixCell]:
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
