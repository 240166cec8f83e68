"""The debrief: each team's outcome and concessions, the teams side by side, and (on the record) the real documents.

- **Outcome**: the package every team tabled in the last round, if they all tabled the same one
  (an agreement when the decision rule accepts it), else no common package; either way each final
  package is scored against every schedule.
- **Per team**: its packages round by round, its own points and margin at the end, concessions made
  and reciprocated, what its moves gave the others, whether its final package is Pareto-efficient.
- **Across teams**: which option the final packages hold on each issue.
- **On the record** (roles with ``historical`` positions): issue by issue, the option the team chose
  beside the option the real document stands for (read the same way, through the options' ``match``);
  for position files also, per dossier issue, the team's stance beside the real one and the category
  each gets against the other side's standing position (via the comparison engine).

>>> # debrief(load_exercise("examples/karst-lake-basin-accord"), "examples/karst-lake-basin-accord/submissions")
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from negotiation.exercises.load import LoadedExercise, Package, covers, effective_stance, read_position
from negotiation.exercises.rounds import RoundsReport, rounds
from negotiation.exercises.score import (
    ASSUMPTION_NOTE,
    Movement,
    Scorer,
    Verdict,
    fmt,
    movements,
    num,
    package_text,
    signed,
)
from negotiation.exercises.space import EXHAUSTIVE_LIMIT, pareto_front
from negotiation.schema import Position
from negotiation.tables import Table, make_table
from negotiation.words import counted


@dataclass(frozen=True)
class TeamDebrief:
    """One team's outcome and conduct over the rounds."""

    team: str
    role: str
    final: Package
    verdict: Verdict
    rounds_tabled: int
    concessions: int
    reciprocated: int
    conceding_rounds: int
    given: float
    pareto: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        own = self.verdict.parties.get(self.role)
        return {
            "team": self.team,
            "role": self.role,
            "final": dict(self.final),
            "own_points": num(own.points) if own else None,
            "own_margin": num(own.margin) if own else None,
            "decision_rule_met": self.verdict.met,
            "rounds_tabled": self.rounds_tabled,
            "concessions": self.concessions,
            "conceding_rounds": self.conceding_rounds,
            "reciprocated_rounds": self.reciprocated,
            "given_to_others": num(self.given),
            "pareto_efficient": self.pareto,
        }


@dataclass(frozen=True)
class RecordItem:
    """On one exercise issue, the team's option beside the real document's."""

    team: str
    document: str
    issue: str
    team_option: str
    real_option: str | None
    real_stance: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "team": self.team,
            "document": self.document,
            "issue": self.issue,
            "team_option": self.team_option,
            "real_option": self.real_option,
            "real_stance": self.real_stance,
            "same": self.team_option == self.real_option,
        }


@dataclass(frozen=True)
class StanceItem:
    """On one dossier issue, the team's stance beside the real document's, and the category of each."""

    team: str
    document: str
    issue: str
    team_stance: str
    real_stance: str
    movement: Movement | None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "team": self.team,
            "document": self.document,
            "issue": self.issue,
            "team_stance": self.team_stance,
            "real_stance": self.real_stance,
            "movement": self.movement.to_dict() if self.movement else None,
        }


