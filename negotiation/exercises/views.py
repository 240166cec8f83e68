"""Exercise results as neutral tables (the way :mod:`negotiation.engine.views` does it for the engine)."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from negotiation.engine.attestation import MARKERS
from negotiation.engine.attestation import legend as attestation_legend
from negotiation.errors import InputError, Problem
from negotiation.exercises.debrief import Debrief
from negotiation.exercises.load import read_exercise
from negotiation.exercises.loaded import LoadedExercise
from negotiation.exercises.rounds import RoundsReport
from negotiation.exercises.rules import Verdict
from negotiation.exercises.score import SubmissionScore
from negotiation.exercises.wording import ASSUMPTION_NOTE, fmt, package_text, signed
from negotiation.io import EXERCISE_FILE_NAMES
from negotiation.tables import Table, make_table
from negotiation.words import counted


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
            rows.append(("", "", "", "", "", "", "", shown, counted(len(problems), "problem")))
            data.append({"folder": shown, "problems": len(problems)})
            continue
        ex = loaded.exercise
        status = counted(len(problems), "problem") if problems else "ok"
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
                _verdict(m.before, m.before_status, m.before_attestation),
                _verdict(m.after, m.after_status, m.after_attestation),
                "yes" if m.moved else "no",
            )
            for m in result.movements
        ]
        marked = any(_marker(g) for m in result.movements for g in (m.before_attestation, m.after_attestation))
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
                ("against", "issue", "dossier issue", label, "team's position", "moved"),
                rows,
                data=data,
                notes=(attestation_legend(),) if marked else (),
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


def rounds_table(loaded: LoadedExercise, report: RoundsReport) -> Table:
    """One row per team and round: package, own points, moves, concessions, given, reciprocated by."""
    rows = []
    for e in report.entries:
        recip = "" if e.reciprocated is None else ("yes: " + ", ".join(e.reciprocated_by) if e.reciprocated else "no")
        rows.append(
            (
                e.round,
                e.team,
                package_text(e.options) + ("" if e.tabled else " (not tabled; previous)"),
                fmt(e.own_points) if e.own_points is not None else "",
                "; ".join(m.text for m in e.moves) or ("opening" if e.round == report.rounds[0] else "no move"),
                e.concessions,
                signed(e.given) if e.given is not None else "",
                recip,
                ", ".join(e.accepted_by) or "none",
                "yes" if e.rule_met else "no",
            )
        )
    return make_table(
        "rounds",
        f"Rounds of {loaded.id}: concessions and reciprocity",
        (
            "round",
            "team",
            "package",
            "own points",
            "moves",
            "concessions",
            "given",
            "reciprocated",
            "accepted by",
            "rule met",
        ),
        rows,
        data=report.to_dict(),
        notes=(
            "A concession lowers the team's own points on an issue; a hardening raises them at the others' "
            "expense, a joint gain raises them and the others' (judged by the schedules in that round). A "
            "concession is reciprocated when another team concedes in the same or the next round. 'Given': "
            "the change in the other parties' points, together.",
            ASSUMPTION_NOTE,
        ),
    )


def debrief_tables(loaded: LoadedExercise, result: Debrief) -> list[Table]:
    """The debrief as tables: outcome, teams, per-team rounds, options across teams, the record."""
    data = result.to_dict()
    return [
        *_debrief_outcome(loaded, result, data),
        *_debrief_teams(loaded, result, data),
        *_debrief_rounds(loaded, result, data),
        *_debrief_issues(loaded, result, data),
        *_debrief_record(loaded, result, data),
    ]


def _debrief_outcome(loaded: LoadedExercise, result: Debrief, data: dict[str, Any]) -> list[Table]:
    """Each team's final package scored against every party."""
    tables: list[Table] = []
    scored = [r.id for r in loaded.scored_roles]
    final_rows = []
    for t in result.teams:
        final_rows.append(
            (
                t.team,
                package_text(t.final),
                *(fmt(t.verdict.parties[r].points) + ("" if t.verdict.parties[r].accepts else " (no)") for r in scored),
                "yes" if t.verdict.met else "no",
                "yes" if t.pareto else "no",
            )
        )
    tables.append(
        make_table(
            "outcome",
            f"Debrief of {loaded.id}: {result.outcome}",
            ("team", "final package", *scored, "rule met", "Pareto-efficient"),
            final_rows,
            data=data,
            notes=(
                *(n for n in result.notes if not n.startswith("Category movement")),
                "Each final package scored against every party's schedule in the last round; '(no)' marks a party "
                "that does not accept it.",
                ASSUMPTION_NOTE,
            ),
        )
    )
    return tables


