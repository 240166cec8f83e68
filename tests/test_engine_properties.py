"""Properties of the engine over random positions: self-comparison, symmetry, order and id independence."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.engine.changes import changes
from negotiation.engine.compare import Taxonomy, compare_indexed, index_position
from negotiation.engine.matrix import build_matrix
from negotiation.engine.model import Comparison
from negotiation.engine.views import changes_table, diff_table, matrix_table
from negotiation.loading import LoadedDossier
from negotiation.render import BINARY_FORMATS, formats, render
from negotiation.schema import Position
from tests.engine_fixtures import water
from tests.strategies import ISSUES, exchanges, positions, renumbered, retarget

SETTINGS = settings(max_examples=100, deadline=None)
TAXONOMY = Taxonomy.of(water())


def _compare(left: Position, right: Position) -> Comparison:
    return compare_indexed(index_position(left), index_position(right), TAXONOMY)


def _verdicts(result: Comparison) -> list[tuple[str, str, str, str, str, tuple[tuple[str, int], ...]]]:
    """Everything about each item that does not name a provision id: refs are counted, not ordered."""
    out = []
    for item in result.items:
        refs = Counter([f"L {e.ref}" for e in item.left] + [f"R {e.ref}" for e in item.right])
        out.append(
            (item.issue, item.category, item.status, item.left_stance, item.right_stance, tuple(sorted(refs.items())))
        )
    return out


def test_strategy_issues_are_the_fixture_taxonomy() -> None:
    """The strategies draw issue codes from exactly the fixture dossier's taxonomy."""
    assert set(ISSUES) == set(water().issues)


@SETTINGS
@given(positions())
def test_a_position_never_rejects_itself(position: Position) -> None:
    """Compared with itself, a position has no rejection: every addressed issue is agreed."""
    result = _compare(position, position)
    assert all((i.category, i.status) == ("overlap", "agreed") for i in result.items)


@SETTINGS
@given(exchanges())
def test_swapping_sides_keeps_every_category(pair: tuple[Position, Position]) -> None:
    """diff(a, b) and diff(b, a) give each issue the same category; only one-sided statuses swap."""
    left, right = pair
    forward, backward = _compare(left, right), _compare(right, left)
    assert [(i.issue, i.category) for i in forward.items] == [(i.issue, i.category) for i in backward.items]
    swap = {"unanswered": "new-item", "new-item": "unanswered"}
    assert [swap.get(i.status, i.status) for i in forward.items] == [i.status for i in backward.items]
    assert [(i.left_stance, i.right_stance) for i in forward.items] == [
        (i.right_stance, i.left_stance) for i in backward.items
    ]


@SETTINGS
@given(exchanges(), st.randoms(use_true_random=False))
def test_reordering_and_renumbering_change_nothing_in_diff(pair: tuple[Position, Position], rnd: object) -> None:
    """Shuffling and renumbering a side's provisions (links following) leaves every verdict as it was."""
    left, right = pair
    order = list(range(len(left.provisions)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    moved, id_map = renumbered(left, order)
    before = _compare(left, right)
    after = _compare(moved, retarget(right, left.id, id_map))
    assert _verdicts(after) == _verdicts(before)
    assert after.warnings == before.warnings


@SETTINGS
@given(positions())
def test_changes_of_a_position_with_itself_is_empty(position: Position) -> None:
    """changes(a, a) reports nothing."""
    result = changes(position, position)
    assert result.empty
    assert result.to_dict()["summary"] == {"added": 0, "removed": 0, "changed": 0, "moved": 0}


@SETTINGS
@given(positions(), st.randoms(use_true_random=False))
def test_reordering_shows_only_moves(position: Position, rnd: object) -> None:
    """A reordered position has moves only: nothing added, removed or changed."""
    order = list(range(len(position.provisions)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    shuffled = position.model_copy(update={"provisions": tuple(position.provisions[i] for i in order)})
    result = changes(position, shuffled)
    assert (result.added, result.removed, result.changed) == ((), (), ())
    # Moves are the fewest that explain the new order: everything outside one longest ordered run.
    assert len(result.moved) <= max(0, len(order) - 1)
    if order == sorted(order):
        assert result.moved == ()


@SETTINGS
@given(positions(), st.randoms(use_true_random=False))
def test_renumbering_shows_only_new_ids_and_moves(position: Position, rnd: object) -> None:
    """Renumbered (new ids, same refs and words) and reordered: only id changes and moves, all matched."""
    order = list(range(len(position.provisions)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    moved, id_map = renumbered(position, order)
    result = changes(position, moved)
    assert (result.added, result.removed) == ((), ())
    assert all([f.path for f in c.fields] == ["id"] for c in result.changed)
    assert {(c.old_id, c.new_id) for c in (*result.changed, *result.moved)} == {
        (old, new) for old, new in id_map.items() if old != new
    }


@SETTINGS
@given(exchanges())
def test_matrix_cells_are_the_diff_verdicts(pair: tuple[Position, Position]) -> None:
    """In the matrix, the response's cell on each issue is the diff verdict against what it answers."""
    left, right = pair
    base = water()
    record = LoadedDossier(base.dossier, {left.id: left, right.id: right})
    matrix = build_matrix(record)
    verdicts = {i.issue: (i.category, i.status, i.right_stance) for i in _compare(left, right).items}
    cells = {row.issue: (row.cells[1].category, row.cells[1].status, row.cells[1].stance) for row in matrix.rows}
    assert cells == verdicts
    assert all(row.cells[0].category is None for row in matrix.rows)


_TEXT_FORMATS = [f for f in formats() if f not in BINARY_FORMATS]


@settings(max_examples=20, deadline=None)
@given(exchanges(), st.sampled_from(_TEXT_FORMATS))
def test_every_result_renders_in_every_text_format(pair: tuple[Position, Position], fmt: str) -> None:
    """diff, matrix and changes tables render in each text format, the same bytes twice, ending in a newline."""
    left, right = pair
    base = water()
    record = LoadedDossier(base.dossier, {left.id: left, right.id: right})
    tables = [
        diff_table(_compare(left, right)),
        matrix_table(build_matrix(record)),
        changes_table(changes(left, right)),
    ]
    for table in tables:
        first = render([table], fmt)
        assert isinstance(first, str) and first.endswith("\n")
        assert render([table], fmt) == first
