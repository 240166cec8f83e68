"""Which positions a position answers, read from its ``responds_to`` and its provisions' links.

>>> from negotiation.schema import Position, Provenance
>>> p = Position(schema_version=1, id="b", party="y", kind="reply", title="B", responds_to=("a",),
...              provenance=Provenance(authenticity="fictional"))
>>> answered_positions(p, {"a": p.model_copy(update={"id": "a", "party": "x"})})
['a']
"""

from __future__ import annotations

from collections.abc import Mapping

from negotiation.schema import Position

#: Relations that do not answer the other side: a party restating its own earlier provision, and a
#: later document's claim that something went unanswered.
NOT_ANSWERING: frozenset[str] = frozenset({"reaffirms", "ignores"})


def answered_positions(position: Position, positions: Mapping[str, Position]) -> list[str]:
    """The ids of the positions ``position`` answers: its declared ``responds_to``; when it declares
    none, the positions of other parties its provisions link to (except by ``reaffirms`` or
    ``ignores``), in the order of the links.

    Only ids present in ``positions`` are returned. A declaration wins over links so that a
    response that quotes another document in passing is not read as answering all of it.
    """
    found: list[str] = [pid for pid in dict.fromkeys(position.responds_to) if pid in positions and pid != position.id]
    if found:
        return found
    for provision in position.provisions:
        for link in provision.responds_to:
            target = positions.get(link.position)
            if (
                target is not None
                and link.relation not in NOT_ANSWERING
                and target.party != position.party
                and link.position not in found
            ):
                found.append(link.position)
    return found
