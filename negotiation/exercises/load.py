"""Load an exercise folder: ``exercise.yaml`` and the private schedules (team submissions: ``submissions.py``).

Every problem is located (``path:line:col: field: message``) and collected, so one bad file never
hides the others. The structural rules are in :mod:`negotiation.exercises.check` (references resolve, every schedule
covers every issue and option); :mod:`negotiation.exercises.lint` adds the pedagogical checks on top.

>>> ex = load_exercise("examples/karst-lake-basin-accord")                     # doctest: +SKIP
>>> [r.id for r in ex.scored_roles]                                            # doctest: +SKIP
['aldoria', 'brevnia', 'castellan', 'ngo']
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from negotiation.errors import InputError, Problem, raise_for
from negotiation.exercises.check import check_exercise, check_schedule, relative_problem
from negotiation.exercises.loaded import LoadedExercise, exercise_record
from negotiation.exercises.schema import (
    Exercise,
    Schedule,
)
from negotiation.io import DATA_SUFFIXES, EXERCISE_FILE_NAMES, read_file
from negotiation.loading import LoadedDossier, bundled_dossier_path, load_dossier
from negotiation.loading.parse import Document, parse_file
from negotiation.loading.validate import build

PRIVATE_FOLDER = "private"
ROUND_FOLDER = re.compile(r"^round-(\d+)$")


def exercise_file(path: str | Path) -> tuple[Path, str]:
    """The exercise file for a folder or file argument, and how to show it in messages."""
    given = Path(path)
    shown = str(path)
    if given.is_dir():
        for name in EXERCISE_FILE_NAMES:
            if (given / name).is_file():
                return given / name, os.path.join(shown, name)
        raise InputError([Problem(shown, 0, 0, "", "unreadable: no exercise.yaml in this folder", unreadable=True)])
    return given, shown


def is_exercise_path(path: Path) -> bool:
    """True for an exercise folder, an exercise file, a private schedule or a package submission."""
    if path.is_dir():
        return any((path / n).is_file() for n in EXERCISE_FILE_NAMES)
    if path.name in EXERCISE_FILE_NAMES:
        return True
    if path.suffix.lower() not in DATA_SUFFIXES or not path.is_file():
        return False
    if path.parent.name == PRIVATE_FOLDER and any((path.parent.parent / n).is_file() for n in EXERCISE_FILE_NAMES):
        return True
    # A team file in submissions/round-<n>/ is read in its exercise, with the rounds before it.
    if ROUND_FOLDER.match(path.parent.name) and any(
        (folder / n).is_file()
        for folder in (path.parent.parent, path.parent.parent.parent)
        for n in EXERCISE_FILE_NAMES
    ):
        return True
    try:
        head = read_file(path)[:65536].decode("utf-8", "replace")
    except InputError:
        return False
    # A package submission names its exercise at the top level; a position file never does.
    return (
        re.search(r"^exercise:", head, re.MULTILINE) is not None
        and re.search(r"^options:", head, re.MULTILINE) is not None
    )


def confine(root: Path, file: Path, shown: str) -> None:
    """Refuse, before reading it, a confidential file (a schedule, a team file) that resolves outside the
    exercise folder: a link to any other file must not have that file read and quoted in a message."""
    try:
        inside = Path(os.path.realpath(file)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        inside = False
    if not inside:
        message = "unreadable: a symbolic link to outside the exercise folder; confidential files must be inside it"
        raise InputError([Problem(shown, 0, 0, "", message, unreadable=True)])


def read_exercise(path: str | Path) -> tuple[LoadedExercise | None, list[Problem]]:
    """Load an exercise folder (or its exercise.yaml); return it (None if unusable) and every problem."""
    file, shown_file = exercise_file(path)
    root = file.parent
    shown_root = os.path.dirname(shown_file) or "."
    try:
        doc = parse_file(file, shown_file)
    except InputError as err:
        return None, list(err.problems)
    exercise, problems = build(Exercise, doc)
    if exercise is None:
        return None, problems
    loaded = LoadedExercise(exercise, root, shown_root, shown_file, docs={shown_file: doc})
    record: LoadedDossier | None = None
    if exercise.dossier is not None:
        folder = bundled_dossier_path(exercise.dossier)
        if not folder.is_dir():
            line, column = doc.locate(("dossier",))
            problems.append(Problem(shown_file, line, column, "dossier", f"no bundled dossier '{exercise.dossier}'"))
        else:
            try:
                record = exercise_record(exercise, load_dossier(folder))
            except InputError as err:
                problems += err.problems
    loaded.record = record
    problems += check_exercise(loaded, doc)
    problems += _load_schedules(loaded, doc)
    return loaded, problems


def load_exercise(path: str | Path) -> LoadedExercise:
    """Load an exercise and raise with every problem found (see :func:`read_exercise`)."""
    loaded, problems = read_exercise(path)
    raise_for(problems)
    assert loaded is not None
    return loaded


def _load_schedules(loaded: LoadedExercise, doc: Document) -> list[Problem]:
    ex = loaded.exercise
    problems: list[Problem] = []
    expected: dict[str, str] = {}
    for i, role in enumerate(ex.roles):
        if not role.scored:
            continue
        relative = role.schedule or f"{PRIVATE_FOLDER}/{role.id}.yaml"
        bad = relative_problem(relative)
        if bad:
            line, column = doc.locate(("roles", i, "schedule"))
            problems.append(Problem(doc.path, line, column, f"roles[{i}].schedule", bad))
            continue
        expected[os.path.normpath(relative)] = role.id
        file = loaded.root / relative
        shown = os.path.join(loaded.shown, relative)
        if not os.path.lexists(file):  # anything else there (a pipe, a link) is refused by the reader, by name
            line, column = doc.locate(("roles", i, "id"))
            problems.append(
                Problem(doc.path, line, column, f"roles[{i}]", f"no private schedule: {relative} does not exist")
            )
            continue
        try:
            confine(loaded.root, file, shown)
            sdoc = parse_file(file, shown)
        except InputError as err:
            problems += err.problems
            continue
        schedule, found = build(Schedule, sdoc)
        problems += found
        if schedule is None:
            continue
        loaded.docs[shown] = sdoc
        loaded.schedules[role.id] = schedule
        loaded.schedule_files[role.id] = relative
        problems += check_schedule(loaded, role, schedule, sdoc)
    folder = loaded.root / PRIVATE_FOLDER
    if folder.is_dir():
        for file in sorted(folder.iterdir()):
            relative = os.path.join(PRIVATE_FOLDER, file.name)
            if file.suffix.lower() in DATA_SUFFIXES and relative not in expected:
                problems.append(
                    Problem(
                        os.path.join(loaded.shown, relative),
                        0,
                        0,
                        "",
                        "a private file that no scored role of the exercise uses",
                    )
                )
    return problems
