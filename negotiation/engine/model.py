"""The engine's result types: plain, immutable, and the shape of the documented JSON contracts.

Exporters and exercises consume these; nothing from deepdiff or any other library appears here.

>>> e = Evidence(position="p", provision="a1", ref="Art. 1", stance="propose", relation=None,
...              text=None, text_status="missing", summary=None, sources=())
>>> e.to_dict()["ref"]
'Art. 1'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

#: The categories of every mode. An answer (one position answers the other) gets one of the three
#: users asked for: overlap, rejection, open. A version comparison (the same party) shows movement;
#: an alignment (neither answers the other) shows where the two take the same line.
Category = Literal[
    "overlap",
    "rejection",
    "open",
    "same-line",
    "different-lines",
    "only-left",
    "only-right",
    "kept",
    "concession",
    "hardening",
    "added",
    "dropped",
    "mixed",
]
#: The categories of an answer (and of every matrix cell).
CATEGORIES: tuple[Category, ...] = ("overlap", "rejection", "open")
#: The categories of each diff mode, in the order a summary counts them.
MODE_CATEGORY_ORDER: dict[str, tuple[Category, ...]] = {
    "answer": CATEGORIES,
    "alignment": ("same-line", "different-lines", "only-left", "only-right"),
    "versions": ("kept", "concession", "hardening", "mixed", "added", "dropped"),
}

#: Finer statuses, each inside one category (see negotiation.engine.decision).
Status = Literal[
    "agreed",
    "compatible",
    "rejected",
    "contested",
    "negotiable",
    "countered",
    "conditional",
    "noted",
    "unanswered",
    "new-item",
    "divided",
    "same-stance",
    "same-family",
    "divergent",
    "only-left",
    "only-right",
    "kept",
    "concession",
    "hardening",
    "added",
    "dropped",
]

#: Version of the JSON contracts of matrix and changes; bumped on any incompatible change.
CONTRACT_VERSION = 1
#: Version of the diff contract: 2 added modes, attestation and sub-issue breakdowns.
DIFF_CONTRACT_VERSION = 2
#: Version of the matrix contract: 2 added attestation, breakdowns and the ``divided`` status.
MATRIX_CONTRACT_VERSION = 2


def breakdown_text(breakdown: Iterable[tuple[str, int]]) -> str:
    """How a parent's sub-issues divide, e.g. ``2 overlap, 1 rejection`` (empty for a leaf).

    >>> breakdown_text([("overlap", 2), ("rejection", 1)])
    '2 overlap, 1 rejection'
    """
    return ", ".join(f"{n} {category}" for category, n in breakdown)


@dataclass(frozen=True)
class PositionInfo:
    """Identity of a compared position, as shown in results."""

    id: str
    party: str
    kind: str
    title: str
    date: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)


@dataclass(frozen=True)
class Evidence:
    """One provision cited as evidence for a verdict."""

    position: str
    provision: str
    ref: str
    stance: str
    relation: str | None
    text: str | None
    text_status: str
    summary: str | None
    sources: tuple[str, ...]
    #: Provisions of the other side this one links to (``relation`` names how).
    answers: tuple[str, ...] = ()
    #: The stance this provision counts as in the comparison: its own, raised by its links to the
    #: other side, or ``propose`` when the other side accepted it (see negotiation.engine.decision).
    counts_as: str = ""
    #: Attestation grade of this provision (see negotiation.engine.attestation).
    grade: str = "own-words"

    def to_dict(self) -> dict[str, Any]:
        """JSON form (every field; the diff contract 1 shape of a piece of evidence)."""
        data = asdict(self)
        data["sources"] = list(self.sources)
        data["answers"] = list(self.answers)
        return data

    def record(self) -> dict[str, Any]:
        """What the provision is, the same on every issue: the diff contract 2 ``evidence`` entry."""
        return {
            "ref": self.ref,
            "stance": self.stance,
            "relation": self.relation,
            "answers": list(self.answers),
            "text": self.text,
            "text_status": self.text_status,
            "grade": self.grade,
            "summary": self.summary,
            "sources": list(self.sources),
        }

    @classmethod
    def from_record(cls, position: str, provision: str, record: dict[str, Any], counts_as: str) -> Evidence:
        """The evidence of ``provision`` on one issue, from its contract 2 ``evidence`` entry."""
        return cls(
            position=position,
            provision=provision,
            ref=record["ref"],
            stance=record["stance"],
            relation=record["relation"],
            text=record["text"],
            text_status=record["text_status"],
            summary=record["summary"],
            sources=tuple(record["sources"]),
            answers=tuple(record["answers"]),
            counts_as=counts_as,
            grade=record["grade"],
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        """A piece of evidence from its full JSON form (:meth:`to_dict`, the contract 1 shape)."""
        fields = {**data, "sources": tuple(data["sources"]), "answers": tuple(data.get("answers", ()))}
        if "grade" not in fields:
            # Contract 1 carried no grade: it follows from the text status and the sources' tags,
            # which each source line ends with (``... [single-source]``).
            from negotiation.engine.attestation import grade_of

            tags = [line[line.rindex("[") + 1 : -1] if line.endswith("]") else None for line in data["sources"]]
            fields["grade"] = grade_of(data["text_status"], tags)
        return cls(**fields)


@dataclass(frozen=True)
class DiffItem:
    """The verdict on one issue between two sides, with its evidence and the rule that fired."""

    issue: str
    title: str
    category: Category
    status: Status
    left: tuple[Evidence, ...]
    right: tuple[Evidence, ...]
    rationale: str
    #: Child issues whose verdicts rolled up into this one (empty for a leaf verdict).
    rolled_up_from: tuple[str, ...] = ()
    left_stance: str = "silent"
    right_stance: str = "silent"
    #: The rule that decided the verdict (R0-R9, A0-A4, V0-V5, or D1 for a divided parent).
    rule: str = ""
    #: How the sub-issues' verdicts divide: (category, count), most severe first; empty for a leaf.
    breakdown: tuple[tuple[Category, int], ...] = ()
    #: The grade of the evidence that decided the verdict: the weaker of the two sides' strongest
    #: deciding evidence (see negotiation.engine.attestation).
    attestation: str = "own-words"
    #: The provisions of each side that decided the verdict.
    left_deciding: tuple[str, ...] = ()
    right_deciding: tuple[str, ...] = ()

    @property
    def tentative(self) -> bool:
        """True when the verdict rests on less than the document's own words."""
        return self.attestation != "own-words"

    @property
    def verdict_text(self) -> str:
        """The category, with how the sub-issues divide for a parent: ``open — 2 overlap, 1 rejection``."""
        split = breakdown_text(self.breakdown)
        return f"{self.category} — {split}" if split else self.category

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the ``items`` entries of the diff contract 2): each side's evidence as
        provision id → the stance it counts as on this issue; the provisions themselves are given
        once, in the contract's ``evidence``."""
        return {
            "issue": self.issue,
            "title": self.title,
            "category": self.category,
            "status": self.status,
            "rule": self.rule,
            "attestation": self.attestation,
            "tentative": self.tentative,
            "left_stance": self.left_stance,
            "right_stance": self.right_stance,
            "left": {e.provision: e.counts_as for e in self.left},
            "right": {e.provision: e.counts_as for e in self.right},
            "left_deciding": list(self.left_deciding),
            "right_deciding": list(self.right_deciding),
            "rationale": self.rationale,
            "rolled_up_from": list(self.rolled_up_from),
            "breakdown": dict(self.breakdown),
        }


