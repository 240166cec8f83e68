"""Unit tests of the schema v1 models: vocabularies, validators, defaults, immutability."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pydantic
import pytest

from negotiation import schema
from negotiation.schema import (
    Condition,
    DecisionRule,
    Dossier,
    Issue,
    Link,
    Obligation,
    Party,
    Position,
    Provenance,
    Provision,
    SourceRef,
    issue_ancestors,
)


def provision(**changes: Any) -> dict[str, Any]:
    """A valid provision as data, with ``changes`` applied."""
    data: dict[str, Any] = {
        "id": "art-1",
        "ref": "Art. 1",
        "issues": ["flow"],
        "stance": "propose",
        "text_status": "missing",
    }
    data.update(changes)
    return data


def position(**changes: Any) -> dict[str, Any]:
    """A valid position as data, with ``changes`` applied."""
    data: dict[str, Any] = {
        "schema_version": 1,
        "id": "ald-1",
        "party": "ald",
        "kind": "statement",
        "title": "A statement",
        "provenance": {"authenticity": "fictional"},
    }
    data.update(changes)
    return data


def errors(model: type[pydantic.BaseModel], data: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    """The (location, type) of every validation error ``data`` raises."""
    with pytest.raises(pydantic.ValidationError) as info:
        model.model_validate(data)
    return [(tuple(e["loc"]), e["type"]) for e in info.value.errors()]


def test_stances_are_the_documented_vocabulary() -> None:
    """The stance vocabulary is exactly the eight documented stances, and 'silent' is not one."""
    assert schema.STANCES == (
        "propose",
        "accept",
        "accept-conditional",
        "discuss",
        "counter",
        "reject",
        "reaffirm",
        "note",
    )


def test_relations_are_the_documented_vocabulary() -> None:
    """The link relations are exactly the nine documented ones."""
    assert schema.RELATIONS == (
        "accepts",
        "accepts-conditionally",
        "discusses",
        "counters",
        "rejects",
        "contests",
        "notes",
        "reaffirms",
        "ignores",
    )


def test_text_statuses() -> None:
    """Text statuses are verbatim, partial, reported and missing."""
    assert schema.TEXT_STATUSES == ("verbatim", "partial", "reported", "missing")


def test_schema_version_constants() -> None:
    """This release writes and reads schema version 1 only."""
    assert (schema.SCHEMA_VERSION, schema.SUPPORTED_SCHEMA_VERSIONS) == (1, (1,))


def test_silent_is_never_a_coded_stance() -> None:
    """'silent' is refused as a stance: it is what the engine finds, never what a file says."""
    assert errors(Provision, provision(stance="silent")) == [(("stance",), "literal_error")]


def test_unknown_fields_are_refused() -> None:
    """Every model forbids fields it does not know."""
    assert errors(Provision, provision(colour="red")) == [(("colour",), "extra_forbidden")]


def test_models_are_frozen() -> None:
    """A built model cannot be changed."""
    built = Provision.model_validate(provision())
    with pytest.raises(pydantic.ValidationError):
        built.stance = "reject"  # type: ignore[misc]


def test_ids_follow_the_pattern() -> None:
    """Ids are lower-case letters, digits, '-', '.', '_' starting with a letter or digit."""
    Provision.model_validate(provision(id="art-4.2_b"))
    assert errors(Provision, provision(id="-art")) == [(("id",), "string_pattern_mismatch")]
    assert errors(Provision, provision(id="Art 1")) == [(("id",), "string_pattern_mismatch")]
    assert errors(Provision, provision(id="")) == [(("id",), "string_too_short")]


def test_issue_codes_are_dotted() -> None:
    """Issue codes are dot-separated lower-case segments; underscores and empty segments are refused."""
    Provision.model_validate(provision(issues=["missiles.intermediate-range"]))
    bad = provision(issues=["flow", "missiles..x", "a_b"])
    assert errors(Provision, bad) == [
        (("issues", 1), "string_pattern_mismatch"),
        (("issues", 2), "string_pattern_mismatch"),
    ]


def test_provision_is_coded_or_uncoded_and_names_no_issue_twice() -> None:
    """Issues and stance come together or not at all (uncoded); an issue is never named twice."""
    assert errors(Provision, provision(issues=[])) == [((), "value_error")]
    assert errors(Provision, provision(issues=["flow", "flow"])) == [((), "value_error")]
    uncoded = provision(issues=[])
    del uncoded["stance"]
    assert not Provision.model_validate(uncoded).coded
    assert Provision.model_validate(uncoded).stance_shown == "uncoded"
    linked = {**uncoded, "linked_to": ["art-2"]}
    assert errors(Provision, linked) == [((), "value_error")]


def test_missing_text_status_carries_no_text() -> None:
    """text_status 'missing' with text is refused."""
    assert errors(Provision, provision(text="words")) == [((), "value_error")]


@pytest.mark.parametrize("status", ["verbatim", "partial", "reported"])
def test_recovered_statuses_need_text(status: str) -> None:
    """verbatim, partial and reported need text."""
    assert errors(Provision, provision(text_status=status, sources=[{"file": "s.md", "witness": "W"}])) == [
        ((), "value_error")
    ]


@pytest.mark.parametrize("status", ["verbatim", "partial"])
def test_document_words_need_a_file_source(status: str) -> None:
    """verbatim and partial text needs a source naming the bundled file its words are in."""
    data = provision(text="The Parties shall...", text_status=status, sources=[{"url": "https://example.org"}])
    assert errors(Provision, data) == [((), "value_error")]
    data["sources"] = [{"file": "sources/a.md", "locator": "Art. 1"}]
    assert Provision.model_validate(data).text_status == status


def test_reported_text_needs_a_reporter() -> None:
    """reported text needs a source with a url or a witness; a file alone is not enough."""
    data = provision(text="Said to propose...", text_status="reported", sources=[{"file": "sources/a.md"}])
    assert errors(Provision, data) == [((), "value_error")]
    data["sources"] = [{"witness": "Varna Daily"}]
    assert Provision.model_validate(data).text_status == "reported"


def test_source_names_something() -> None:
    """A source with none of file, url, witness is refused."""
    assert errors(SourceRef, {"locator": "p. 3"}) == [((), "value_error")]
    assert SourceRef(witness="TASS").witness == "TASS"


def test_decision_rule_k_only_for_k_of_n() -> None:
    """k is required for k-of-n and refused for every other rule; it is at least 1."""
    assert DecisionRule(kind="k-of-n", k=2).k == 2
    assert errors(DecisionRule, {"kind": "k-of-n"}) == [((), "value_error")]
    assert errors(DecisionRule, {"kind": "consensus", "k": 2}) == [((), "value_error")]
    assert errors(DecisionRule, {"kind": "k-of-n", "k": 0}) == [(("k",), "greater_than_equal")]


def test_obligation_needs_an_obligor() -> None:
    """An obligation binds at least one party and is not reciprocal unless said so."""
    assert errors(Obligation, {"obligors": []}) == [(("obligors",), "too_short")]
    assert Obligation(obligors=("ald",)).reciprocal is False


def test_link_target_parts() -> None:
    """A link target splits into the position and the provision; a target without '#' is refused."""
    link = Link(to="ald-1#art-2", relation="rejects")
    assert (link.position, link.provision) == ("ald-1", "art-2")
    assert errors(Link, {"to": "ald-1", "relation": "rejects"}) == [(("to",), "string_pattern_mismatch")]


def test_condition_kinds() -> None:
    """Conditions have a closed set of kinds."""
    assert Condition(kind="reciprocity", description="If B does the same.").party is None
    assert errors(Condition, {"kind": "whim", "description": "x"}) == [(("kind",), "literal_error")]


def test_issue_parent() -> None:
    """An issue's parent is its code without the last segment; top-level issues have none."""
    assert Issue(code="flow.dry-season", title="Dry season").parent == "flow"
    assert Issue(code="flow", title="Flow").parent is None


