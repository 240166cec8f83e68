"""Changes between versions: matching by identity, moves, field changes, redlines and stance movement."""

from __future__ import annotations

import pytest

from negotiation.engine.changes import changes, match_provisions, redline_pieces, render_redline
from negotiation.engine.model import FieldChange
from negotiation.schema import Obligation, Position, Provenance, Provision, SourceRef
from tests.engine_fixtures import draft_versions


def _provision(pid: str, ref: str, text: str | None, *, issues: tuple[str, ...] = ("x",), **extra: object) -> Provision:
    status = "missing" if text is None else "reported"
    sources = () if text is None else (SourceRef(witness="W"),)
    return Provision(
        id=pid, ref=ref, issues=issues, stance="propose", text=text, text_status=status, sources=sources, **extra
    )


def _position(*provisions: Provision) -> Position:
    return Position(
        schema_version=1,
        id="p",
        party="x",
        kind="other",
        title="P",
        provenance=Provenance(authenticity="fictional"),
        provisions=provisions,
    )


def test_fixture_versions_report_exactly_the_changes_made() -> None:
    """v1 → v2 of north-draft: a move, a renumbering, two edits, a reworded renumbering, a removal, an addition."""
    result = changes(*draft_versions())
    assert result.added == ("d-7",)
    assert result.removed == ("d-6",)
    assert [(c.old_id, c.new_id, c.matched_by, c.moved, [f.path for f in c.fields]) for c in result.changed] == [
        ("d-2", "d-flood", "ref", False, ["id"]),
        ("d-3", "d-3", "id", False, ["stance", "text"]),
        ("d-4", "d-4", "id", False, ["stance", "obligations[0].reciprocal"]),
        ("d-8", "d-fish", "text", False, ["id", "ref", "text"]),
    ]
    assert [(c.old_id, c.old_index, c.new_index, c.fields) for c in result.moved] == [("d-5", 4, 0, ())]


def test_fixture_field_values_redline_and_movement() -> None:
    """The edited provisions carry old and new values, a word-level redline and their stance movement."""
    changed = {c.new_id: c for c in changes(*draft_versions()).changed}
    assert changed["d-flood"].renumbered
    assert changed["d-3"].stance_movement == "concession"
    assert changed["d-3"].redline == (
        "Northland [-rejects-] {+is ready to discuss+} any new dam on the main stem {+above 10 megawatts+}."
    )
    assert changed["d-4"].stance_movement == "hardening"
    assert changed["d-4"].fields[1] == FieldChange("obligations[0].reciprocal", True, False)
    assert changed["d-fish"].redline == (
        "Fishing quotas shall be set jointly each year by the [-Parties-] {+basin commission+}."
    )
    assert (changed["d-fish"].old_ref, changed["d-fish"].ref) == ("Art. 7", "Art. 8")


def test_a_ref_alone_on_another_issue_is_no_match() -> None:
    """The new Art. 7 (navigation) is not taken for the old Art. 7 (fisheries): a ref needs a shared issue."""
    pairs = match_provisions(*(v.provisions for v in draft_versions()))
    old, new = draft_versions()
    named = {(old.provisions[i].id, new.provisions[j].id) for i, j, _ in pairs}
    assert ("d-8", "d-7") not in named
    assert ("d-8", "d-fish") in named


def test_same_words_win_over_a_reused_ref() -> None:
    """A renumbered provision is matched by its words even when a removed one had its new ref."""
    old = _position(_provision("a", "Art. 5", "Old article five."), _provision("b", "Art. 6", "The moving article."))
    new = _position(_provision("c", "Art. 5", "The moving article."))
    result = changes(old, new)
    assert (result.removed, result.added) == (("a",), ())
    (change,) = result.changed
    assert (change.old_id, change.new_id, change.matched_by) == ("b", "c", "text")
    assert [f.path for f in change.fields] == ["id", "ref"]


def test_insertion_does_not_move_what_follows() -> None:
    """One provision inserted at the top adds one and moves none."""
    items = [_provision(f"p{i}", f"Art. {i}", f"Text {i}.") for i in range(5)]
    result = changes(_position(*items), _position(_provision("new", "Art. 0", "Brand new."), *items))
    assert (result.added, result.moved, result.changed) == (("new",), (), ())


def test_swap_moves_one_provision() -> None:
    """Swapping two neighbours reports one move (the longest run in order stays put)."""
    a, b, c = (_provision(x, x, f"Text {x}.") for x in "abc")
    result = changes(_position(a, b, c), _position(b, a, c))
    assert [m.old_id for m in result.moved] == ["a"]
    assert not result.changed


