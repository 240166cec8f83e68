"""Exercise results as neutral tables (the way :mod:`negotiation.engine.views` does it for the engine)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from negotiation.errors import InputError, Problem
from negotiation.exercises.load import EXERCISE_FILE_NAMES, read_exercise
from negotiation.tables import Table, make_table


def exercises_table(folder: str | Path) -> Table:
    """The exercises in ``folder`` (each sub-folder with an exercise.yaml): id, title, kind, size, problems."""
    base = Path(folder)
    if not base.is_dir():
        what = "no such folder" if not base.exists() else "not a folder"
        raise InputError([Problem(str(folder), 0, 0, "", f"unreadable: {what}", unreadable=True)])
    rows: list[tuple[str | int, ...]] = []
    data: list[dict[str, Any]] = []
    for entry in sorted(base.iterdir()):
        if not entry.is_dir() or not any((entry / n).is_file() for n in EXERCISE_FILE_NAMES):
            continue
        shown = os.path.join(str(folder), entry.name)
        loaded, problems = read_exercise(shown)
        if loaded is None:
            rows.append(("", "", "", "", "", "", "", shown, f"{len(problems)} problems"))
            data.append({"folder": shown, "problems": len(problems)})
            continue
        ex = loaded.exercise
        status = f"{len(problems)} problems" if problems else "ok"
        rows.append(
            (
                ex.id,
                ex.title,
                ex.kind,
                len(ex.roles),
                len(ex.issues),
                loaded.package_space_size(),
                len(ex.rounds),
                shown,
                status,
            )
        )
        data.append(
            {
                "id": ex.id,
                "title": ex.title,
                "kind": ex.kind,
                "roles": len(ex.roles),
                "issues": len(ex.issues),
                "packages": loaded.package_space_size(),
                "rounds": len(ex.rounds),
                "folder": shown,
                "problems": len(problems),
            }
        )
    return make_table(
        "exercises",
        f"Exercises in {folder}",
        ("id", "title", "kind", "roles", "issues", "packages", "rounds", "folder", "status"),
        rows,
        data={"contract": "negotiation.exercise-list/1", "exercises": data},
    )
