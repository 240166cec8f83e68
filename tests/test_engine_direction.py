"""Direction, modes, parent issues and attestation, pinned on small dossiers built here by hand.

Every expectation below is derived from the decision table's documented rules (docs/decision-table.md),
not from the engine's output, so that regenerated goldens cannot hide a change of behaviour.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from negotiation.engine.answers import diff_mode
from negotiation.engine.attestation import GRADES, provision_grade, weakest
from negotiation.engine.compare import compare
from negotiation.engine.decision import (
    ALIGNMENT_TABLE,
    MODE_RULES,
    SIDE_STANCES,
    SILENT,
    TABLE,
    VERSIONS_TABLE,
    decide,
    movement,
)
from negotiation.engine.matrix import build_matrix
from negotiation.engine.model import Comparison
from negotiation.loading import LoadedDossier
from negotiation.schema import STANCES, Link, Position, Provenance, Provision, SourceRef
from tests.engine_fixtures import water

DOC = SourceRef(file="sources/x.md", locator="¶", tag="document")
ONE = SourceRef(witness="An agency", tag="single-source")
MANY = SourceRef(witness="Three agencies", tag="multi-source")
SUMMARY = SourceRef(witness="The author's press release", tag="public-summary")
OTHER = SourceRef(witness="The other side's minister", tag="party-characterisation")


def _provision(
    pid: str, issue: str, stance: str, *, grade: str = "own-words", links: tuple[Link, ...] = ()
) -> Provision:
    status, sources = {
        "own-words": ("verbatim", (DOC,)),
        "several-sources": ("reported", (MANY, ONE)),
        "author-summary": ("reported", (SUMMARY,)),
        "one-source": ("reported", (ONE,)),
        "other-party": ("reported", (OTHER,)),
        "unattested": ("missing", ()),
    }[grade]
    text = None if status == "missing" else f"{pid} text"
    return Provision(
        id=pid,
        ref=pid,
        issues=(issue,),
        stance=stance,  # type: ignore[arg-type]
        text=text,
        text_status=status,  # type: ignore[arg-type]
        sources=sources,
        responds_to=links,
    )


def _position(
    pid: str, party: str, addressees: tuple[str, ...], day: int, *provisions: Provision, answers: tuple[str, ...] = ()
) -> Position:
    return Position(
        schema_version=1,
        id=pid,
        party=party,
        addressees=addressees,
        kind="other",
        title=pid,
        delivered=date(2024, 1, day),
        responds_to=answers,
        provenance=Provenance(authenticity="fictional"),
        provisions=provisions,
    )


def _record(*positions: Position) -> LoadedDossier:
    """The water dossier's taxonomy with only the given positions."""
    base = water()
    return LoadedDossier(
        base.dossier, {p.id: p for p in positions}, base.root, {p.id: f"{p.id}.yaml" for p in positions}
    )


def _items(result: Comparison) -> dict[str, tuple[str, str]]:
    return {i.issue: (i.category, i.status) for i in result.items}


# --- Modes, decided from the data -------------------------------------------------------------

DRAFT = _position(
    "draft", "north", ("south",), 1,
    _provision("d1", "dams.new-construction", "propose"),
    _provision("d2", "quality", "propose"),
)  # fmt: skip
# South answers the draft: it refuses d1 and leaves quality unanswered.
ANSWER = _position(
    "answer", "south", ("north",), 2,
    _provision("a1", "dams.new-construction", "reject", links=(Link(to="draft#d1", relation="rejects"),)),
    answers=("draft",),
)  # fmt: skip
# East also answers the draft, taking South's line (it refuses d1 too).
ALLY = _position(
    "ally", "east", ("north",), 2,
    _provision("e1", "dams.new-construction", "reject", links=(Link(to="draft#d1", relation="rejects"),)),
    _provision("e2", "fisheries", "propose"),
    answers=("draft",),
)  # fmt: skip
# North's later paper refuses South's answer, restating d1: the same line as the draft, held.
REPLY = _position(
    "reply", "north", ("south",), 3,
    _provision("r1", "dams.new-construction", "reject", links=(Link(to="answer#a1", relation="rejects"),)),
    _provision("r2", "quality", "discuss"),
    answers=("answer",),
)  # fmt: skip
RECORD = _record(DRAFT, ANSWER, ALLY, REPLY)


