"""Balance: who would be bound by a position's commitments, and how many bind both ways.

Every obligation of every provision that tables or accepts something counts (a ``reject``
provision creates no commitment, so its obligations are left out). An obligation binds each of its
obligors once; it is reciprocal when coded so. Parties are counted as coded: an obligation of an
alliance counts for the alliance, not for each member.

>>> from negotiation.loading import load_dossier                               # doctest: +SKIP
>>> record = load_dossier("tests/data/engine/water")                           # doctest: +SKIP
>>> result = balance(record.position("north-proposal"), record)                # doctest: +SKIP
>>> [(p.party, p.binding, p.reciprocal) for p in result.parties]               # doctest: +SKIP
[('north', 4, 3), ('south', 4, 3)]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from negotiation.engine.compare import position_info
from negotiation.engine.model import CONTRACT_VERSION, PositionInfo
from negotiation.loading import LoadedDossier
from negotiation.schema import Position

#: Stances whose obligations are not commitments of the position.
NOT_COMMITTING: frozenset[str] = frozenset({"reject"})


@dataclass(frozen=True)
class PartyBalance:
    """One party's share of a position's commitments."""

    party: str
    name: str
    #: Obligations that would bind the party.
    binding: int
    #: Of those, the ones that bind the other side(s) too.
    reciprocal: int
    #: Obligations of which the party is a beneficiary.
    benefiting: int
    #: The provisions with an obligation binding the party, in document order.
    provisions: tuple[str, ...]

    @property
    def one_sided(self) -> int:
        """Obligations binding the party that are not reciprocal."""
        return self.binding - self.reciprocal

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "party": self.party,
            "name": self.name,
            "binding": self.binding,
            "reciprocal": self.reciprocal,
            "one_sided": self.one_sided,
            "benefiting": self.benefiting,
            "provisions": list(self.provisions),
        }


@dataclass(frozen=True)
class Balance:
    """The commitments of one position, party by party (``negotiation balance``)."""

    position: PositionInfo
    parties: tuple[PartyBalance, ...]
    #: Obligations counted, and how many of them are reciprocal.
    commitments: int
    reciprocal: int

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON contract of ``negotiation balance``."""
        return {
            "contract": f"negotiation.balance/{CONTRACT_VERSION}",
            "position": self.position.to_dict(),
            "parties": [p.to_dict() for p in self.parties],
            "summary": {"commitments": self.commitments, "reciprocal": self.reciprocal},
        }


def balance(position: Position, record: LoadedDossier) -> Balance:
    """Count, per party, the commitments of ``position`` that would bind it and how many are reciprocal.

    Parties come in the dossier's order, then any other obligor or beneficiary (alliance members)
    alphabetically; a dossier party that no obligation names is listed with zeros.
    """
    binding: dict[str, list[str]] = {}
    reciprocal: dict[str, int] = {}
    benefiting: dict[str, int] = {}
    commitments = mutual = 0
    for provision in position.provisions:
        if provision.stance in NOT_COMMITTING:
            continue
        for obligation in provision.obligations:
            commitments += 1
            mutual += obligation.reciprocal
            for party in dict.fromkeys(obligation.obligors):
                binding.setdefault(party, []).append(provision.id)
                reciprocal[party] = reciprocal.get(party, 0) + obligation.reciprocal
            for party in dict.fromkeys(obligation.beneficiaries):
                benefiting[party] = benefiting.get(party, 0) + 1
    names = {party.id: party.name for party in record.dossier.parties}
    others = sorted((set(binding) | set(benefiting)) - set(names))
    parties = tuple(
        PartyBalance(
            party=pid,
            name=names.get(pid, pid),
            binding=len(binding.get(pid, ())),
            reciprocal=reciprocal.get(pid, 0),
            benefiting=benefiting.get(pid, 0),
            provisions=tuple(dict.fromkeys(binding.get(pid, ()))),
        )
        for pid in [*names, *others]
    )
    return Balance(position_info(position), parties, commitments, mutual)
