"""Validate any mix of dossier folders, position files and other registered file kinds.

>>> report = validate_paths([])          # the bundled dossier               # doctest: +SKIP
>>> report.ok                                                                 # doctest: +SKIP
True
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from negotiation.errors import InputError, Problem
from negotiation.io import DATA_SUFFIXES
from negotiation.places import DOSSIER_FILE_NAMES, bundled_dossier_path
from negotiation.words import counted

if TYPE_CHECKING:
    from negotiation.loading import LoadedDossier

# The loader is imported when something is validated: exercises register their validator here at
# import, and that must not cost the CLI's cold start the models and the parser.

#: A validator for another file kind: returns a one-line summary of what it checked, or raises InputError.
Validator = Callable[[Path, str], str]
_VALIDATORS: list[tuple[Callable[[Path], bool], Validator]] = []


def register_validator(accepts: Callable[[Path], bool], validator: Validator) -> None:
    """Teach ``validate`` another file kind (exercises register theirs this way)."""
    _VALIDATORS.append((accepts, validator))


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
    from negotiation.loading import load_dossier, load_position_file

    for accepts, validator in _VALIDATORS:
        if accepts(path):
            return validator(path, shown)
    # A folder is a dossier, unless it is named like a data file and holds no dossier: then the
    # user meant a file, and the position loader says that a folder is not one.
    looks_like_file = path.suffix.lower() in DATA_SUFFIXES and not any((path / n).exists() for n in DOSSIER_FILE_NAMES)
    if (path.is_dir() and not looks_like_file) or path.name in DOSSIER_FILE_NAMES:
        return _dossier_summary(load_dossier(shown))
    position, _ = load_position_file(shown, context)
    return f"position '{position.id}': {counted(len(position.provisions), 'provision')}"


def _dossier_summary(record: LoadedDossier) -> str:
    count = sum(len(p.provisions) for p in record.positions.values())
    return f"dossier '{record.id}': {counted(len(record.positions), 'position')}, {counted(count, 'provision')}"


def validate_paths(paths: Sequence[str], dossier: str | None = None) -> ValidationReport:
    """Validate each path, collecting every problem in every file.

    Position files are checked against ``dossier`` when it is given (a trainee's counter-proposal
    kept outside the dossier folder, say), else against the dossier beside them or the bundled one
    they name. With no paths, ``dossier`` (default: the bundled dossier) itself is validated.
    """
    from negotiation.loading import load_dossier

    _load_plugins()
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


def _load_plugins() -> None:
    with contextlib.suppress(ImportError):
        importlib.import_module("negotiation.exercises")  # registers the exercise validator