def _diff(left: Position, right: Position) -> Comparison:
    return compare(left, right, RECORD)


def test_modes_follow_who_answers_whom() -> None:
    """Same party: versions; one answers the other (either column): answer; two answers to a third: alignment."""
    positions = RECORD.positions
    assert diff_mode(DRAFT, ANSWER, positions) == ("answer", "right")
    assert diff_mode(ANSWER, DRAFT, positions) == ("answer", "left")
    assert diff_mode(DRAFT, REPLY, positions) == ("versions", "right")
    assert diff_mode(REPLY, DRAFT, positions) == ("versions", "left")
    assert diff_mode(ANSWER, ALLY, positions) == ("alignment", None)
    # The reply answers the answer; the ally's paper is aimed at North, the reply's party: the ally answers.
    assert diff_mode(ALLY, REPLY, positions) == ("answer", "left")


def test_a_party_never_rejects_its_own_text() -> None:
    """The later paper's refusal of South's answer reads as North holding its line (kept), not as a rejection."""
    result = _diff(DRAFT, REPLY)
    assert result.mode == "versions"
    assert _items(result) == {
        "dams": ("kept", "kept"),
        "dams.new-construction": ("kept", "kept"),
        "quality": ("concession", "concession"),
    }


def test_versions_read_from_the_earlier_whichever_column_it_is_in() -> None:
    """Swapped columns give the same movement: dropped and added follow the dates, not the columns."""
    forward, backward = _diff(DRAFT, REPLY), _diff(REPLY, DRAFT)
    assert _items(backward) == _items(forward)
    assert _items(_diff(REPLY, DRAFT))["quality"] == ("concession", "concession")


def test_two_answers_to_the_same_party_are_aligned_not_opposed() -> None:
    """Two refusals of the same demand take the same line; what only one addresses is only-left/only-right."""
    result = _diff(ANSWER, ALLY)
    assert result.mode == "alignment"
    assert _items(result) == {
        "dams": ("same-line", "same-stance"),
        "dams.new-construction": ("same-line", "same-stance"),
        "fisheries": ("only-right", "only-right"),
    }
    assert not any(i.category in ("rejection", "different-lines") for i in result.items)


def test_unanswered_is_about_the_answered_side_whatever_its_column() -> None:
    """R1: an item the draft raised and the answer ignored is unanswered in both column orders."""
    assert _items(_diff(DRAFT, ANSWER))["quality"] == ("open", "unanswered")
    assert _items(_diff(ANSWER, DRAFT))["quality"] == ("open", "unanswered")
    assert _items(_diff(ALLY, DRAFT))["fisheries"] == ("open", "new-item")


@pytest.mark.parametrize(("left", "right"), list(itertools.product(SIDE_STANCES, SIDE_STANCES)))
def test_every_answer_rule_reads_the_same_in_both_directions(left: str, right: str) -> None:
    """Every cell of the answer table: the same rule, category and status whichever column answers."""
    forward = decide(left, right, respondent="right")
    backward = decide(right, left, respondent="left")
    if forward is None:
        assert backward is None and left == right == SILENT
        return
    assert backward is not None
    assert (backward.rule.id, backward.category, backward.status) == (forward.rule.id, forward.category, forward.status)


def test_every_rule_of_every_mode_fires_somewhere_in_its_table() -> None:
    """Each documented rule but the identity and D1 rules is reached by some stance pair of its mode's table."""
    tables = {"answer": TABLE, "alignment": ALIGNMENT_TABLE, "versions": VERSIONS_TABLE}
    for mode, rules in MODE_RULES.items():
        fired = {v.rule.id for v in tables[mode].values() if v is not None}
        assert fired == set(rules) - {"R0", "A0", "V0", "D1"}, mode