def _debrief_teams(loaded: LoadedExercise, result: Debrief, data: dict[str, Any]) -> list[Table]:
    """Each team over the rounds: points, margin, concessions."""
    tables: list[Table] = []
    team_rows = []
    for t in result.teams:
        own = t.verdict.parties.get(t.role)
        team_rows.append(
            (
                t.team,
                t.role,
                t.rounds_tabled,
                fmt(own.points) if own else "",
                signed(own.margin) if own else "",
                t.concessions,
                f"{t.reciprocated} of {t.conceding_rounds}",
                signed(t.given),
            )
        )
    tables.append(
        make_table(
            "teams",
            "Each team over the rounds",
            (
                "team",
                "role",
                "rounds tabled",
                "final points",
                "final margin",
                "concessions",
                "reciprocated rounds",
                "given",
            ),
            team_rows,
            data=data,
            notes=(
                "Concessions: moves that lowered the team's own points; reciprocated rounds: rounds with a concession "
                "that another team matched in the same or the next round; given: what the team's moves were worth "
                "to the other parties together.",
                ASSUMPTION_NOTE,
            ),
        )
    )
    return tables


def _debrief_rounds(loaded: LoadedExercise, result: Debrief, data: dict[str, Any]) -> list[Table]:
    """One table per team: its package round by round."""
    tables: list[Table] = []
    for t in result.teams:
        rows: list[tuple[Any, ...]] = [
            (
                str(e.round),
                package_text(e.options) + ("" if e.tabled else " (not tabled)"),
                fmt(e.own_points) if e.own_points is not None else "",
                "; ".join(m.text for m in e.moves) or "",
                ", ".join(e.accepted_by) or "none",
                "yes" if e.rule_met else "no",
            )
            for e in result.rounds.of_team(t.team)
        ]
        tables.append(
            make_table(
                f"team-{t.team}",
                f"Team {t.team} ({t.role})",
                ("round", "package", "own points", "moves", "accepted by", "rule met"),
                rows,
                data=data,
                notes=tuple(f"{s.role}: {s.explanation}" for s in t.verdict.parties.values()),
            )
        )
    return tables


def _debrief_issues(loaded: LoadedExercise, result: Debrief, data: dict[str, Any]) -> list[Table]:
    """The options the teams ended on, issue by issue."""
    tables: list[Table] = []
    issue_rows = []
    for issue in loaded.exercise.issues:
        counts = Counter(t.final[issue.id] for t in result.teams)
        issue_rows.append(
            (issue.id, issue.title, ", ".join(f"{o.id} x{counts[o.id]}" for o in issue.options if counts[o.id]))
        )
    tables.append(
        make_table("issues", "Final options across teams", ("issue", "title", "final options"), issue_rows, data=data)
    )
    return tables


def _debrief_record(loaded: LoadedExercise, result: Debrief, data: dict[str, Any]) -> list[Table]:
    """The teams beside the real documents (record scenarios only)."""
    tables: list[Table] = []
    rows: list[tuple[Any, ...]]
    if result.record:
        rows = [
            (
                r.team,
                r.issue,
                r.team_option,
                r.real_option or "",
                r.real_stance or "",
                "same" if r.team_option == r.real_option else "differs",
            )
            for r in result.record
        ]
        documents = sorted({r.document for r in result.record})
        tables.append(
            make_table(
                "record",
                f"Teams beside the real documents ({', '.join(documents)})",
                ("team", "issue", "team option", "real option", "real stance", "compared"),
                rows,
                data=data,
                notes=(
                    "Each team's final package beside its role's real document, read as a package the same way "
                    "as the teams' position files.",
                ),
            )
        )
    if result.stances:
        rows = [
            (
                s.team,
                s.issue,
                s.team_stance,
                s.real_stance,
                (
                    f"{s.movement.against}: {_category(s.movement.before, s.movement.before_attestation)}"
                    f" -> {_category(s.movement.after, s.movement.after_attestation)}"
                    if s.movement
                    else ""
                ),
            )
            for s in result.stances
        ]
        stance_marked = any(
            _marker(g)
            for s in result.stances
            if s.movement
            for g in (s.movement.before_attestation, s.movement.after_attestation)
        )
        tables.append(
            make_table(
                "record-issues",
                "Teams beside the real documents, dossier issue by dossier issue",
                ("team", "dossier issue", "team stance", "real stance", "category against (real -> team)"),
                rows,
                data=data,
                notes=(*result.notes, attestation_legend()) if stance_marked else result.notes,
            )
        )
    return tables


def _marker(grade: str | None) -> str:
    """The table marker of a verdict's attestation grade ('' for the document's own words or silence)."""
    return MARKERS.get(grade, "") if grade is not None else ""  # type: ignore[call-overload]


def _category(category: str | None, grade: str | None) -> str:
    """A category with its attestation marker when tentative ('-' where the party is silent)."""
    marker = _marker(grade)
    return f"{category or '-'} {marker}" if marker else category or "-"


def _verdict(category: str | None, status: str | None, grade: str | None) -> str:
    """A movement cell: the category, its status and, when tentative, the attestation marker."""
    cell = f"{category or '-'} ({status or 'silent'})"
    marker = _marker(grade)
    return f"{cell} {marker}" if marker else cell
