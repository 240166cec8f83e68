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
from dataclasses import dataclass, replace
from typing import Literal

from negotiation.engine.model import Category, Status
from negotiation.schema import STANCES

#: Which of the two compared positions: the left or the right one.
Side = Literal["left", "right"]

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

#: Least to most accommodating towards the other side; a move up between two versions is a
#: concession and a move down a hardening (the three lowest hold the same line: see VERSION_LEVEL).
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

#: Category of every answer status.
STATUS_CATEGORY: dict[Status, Category] = {
    "divided": "open",
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

#: How a diff reads its two positions, decided from the data (see negotiation.engine.answers):
#: ``answer`` (one answers the other), ``versions`` (same party), ``alignment`` (neither answers the
#: other, e.g. two allies' papers answering the same third party).
Mode = Literal["answer", "versions", "alignment"]
MODES: tuple[Mode, ...] = ("answer", "versions", "alignment")

#: The categories of each mode, most severe first (rolled-up parents and matrix cells sort by it).
MODE_CATEGORIES: dict[Mode, tuple[Category, ...]] = {
    "answer": ("rejection", "open", "overlap"),
    "versions": ("hardening", "mixed", "dropped", "concession", "added", "kept"),
    "alignment": ("different-lines", "only-left", "only-right", "same-line"),
}

#: Every category, mode by mode, most severe first within its mode (no category is in two modes).
SIGNIFICANCE: tuple[Category, ...] = tuple(c for mode in MODES for c in MODE_CATEGORIES[mode])
_SEVERITY_RANK: dict[Category, int] = {c: i for mode in MODES for i, c in enumerate(MODE_CATEGORIES[mode])}

#: Alignment: the line a stance takes towards the party both positions answer.
LINES: dict[str, str] = {
    "reject": "refuses",
    "reaffirm": "refuses",
    "propose": "commits",
    "accept": "commits",
    "counter": "engages",
    "accept-conditional": "engages",
    "discuss": "engages",
    "note": "engages",
}

#: Versions: how far a stance accommodates the other side, for a party's movement between two of
#: its own positions. As :data:`ACCOMMODATION`, except that tabling a demand (propose), restating
#: it (reaffirm) and refusing the other side's answer to it (reject: a party never rejects its own
#: text, so a later version's refusal is aimed at the other side) all hold the same line.
VERSION_LEVEL: dict[str, int] = {
    "reject": 0,
    "reaffirm": 0,
    "propose": 0,
    "counter": 1,
    "note": 2,
    "discuss": 3,
    "accept-conditional": 4,
    "accept": 5,
}


@dataclass(frozen=True)
class Rule:
    """One rule of the table: an id cited in rationales, the category (or categories) it gives and
    what it means."""

    id: str
    category: str
    reason: str


#: The rules, in the order they are tried within each mode. R0, A0 and V0 are applied before the
#: table (see ``identical``); D1 only to a parent issue (see negotiation.engine.compare).
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
        Rule("A0", "same-line", "both positions hold the very same provisions"),
        Rule("A1", "only-left, only-right", "only one position addresses the issue"),
        Rule("A2", "same-line", "both take the same stance towards the party they answer"),
        Rule("A3", "same-line", "different stances on the same line (both refuse, commit or engage)"),
        Rule("A4", "different-lines", "one refuses, commits or engages where the other does not"),
        Rule("V0", "kept", "both versions hold the very same provisions"),
        Rule("V1", "added", "only the later version addresses the issue"),
        Rule("V2", "dropped", "only the earlier version addresses the issue"),
        Rule("V3", "kept", "the later version holds the same line"),
        Rule("V4", "concession", "the later version moves towards the other side"),
        Rule("V5", "hardening", "the later version moves away from the other side"),
        Rule("D1", "open, different-lines, mixed", "the parts of a parent issue divide and none decides"),
    )
}

#: The rules of each mode, in the order they are documented.
MODE_RULES: dict[Mode, tuple[str, ...]] = {
    "answer": ("R0", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "D1"),
    "alignment": ("A0", "A1", "A2", "A3", "A4", "D1"),
    "versions": ("V0", "V1", "V2", "V3", "V4", "V5", "D1"),
}

#: What a parent takes when its parts divide (rule D1), per mode: its category and status.
DIVIDED: dict[Mode, tuple[Category, Status]] = {
    "answer": ("open", "divided"),
    "alignment": ("different-lines", "divided"),
    "versions": ("mixed", "divided"),
}