@dataclass(frozen=True)
class Debrief:
    """The whole debrief of an exercise run."""

    exercise: str
    outcome: str
    agreed: Package | None
    rounds: RoundsReport
    teams: tuple[TeamDebrief, ...]
    record: tuple[RecordItem, ...]
    stances: tuple[StanceItem, ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``negotiation exercise debrief``."""
        return {
            "contract": "negotiation.exercise-debrief/1",
            "exercise": self.exercise,
            "outcome": self.outcome,
            "agreed": self.agreed,
            "teams": [t.to_dict() for t in self.teams],
            "final_scores": {t.team: t.verdict.to_dict() for t in self.teams},
            "record": [r.to_dict() for r in self.record],
            "stances": [s.to_dict() for s in self.stances],
            "rounds": self.rounds.to_dict(),
            "notes": list(self.notes),
            "assumptions": ASSUMPTION_NOTE,
        }


def _stance_on(position: Position, code: str) -> str:
    return effective_stance(p.stance for p in position.provisions if any(covers(c, [code]) for c in p.issues))


def debrief(loaded: LoadedExercise, folder: str | Path) -> Debrief:
    """Build the debrief of the submissions in ``folder`` (``round-<n>/`` sub-folders)."""
    report = rounds(loaded, folder)
    last_round = report.rounds[-1]
    scorer = Scorer(loaded, last_round)
    # Pareto-efficiency of final packages is judged in the schedules of the last round.
    sizes = [range(len(scorer.options[i])) for i in scorer.issues]
    choices = list(itertools.product(*sizes))
    if len(choices) <= EXHAUSTIVE_LIMIT:
        vectors = [scorer.fast(c)[0] for c in choices]
        efficient = {choices[k] for k in pareto_front(vectors)}
    else:
        efficient = set()
    teams: list[TeamDebrief] = []
    finals: dict[str, Package] = {}
    for team in report.teams:
        entries = report.of_team(team)
        final = entries[-1]
        finals[team] = final.options
        verdict = scorer.verdict(final.options)
        conceding = [e for e in entries if e.concessions]
        teams.append(
            TeamDebrief(
                team=team,
                role=final.role,
                final=final.options,
                verdict=verdict,
                rounds_tabled=sum(e.tabled for e in entries),
                concessions=sum(e.concessions for e in entries),
                reciprocated=sum(bool(e.reciprocated) for e in conceding),
                conceding_rounds=len(conceding),
                given=round(sum(e.given or 0 for e in entries), 6),
                pareto=scorer.choice_of(final.options) in efficient,
            )
        )
    distinct = {tuple(p.values()) for p in finals.values()}
    agreed: Package | None = None
    if len(distinct) == 1 and finals:
        common = next(iter(finals.values()))
        if scorer.verdict(common).met:
            agreed = common
            outcome = (
                f"agreement: every team tabled {package_text(common)} in round {last_round}, and the rule accepts it"
            )
        else:
            outcome = (
                f"no agreement: every team tabled {package_text(common)} in round {last_round}, "
                "but the decision rule does not accept it"
            )
    else:
        different = counted(len(distinct), "different package")
        outcome = f"no common package: the teams tabled {different} in round {last_round}"
    record_items, stance_items, notes = _record(loaded, report)
    # Two-level games: say whether each coalition's member teams reached a common position.
    coalition_notes = []
    for coalition in loaded.exercise.roles:
        if coalition.kind != "coalition":
            continue
        tabled = {t: finals[t] for t in report.teams if report.of_team(t)[-1].role in coalition.members}
        if not tabled:
            continue
        packages = {tuple(p.values()) for p in tabled.values()}
        missing = [m for m in coalition.members if m not in {report.of_team(t)[-1].role for t in tabled}]
        if len(packages) == 1 and not missing:
            common = next(iter(tabled.values()))
            verdict = scorer.verdict(common)
            held = "its rule accepts it" if verdict.coalitions[coalition.id].met else "but its rule does not accept it"
            coalition_notes.append(
                f"{coalition.id}: every member team tabled {package_text(common)} in round {last_round}; {held}"
            )
        else:
            coalition_notes.append(
                f"{coalition.id}: its member teams tabled {counted(len(packages), 'different package')} "
                f"in round {last_round}" + (f" ({', '.join(missing)} tabled nothing)" if missing else "")
            )
    # A mediated exercise ends with each party's yes or no to the mediator's last text.
    for team in report.teams:
        last = report.of_team(team)[-1]
        if loaded.role(last.role).kind != "mediator":
            continue
        verdict = scorer.verdict(last.options)
        voters = list(loaded.voters)
        yes = [v for v in voters if verdict.accepts(v)]
        no = [v for v in voters if not verdict.accepts(v)]
        coalition_notes.append(
            f"{team}'s last text (round {last.round}): yes from {', '.join(yes) or 'nobody'}; "
            f"no from {', '.join(no) or 'nobody'}"
        )
    notes = (*coalition_notes, *notes)
    return Debrief(loaded.id, outcome, agreed, report, tuple(teams), tuple(record_items), tuple(stance_items), notes)


def _record(loaded: LoadedExercise, report: RoundsReport) -> tuple[list[RecordItem], list[StanceItem], tuple[str, ...]]:
    items: list[RecordItem] = []
    stances: list[StanceItem] = []
    notes: list[str] = []
    if loaded.record is None:
        return items, stances, ()
    for team in report.teams:
        final = report.of_team(team)[-1]
        role = loaded.role(final.role)
        if not role.historical:
            continue
        for document in role.historical:
            real = loaded.record.position(document)
            real_options, readings, _ = read_position(loaded, real, document)
            by_issue = {r.issue: r for r in readings}
            for issue in loaded.exercise.issues:
                reading = by_issue.get(issue.id)
                items.append(
                    RecordItem(
                        team,
                        document,
                        issue.id,
                        final.options[issue.id],
                        real_options.get(issue.id),
                        reading.stance if reading else None,
                    )
                )
        # The stance comparison needs the team's words: its latest position file, if any.
        submission = next(
            (e.submission for e in reversed(report.of_team(team)) if e.submission and e.submission.position),
            None,
        )
        if submission is None or submission.position is None:
            continue
        assert report.record is not None
        moves = movements(loaded, submission, report.record)
        historical = loaded.record.position(role.historical[0])
        codes = [
            c
            for c in loaded.record.issues
            if any(covers(c, i.codes) for i in loaded.exercise.issues)
            and (_stance_on(historical, c) != "silent" or _stance_on(submission.position, c) != "silent")
        ]
        for code in codes:
            movement = next((m for m in moves if m.issue == code), None)
            stances.append(
                StanceItem(
                    team,
                    historical.id,
                    code,
                    _stance_on(submission.position, code),
                    _stance_on(historical, code),
                    movement,
                )
            )
    return items, stances, tuple(dict.fromkeys(notes))


def debrief_tables(loaded: LoadedExercise, result: Debrief) -> list[Table]:
    """The debrief as tables: outcome, teams, per-team rounds, options across teams, the record."""
    data = result.to_dict()
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
    issue_rows = []
    for issue in loaded.exercise.issues:
        counts = Counter(t.final[issue.id] for t in result.teams)
        issue_rows.append(
            (issue.id, issue.title, ", ".join(f"{o.id} x{counts[o.id]}" for o in issue.options if counts[o.id]))
        )
    tables.append(
        make_table("issues", "Final options across teams", ("issue", "title", "final options"), issue_rows, data=data)
    )
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
                    f"{s.movement.against}: {s.movement.before or '-'} -> {s.movement.after or '-'}"
                    if s.movement
                    else ""
                ),
            )
            for s in result.stances
        ]
        tables.append(
            make_table(
                "record-issues",
                "Teams beside the real documents, dossier issue by dossier issue",
                ("team", "dossier issue", "team stance", "real stance", "category against (real -> team)"),
                rows,
                data=data,
                notes=result.notes,
            )
        )
    return tables


__all__ = ["Debrief", "RecordItem", "StanceItem", "TeamDebrief", "debrief", "debrief_tables"]
