"""Policy-training exercises: scenarios, briefs, scoring of counter-proposals, package space, rounds, debriefs.

Built on the public library (loading, schema, engine); the CLI in ``negotiation.cli.exercise`` only
calls it. The stages follow the data: schema → load → lint → brief / score / space → rounds → debrief.

``negotiation validate`` reads the exercise files (``exercise.yaml``, private schedules, package
submissions) with :func:`validate_exercise_path`, named in :data:`negotiation.validation.VALIDATORS`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from negotiation.errors import UsageError, raise_for
from negotiation.words import counted

# The loaders (and through them the engine) are imported on first use, so that importing the
# package, or a light module in it, costs the CLI's cold start nothing.


def __getattr__(name: str) -> Any:
    if name == "LoadedExercise":
        from negotiation.exercises.loaded import LoadedExercise

        return LoadedExercise
    if name == "load_exercise":
        from negotiation.exercises.load import load_exercise

        return load_exercise
    raise AttributeError(name)


def is_exercise_path(path: Path) -> bool:
    """True for an exercise folder or file that ``negotiation validate`` should read as an exercise."""
    from negotiation.exercises.load import is_exercise_path as check

    return check(path)


def _find_exercise(shown: str) -> str | None:
    from negotiation.io import EXERCISE_FILE_NAMES

    # A schedule sits in private/, a package in submissions/round-<n>/: look up a few folders, keeping
    # the path as the user wrote it so messages name files the way they were given.
    folder = shown
    for _ in range(4):
        folder = os.path.dirname(folder) or "."
        if any((Path(folder) / name).is_file() for name in EXERCISE_FILE_NAMES):
            return folder
        if folder == ".":
            break
    return None


def validate_exercise_path(path: Path, shown: str) -> str:
    """Validate an exercise folder or file (exercise.yaml, a private schedule, a package); a one-line summary."""
    from negotiation.exercises.load import load_exercise, read_exercise
    from negotiation.exercises.submissions import load_in_context
    from negotiation.io import EXERCISE_FILE_NAMES

    if path.is_dir() or path.name in EXERCISE_FILE_NAMES:
        loaded, problems = read_exercise(shown)
        raise_for(problems)
        assert loaded is not None
        return (
            f"exercise '{loaded.id}': {counted(len(loaded.exercise.roles), 'role')}, "
            f"{counted(len(loaded.exercise.issues), 'issue')}, "
            f"{len(loaded.schedules)} private schedules"
        )
    folder = _find_exercise(shown)
    if folder is None:
        raise UsageError(f"{shown}: no exercise.yaml in the folders above it")
    if path.parent.name == "private":
        loaded = load_exercise(folder)
        return f"exercise '{loaded.id}': {len(loaded.schedules)} private schedules"
    submission, _, _ = load_in_context(load_exercise(folder), shown)
    return f"{submission.kind} of team '{submission.team}' ({submission.role}): " + " ".join(
        submission.options.values()
    )


__all__ = ["LoadedExercise", "load_exercise", "validate_exercise_path"]
