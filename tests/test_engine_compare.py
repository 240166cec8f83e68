"""Comparing two positions: verdicts, evidence, roll-up, links, packages and filters, on the fixture dossier."""

from __future__ import annotations

import pytest

from negotiation.engine.compare import Taxonomy, compare, differs, filter_comparison, source_text
from negotiation.engine.model import Comparison
from negotiation.engine.packages import cherry_picking, package_warnings
from negotiation.errors import UsageError
from negotiation.schema import Link, Package, SourceRef
from tests.engine_fixtures import water


def _compare(left: str, right: str) -> Comparison:
    record = water()
    return compare(record.position(left), record.position(right), record)


def _verdicts(result: Comparison) -> list[tuple[str, str, str, str, str]]:
    return [(i.issue, i.category, i.status, i.left_stance, i.right_stance) for i in result.items]


def test_proposal_against_response_gives_every_status_once() -> None:
    """The fixture's response meets each stance of the table once: the verdicts are exactly these."""
    assert _verdicts(_compare("north-proposal", "south-response")) == [
        ("allocation", "open", "divided", "propose", "counter"),
        ("allocation.dry-season", "open", "countered", "propose", "counter"),
        ("allocation.flood-season", "overlap", "agreed", "propose", "accept"),
        ("dams", "open", "divided", "propose", "reject"),
        ("dams.new-construction", "rejection", "rejected", "propose", "reject"),
        ("dams.data-sharing", "open", "conditional", "propose", "accept-conditional"),
        ("quality", "open", "unanswered", "propose", "silent"),
        ("disputes", "open", "divided", "reaffirm", "reaffirm"),
        ("disputes.commission", "open", "negotiable", "propose", "discuss"),
        ("disputes.arbitration", "rejection", "contested", "reaffirm", "reaffirm"),
        ("fisheries", "open", "noted", "propose", "note"),
        ("research", "overlap", "compatible", "propose", "propose"),
        ("navigation", "open", "new-item", "silent", "propose"),
    ]


def test_summary_counts_categories() -> None:
    """The summary counts the items of each category."""
    assert _compare("north-proposal", "south-response").summary == {"overlap": 2, "rejection": 2, "open": 9}


def test_swapping_sides_keeps_categories_and_statuses() -> None:
    """Swapped, every category and status stays: the response is still the side that answers, so an
    item only the proposal raised is still unanswered, and one only the response raised a new item."""
    forward = _compare("north-proposal", "south-response")
    backward = _compare("south-response", "north-proposal")
    assert (forward.mode, forward.respondent, backward.mode, backward.respondent) == (
        "answer",
        "right",
        "answer",
        "left",
    )
    assert [(i.issue, i.category, i.status) for i in forward.items] == [
        (i.issue, i.category, i.status) for i in backward.items
    ]
    statuses = {i.issue: i.status for i in backward.items}
    assert (statuses["quality"], statuses["navigation"]) == ("unanswered", "new-item")
    quality = next(i for i in backward.items if i.issue == "quality")
    assert quality.rationale == "silent × propose → unanswered (rule R1: only one side addresses the issue)"


def test_rationale_names_the_rule() -> None:
    """Each leaf rationale names the stance pair, the status and the rule."""
    items = {i.issue: i for i in _compare("north-proposal", "south-response").items}
    assert items["disputes.arbitration"].rationale == (
        "reaffirm × reaffirm → contested (rule R3: a proposal or principle met by the opposing principle)"
    )
    assert items["quality"].rationale == "propose × silent → unanswered (rule R1: only one side addresses the issue)"


def test_parent_shows_how_its_sub_issues_divide_and_never_pools_them() -> None:
    """A parent whose sub-issues divide is open (rule D1) and says how they divide. Pooled over its
    subtree the two sides would read accept × accept (agreed), from provisions on different sub-issues."""
    items = {i.issue: i for i in _compare("south-response", "north-reply").items}
    parent = items["allocation"]
    assert (parent.left_stance, parent.right_stance) == ("accept", "accept")
    assert (parent.category, parent.status, parent.rule) == ("open", "divided", "D1")
    assert parent.breakdown == (("open", 1), ("overlap", 1))
    assert parent.verdict_text == "open — 1 open, 1 overlap"
    assert parent.rationale == (
        "sub-issues divide: 1 open, 1 overlap (rule D1: the parts of a parent issue divide and none decides)"
    )
    assert parent.rolled_up_from == ("allocation.dry-season", "allocation.flood-season")
    assert items["allocation.dry-season"].rolled_up_from == ()


