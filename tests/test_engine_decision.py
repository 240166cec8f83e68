"""The decision table: every stance pair, its symmetry, and the doc generated from it."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from negotiation.engine.decision import (
    ACCOMMODATION,
    DECISIVENESS,
    RELATION_STANCES,
    SIDE_STANCES,
    STATUS_CATEGORY,
    TABLE,
    decide,
    decision_table_markdown,
    identical,
    most_decisive,
    movement,
    relation_stance,
)
from negotiation.schema import RELATIONS, STANCES
from tests.conftest import GoldenFile

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "decision-table.md"

# The whole table written out by hand, row by row (left stance), in the order of SIDE_STANCES
# (propose, accept, accept-conditional, discuss, counter, reject, reaffirm, note, silent) for the
# right stance. Each entry: status/rule, statuses abbreviated. It is the specification the code must meet.
_STATUS = {
    "cmp": "compatible",
    "agr": "agreed",
    "cnd": "conditional",
    "neg": "negotiable",
    "ctr": "countered",
    "rej": "rejected",
    "con": "contested",
    "not": "noted",
    "una": "unanswered",
    "new": "new-item",
}
_EXPECTED = """
propose            cmp/R9 agr/R8 cnd/R5 neg/R6 ctr/R4 rej/R2 con/R3 not/R7 una/R1
accept             agr/R8 agr/R8 cnd/R5 neg/R6 ctr/R4 rej/R2 agr/R8 not/R7 una/R1
accept-conditional cnd/R5 cnd/R5 cnd/R5 cnd/R5 ctr/R4 rej/R2 cnd/R5 cnd/R5 una/R1
discuss            neg/R6 neg/R6 cnd/R5 neg/R6 ctr/R4 rej/R2 neg/R6 neg/R6 una/R1
counter            ctr/R4 ctr/R4 ctr/R4 ctr/R4 ctr/R4 rej/R2 ctr/R4 ctr/R4 una/R1
reject             rej/R2 rej/R2 rej/R2 rej/R2 rej/R2 rej/R2 rej/R2 rej/R2 una/R1
reaffirm           con/R3 agr/R8 cnd/R5 neg/R6 ctr/R4 rej/R2 con/R3 not/R7 una/R1
note               not/R7 not/R7 cnd/R5 neg/R6 ctr/R4 rej/R2 not/R7 not/R7 una/R1
silent             new/R1 new/R1 new/R1 new/R1 new/R1 new/R1 new/R1 new/R1 -
"""


def _expected() -> dict[tuple[str, str], tuple[str, str] | None]:
    table: dict[tuple[str, str], tuple[str, str] | None] = {}
    for line in _EXPECTED.strip().splitlines():
        left, *cells = line.split()
        assert len(cells) == len(SIDE_STANCES)
        for right, cell in zip(SIDE_STANCES, cells, strict=True):
            if cell == "-":
                table[(left, right)] = None
            else:
                status, rule = cell.split("/")
                table[(left, right)] = (_STATUS[status], rule)
    return table


EXPECTED = _expected()


def test_side_stances_are_the_schema_stances_and_silent() -> None:
    """The table's stances are exactly the schema's coded stances plus silent."""
    assert set(SIDE_STANCES) == {*STANCES, "silent"}
    assert len(SIDE_STANCES) == 9


def test_table_is_total() -> None:
    """The table has an entry for each of the 81 (left, right) pairs."""
    assert set(TABLE) == set(itertools.product(SIDE_STANCES, SIDE_STANCES))


@pytest.mark.parametrize(("left", "right"), sorted(EXPECTED))
def test_every_pair_gives_the_specified_status_and_rule(left: str, right: str) -> None:
    """Each stance pair maps to the status and rule written out in the specification above."""
    verdict = decide(left, right)
    expected = EXPECTED[(left, right)]
    if expected is None:
        assert verdict is None
        return
    assert verdict is not None
    assert (verdict.status, verdict.rule.id) == expected
    assert verdict.category == STATUS_CATEGORY[verdict.status]
    assert (verdict.left, verdict.right) == (left, right)


@pytest.mark.parametrize(("left", "right"), sorted(itertools.product(SIDE_STANCES, SIDE_STANCES)))
def test_categories_are_symmetric(left: str, right: str) -> None:
    """Swapping the sides never changes a category; only one-sided statuses change direction."""
    one, two = decide(left, right), decide(right, left)
    if one is None or two is None:
        assert one is None and two is None
        return
    assert one.category == two.category
    if {one.status, two.status} != {"unanswered", "new-item"}:
        assert one.status == two.status


def test_status_direction_of_one_sided_items() -> None:
    """An item only the left raised is unanswered; one only the right raised is a new item."""
    assert decide("propose", "silent").status == "unanswered"  # type: ignore[union-attr]
    assert decide("silent", "propose").status == "new-item"  # type: ignore[union-attr]


def test_the_same_stance_on_both_sides_is_a_rejection_only_for_reject_and_reaffirm() -> None:
    """Diagonal entries: only reject × reject and reaffirm × reaffirm are rejections (R0 covers self-comparison)."""
    rejections = {s for s in STANCES if decide(s, s).category == "rejection"}  # type: ignore[union-attr]
    assert rejections == {"reject", "reaffirm"}


def test_identical_rule_is_agreed() -> None:
    """Rule R0 gives an agreed overlap whatever the stances."""
    verdict = identical("reject", "reject")
    assert (verdict.category, verdict.status, verdict.rule.id) == ("overlap", "agreed", "R0")
    assert verdict.rationale == "reject × reject → agreed (rule R0: both sides hold the very same provisions)"


def test_rationale_names_stances_status_and_rule() -> None:
    """The rationale reads 'left × right → status (rule Rn: reason)'."""
    assert decide("propose", "reaffirm").rationale == (  # type: ignore[union-attr]
        "propose × reaffirm → contested (rule R3: a proposal or principle met by the opposing principle)"
    )


def test_unknown_stance_is_a_value_error() -> None:
    """A stance outside the vocabulary is refused with the pair named."""
    with pytest.raises(ValueError, match="unknown stance pair 'maybe' × 'accept'"):
        decide("maybe", "accept")


def test_decisiveness_orders_every_stance_once() -> None:
    """The decisiveness order lists each coded stance exactly once, reject first and note last."""
    assert sorted(DECISIVENESS) == sorted(STANCES)
    assert (DECISIVENESS[0], DECISIVENESS[-1]) == ("reject", "note")


@pytest.mark.parametrize(("stances", "expected"), [
    ([], "silent"),
    (["note", "propose"], "propose"),
    (["accept", "discuss"], "discuss"),
    (["counter", "reaffirm", "accept-conditional"], "reaffirm"),
    (["reaffirm", "reject", "note"], "reject"),
])  # fmt: skip
def test_most_decisive(stances: list[str], expected: str) -> None:
    """The effective stance is the first of the decisiveness order present, silent when none."""
    assert most_decisive(stances) == expected


def test_every_relation_maps_to_a_stance_or_none() -> None:
    """Each link relation counts as its stance; reaffirms and ignores count as none."""
    assert {r: relation_stance(r) for r in RELATIONS} == {
        "accepts": "accept",
        "accepts-conditionally": "accept-conditional",
        "discusses": "discuss",
        "counters": "counter",
        "rejects": "reject",
        "contests": "reaffirm",
        "notes": "note",
        "reaffirms": None,
        "ignores": None,
    }
    assert set(RELATION_STANCES.values()) <= set(STANCES)


def test_accommodation_orders_every_stance_once() -> None:
    """The accommodation order lists each coded stance exactly once, reject least and accept most."""
    assert sorted(ACCOMMODATION) == sorted(STANCES)
    assert (ACCOMMODATION[0], ACCOMMODATION[-1]) == ("reject", "accept")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("reject", "discuss", "concession"),
    ("propose", "counter", "concession"),
    ("counter", "note", "concession"),
    ("accept-conditional", "accept", "concession"),
    ("discuss", "reaffirm", "hardening"),
    ("accept", "reject", "hardening"),
    ("note", "counter", "hardening"),
    ("discuss", "discuss", None),
])  # fmt: skip
def test_movement(old: str, new: str, expected: str | None) -> None:
    """A move up the accommodation order is a concession, down a hardening, none if unchanged."""
    assert movement(old, new) == expected


_BLOCK = re.compile(
    r"<!-- BEGIN GENERATED: negotiation\.engine\.decision\.decision_table_markdown -->\n(.*?)<!-- END GENERATED -->",
    re.S,
)


def test_doc_shows_the_table_the_code_applies(golden_file: GoldenFile) -> None:
    """docs/decision-table.md holds exactly the table generated from the code."""
    text = DOC.read_text(encoding="utf-8")
    match = _BLOCK.search(text)
    assert match is not None, "the generated block's markers are missing"
    golden_file(DOC, text[: match.start(1)] + decision_table_markdown() + text[match.end(1) :])