@dataclass(frozen=True)
class Comparison:
    """The result of comparing two positions (``negotiation diff``)."""

    left: PositionInfo
    right: PositionInfo
    items: tuple[DiffItem, ...]
    warnings: tuple[str, ...] = ()
    #: ``answer``, ``versions`` or ``alignment`` (see negotiation.engine.answers.diff_mode).
    mode: str = "answer"
    #: In an answer, the side that answers (``left`` or ``right``); in versions, the later version's
    #: side; None in an alignment.
    respondent: str | None = "right"
    #: The attestation level below which evidence was set aside, or None.
    min_attestation: str | None = None
    #: The provisions set aside by ``min_attestation``, as ``position#provision``.
    set_aside: tuple[str, ...] = ()

    @property
    def categories(self) -> tuple[Category, ...]:
        """The categories of this comparison's mode, most severe first."""
        return MODE_CATEGORY_ORDER[self.mode]

    @property
    def summary(self) -> dict[str, int]:
        """How many issues fall in each category of the mode."""
        counts: dict[str, int] = {c: 0 for c in self.categories}
        for item in self.items:
            counts[item.category] = counts.get(item.category, 0) + 1
        return counts

    @property
    def tentative_count(self) -> int:
        """How many verdicts rest on less than the document's own words."""
        return sum(item.tentative for item in self.items)

    def to_contract_1(self) -> dict[str, Any]:
        """The same comparison in the shape of contract 1 (``negotiation.diff/1``): every item carries
        its evidence in full and none of the fields contract 2 added. For tools that still read
        contract 1, and to measure what contract 2 saves."""
        return {
            "contract": "negotiation.diff/1",
            "left": self.left.to_dict(),
            "right": self.right.to_dict(),
            "items": [
                {
                    "issue": i.issue,
                    "title": i.title,
                    "category": i.category,
                    "status": i.status,
                    "left_stance": i.left_stance,
                    "right_stance": i.right_stance,
                    "left": [{k: v for k, v in e.to_dict().items() if k != "grade"} for e in i.left],
                    "right": [{k: v for k, v in e.to_dict().items() if k != "grade"} for e in i.right],
                    "rationale": i.rationale,
                    "rolled_up_from": list(i.rolled_up_from),
                }
                for i in self.items
            ],
            "summary": self.summary,
            "warnings": list(self.warnings),
        }

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON contract of ``negotiation diff`` (version 2: each provision's evidence
        once, under ``evidence``, referred to by id from the items)."""
        evidence: dict[str, dict[str, Any]] = {"left": {}, "right": {}}
        for item in self.items:
            for side, cited in (("left", item.left), ("right", item.right)):
                for e in cited:
                    if e.provision not in evidence[side]:
                        evidence[side][e.provision] = e.record()
        return {
            "contract": f"negotiation.diff/{DIFF_CONTRACT_VERSION}",
            "mode": self.mode,
            "respondent": self.respondent,
            "left": self.left.to_dict(),
            "right": self.right.to_dict(),
            "evidence": evidence,
            "items": [i.to_dict() for i in self.items],
            "summary": self.summary,
            "tentative": self.tentative_count,
            "min_attestation": self.min_attestation,
            "set_aside": list(self.set_aside),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class MatrixCell:
    """One cell of the matrix: a position's standing on an issue against what it answers."""

    category: Category | None
    status: Status | None
    stance: str
    provisions: tuple[str, ...] = ()
    against: tuple[str, ...] = ()
    #: Attestation grade of the verdict (None without a verdict).
    attestation: str | None = None
    #: How the sub-issues divide (see :attr:`DiffItem.breakdown`).
    breakdown: tuple[tuple[Category, int], ...] = ()
    #: The rule that decided the verdict, and the provisions that did: (``position#provision``, grade).
    rule: str | None = None
    deciding: tuple[tuple[str, str], ...] = ()

    @property
    def tentative(self) -> bool:
        """True when the cell's verdict rests on less than the document's own words."""
        return self.attestation is not None and self.attestation != "own-words"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "category": self.category,
            "status": self.status,
            "stance": self.stance,
            "provisions": list(self.provisions),
            "against": list(self.against),
            "rule": self.rule,
            "attestation": self.attestation,
            "tentative": self.tentative,
            "breakdown": dict(self.breakdown),
            "deciding": dict(self.deciding),
        }