def test_same_position_has_no_changes() -> None:
    """changes(a, a) is empty."""
    old, _ = draft_versions()
    assert changes(old, old).empty


def test_issues_order_and_linked_ids_renumbered_together_are_no_change() -> None:
    """Reordered issue codes, and links to a provision renumbered in the same step, are not changes."""
    a = _provision("a", "Art. 1", "First.", issues=("x", "y"), linked_to=("b",))
    b = _provision("b", "Art. 2", "Second.")
    a2 = _provision("a", "Art. 1", "First.", issues=("y", "x"), linked_to=("b2",))
    b2 = _provision("b2", "Art. 2", "Second.")
    result = changes(_position(a, b), _position(a2, b2))
    assert [(c.old_id, [f.path for f in c.fields]) for c in result.changed] == [("b", ["id"])]


def test_nested_field_changes_have_readable_paths() -> None:
    """Changes inside obligations and links are reported with paths like obligations[0].obligors[1]."""
    from negotiation.schema import Link

    old = _provision("a", "Art. 1", "T.", obligations=(Obligation(obligors=("x",)),))
    new = _provision(
        "a",
        "Art. 1",
        "T.",
        obligations=(Obligation(obligors=("x", "y")),),
        responds_to=(Link(to="other#p-1", relation="rejects"),),
    )
    (change,) = changes(_position(old), _position(new)).changed
    assert change.fields == (
        FieldChange("obligations[0].obligors[1]", None, "y"),
        FieldChange("responds_to", {}, {"other#p-1": {"relation": "rejects", "note": None}}),
    )


def test_similar_words_match_when_id_and_ref_changed() -> None:
    """A provision with new id and ref but mostly the same words is matched by its words."""
    old = _position(_provision("a", "Art. 1", "The parties shall exchange gauge readings every day."))
    new = _position(_provision("z", "Art. 9", "The parties shall exchange gauge readings every week."))
    (change,) = changes(old, new).changed
    assert (change.matched_by, change.redline) == (
        "text",
        "The parties shall exchange gauge readings every [-day-] {+week+}.",
    )


def test_dissimilar_words_do_not_match() -> None:
    """Below the similarity threshold a provision is removed and another added."""
    old = _position(_provision("a", "Art. 1", "The parties shall exchange gauge readings."))
    new = _position(_provision("z", "Art. 9", "Fishing quotas are set by the commission."))
    result = changes(old, new)
    assert (result.removed, result.added, result.changed) == (("a",), ("z",), ())


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("a b c", "a b c", "a b c"),
    ("a b c", "a x c", "a [-b-] {+x+} c"),
    ("40 per cent.", "50 per cent, at least.", "[-40-] {+50+} per cent{+, at least+}."),
    ("a.", "a!", "a[-.-] {+!+}"),
    (None, "New words.", "{+New words.+}"),
    ("Old words.", None, "[-Old words.-]"),
    ("a\n  b", "a b", "a b"),
])  # fmt: skip
def test_redline(old: str | None, new: str | None, expected: str) -> None:
    """The redline marks struck and added words; white space counts as one space."""
    assert render_redline(redline_pieces(old, new)) == expected


def test_redline_pieces_rebuild_both_texts() -> None:
    """Kept and struck pieces give the old text; kept and added pieces the new one."""
    old, new = "Northland rejects any new dam.", "Northland is ready to discuss any dam, above 10 MW."
    pieces = redline_pieces(old, new)
    assert "".join(p.text for p in pieces if p.op != "insert") == old
    assert "".join(p.text for p in pieces if p.op != "delete") == new


def test_contract_shape() -> None:
    """The changes contract: version, both positions, added and removed with refs, changed, moved, summary."""
    data = changes(*draft_versions()).to_dict()
    assert list(data) == ["contract", "old", "new", "added", "removed", "changed", "moved", "summary"]
    assert data["contract"] == "negotiation.changes/1"
    assert data["added"] == [
        {"id": "d-7", "ref": "Art. 7", "stance": "propose", "issues": ["navigation"], "index": 5, "summary": None}
    ]
    assert data["summary"] == {"added": 1, "removed": 1, "changed": 4, "moved": 1}
    d3 = next(c for c in data["changed"] if c["new_id"] == "d-3")
    assert d3["redline_pieces"][:2] == [{"op": "equal", "text": "Northland"}, {"op": "delete", "text": " rejects"}]
