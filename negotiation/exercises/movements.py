"""What a team's position file changes: category movement against each party, and the redline of its text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from negotiation.engine.changes import changes
from negotiation.engine.compare import compare
from negotiation.exercises.loaded import LoadedExercise
from negotiation.exercises.submissions import Submission, covers
from negotiation.loading import LoadedDossier
from negotiation.schema import Position


@dataclass(frozen=True)
class Movement:
    """On one dossier issue, the category against a party with the real document and with the team's text."""

    against: str
    exercise_issue: str
    issue: str
    before: str | None
    after: str | None
    before_status: str | None
    after_status: str | None
    #: Attestation grades of the two verdicts (negotiation.engine.attestation), None where silent.
    before_attestation: str | None = None
    after_attestation: str | None = None

    @property
    def moved(self) -> bool:
        """True when the category changed."""
        return self.before != self.after

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "against": self.against,
            "exercise_issue": self.exercise_issue,
            "issue": self.issue,
            "before": self.before,
            "after": self.after,
            "before_status": self.before_status,
            "after_status": self.after_status,
            "before_attestation": self.before_attestation,
            "after_attestation": self.after_attestation,
            "moved": self.moved,
        }


def movements(
    loaded: LoadedExercise, submission: Submission, record: LoadedDossier, baseline: Position | None = None
) -> list[Movement]:
    """Per dossier issue under the exercise's issues, how the team's position moves the category against each party.

    For every other role with a ``standing`` position: ``before`` compares that position with the
    real document of the team's role (its first ``historical`` position) or, for a role without one
    (a mediator), with ``baseline`` (the text the team started from); ``after`` compares it with the
    team's position (the engine's ``compare``, standing position on the left).
    """
    if submission.position is None:
        return []
    role = loaded.role(submission.role)
    historical = role.historical[0] if role.historical else (baseline.id if baseline is not None else None)
    owner: dict[str, str] = {}
    for issue in loaded.exercise.issues:
        for code in record.issues:
            if covers(code, issue.codes):
                owner.setdefault(code, issue.id)
    out: list[Movement] = []
    for other in loaded.exercise.roles:
        if other.id == role.id or other.standing is None or other.standing == historical:
            continue
        left = record.position(other.standing)
        after = {i.issue: i for i in compare(left, submission.position, record).items}
        before: dict[str, Any] = {}
        if historical is not None:
            before = {i.issue: i for i in compare(left, record.position(historical), record).items}
        for code in _ordered(record, [c for c in (*before, *after) if c in owner]):
            b, a = before.get(code), after.get(code)
            out.append(
                Movement(
                    other.id,
                    owner[code],
                    code,
                    b.category if b is not None else None,
                    a.category if a is not None else None,
                    b.status if b is not None else None,
                    a.status if a is not None else None,
                    b.attestation if b is not None else None,
                    a.attestation if a is not None else None,
                )
            )
    return out


def _ordered(record: LoadedDossier, codes: Iterable[str]) -> list[str]:
    order = {code: k for k, code in enumerate(record.issues)}
    return sorted(set(codes), key=lambda c: (order.get(c, len(order)), c))


@dataclass(frozen=True)
class Redline:
    """A provision changed from the text the team started from, with its word-level redline."""

    provision: str
    change: str
    redline: str | None
    fields: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "provision": self.provision,
            "change": self.change,
            "fields": list(self.fields),
            "redline": self.redline,
        }


def redlines(base: Position | None, submission: Submission) -> list[Redline]:
    """What the team changed against ``base`` (the text it started from): added, removed, changed provisions."""
    if submission.position is None or base is None:
        return []
    result = changes(base, submission.position)
    out = [Redline(pid, "added", None) for pid in result.added]
    out += [Redline(pid, "removed", None) for pid in result.removed]
    out += [Redline(c.new_id, "changed", c.redline, tuple(f.path for f in c.fields)) for c in result.changed]
    return out
