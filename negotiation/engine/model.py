"""The engine's result types: plain, immutable, and the shape of the documented JSON contracts.

Exporters and exercises consume these; nothing from deepdiff or any other library appears here.

>>> e = Evidence(position="p", provision="a1", ref="Art. 1", stance="propose", relation=None,
...              text=None, text_status="missing", summary=None, sources=())
>>> e.to_dict()["ref"]
'Art. 1'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

#: The three categories users asked for; every compared issue gets exactly one.
Category = Literal["overlap", "rejection", "open"]
CATEGORIES: tuple[Category, ...] = ("overlap", "rejection", "open")

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
]

#: Version of the JSON contracts of diff, matrix and changes; bumped on any incompatible change.
CONTRACT_VERSION = 1


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

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        data = asdict(self)
        data["sources"] = list(self.sources)
        data["answers"] = list(self.answers)
        return data


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

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the ``items`` entries of the diff contract)."""
        return {
            "issue": self.issue,
            "title": self.title,
            "category": self.category,
            "status": self.status,
            "left_stance": self.left_stance,
            "right_stance": self.right_stance,
            "left": [e.to_dict() for e in self.left],
            "right": [e.to_dict() for e in self.right],
            "rationale": self.rationale,
            "rolled_up_from": list(self.rolled_up_from),
        }


@dataclass(frozen=True)
class Comparison:
    """The result of comparing two positions (``negotiation diff``)."""

    left: PositionInfo
    right: PositionInfo
    items: tuple[DiffItem, ...]
    warnings: tuple[str, ...] = ()

    @property
    def summary(self) -> dict[str, int]:
        """How many issues fall in each category."""
        counts: dict[str, int] = {c: 0 for c in CATEGORIES}
        for item in self.items:
            counts[item.category] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON contract of ``negotiation diff``."""
        return {
            "contract": f"negotiation.diff/{CONTRACT_VERSION}",
            "left": self.left.to_dict(),
            "right": self.right.to_dict(),
            "items": [i.to_dict() for i in self.items],
            "summary": self.summary,
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

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "category": self.category,
            "status": self.status,
            "stance": self.stance,
            "provisions": list(self.provisions),
            "against": list(self.against),
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

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON contract of ``negotiation matrix``."""
        return {
            "contract": f"negotiation.matrix/{CONTRACT_VERSION}",
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