@dataclass(frozen=True)
class MatrixRow:
    """One issue across every position."""

    issue: str
    title: str
    depth: int
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True)
class Matrix:
    """Issues x positions for a dossier: the four-column document, computed."""

    dossier: str
    positions: tuple[PositionInfo, ...]
    rows: tuple[MatrixRow, ...]
    #: The attestation level below which evidence was set aside, or None.
    min_attestation: str | None = None
    #: The provisions of the shown positions set aside by ``min_attestation`` (``position#provision``).
    set_aside: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON contract of ``negotiation matrix``."""
        return {
            "contract": f"negotiation.matrix/{MATRIX_CONTRACT_VERSION}",
            "dossier": self.dossier,
            "positions": [p.to_dict() for p in self.positions],
            "rows": [
                {
                    "issue": r.issue,
                    "title": r.title,
                    "depth": r.depth,
                    "cells": {p.id: c.to_dict() for p, c in zip(self.positions, r.cells, strict=True)},
                }
                for r in self.rows
            ],
            "min_attestation": self.min_attestation,
            "set_aside": list(self.set_aside),
        }


@dataclass(frozen=True)
class FieldChange:
    """One field that changed in a matched provision; ``path`` reads like ``obligations[0].reciprocal``."""

    path: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)


@dataclass(frozen=True)
class RedlinePiece:
    """One run of a word-level redline: words kept (``equal``), struck (``delete``) or added (``insert``)."""

    op: Literal["equal", "delete", "insert"]
    text: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"op": self.op, "text": self.text}


@dataclass(frozen=True)
class ProvisionSummary:
    """A provision named in a change report (added or removed): where it was and what it said."""

    id: str
    ref: str
    stance: str
    issues: tuple[str, ...]
    index: int
    summary: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "id": self.id,
            "ref": self.ref,
            "stance": self.stance,
            "issues": list(self.issues),
            "index": self.index,
            "summary": self.summary,
        }


@dataclass(frozen=True)
class ProvisionChange:
    """A provision present in both versions (matched by id, ref or text) that changed or moved."""

    old_id: str
    new_id: str
    ref: str
    matched_by: Literal["id", "ref", "text"]
    moved: bool
    fields: tuple[FieldChange, ...]
    redline: str | None
    stance_movement: Literal["concession", "hardening"] | None
    old_index: int = 0
    new_index: int = 0
    old_ref: str = ""
    #: The structured pieces of ``redline`` (empty when the text did not change).
    redline_pieces: tuple[RedlinePiece, ...] = ()

    @property
    def renumbered(self) -> bool:
        """True when the only change is the provision's id (or its ref), words and coding unchanged."""
        return bool(self.fields) and all(f.path in ("id", "ref") for f in self.fields)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "old_id": self.old_id,
            "new_id": self.new_id,
            "old_ref": self.old_ref or self.ref,
            "ref": self.ref,
            "matched_by": self.matched_by,
            "moved": self.moved,
            "old_index": self.old_index,
            "new_index": self.new_index,
            "fields": [f.to_dict() for f in self.fields],
            "redline": self.redline,
            "redline_pieces": [p.to_dict() for p in self.redline_pieces],
            "stance_movement": self.stance_movement,
        }


