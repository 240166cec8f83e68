"""Validate any mix of dossier folders, position files and other registered file kinds.

>>> report = validate_paths([])          # the bundled dossier               # doctest: +SKIP
>>> report.ok                                                                 # doctest: +SKIP
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from negotiation.errors import InputError, Problem
from negotiation.io import DATA_SUFFIXES, DOSSIER_FILE_NAMES
from negotiation.loading import LoadedDossier, bundled_dossier_path, load_dossier, load_position_file
from negotiation.registry import Entry, resolve
from negotiation.schema import Provision
from negotiation.words import counted

#: A validator for another file kind: returns a one-line summary of what it checked, or raises InputError.
Validator = Callable[[Path, str], str]
#: The other file kinds ``validate`` reads, each as (does this path belong to it?, its validator); the
#: floors above name their files here and are imported only when a path is validated.
VALIDATORS: dict[str, tuple[Entry, Entry]] = {
    "exercise": (
        Entry("negotiation.exercises:is_exercise_path"),
        Entry("negotiation.exercises:validate_exercise_path"),
    ),
}


@dataclass
class ValidationReport:
    """What was checked and every problem found."""

    checked: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    @property
    def unreadable(self) -> bool:
        """True when some input could not be read at all."""
        return any(p.unreadable for p in self.problems)


def _validate_one(path: Path, shown: str, context: LoadedDossier | None = None) -> str:
    for kind, (accepts, validator) in VALIDATORS.items():
        if resolve("file kind", kind, accepts)(path):
            found: Validator = resolve("file kind", kind, validator)
            return found(path, shown)
    # A folder is a dossier, unless it is named like a data file and holds no dossier: then the
    # user meant a file, and the position loader says that a folder is not one.
    looks_like_file = path.suffix.lower() in DATA_SUFFIXES and not any((path / n).exists() for n in DOSSIER_FILE_NAMES)
    if (path.is_dir() and not looks_like_file) or path.name in DOSSIER_FILE_NAMES:
        return _dossier_summary(load_dossier(shown))
    position, _ = load_position_file(shown, context)
    return f"position '{position.id}': {_provisions(list(position.provisions))}"


def _provisions(provisions: list[Provision]) -> str:
    """``12 provisions``, with ``(3 uncoded)`` when some are not coded yet: valid data, worth counting."""
    uncoded = sum(not p.coded for p in provisions)
    return counted(len(provisions), "provision") + (f" ({uncoded} uncoded)" if uncoded else "")


def _dossier_summary(record: LoadedDossier) -> str:
    provisions = [p for position in record.positions.values() for p in position.provisions]
    return f"dossier '{record.id}': {counted(len(record.positions), 'position')}, {_provisions(provisions)}"


def validate_paths(paths: Sequence[str], dossier: str | None = None) -> ValidationReport:
    """Validate each path, collecting every problem in every file.

    Position files are checked against ``dossier`` when it is given (a trainee's counter-proposal
    kept outside the dossier folder, say), else against the dossier beside them or the bundled one
    they name. With no paths, ``dossier`` (default: the bundled dossier) itself is validated.
    """
    report = ValidationReport()
    context: LoadedDossier | None = None
    if dossier is not None:
        try:
            context = load_dossier(dossier)
        except InputError as err:
            # Nothing can be checked against a dossier that does not load; its problems say why.
            report.problems.extend(err.problems)
            return report
        report.checked.append((dossier, _dossier_summary(context)))
    targets = list(paths) if paths or dossier is not None else [_shown(bundled_dossier_path())]
    for shown in targets:
        try:
            report.checked.append((shown, _validate_one(Path(shown), shown, context)))
        except InputError as err:
            report.problems.extend(err.problems)
    return report


def _shown(path: Path) -> str:
    # Inside a checkout the bundled dossier is shown relative to it, so messages stay short and stable.
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