@dataclass(frozen=True)
class Verdict:
    """The outcome for one pair of effective stances: the rule that fired, the status and category."""

    left: str
    right: str
    rule: Rule
    status: Status
    category: Category

    @property
    def rationale(self) -> str:
        """One line naming the stances, the status and the rule, e.g. for a diff row."""
        return f"{self.left} × {self.right} → {self.status} (rule {self.rule.id}: {self.rule.reason})"


def _answer(left: str, right: str, status: Status, rule: str) -> Verdict:
    return Verdict(left, right, RULES[rule], status, STATUS_CATEGORY[status])


def _rule_for(left: str, right: str) -> Verdict | None:
    """The answer table, with the position answered on the left and the answer on the right."""
    pair = {left, right}
    if left == SILENT and right == SILENT:
        return None
    if SILENT in pair:
        return _answer(left, right, "unanswered" if right == SILENT else "new-item", "R1")
    if "reject" in pair:
        return _answer(left, right, "rejected", "R2")
    if "reaffirm" in pair and pair <= {"propose", "reaffirm"}:
        return _answer(left, right, "contested", "R3")
    for stance, rule, status in (
        ("counter", "R4", "countered"),
        ("accept-conditional", "R5", "conditional"),
        ("discuss", "R6", "negotiable"),
        ("note", "R7", "noted"),
    ):
        if stance in pair:
            return _answer(left, right, status, rule)  # type: ignore[arg-type]
    if "accept" in pair:
        # What is left: accept with propose, accept or reaffirm.
        return _answer(left, right, "agreed", "R8")
    # Only propose × propose remains.
    return _answer(left, right, "compatible", "R9")


def _alignment_rule(left: str, right: str) -> Verdict | None:
    if left == SILENT and right == SILENT:
        return None
    if right == SILENT:
        return Verdict(left, right, RULES["A1"], "only-left", "only-left")
    if left == SILENT:
        return Verdict(left, right, RULES["A1"], "only-right", "only-right")
    if left == right:
        return Verdict(left, right, RULES["A2"], "same-stance", "same-line")
    if LINES[left] == LINES[right]:
        return Verdict(left, right, RULES["A3"], "same-family", "same-line")
    return Verdict(left, right, RULES["A4"], "divergent", "different-lines")


def movement(old: str, new: str) -> Literal["concession", "hardening"] | None:
    """How a stance moved between two versions of a party's position: ``concession`` (more
    accommodating), ``hardening``, or None when it holds the same line (see :data:`VERSION_LEVEL`).

    ``changes`` (provision by provision) and ``diff`` of two versions (issue by issue) both read
    movement with this one function.

    >>> movement("reject", "discuss"), movement("propose", "reaffirm")
    ('concession', None)
    """
    if VERSION_LEVEL[old] == VERSION_LEVEL[new]:
        return None
    return "concession" if VERSION_LEVEL[new] > VERSION_LEVEL[old] else "hardening"


def _versions_rule(old: str, new: str) -> Verdict | None:
    if old == SILENT and new == SILENT:
        return None
    if old == SILENT:
        return Verdict(old, new, RULES["V1"], "added", "added")
    if new == SILENT:
        return Verdict(old, new, RULES["V2"], "dropped", "dropped")
    moved = movement(old, new)
    if moved is None:
        return Verdict(old, new, RULES["V3"], "kept", "kept")
    if moved == "concession":
        return Verdict(old, new, RULES["V4"], "concession", "concession")
    return Verdict(old, new, RULES["V5"], "hardening", "hardening")


#: The whole answer table: every (answered, answer) pair of side stances. ``silent × silent`` maps
#: to None: an issue neither side addresses is not compared.
TABLE: dict[tuple[str, str], Verdict | None] = {
    (left, right): _rule_for(left, right) for left in SIDE_STANCES for right in SIDE_STANCES
}
#: The alignment table: every (left, right) pair.
ALIGNMENT_TABLE: dict[tuple[str, str], Verdict | None] = {
    (left, right): _alignment_rule(left, right) for left in SIDE_STANCES for right in SIDE_STANCES
}
#: The versions table: every (earlier, later) pair.
VERSIONS_TABLE: dict[tuple[str, str], Verdict | None] = {
    (old, new): _versions_rule(old, new) for old in SIDE_STANCES for new in SIDE_STANCES
}
MODE_TABLES: dict[Mode, dict[tuple[str, str], Verdict | None]] = {
    "answer": TABLE,
    "alignment": ALIGNMENT_TABLE,
    "versions": VERSIONS_TABLE,
}

#: The verdict R0 gives: an issue on which both sides hold the very same provisions.
IDENTICAL_RULE = RULES["R0"]
_IDENTICAL: dict[Mode, tuple[str, Status, Category]] = {
    "answer": ("R0", "agreed", "overlap"),
    "alignment": ("A0", "same-stance", "same-line"),
    "versions": ("V0", "kept", "kept"),
}


