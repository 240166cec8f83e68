"""Balance: commitments per party, reciprocal or one-sided, from a position's obligations."""

from __future__ import annotations

from negotiation.engine.balance import balance
from negotiation.schema import Obligation, Provision
from tests.engine_fixtures import water


def _rows(position_id: str) -> list[tuple[str, int, int, int, int]]:
    record = water()
    result = balance(record.position(position_id), record)
    return [(p.party, p.binding, p.reciprocal, p.one_sided, p.benefiting) for p in result.parties]


def test_balance_of_the_proposal() -> None:
    """North's draft binds each side four times, three of them reciprocally."""
    assert _rows("north-proposal") == [("north", 4, 3, 1, 2), ("south", 4, 3, 1, 2)]
    record = water()
    result = balance(record.position("north-proposal"), record)
    assert (result.commitments, result.reciprocal) == (5, 3)
    assert result.parties[0].provisions == ("n-art-1", "n-art-2", "n-art-4", "n-art-7")


def test_rejections_bind_no_one() -> None:
    """Obligations on a rejecting provision are not counted as commitments."""
    record = water()
    response = record.position("south-response")
    refusal = Provision(
        id="s-x",
        ref="¶x",
        issues=("dams",),
        stance="reject",
        obligations=(Obligation(obligors=("south",)),),
        text_status="missing",
    )
    edited = response.model_copy(update={"provisions": (*response.provisions, refusal)})
    assert balance(edited, record) == balance(response, record)
    assert _rows("south-response") == [("north", 2, 1, 1, 1), ("south", 1, 1, 0, 2)]


def test_parties_outside_the_dossier_list_come_last() -> None:
    """An obligor that is not a dossier party (an alliance member) is listed after the parties, by id."""
    record = water()
    proposal = record.position("north-proposal")
    extra = Provision(
        id="n-x",
        ref="Art. X",
        issues=("quality",),
        stance="propose",
        obligations=(Obligation(obligors=("zeta", "alpha"), reciprocal=True),),
        text_status="missing",
    )
    edited = proposal.model_copy(update={"provisions": (*proposal.provisions, extra)})
    result = balance(edited, record)
    assert [p.party for p in result.parties] == ["north", "south", "alpha", "zeta"]
    assert (result.parties[2].name, result.parties[2].binding, result.parties[2].reciprocal) == ("alpha", 1, 1)


def test_a_party_bound_by_nothing_is_listed_with_zeros() -> None:
    """Every dossier party appears, with zeros when no obligation names it."""
    assert _rows("north-reply") == [("north", 1, 0, 1, 0), ("south", 0, 0, 0, 1)]


def test_contract_shape() -> None:
    """The balance contract: version, position, one entry per party, totals."""
    record = water()
    data = balance(record.position("north-reply"), record).to_dict()
    assert data == {
        "contract": "negotiation.balance/1",
        "position": {
            "id": "north-reply",
            "party": "north",
            "kind": "reply",
            "title": "Reply to Southland",
            "date": "2024-05-20",
        },
        "parties": [
            {
                "party": "north",
                "name": "Northland",
                "binding": 1,
                "reciprocal": 0,
                "one_sided": 1,
                "benefiting": 0,
                "provisions": ["r-1"],
            },
            {
                "party": "south",
                "name": "Southland",
                "binding": 0,
                "reciprocal": 0,
                "one_sided": 0,
                "benefiting": 1,
                "provisions": [],
            },
        ],
        "summary": {"commitments": 1, "reciprocal": 0},
    }