def test_alignment_and_versions_never_give_a_rejection() -> None:
    """No pair of stances makes allies or two versions of one party reject each other."""
    for table in (ALIGNMENT_TABLE, VERSIONS_TABLE):
        assert {v.category for v in table.values() if v is not None}.isdisjoint({"rejection", "open", "overlap"})


@pytest.mark.parametrize(("old", "new"), list(itertools.product(STANCES, STANCES)))
def test_versions_movement_is_the_one_changes_reports(old: str, new: str) -> None:
    """diff of two versions and changes read the same movement for every pair of coded stances."""
    verdict = VERSIONS_TABLE[(old, new)]
    assert verdict is not None
    assert verdict.status == (movement(old, new) or "kept")


# --- Parent issues ------------------------------------------------------------------------------

# Left tables dams.new-construction only; right rejects on dams.data-sharing only.
SPLIT_LEFT = _position("split-left", "north", ("south",), 1, _provision("l1", "dams.new-construction", "propose"))
SPLIT_RIGHT = _position(
    "split-right", "south", ("north",), 2,
    _provision("s1", "dams.data-sharing", "reject"),
    _provision("s2", "allocation.dry-season", "accept"),
    _provision("s3", "allocation.flood-season", "reject"),
    answers=("split-left",),
)  # fmt: skip


def test_a_parent_is_never_decided_by_pooling_different_sub_issues() -> None:
    """propose on one sub-issue and reject on another is two one-sided items, not a rejection of dams."""
    result = compare(SPLIT_LEFT, SPLIT_RIGHT, _record(SPLIT_LEFT, SPLIT_RIGHT))
    dams = next(i for i in result.items if i.issue == "dams")
    assert (dams.category, dams.status, dams.breakdown) == ("open", "unanswered", (("open", 2),))
    assert dams.verdict_text == "open — 2 open"


def test_a_parent_whose_sub_issues_divide_says_how() -> None:
    """Sub-issues in different categories make the parent open (D1) with their division, most severe first."""
    left = _position(
        "l", "north", ("south",), 1,
        _provision("p1", "allocation.dry-season", "propose"),
        _provision("p2", "allocation.flood-season", "propose"),
    )  # fmt: skip
    record = _record(left, SPLIT_RIGHT.model_copy(update={"responds_to": ("l",)}))
    result = compare(left, record.position("split-right"), record)
    allocation = next(i for i in result.items if i.issue == "allocation")
    assert (allocation.category, allocation.status, allocation.rule) == ("open", "divided", "D1")
    assert allocation.verdict_text == "open — 1 rejection, 1 overlap"


def test_a_parent_on_which_both_sides_speak_is_decided_there() -> None:
    """Provisions coded on the parent itself decide it; the sub-issues' division is shown beside it."""
    left = _position(
        "l",
        "north",
        ("south",),
        1,
        _provision("p1", "dams", "propose"),
        _provision("p2", "dams.data-sharing", "propose"),
    )
    right = _position(
        "r",
        "south",
        ("north",),
        2,
        _provision("q1", "dams", "reject"),
        _provision("q2", "dams.data-sharing", "accept"),
        answers=("l",),
    )
    result = compare(left, right, _record(left, right))
    dams = next(i for i in result.items if i.issue == "dams")
    assert (dams.category, dams.status, dams.rule, dams.breakdown) == ("rejection", "rejected", "R2", (("overlap", 1),))


# --- Attestation --------------------------------------------------------------------------------


@pytest.mark.parametrize("grade", GRADES)
def test_each_grade_comes_from_text_status_and_source_tags(grade: str) -> None:
    """A provision built with the sources of a grade is graded so."""
    assert provision_grade(_provision("x", "quality", "propose", grade=grade)) == grade