def decide(left: str, right: str, mode: Mode = "answer", *, respondent: Side = "right") -> Verdict | None:
    """The verdict for a pair of effective stances (``silent`` included); None for silent × silent.

    In ``answer`` mode ``respondent`` names the side that answers: only rule R1 depends on it
    (*unanswered* when the answered side spoke and the respondent did not, *new-item* the other
    way). In ``versions`` mode it names the later version (movement is read from the other one).

    >>> decide("propose", "accept").status
    'agreed'
    >>> decide("silent", "reject", respondent="left").status
    'unanswered'
    >>> decide("reject", "reaffirm", "alignment").category
    'same-line'
    >>> decide("propose", "discuss", "versions").status
    'concession'
    """
    table = MODE_TABLES[mode]
    try:
        if mode != "alignment" and respondent == "left":
            found = table[(right, left)]
            return None if found is None else replace(found, left=left, right=right)
        return table[(left, right)]
    except KeyError:
        raise ValueError(f"unknown stance pair {left!r} × {right!r}") from None


def identical(left: str, right: str, mode: Mode = "answer") -> Verdict:
    """The R0 (A0, V0) verdict for an issue on which both sides hold the very same provisions."""
    rule, status, category = _IDENTICAL[mode]
    return Verdict(left, right, RULES[rule], status, category)


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


def severity(category: Category | None) -> int:
    """Sort key of a category within its mode: 0 for the most severe (rejection in an answer); None
    sorts last."""
    return len(SIGNIFICANCE) if category is None else _SEVERITY_RANK[category]


def _grid(table: dict[tuple[str, str], Verdict | None], corner: str) -> list[str]:
    lines = [
        f"| {corner} | " + " | ".join(SIDE_STANCES) + " |",
        "|---|" + "---|" * len(SIDE_STANCES),
    ]
    for left in SIDE_STANCES:
        cells = []
        for right in SIDE_STANCES:
            verdict = table[(left, right)]
            cells.append("—" if verdict is None else f"{verdict.category} · {verdict.status} · {verdict.rule.id}")
        lines.append(f"| **{left}** | " + " | ".join(cells) + " |")
    return lines


def decision_table_markdown() -> str:
    """The tables as Markdown (the generated part of docs/decision-table.md)."""
    from negotiation.engine.attestation import GRADES, MARKERS, MEANINGS

    lines = ["### Answer: the answered position (rows) × the answer (columns)", ""]
    lines += _grid(TABLE, "answered \\ answer")
    lines += ["", "### Alignment: left (rows) × right (columns)", ""]
    lines += _grid(ALIGNMENT_TABLE, "left \\ right")
    lines += ["", "### Versions: the earlier version (rows) × the later (columns)", ""]
    lines += _grid(VERSIONS_TABLE, "earlier \\ later")
    lines += ["", "### Rules", "", "| mode | rule | category | statuses | meaning |", "|---|---|---|---|---|"]
    for mode in MODES:
        for rule_id in MODE_RULES[mode]:
            rule = RULES[rule_id]
            statuses = sorted(
                {v.status for v in MODE_TABLES[mode].values() if v is not None and v.rule.id == rule.id}
                | ({_IDENTICAL[mode][1]} if rule_id == _IDENTICAL[mode][0] else set())
                | ({DIVIDED[mode][1]} if rule_id == "D1" else set())
            )
            category = DIVIDED[mode][0] if rule_id == "D1" else rule.category
            lines.append(f"| {mode} | {rule.id} | {category} | {', '.join(statuses)} | {rule.reason} |")
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
        "Accommodation, least to most: " + " < ".join(ACCOMMODATION) + ".",
        "",
        "Versions (diff and changes): level of each stance; a higher level in the later version is a "
        "concession, a lower one a hardening: "
        + ", ".join(f"{stance} {level}" for stance, level in VERSION_LEVEL.items())
        + ".",
        "",
        "Alignment: the line each stance takes: "
        + ", ".join(f"{stance} → {line}" for stance, line in LINES.items())
        + ".",
        "",
        "Severity for roll-ups and matrix cells, per mode: "
        + "; ".join(f"{mode}: " + " > ".join(MODE_CATEGORIES[mode]) for mode in MODES)
        + ".",
        "",
        "### Attestation grades, strongest first",
        "",
        "| grade | marker | meaning |",
        "|---|---|---|",
        *(f"| {grade} | {MARKERS[grade] or '(none)'} | {MEANINGS[grade]} |" for grade in GRADES),
    ]
    return "\n".join(lines) + "\n"
