"""Which positions a position answers, read from its ``responds_to`` and its provisions' links.

>>> from negotiation.schema import Position, Provenance
>>> p = Position(schema_version=1, id="b", party="y", kind="reply", title="B", responds_to=("a",),
...              provenance=Provenance(authenticity="fictional"))
>>> answered_positions(p, {"a": p.model_copy(update={"id": "a", "party": "x"})})
['a']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from negotiation.engine.decision import Mode, Side
from negotiation.schema import Position
from negotiation.words import counted

#: Relations that do not answer the other side: a party restating its own earlier provision, and a
#: later document's claim that something went unanswered.
NOT_ANSWERING: frozenset[str] = frozenset({"reaffirms", "ignores"})


def answered_positions(position: Position, positions: Mapping[str, Position]) -> list[str]:
    """The ids of the positions ``position`` answers: its declared ``responds_to``; when it declares
    none, the positions of other parties its provisions link to (except by ``reaffirms`` or
    ``ignores``), in the order of the links. Positions of its own party are never answered.

    Only ids present in ``positions`` are returned. A declaration wins over links so that a
    response that quotes another document in passing is not read as answering all of it.
    """
    # A party never answers its own text: a later position of the same party is a new version.
    found: list[str] = [
        pid
        for pid in dict.fromkeys(position.responds_to)
        if pid in positions and pid != position.id and positions[pid].party != position.party
    ]
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


def target_parties(position: Position, positions: Mapping[str, Position]) -> set[str]:
    """The parties ``position``'s stances are aimed at: its addressees and the parties of the
    positions it answers (never its own party)."""
    parties = set(position.addressees)
    parties.update(positions[pid].party for pid in answered_positions(position, positions))
    parties.discard(position.party)
    return parties


def diff_mode(left: Position, right: Position, positions: Mapping[str, Position]) -> tuple[Mode, Side | None]:
    """How ``diff`` reads two positions, and which side answers (or, for versions, is the later one).

    - ``versions``: the same party; the later by date is read against the earlier (the right when
      undated or on the same day);
    - ``answer``: one answers the other: it declares or links to it, or its stances are aimed at
      the other's party (addressed to it, or answering another of its positions: NATO's paper
      answers Russia's demands, which Russia's later reply to the US restates). That side is the
      respondent; when each is aimed at the other's party, the later one (the right on a tie);
    - ``alignment``: different parties, neither aimed at the other's (two allies' papers).

    >>> from negotiation.schema import Position, Provenance
    >>> a = Position(schema_version=1, id="a", party="x", addressees=("y",), kind="other", title="A",
    ...              provenance=Provenance(authenticity="fictional"))
    >>> b = a.model_copy(update={"id": "b", "party": "y", "addressees": ("x",), "responds_to": ("a",)})
    >>> c = a.model_copy(update={"id": "c", "party": "z", "addressees": ("x",), "responds_to": ("a",)})
    >>> diff_mode(a, b, {}), diff_mode(b, a, {}), diff_mode(b, c, {}), diff_mode(a, a, {})
    (('answer', 'right'), ('answer', 'left'), ('alignment', None), ('versions', 'right'))
    """
    if left.party == right.party:
        # The later version is read against the earlier, whichever column it is in.
        later_on_left = left.date is not None and right.date is not None and left.date > right.date
        return "versions", "left" if later_on_left else "right"
    pool = {**positions, left.id: left, right.id: right}
    if left.id in answered_positions(right, pool):
        return "answer", "right"
    if right.id in answered_positions(left, pool):
        return "answer", "left"
    right_answers = left.party in target_parties(right, pool)
    left_answers = right.party in target_parties(left, pool)
    if right_answers and left_answers:
        # Each is aimed at the other's party: the later one answers.
        if left.date is not None and right.date is not None and left.date > right.date:
            return "answer", "left"
        return "answer", "right"
    if right_answers:
        return "answer", "right"
    if left_answers:
        return "answer", "left"
    return "alignment", None


def uncoded_counts(positions: Iterable[Position]) -> dict[str, int]:
    """Per position (of those that have any), how many provisions are uncoded and so left out of
    every verdict; clients say so, so that a missing verdict is never taken for silence.

    >>> uncoded_counts([])
    {}
    """
    counts = {p.id: sum(not q.coded for q in p.provisions) for p in positions}
    return {pid: n for pid, n in counts.items() if n}


def uncoded_note(counts: Mapping[str, int]) -> str | None:
    """One line naming the uncoded provisions left out, or None when there are none.

    >>> uncoded_note({"draft": 3, "reply": 1})
    'left out of the verdicts: 4 uncoded provisions (draft 3, reply 1); code them to count them'
    """
    if not counts:
        return None
    each = ", ".join(f"{pid} {n}" for pid, n in counts.items())
    total = sum(counts.values())
    return f"left out of the verdicts: {counted(total, 'uncoded provision')} ({each}); code them to count them"