def test_issue_ancestors_nearest_first() -> None:
    """issue_ancestors lists every ancestor code, nearest first."""
    assert issue_ancestors("a.b.c") == ["a.b", "a"]
    assert issue_ancestors("a") == []


def test_position_date_prefers_delivery() -> None:
    """A position is dated by its delivery, else its publication, else not at all."""
    both = Position.model_validate(position(delivered="2031-01-02", published="2031-01-05"))
    assert both.date == dt.date(2031, 1, 2)
    assert Position.model_validate(position(published="2031-01-05")).date == dt.date(2031, 1, 5)
    assert Position.model_validate(position()).date is None


def test_position_defaults() -> None:
    """A position is version 1 with no provisions, links or packages unless said otherwise."""
    built = Position.model_validate(position())
    assert (built.version, built.supersedes, built.responds_to, built.provisions, built.packages) == (
        1,
        None,
        (),
        (),
        (),
    )


def test_position_version_starts_at_one() -> None:
    """Version 0 is refused."""
    assert errors(Position, position(version=0)) == [(("version",), "greater_than_equal")]


def test_position_provision_lookup() -> None:
    """Position.provision finds a provision by id, or returns None."""
    built = Position.model_validate(position(provisions=[provision(), provision(id="art-2")]))
    found = built.provision("art-2")
    assert found is not None and found.id == "art-2"
    assert built.provision("art-9") is None


def test_provenance_defaults_to_original() -> None:
    """Provenance needs an authenticity; translation defaults to 'original'."""
    assert Provenance(authenticity="leaked").translation == "original"
    assert errors(Provenance, {}) == [(("authenticity",), "missing")]


def test_impossible_date_is_refused() -> None:
    """A date that does not exist is refused at its field."""
    assert errors(Position, position(delivered="2031-02-30")) == [(("delivered",), "date_from_datetime_parsing")]


def test_dossier_needs_parties_and_issues() -> None:
    """A dossier has at least one party and one issue."""
    data = {"schema_version": 1, "id": "d", "title": "D", "parties": [], "issues": []}
    assert errors(Dossier, data) == [(("parties",), "too_short"), (("issues",), "too_short")]


def test_party_members_and_rule() -> None:
    """An alliance lists members and a decision rule."""
    party = Party(
        id="nato",
        name="NATO",
        kind="alliance",
        members=("usa", "fra"),
        decision_rule=DecisionRule(kind="consensus"),
    )
    assert party.members == ("usa", "fra")
    assert party.decision_rule is not None and party.decision_rule.kind == "consensus"


def test_text_length_limits() -> None:
    """Short texts stop at 2,000 characters, long texts at 100,000."""
    assert errors(Provision, provision(summary="x" * 2001)) == [(("summary",), "string_too_long")]
    Provision.model_validate(provision(notes="x" * 100_000))
    assert errors(Provision, provision(notes="x" * 100_001)) == [(("notes",), "string_too_long")]
