"""The matrix: issues × positions over the fixture dossier, cells against what each position answers."""

from __future__ import annotations

import pytest

from negotiation.engine.answers import answered_positions
from negotiation.engine.compare import Taxonomy
from negotiation.engine.matrix import build_matrix, filter_matrix
from negotiation.engine.model import Matrix
from negotiation.errors import UsageError
from tests.engine_fixtures import water


def _cells(matrix: Matrix) -> dict[str, list[str]]:
    out = {}
    for row in matrix.rows:
        out[row.issue] = [
            f"{c.category} ({c.status})" if c.category else (c.stance if c.stance != "silent" else "")
            for c in row.cells
        ]
    return out


def test_matrix_of_the_fixture_dossier() -> None:
    """Every cell: opening positions show their stance, answers their category against what they answer."""
    matrix = build_matrix(water())
    assert [p.id for p in matrix.positions] == ["north-draft", "north-proposal", "south-response", "north-reply"]
    assert _cells(matrix) == {
        "allocation": ["propose", "propose", "open (divided)", "open (divided)"],
        "allocation.dry-season": ["propose", "propose", "open (countered)", "overlap (agreed)"],
        "allocation.flood-season": ["propose", "propose", "overlap (agreed)", "open (unanswered)"],
        "dams": ["reject", "propose", "open (divided)", "open (divided)"],
        "dams.new-construction": ["reject", "propose", "rejection (rejected)", "rejection (rejected)"],
        "dams.data-sharing": ["discuss", "propose", "open (conditional)", "open (unanswered)"],
        "quality": ["propose", "propose", "open (unanswered)", ""],
        "disputes": ["propose", "reaffirm", "open (divided)", "open (divided)"],
        "disputes.commission": ["propose", "propose", "open (negotiable)", "open (unanswered)"],
        "disputes.arbitration": ["", "reaffirm", "rejection (contested)", "rejection (contested)"],
        "fisheries": ["propose", "propose", "open (noted)", "open (unanswered)"],
        "research": ["", "propose", "overlap (compatible)", "open (unanswered)"],
        "navigation": ["", "", "open (new-item)", "open (negotiable)"],
    }


def test_cells_name_what_they_are_against_and_their_provisions() -> None:
    """An answering cell lists the answered position and the answering provisions; an opening cell none."""
    matrix = build_matrix(water())
    row = next(r for r in matrix.rows if r.issue == "dams")
    _draft, proposal, response, reply = row.cells
    assert (proposal.against, proposal.provisions) == ((), ("n-art-3", "n-art-4"))
    assert (response.against, response.provisions, response.stance) == (("north-proposal",), ("s-3", "s-4"), "reject")
    assert (reply.against, reply.provisions, reply.stance) == (("south-response",), ("r-4",), "reaffirm")


def test_cells_agree_with_diff() -> None:
    """Each answering cell is the diff verdict of the answered position against the answering one."""
    from negotiation.engine.compare import compare

    record = water()
    matrix = build_matrix(record)
    result = compare(record.position("north-proposal"), record.position("south-response"), record)
    column = [p.id for p in matrix.positions].index("south-response")
    cells = {row.issue: row.cells[column] for row in matrix.rows}
    for item in result.items:
        assert (cells[item.issue].category, cells[item.issue].status) == (item.category, item.status)


def test_selected_positions_in_the_order_given() -> None:
    """Given ids become the columns, in that order; cells are still computed against what they answer."""
    matrix = build_matrix(water(), ["north-reply", "south-response"])
    assert [p.id for p in matrix.positions] == ["north-reply", "south-response"]
    row = next(r for r in matrix.rows if r.issue == "quality")
    assert [c.status for c in row.cells] == [None, "unanswered"]


def test_unknown_position_is_a_usage_error() -> None:
    """An id not in the dossier is refused with the known ids listed."""
    with pytest.raises(UsageError, match=r"^no position 'x' in dossier 'river-accord' \(known: north-draft, "):
        build_matrix(water(), ["x"])