def test_untagged_reported_source_counts_as_one_source_and_partial_text_as_own_words() -> None:
    """An untagged source of a reported point is one source; a recovered part is the document's own words."""
    reported = _provision("x", "quality", "propose", grade="one-source").model_copy(
        update={"sources": (SourceRef(witness="Someone"),)}
    )
    partial = _provision("y", "quality", "propose").model_copy(update={"text_status": "partial"})
    assert (provision_grade(reported), provision_grade(partial)) == ("one-source", "own-words")


@pytest.mark.parametrize(("left", "right"), list(itertools.product(GRADES, GRADES)))
def test_a_verdict_takes_the_weaker_of_the_two_sides_deciding_evidence(left: str, right: str) -> None:
    """Verdict grade = the weaker side's grade; tentative below the document's own words."""
    one = _position("one", "north", ("south",), 1, _provision("o", "quality", "propose", grade=left))
    two = _position("two", "south", ("north",), 2, _provision("t", "quality", "reject", grade=right), answers=("one",))
    (item,) = compare(one, two, _record(one, two)).items
    assert item.attestation == weakest([left, right])  # type: ignore[list-item]
    assert item.tentative == (item.attestation != "own-words")


def test_only_deciding_evidence_grades_a_verdict() -> None:
    """A weak provision that does not carry the side's effective stance does not weaken the verdict."""
    one = _position("one", "north", ("south",), 1, _provision("o", "quality", "propose"))
    two = _position(
        "two", "south", ("north",), 2,
        _provision("t1", "quality", "reject"),
        _provision("t2", "quality", "note", grade="other-party"),
        answers=("one",),
    )  # fmt: skip
    (item,) = compare(one, two, _record(one, two)).items
    assert (item.status, item.attestation, item.right_deciding) == ("rejected", "own-words", ("t1",))


def test_min_attestation_sets_weak_evidence_aside_and_says_how_much() -> None:
    """Below the level, a provision counts as absent: a refusal known from one source leaves the item unanswered."""
    one = _position("one", "north", ("south",), 1, _provision("o", "quality", "propose"))
    two = _position(
        "two", "south", ("north",), 2, _provision("t", "quality", "reject", grade="one-source"), answers=("one",)
    )
    record = _record(one, two)
    assert _items(compare(one, two, record))["quality"] == ("rejection", "rejected")
    strict = compare(one, two, record, min_attestation="own-words")
    assert _items(strict)["quality"] == ("open", "unanswered")
    assert strict.set_aside == ("two#t",)
    assert compare(one, two, record, min_attestation="one-source").set_aside == ()


# --- The bundled dossier: expectations any faithful coding keeps ----------------------------------


@pytest.fixture(scope="module")
def bundled() -> LoadedDossier:
    from negotiation.loading import load_dossier
    from tests.conftest import ROOT

    return load_dossier(ROOT / "positions" / "security-guarantees-2021-2022")


def test_every_same_party_pair_of_the_dossier_is_a_version_comparison(bundled: LoadedDossier) -> None:
    """Every pair of one party's positions, both ways: versions mode, and never a rejection."""
    pairs = [(a, b) for a, b in itertools.permutations(bundled.positions.values(), 2) if a.party == b.party]
    assert {(a.id, b.id) for a, b in pairs} >= {("ru-us-treaty-2021-12-17", "ru-reply-2022-02-17")}
    for left, right in pairs:
        result = compare(left, right, bundled)
        assert result.mode == "versions"
        assert {i.category for i in result.items} <= {"kept", "concession", "hardening", "mixed", "added", "dropped"}


def test_the_reply_never_rejects_russias_own_draft(bundled: LoadedDossier) -> None:
    """Russia's reply compared with its draft treaty: no rejection in any verdict."""
    result = compare(bundled.position("ru-us-treaty-2021-12-17"), bundled.position("ru-reply-2022-02-17"), bundled)
    assert not any(i.status in ("rejected", "contested") for i in result.items)


def test_the_allied_answers_are_an_alignment(bundled: LoadedDossier) -> None:
    """The US and NATO papers both answer Russia: alignment, and no rejection of each other."""
    result = compare(bundled.position("us-response-2022-01-26"), bundled.position("nato-response-2022-01-26"), bundled)
    assert (result.mode, result.respondent) == ("alignment", None)
    assert not any(i.category == "rejection" for i in result.items)