def test_parent_evidence_covers_its_subtree() -> None:
    """A parent's evidence lists the provisions coded on it and on its sub-issues, in document order."""
    items = {i.issue: i for i in _compare("north-proposal", "south-response").items}
    assert [e.provision for e in items["dams"].left] == ["n-art-3", "n-art-4"]
    assert [e.provision for e in items["dams"].right] == ["s-3", "s-4"]


def test_accepted_counter_proposal_is_agreed() -> None:
    """A counter-proposal the other side accepted counts as tabled: the pair reads as agreed, not countered."""
    items = {i.issue: i for i in _compare("south-response", "north-reply").items}
    item = items["allocation.dry-season"]
    assert (item.category, item.status, item.left_stance, item.right_stance) == (
        "overlap",
        "agreed",
        "propose",
        "accept",
    )
    (evidence,) = item.left
    assert (evidence.provision, evidence.stance, evidence.counts_as) == ("s-1", "counter", "propose")


def test_link_relation_raises_a_provisions_stance() -> None:
    """A provision coded 'propose' that links with 'counters' counts as counter in that comparison only."""
    record = water()
    answer = record.position("south-response")
    base = answer.provisions[8]  # s-9, research, propose
    linked = base.model_copy(update={"responds_to": (Link(to="north-proposal#n-art-9", relation="counters"),)})
    edited = answer.model_copy(update={"provisions": (*answer.provisions[:8], linked)})
    result = compare(record.position("north-proposal"), edited, record)
    item = next(i for i in result.items if i.issue == "research")
    assert (item.status, item.right_stance, item.right[0].counts_as) == ("countered", "counter", "counter")
    assert (item.right[0].relation, item.right[0].answers) == ("counters", ("n-art-9",))
    # Against another position the same link is not to the other side and counts for nothing.
    other = compare(record.position("north-reply"), edited, record)
    assert next(i for i in other.items if i.issue == "research").right_stance == "propose"


def test_evidence_carries_words_status_and_sources() -> None:
    """Evidence gives the provision's ref, coded stance, link relation, words, text status and sources."""
    items = {i.issue: i for i in _compare("north-proposal", "south-response").items}
    (left,) = items["dams.new-construction"].left
    (right,) = items["dams.new-construction"].right
    assert right.to_dict() == {
        "position": "south-response",
        "provision": "s-3",
        "ref": "¶3",
        "stance": "reject",
        "relation": "rejects",
        "text": "Southland will not accept a veto over its own infrastructure.",
        "text_status": "verbatim",
        "summary": None,
        "sources": ["sources/south-response.md, ¶3"],
        "answers": ["n-art-3"],
        "counts_as": "reject",
        "grade": "own-words",
    }
    assert (left.relation, left.answers, left.counts_as) == (None, (), "propose")
    (reported,) = items["research"].right
    assert (reported.text_status, reported.sources) == ("reported", ("Southland press office",))


def test_source_text_joins_file_place_witness_url_and_tag() -> None:
    """A source reads 'file, place; witness; url [tag]'."""
    source = SourceRef(file="sources/a.md", locator="Art. 1", witness="TASS", url="tass.com/x", tag="single-source")
    assert source_text(source) == "sources/a.md, Art. 1; TASS; tass.com/x [single-source]"
    assert source_text(SourceRef(witness="AFP")) == "AFP"


def test_a_position_against_itself_is_kept_everywhere() -> None:
    """A position compared with itself is a comparison of versions, and rule V0 keeps every issue."""
    result = _compare("north-proposal", "north-proposal")
    assert result.mode == "versions"
    assert {(i.category, i.status) for i in result.items} == {("kept", "kept")}
    disputes = next(i for i in result.items if i.issue == "disputes.arbitration")
    assert disputes.rationale == "reaffirm × reaffirm → kept (rule V0: both versions hold the very same provisions)"


