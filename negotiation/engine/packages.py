"""Packages: flag a response that engages only some provisions of a package the other side declared.

A party declares provisions a package (``packages:`` in its position file; no members means every
provision). A response that links to some members but not all is "cherry-picking": it takes up the
parts it likes and leaves the rest. A response that links to none of them is not flagged here; the
comparison already shows those items as unanswered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from negotiation.engine.answers import NOT_ANSWERING, answered_positions
from negotiation.loading import LoadedDossier
from negotiation.schema import Position


@dataclass(frozen=True)
class PackageWarning:
    """A response that engages only part of a declared package."""

    position: str
    package: str
    title: str
    indivisible: bool
    respondent: str
    engaged: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def message(self) -> str:
        """One line for people, e.g. in the notes under a diff table."""
        kind = "indivisible package" if self.indivisible else "package"
        total = len(self.engaged) + len(self.missing)
        return (
            f"{self.respondent} answers {len(self.engaged)} of {total} provisions of {kind} "
            f"'{self.package}' ({self.title}) of {self.position}; not answered: {', '.join(self.missing)}"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "position": self.position,
            "package": self.package,
            "title": self.title,
            "indivisible": self.indivisible,
            "respondent": self.respondent,
            "engaged": list(self.engaged),
            "missing": list(self.missing),
            "message": self.message,
        }


def package_warnings(answered: Position, response: Position) -> list[PackageWarning]:
    """The packages of ``answered`` that ``response`` engages only in part, in declaration order.

    A provision is engaged when a provision of ``response`` links to it (any relation but
    ``reaffirms`` and ``ignores``).
    """
    engaged_ids = {
        link.provision
        for provision in response.provisions
        for link in provision.responds_to
        if link.position == answered.id and link.relation not in NOT_ANSWERING
    }
    if not engaged_ids:
        return []
    warnings = []
    for package in answered.packages:
        members = package.provisions or tuple(p.id for p in answered.provisions)
        engaged = tuple(m for m in members if m in engaged_ids)
        missing = tuple(m for m in members if m not in engaged_ids)
        if engaged and missing:
            warnings.append(
                PackageWarning(
                    position=answered.id,
                    package=package.id,
                    title=package.title,
                    indivisible=package.indivisible,
                    respondent=response.id,
                    engaged=engaged,
                    missing=missing,
                )
            )
    return warnings


def cherry_picking(record: LoadedDossier, response: Position) -> list[PackageWarning]:
    """Every package, of every position ``response`` answers, that it engages only in part.

    >>> cherry_picking(record, record.position("south-response"))[0].missing   # doctest: +SKIP
    ('n-art-7',)
    """
    warnings: list[PackageWarning] = []
    for pid in answered_positions(response, record.positions):
        warnings += package_warnings(record.positions[pid], response)
    return warnings
