"""Exercise results as neutral tables (the way :mod:`negotiation.engine.views` does it for the engine)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from negotiation.errors import InputError, Problem
from negotiation.exercises.load import EXERCISE_FILE_NAMES, read_exercise
from negotiation.exercises.loaded import LoadedExercise
from negotiation.exercises.rules import Verdict
from negotiation.exercises.score import SubmissionScore
from negotiation.exercises.wording import ASSUMPTION_NOTE, fmt, package_text, signed
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


def verdict_tables(
    loaded: LoadedExercise, verdict: Verdict, title: str, *, data_extra: dict[str, Any] | None = None
) -> list[Table]:
    """The score of one package: a row per party, a row per coalition and the plenary decision."""
    rows = []
    for role_id, score in verdict.parties.items():
        crossed = ", ".join(o for _, o in score.red_lines)
        rows.append(
            (
                role_id,
                fmt(score.points),
                fmt(score.reservation_value),
                signed(score.margin),
                crossed or "none",
                "yes" if score.accepts else "no",
                score.explanation,
            )
        )
    parties = make_table(
        "parties",
        f"{title}: score per party",
        ("party", "points", "reservation", "margin", "red lines crossed", "accepts", "explanation"),
        rows,
        notes=(ASSUMPTION_NOTE,),
    )
    decisions = [*verdict.coalitions.values(), verdict.decision]
    decision_rows = [
        (
            d.body,
            d.rule,
            ", ".join(d.accepting) or "none",
            "; ".join(f"{v.role}: {v.reason}" for v in d.vetoes) or "none",
            "yes" if d.met else "no",
        )
        for d in decisions
    ]
    data = {"contract": "negotiation.exercise-score/1", "exercise": loaded.id, **verdict.to_dict()}
    if data_extra:
        data.update(data_extra)
    data["assumptions"] = ASSUMPTION_NOTE
    decision = make_table(
        "decision",
        f"{title}: decision rule",
        ("body", "rule", "accepting", "vetoes triggered", "met"),
        decision_rows,
        data=data,
        notes=(f"Decision: {verdict.decision.explanation}",),
    )
    parties = make_table(parties.name, parties.title, parties.columns, parties.rows, data=data, notes=parties.notes)
    return [parties, decision]


def submission_tables(loaded: LoadedExercise, result: SubmissionScore) -> list[Table]:
    """The score of a team's file: per party, the decision, and for positions the reading, movement and redline."""
    sub = result.submission
    round_text = f", round {result.verdict.round}" if result.verdict.round is not None else ""
    who = f"{sub.team} ({sub.role})" if sub.role else sub.team
    title = f"{who}{round_text}: {package_text(sub.options)}"
    data = {"contract": "negotiation.exercise-score/1", "exercise": loaded.id, **result.to_dict()}
    tables = verdict_tables(loaded, result.verdict, title)
    tables = [make_table(t.name, t.title, t.columns, t.rows, data=data, notes=t.notes) for t in tables]
    if sub.readings:
        rows: list[tuple[str, ...]] = [
            (r.issue, r.stance, r.option, ", ".join(r.provisions) or "(none)", r.matched_on) for r in sub.readings
        ]
        tables.append(
            make_table(
                "reading",
                f"How {sub.path} reads as a package",
                ("issue", "effective stance", "option", "provisions", "matched on"),
                rows,
                data=data,
                notes=(
                    "On each issue the most decisive stance of the provisions coded with its dossier issues "
                    "selects the option whose match lists it.",
                ),
            )
        )
    if result.movements:
        rows = [
            (
                m.against,
                m.exercise_issue,
                m.issue,
                f"{m.before or '-'} ({m.before_status or 'silent'})",
                f"{m.after or '-'} ({m.after_status or 'silent'})",
                "moved" if m.moved else "",
            )
            for m in result.movements
        ]
        role = loaded.exercise.role(sub.role)
        if role is not None and role.historical:
            before, label = f"real document {role.historical[0]}", "real document"
        elif result.base is not None:
            before, label = f"previous text {result.base}", "previous text"
        else:
            before, label = "no earlier text", "before"
        tables.append(
            make_table(
                "movement",
                f"Category movement against each party ({before} -> team's position)",
                ("against", "issue", "dossier issue", label, "team's position", ""),
                rows,
                data=data,
            )
        )
    if sub.position is not None:
        rows = [(r.provision, r.change, ", ".join(r.fields), r.redline or "") for r in result.redlines]
        tables.append(
            make_table(
                "redline",
                f"Redline against {result.base or 'nothing'}",
                ("provision", "change", "fields", "redline"),
                rows,
                data=data,
                notes=result.notes,
            )
        )
    return tables