def test_package_partly_answered_is_flagged() -> None:
    """A response that answers 3 of the 4 members of a declared package gets a cherry-picking warning."""
    result = _compare("north-proposal", "south-response")
    assert result.warnings == (
        "south-response answers 3 of 4 provisions of indivisible package 'core' "
        "(Flow, floods, dams and quality stand together) of north-proposal; not answered: n-art-7",
    )
    # The warning does not depend on the side the response is on.
    assert _compare("south-response", "north-proposal").warnings == result.warnings


def test_cherry_picking_looks_at_every_answered_position() -> None:
    """cherry_picking lists the partly answered packages of the positions a response answers."""
    record = water()
    (warning,) = cherry_picking(record, record.position("south-response"))
    assert (warning.position, warning.package, warning.engaged, warning.missing) == (
        "north-proposal",
        "core",
        ("n-art-1", "n-art-2", "n-art-3"),
        ("n-art-7",),
    )
    assert cherry_picking(record, record.position("north-reply")) == []


def test_package_without_members_means_every_provision() -> None:
    """A package with no listed members covers the whole position."""
    record = water()
    proposal = record.position("north-proposal")
    whole = proposal.model_copy(update={"packages": (Package(id="all", title="Everything"),)})
    (warning,) = package_warnings(whole, record.position("south-response"))
    assert warning.missing == ("n-art-7", "n-art-9")


def test_package_not_engaged_at_all_is_not_flagged() -> None:
    """A response that links to no member of a package is not cherry-picking (its items show as unanswered)."""
    record = water()
    assert package_warnings(record.position("north-proposal"), record.position("north-reply")) == []


def test_filter_by_category_and_issue() -> None:
    """Filters keep the items of the given categories under the given issue, its children included."""
    record = water()
    result = _compare("north-proposal", "south-response")
    taxonomy = Taxonomy.of(record)
    kept = filter_comparison(result, taxonomy, categories=["rejection"])
    assert [i.issue for i in kept.items] == ["dams.new-construction", "disputes.arbitration"]
    assert kept.summary == {"overlap": 0, "rejection": 2, "open": 0}
    kept = filter_comparison(result, taxonomy, issue="dams")
    assert [i.issue for i in kept.items] == ["dams", "dams.new-construction", "dams.data-sharing"]
    kept = filter_comparison(result, taxonomy, categories=["open", "overlap"], issue="allocation")
    assert [i.issue for i in kept.items] == ["allocation", "allocation.dry-season", "allocation.flood-season"]


def test_unknown_filter_values_are_usage_errors() -> None:
    """An unknown category or issue code is a UsageError that names the choices or the code."""
    record = water()
    result = _compare("north-proposal", "south-response")
    with pytest.raises(UsageError, match=r"^unknown category 'agreed'; choose one of: overlap, rejection, open, "):
        filter_comparison(result, Taxonomy.of(record), categories=["agreed"])
    hint = r"; did you mean 'dams'\?$"
    with pytest.raises(UsageError, match=r"^no issue 'dam' in the taxonomy of dossier 'river-accord'" + hint):
        filter_comparison(result, Taxonomy.of(record), issue="dam")


def test_differs_unless_everything_overlaps() -> None:
    """differs() is false only when every item is an overlap."""
    record = water()
    result = _compare("north-proposal", "south-response")
    assert differs(result)
    assert not differs(filter_comparison(result, Taxonomy.of(record), categories=["overlap"]))
    assert not differs(_compare("north-reply", "north-reply"))


def test_contract_shape() -> None:
    """The diff contract has its version, the mode, both positions, the items, the summary, the
    attestation counts and the warnings."""
    data = _compare("north-proposal", "south-response").to_dict()
    assert list(data) == [
        "contract",
        "mode",
        "respondent",
        "left",
        "right",
        "evidence",
        "items",
        "summary",
        "tentative",
        "min_attestation",
        "set_aside",
        "warnings",
    ]
    assert data["contract"] == "negotiation.diff/2"
    assert data["left"] == {
        "id": "north-proposal",
        "party": "north",
        "kind": "draft-agreement",
        "title": "Draft river accord",
        "date": "2024-03-01",
    }
    assert list(data["items"][0]) == [
        "issue",
        "title",
        "category",
        "status",
        "rule",
        "attestation",
        "tentative",
        "left_stance",
        "right_stance",
        "left",
        "right",
        "left_deciding",
        "right_deciding",
        "rationale",
        "rolled_up_from",
        "breakdown",
    ]