def test_a_declared_answer_to_its_own_party_is_a_version_not_an_answer() -> None:
    """A position that declares it answers its own party's earlier text is not compared with it."""
    record = water()
    reply = record.position("north-reply")
    both = reply.model_copy(update={"responds_to": ("south-response", "north-draft")})
    record2 = record.with_positions([(both, "north-reply.yaml")])
    assert answered_positions(both, record2.positions) == ["south-response"]
    cells = {row.issue: row.cells[0] for row in build_matrix(record2, ["north-reply"]).rows}
    # Only north-draft spoke on quality: no row, since north-reply never answers its own party.
    assert "quality" not in cells
    assert cells["disputes.arbitration"].against == ("south-response",)


def test_most_severe_comparison_wins_when_a_position_answers_several() -> None:
    """A position answering two positions shows the most severe category; against names the one(s) giving it."""
    record = water()
    proposal = record.position("north-proposal")
    # A second north paper that only restates Art. 5 on the commission, which the reply accepts.
    addendum = proposal.model_copy(
        update={"id": "north-addendum", "provisions": (proposal.provision("n-art-5"),), "packages": ()}
    )
    reply = record.position("north-reply")
    answer = record.position("south-response").model_copy(
        update={"id": "south-answer", "responds_to": ("north-proposal", "north-addendum")}
    )
    record2 = record.with_positions([(addendum, "a.yaml"), (answer, "b.yaml")])
    cells = {row.issue: row.cells[0] for row in build_matrix(record2, ["south-answer"]).rows}
    assert reply.party == "north"
    # Against north-proposal, disputes.arbitration is contested; the addendum never addressed it.
    assert (cells["disputes.arbitration"].category, cells["disputes.arbitration"].against) == (
        "rejection",
        ("north-proposal",),
    )
    # On the commission both papers say the same and both give negotiable: both are named.
    assert (cells["disputes.commission"].status, cells["disputes.commission"].against) == (
        "negotiable",
        ("north-proposal", "north-addendum"),
    )


def test_answered_positions_prefer_the_declaration() -> None:
    """A declared responds_to is what a position answers; links count only when nothing is declared."""
    record = water()
    reply = record.position("north-reply")
    assert answered_positions(reply, record.positions) == ["south-response"]
    undeclared = reply.model_copy(update={"responds_to": ()})
    # r-4 links to north-proposal with 'reaffirms' (its own party): not an answer.
    assert answered_positions(undeclared, record.positions) == ["south-response"]
    assert answered_positions(record.position("north-proposal"), record.positions) == []


def test_filter_rows_by_category_and_issue() -> None:
    """Filters keep rows with a cell in a category, under an issue; unknown values are usage errors."""
    record = water()
    taxonomy = Taxonomy.of(record)
    matrix = build_matrix(record)
    kept = filter_matrix(matrix, taxonomy, categories=["overlap"])
    assert [r.issue for r in kept.rows] == ["allocation.dry-season", "allocation.flood-season", "research"]
    kept = filter_matrix(matrix, taxonomy, issue="disputes", categories=["rejection"])
    assert [r.issue for r in kept.rows] == ["disputes.arbitration"]
    with pytest.raises(UsageError):
        filter_matrix(matrix, taxonomy, issue="nope")


def test_contract_shape() -> None:
    """The matrix contract: version, dossier, positions, rows with cells keyed by position id."""
    data = build_matrix(water(), ["north-proposal", "south-response"]).to_dict()
    assert data["contract"] == "negotiation.matrix/2"
    assert data["dossier"] == "river-accord"
    first = data["rows"][0]
    assert first["issue"] == "allocation" and first["depth"] == 0
    assert first["cells"]["south-response"] == {
        "category": "open",
        "status": "divided",
        "stance": "counter",
        "provisions": ["s-1", "s-2"],
        "against": ["north-proposal"],
        "rule": "D1",
        "attestation": "own-words",
        "tentative": False,
        "breakdown": {"open": 1, "overlap": 1},
        "deciding": {
            "north-proposal#n-art-1": "own-words",
            "north-proposal#n-art-2": "own-words",
            "south-response#s-1": "own-words",
            "south-response#s-2": "own-words",
        },
    }
    assert first["cells"]["north-proposal"]["category"] is None