@dataclass(frozen=True)
class Changes:
    """What changed between two positions (``negotiation changes``)."""

    old: PositionInfo
    new: PositionInfo
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[ProvisionChange, ...]
    moved: tuple[ProvisionChange, ...] = field(default=())
    #: ``added`` and ``removed`` with their refs, stances and places (same order).
    added_provisions: tuple[ProvisionSummary, ...] = field(default=())
    removed_provisions: tuple[ProvisionSummary, ...] = field(default=())

    @property
    def empty(self) -> bool:
        """True when nothing differs."""
        return not (self.added or self.removed or self.changed or self.moved)

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON contract of ``negotiation changes``."""
        return {
            "contract": f"negotiation.changes/{CONTRACT_VERSION}",
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "added": [p.to_dict() for p in self.added_provisions] or [{"id": i} for i in self.added],
            "removed": [p.to_dict() for p in self.removed_provisions] or [{"id": i} for i in self.removed],
            "changed": [c.to_dict() for c in self.changed],
            "moved": [c.to_dict() for c in self.moved],
            "summary": {
                "added": len(self.added),
                "removed": len(self.removed),
                "changed": len(self.changed),
                "moved": len(self.moved),
            },
        }


def comparison_from_dict(data: dict[str, Any]) -> Comparison:
    """A :class:`Comparison` read back from a diff contract: version 2, or version 1 (each item's
    evidence in full; no mode, attestation or breakdown, so those take their defaults: an answer,
    the document's own words, no breakdown).

    >>> comparison_from_dict({"contract": "negotiation.diff/9"})
    Traceback (most recent call last):
    ...
    ValueError: unknown diff contract 'negotiation.diff/9'; this version reads negotiation.diff/1 and /2
    """
    contract = data.get("contract")
    if contract not in ("negotiation.diff/1", "negotiation.diff/2"):
        raise ValueError(f"unknown diff contract '{contract}'; this version reads negotiation.diff/1 and /2")
    left, right = PositionInfo(**data["left"]), PositionInfo(**data["right"])
    registry = data.get("evidence", {})

    def cited(side: str, position: str, value: Any) -> tuple[Evidence, ...]:
        if isinstance(value, dict):
            return tuple(
                Evidence.from_record(position, pid, registry[side][pid], counts_as) for pid, counts_as in value.items()
            )
        return tuple(Evidence.from_dict(e) for e in value)

    items = tuple(
        DiffItem(
            issue=item["issue"],
            title=item["title"],
            category=item["category"],
            status=item["status"],
            left=cited("left", left.id, item["left"]),
            right=cited("right", right.id, item["right"]),
            rationale=item["rationale"],
            rolled_up_from=tuple(item.get("rolled_up_from", ())),
            left_stance=item.get("left_stance", "silent"),
            right_stance=item.get("right_stance", "silent"),
            rule=item.get("rule", ""),
            breakdown=tuple(item.get("breakdown", {}).items()),
            attestation=item.get("attestation", "own-words"),
            left_deciding=tuple(item.get("left_deciding", ())),
            right_deciding=tuple(item.get("right_deciding", ())),
        )
        for item in data["items"]
    )
    return Comparison(
        left,
        right,
        items,
        tuple(data.get("warnings", ())),
        mode=data.get("mode", "answer"),
        respondent=data.get("respondent", "right"),
        min_attestation=data.get("min_attestation"),
        set_aside=tuple(data.get("set_aside", ())),
    )