def test_the_answers_answer_russia(bundled: LoadedDossier) -> None:
    """Each response is read as the side that answers Russia's draft, and the reply as answering the US."""
    modes = {
        (left, right): diff_mode(bundled.position(left), bundled.position(right), bundled.positions)
        for left, right in (
            ("ru-us-treaty-2021-12-17", "us-response-2022-01-26"),
            ("ru-nato-agreement-2021-12-17", "nato-response-2022-01-26"),
            ("us-response-2022-01-26", "ru-reply-2022-02-17"),
        )
    }
    assert set(modes.values()) == {("answer", "right")}


def test_the_matrix_compares_no_position_with_its_own_party(bundled: LoadedDossier) -> None:
    """No matrix cell is against a position of the column's own party."""
    matrix = build_matrix(bundled)
    party = {p.id: p.party for p in matrix.positions}
    for row in matrix.rows:
        for info, cell in zip(matrix.positions, row.cells, strict=True):
            assert all(party.get(other, bundled.positions[other].party) != party[info.id] for other in cell.against)


def test_every_bundled_verdict_carries_a_grade_no_stronger_than_its_deciding_evidence(bundled: LoadedDossier) -> None:
    """A verdict's grade is never stronger than the strongest deciding provision of either speaking side."""
    left, right = bundled.position("ru-us-treaty-2021-12-17"), bundled.position("us-response-2022-01-26")
    for item in compare(left, right, bundled).items:
        for position, ids in ((left, item.left_deciding), (right, item.right_deciding)):
            if ids:
                best = min(GRADES.index(provision_grade(position.provision(pid))) for pid in ids)  # type: ignore[arg-type]
                assert GRADES.index(item.attestation) >= best  # type: ignore[arg-type]


@pytest.mark.parametrize(("left", "right"), list(itertools.product(SIDE_STANCES, SIDE_STANCES)))
def test_alignment_reads_the_same_both_ways(left: str, right: str) -> None:
    """Swapping two aligned papers keeps every rule and category, only-left and only-right trading places."""
    forward, backward = ALIGNMENT_TABLE[(left, right)], ALIGNMENT_TABLE[(right, left)]
    if forward is None:
        assert backward is None
        return
    assert backward is not None
    swap = {"only-left": "only-right", "only-right": "only-left"}
    assert (backward.rule.id, swap.get(backward.category, backward.category)) == (forward.rule.id, forward.category)


def test_no_bundled_parent_is_decided_by_pooling(bundled: LoadedDossier) -> None:
    """Over every ordered pair of the dossier's positions: a parent that is not decided on its own level
    by both sides takes its parts' common category, or the mode's divided verdict; the treaty × US
    principles parent, whose sub-issues are all open, is open."""
    from negotiation.engine.decision import DIVIDED, MODES

    divided = {DIVIDED[mode] for mode in MODES}
    for left, right in itertools.permutations(bundled.positions.values(), 2):
        result = compare(left, right, bundled)
        items = {i.issue: i for i in result.items}
        for item in result.items:
            # A parent decided by its parts says so first; one decided on its own level names its rule.
            if not item.rolled_up_from or not item.rationale.startswith("sub-issues"):
                continue
            parts = {items[k].category for k in item.rolled_up_from}
            if (item.category, item.status) in divided:
                assert item.rule == "D1" and item.rationale.startswith("sub-issues divide")
            else:
                assert item.category in parts, (left.id, right.id, item.issue)
    treaty_us = compare(
        bundled.position("ru-us-treaty-2021-12-17"), bundled.position("us-response-2022-01-26"), bundled
    )
    principles = next(i for i in treaty_us.items if i.issue == "principles")
    children = [i for i in treaty_us.items if i.issue in principles.rolled_up_from]
    if all(c.category == "open" for c in children):
        assert principles.category == "open"
