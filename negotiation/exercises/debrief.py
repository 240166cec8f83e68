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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from negotiation.engine.decision import most_decisive
from negotiation.exercises.limits import EXHAUSTIVE_LIMIT
from negotiation.exercises.loaded import LoadedExercise, Package
from negotiation.exercises.movements import Movement, movements
from negotiation.exercises.pareto import pareto_front
from negotiation.exercises.rounds import RoundsReport, rounds
from negotiation.exercises.rules import Verdict
from negotiation.exercises.score import Scorer
from negotiation.exercises.submissions import covers, read_position
from negotiation.exercises.wording import ASSUMPTION_NOTE, PRECISION, num, package_text
from negotiation.schema import Position
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
    return most_decisive(p.stance_shown for p in position.provisions if any(covers(c, [code]) for c in p.issues))


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
                given=round(sum(e.given or 0 for e in entries), PRECISION),
                pareto=scorer.choice_of(final.options) in efficient,
            )
        )
    agreed, outcome = _outcome(scorer, finals, last_round)
    record_items, stance_items, notes = _record(loaded, report)
    coalition_notes = _coalition_notes(loaded, report, scorer, finals, last_round)
    notes = (*coalition_notes, *notes)
    return Debrief(loaded.id, outcome, agreed, report, tuple(teams), tuple(record_items), tuple(stance_items), notes)


def _outcome(scorer: Scorer, finals: dict[str, Package], last_round: int) -> tuple[Package | None, str]:
    """The package every team tabled last, if it is one and the rule accepts it, and the outcome in words."""
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
    return agreed, outcome


def _coalition_notes(
    loaded: LoadedExercise, report: RoundsReport, scorer: Scorer, finals: dict[str, Package], last_round: int
) -> list[str]:
    """Whether each coalition's member teams reached a common position, and each mediator text's yes and no."""
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
    return coalition_notes


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


__all__ = ["Debrief", "RecordItem", "StanceItem", "TeamDebrief", "debrief"]
