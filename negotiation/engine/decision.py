"""The decision table: from the two sides' effective stances on an issue to a status and a category.

One table, total over every pair of side stances (the eight coded stances and ``silent``), applied
the same way by ``diff``, ``matrix`` and every other command. Categories are symmetric (swapping
the sides never changes one); only the statuses of a one-sided item depend on the direction
(``unanswered`` when the left spoke, ``new-item`` when the right spoke).

>>> decide("propose", "reaffirm").rationale
'propose × reaffirm → contested (rule R3: a proposal or principle met by the opposing principle)'
>>> decide("silent", "counter").status
'new-item'
>>> decide("silent", "silent") is None
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from negotiation.engine.model import Category, Status
from negotiation.schema import STANCES

#: What the engine finds when a side has no provision on an issue. Never coded in a file.
SILENT = "silent"
#: Every value a side's effective stance can take: the coded stances, then ``silent``.
SIDE_STANCES: tuple[str, ...] = (*STANCES, SILENT)

#: Most decisive first. A side's effective stance on an issue is the first of these it takes.
DECISIVENESS: tuple[str, ...] = (
    "reject",
    "reaffirm",
    "counter",
    "accept-conditional",
    "discuss",
    "accept",
    "propose",
    "note",
)
_RANK = {stance: i for i, stance in enumerate(DECISIVENESS)}

#: How a link's relation counts as a stance of the linking provision. ``reaffirms`` (a party
#: restating its own earlier provision) and ``ignores`` (a characterisation of silence) add none.
RELATION_STANCES: dict[str, str] = {
    "accepts": "accept",
    "accepts-conditionally": "accept-conditional",
    "discusses": "discuss",
    "counters": "counter",
    "rejects": "reject",
    "contests": "reaffirm",
    "notes": "note",
}

#: Relations that settle what they answer: the answered provision then counts as a proposal that
#: was put on the table, so an accepted counter-proposal reads as agreed, not as still countered.
SETTLING_RELATIONS: frozenset[str] = frozenset({"accepts", "accepts-conditionally"})

#: Least to most accommodating towards the other side; ``changes`` reads a move up as a concession
#: and a move down as a hardening.
ACCOMMODATION: tuple[str, ...] = (
    "reject",
    "reaffirm",
    "propose",
    "counter",
    "note",
    "discuss",
    "accept-conditional",
    "accept",
)
_ACCOMMODATION_RANK = {stance: i for i, stance in enumerate(ACCOMMODATION)}

#: Severity of categories, most severe first; rolled-up parents and matrix cells take the most severe.
SEVERITY: tuple[Category, ...] = ("rejection", "open", "overlap")
_SEVERITY_RANK = {category: i for i, category in enumerate(SEVERITY)}

#: Category of every status.
STATUS_CATEGORY: dict[Status, Category] = {
    "agreed": "overlap",
    "compatible": "overlap",
    "rejected": "rejection",
    "contested": "rejection",
    "countered": "open",
    "conditional": "open",
    "negotiable": "open",
    "noted": "open",
    "unanswered": "open",
    "new-item": "open",
}


@dataclass(frozen=True)
class Rule:
    """One rule of the table: an id cited in rationales, its category and what it means."""

    id: str
    category: Category
    reason: str


#: The rules, in the order they are tried. R0 is applied before the table (see ``identical``).
RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("R0", "overlap", "both sides hold the very same provisions"),
        Rule("R1", "open", "only one side addresses the issue"),
        Rule("R2", "rejection", "an explicit refusal"),
        Rule("R3", "rejection", "a proposal or principle met by the opposing principle"),
        Rule("R4", "open", "a different arrangement is on the table"),
        Rule("R5", "open", "accepted only under a condition"),
        Rule("R6", "open", "an offer to negotiate, nothing settled yet"),
        Rule("R7", "open", "taken note of, no commitment either way"),
        Rule("R8", "overlap", "one side accepts what the other tabled"),
        Rule("R9", "overlap", "both sides table commitments on the issue"),
    )
}


@dataclass(frozen=True)
class Verdict:
    """The outcome for one pair of effective stances: the rule that fired and the status it gives."""

    left: str
    right: str
    rule: Rule
    status: Status

    @property
    def category(self) -> Category:
        """The category of the status (overlap, rejection or open)."""
        return self.rule.category

    @property
    def rationale(self) -> str:
        """One line naming the stances, the status and the rule, e.g. for a diff row."""
        return f"{self.left} × {self.right} → {self.status} (rule {self.rule.id}: {self.rule.reason})"


def _rule_for(left: str, right: str) -> Verdict | None:
    pair = {left, right}
    if left == SILENT and right == SILENT:
        return None
    if SILENT in pair:
        return Verdict(left, right, RULES["R1"], "unanswered" if right == SILENT else "new-item")
    if "reject" in pair:
        return Verdict(left, right, RULES["R2"], "rejected")
    if "reaffirm" in pair and pair <= {"propose", "reaffirm"}:
        return Verdict(left, right, RULES["R3"], "contested")
    for stance, rule, status in (
        ("counter", "R4", "countered"),
        ("accept-conditional", "R5", "conditional"),
        ("discuss", "R6", "negotiable"),
        ("note", "R7", "noted"),
    ):
        if stance in pair:
            return Verdict(left, right, RULES[rule], status)  # type: ignore[arg-type]
    if "accept" in pair:
        # What is left: accept with propose, accept or reaffirm.
        return Verdict(left, right, RULES["R8"], "agreed")
    # Only propose × propose remains.
    return Verdict(left, right, RULES["R9"], "compatible")


#: The whole table: every (left, right) pair of side stances. ``silent × silent`` maps to None:
#: an issue neither side addresses is not compared.
TABLE: dict[tuple[str, str], Verdict | None] = {
    (left, right): _rule_for(left, right) for left in SIDE_STANCES for right in SIDE_STANCES
}

#: The verdict R0 gives: an issue on which both sides hold the very same provisions.
IDENTICAL_RULE = RULES["R0"]


def decide(left: str, right: str) -> Verdict | None:
    """The verdict for a pair of effective stances (``silent`` included); None for silent × silent.

    >>> decide("propose", "accept").status
    'agreed'
    """
    try:
        return TABLE[(left, right)]
    except KeyError:
        raise ValueError(f"unknown stance pair {left!r} × {right!r}") from None


def identical(left: str, right: str) -> Verdict:
    """The R0 verdict for an issue on which both sides hold the very same provisions."""
    return Verdict(left, right, IDENTICAL_RULE, "agreed")


def most_decisive(stances: Iterable[str]) -> str:
    """The most decisive of ``stances`` (see :data:`DECISIVENESS`), or ``silent`` if there are none.

    >>> most_decisive(["propose", "discuss", "note"])
    'discuss'
    """
    best = SILENT
    best_rank = len(DECISIVENESS)
    for stance in stances:
        rank = _RANK[stance]
        if rank < best_rank:
            best, best_rank = stance, rank
    return best


def relation_stance(relation: str) -> str | None:
    """The stance a link relation counts as, or None for ``reaffirms`` and ``ignores``."""
    return RELATION_STANCES.get(relation)


def movement(old: str, new: str) -> Literal["concession", "hardening"] | None:
    """How a stance moved: ``concession`` (more accommodating), ``hardening``, or None if unchanged.

    >>> movement("reject", "discuss")
    'concession'
    """
    if old == new:
        return None
    return "concession" if _ACCOMMODATION_RANK[new] > _ACCOMMODATION_RANK[old] else "hardening"


def severity(category: Category | None) -> int:
    """Sort key of a category: 0 for the most severe (rejection); None sorts last."""
    return len(SEVERITY) if category is None else _SEVERITY_RANK[category]


def decision_table_markdown() -> str:
    """The table as Markdown (the generated part of docs/decision-table.md)."""
    short = {stance: stance for stance in SIDE_STANCES}
    lines = [
        "| left \\ right | " + " | ".join(short[s] for s in SIDE_STANCES) + " |",
        "|---|" + "---|" * len(SIDE_STANCES),
    ]
    for left in SIDE_STANCES:
        cells = []
        for right in SIDE_STANCES:
            verdict = TABLE[(left, right)]
            cells.append("—" if verdict is None else f"{verdict.category} · {verdict.status} · {verdict.rule.id}")
        lines.append(f"| **{left}** | " + " | ".join(cells) + " |")
    lines += ["", "| rule | category | statuses | meaning |", "|---|---|---|---|"]
    for rule in RULES.values():
        statuses = sorted(
            {v.status for v in TABLE.values() if v is not None and v.rule.id == rule.id}
            or ({"agreed"} if rule.id == "R0" else set())
        )
        lines.append(f"| {rule.id} | {rule.category} | {', '.join(statuses)} | {rule.reason} |")
    lines += [
        "",
        "Decisiveness (a side's effective stance is the first it takes): " + " > ".join(DECISIVENESS) + ".",
        "",
        "Link relations counted as stances: "
        + ", ".join(f"{relation} → {stance}" for relation, stance in RELATION_STANCES.items())
        + "; reaffirms and ignores add none.",
        "",
        "Relations that settle the answered provision (it then counts as propose): "
        + ", ".join(sorted(SETTLING_RELATIONS))
        + ".",
        "",
        "Accommodation, least to most (a move up is a concession, down a hardening): "
        + " < ".join(ACCOMMODATION)
        + ".",
        "",
        "Severity for roll-ups and matrix cells: " + " > ".join(SEVERITY) + ".",
    ]
    return "\n".join(lines) + "\n"
