"""The loaded exercise: a validated exercise with its private schedules and, for record scenarios, its dossier.

It imports nothing that reads files, so the checks, the scorer and the views can all name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from negotiation.errors import UsageError, did_you_mean
from negotiation.exercises.schema import (
    Exercise,
    Role,
    Schedule,
)
from negotiation.loading import LoadedDossier
from negotiation.loading.parse import Document
from negotiation.schema import Party

#: A package: issue id -> option id, one option for every issue.
Package = dict[str, str]


@dataclass
class LoadedExercise:
    """A validated exercise with its private schedules and, for record scenarios, its dossier."""

    exercise: Exercise
    root: Path
    shown: str
    file: str
    schedules: dict[str, Schedule] = field(default_factory=dict)
    schedule_files: dict[str, str] = field(default_factory=dict)
    docs: dict[str, Document] = field(default_factory=dict)
    record: LoadedDossier | None = None

    @property
    def id(self) -> str:
        """The exercise id."""
        return self.exercise.id

    def role(self, role_id: str) -> Role:
        """The role with ``role_id``; a UsageError naming the known roles otherwise."""
        found = self.exercise.role(role_id)
        if found is None:
            known = [r.id for r in self.exercise.roles]
            hint = did_you_mean(role_id, known)
            raise UsageError(f"no role '{role_id}' in exercise '{self.id}'{hint} (known: {', '.join(known)})")
        return found

    @property
    def scored_roles(self) -> list[Role]:
        """Roles with a private schedule, in file order."""
        return [r for r in self.exercise.roles if r.scored]

    @property
    def voters(self) -> tuple[str, ...]:
        """The roles the exercise's decision rule counts."""
        return voters_of(self.exercise)

    def coalition_of(self, role_id: str) -> Role | None:
        """The coalition ``role_id`` belongs to, if any."""
        return next((r for r in self.exercise.roles if role_id in r.members), None)

    def package_space_size(self) -> int:
        """How many packages there are: the product of the option counts."""
        size = 1
        for issue in self.exercise.issues:
            size *= len(issue.options)
        return size


def voters_of(exercise: Exercise) -> tuple[str, ...]:
    """The voting roles: ``voters`` if given, else every party or coalition that is not in a coalition."""
    if exercise.voters:
        return exercise.voters
    members = {m for r in exercise.roles for m in r.members}
    return tuple(r.id for r in exercise.roles if r.kind in ("party", "coalition") and r.id not in members)


def exercise_record(exercise: Exercise, record: LoadedDossier) -> LoadedDossier:
    """The dossier as an exercise sees it: roles that play no dossier party become parties (kind team).

    The copy lists no position order, so team submissions load beside the record without being
    "not listed in the dossier's positions".
    """
    known = {p.id for p in record.dossier.parties}
    extra = [Party(id=r.id, name=r.name, kind="team") for r in exercise.roles if r.party is None and r.id not in known]
    dossier = record.dossier.model_copy(update={"parties": (*record.dossier.parties, *extra), "positions": ()})
    return LoadedDossier(dossier, dict(record.positions), record.root, dict(record.files))
