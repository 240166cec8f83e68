"""Rounds: each team's package per round, the concessions it made, and whether others reciprocated.

A team's move on an issue is the change of option from its previous package (position files are read
as packages first). Judged by the team's own schedule in the round of the move:

- a **concession** lowers the team's own points on the issue;
- a **joint gain** raises them and raises the other parties' points on the issue, together;
- a **hardening** raises them at the other parties' expense (their points on the issue, together,
  fall or stay equal);
- a **lateral** move leaves them equal; roles without a schedule (mediators) just **change**.

A concession in round *r* is **reciprocated** when at least one other team makes a concession in
round *r* or *r + 1*; the report names those teams. "Given" is what the team's new package is worth
to the other scored parties, together, against its previous package.

>>> # rounds(load_exercise("examples/karst-lake-basin-accord"), "examples/karst-lake-basin-accord/submissions")
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from negotiation.exercises.loaded import LoadedExercise, Package
from negotiation.exercises.score import Scorer
from negotiation.exercises.submissions import RoundFiles, Submission, load_rounds
from negotiation.exercises.wording import ASSUMPTION_NOTE, PRECISION, num, signed
from negotiation.loading import LoadedDossier


@dataclass(frozen=True)
class Move:
    """One issue on which a team changed its option."""

    issue: str
    old: str
    new: str
    own: float | None
    kind: str

    @property
    def text(self) -> str:
        """E.g. ``b: b1->b2 concession -8``."""
        own = f" {signed(self.own)}" if self.own is not None else ""
        return f"{self.issue}: {self.old}->{self.new} {self.kind}{own}"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"issue": self.issue, "from": self.old, "to": self.new, "own_change": num(self.own), "kind": self.kind}


@dataclass(frozen=True)
class TeamRound:
    """A team in one round: what it tabled, how it moved, what that gave the others."""

    team: str
    role: str
    round: int
    tabled: bool
    submission: Submission | None
    options: Package
    own_points: float | None
    moves: tuple[Move, ...]
    given: float | None
    reciprocated_by: tuple[str, ...]
    accepted_by: tuple[str, ...]
    rule_met: bool

    @property
    def concessions(self) -> int:
        """How many of its moves were concessions."""
        return sum(m.kind == "concession" for m in self.moves)

    @property
    def hardenings(self) -> int:
        """How many of its moves were hardenings."""
        return sum(m.kind == "hardening" for m in self.moves)

    @property
    def reciprocated(self) -> bool | None:
        """None without a concession; else whether another team conceded in this or the next round."""
        if not self.concessions:
            return None
        return bool(self.reciprocated_by)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "team": self.team,
            "role": self.role,
            "round": self.round,
            "tabled": self.tabled,
            "file": self.submission.path if self.submission else None,
            "options": dict(self.options),
            "own_points": num(self.own_points),
            "moves": [m.to_dict() for m in self.moves],
            "concessions": self.concessions,
            "hardenings": self.hardenings,
            "given_to_others": num(self.given),
            "reciprocated": self.reciprocated,
            "reciprocated_by": list(self.reciprocated_by),
            "accepted_by": list(self.accepted_by),
            "decision_rule_met": self.rule_met,
        }


@dataclass(frozen=True)
class RoundsReport:
    """Every team in every round."""

    exercise: str
    rounds: tuple[int, ...]
    teams: tuple[str, ...]
    entries: tuple[TeamRound, ...]
    files: tuple[RoundFiles, ...]

    @property
    def record(self) -> LoadedDossier | None:
        """The exercise's record with every position file of every round (None without a dossier)."""
        return self.files[-1].record if self.files else None

    def entry(self, team: str, round_number: int) -> TeamRound | None:
        """The entry of ``team`` in ``round_number``."""
        return next((e for e in self.entries if e.team == team and e.round == round_number), None)

    def of_team(self, team: str) -> list[TeamRound]:
        """A team's entries in round order."""
        return [e for e in self.entries if e.team == team]

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``negotiation exercise rounds``."""
        return {
            "contract": "negotiation.exercise-rounds/1",
            "exercise": self.exercise,
            "rounds": list(self.rounds),
            "teams": list(self.teams),
            "entries": [e.to_dict() for e in self.entries],
            "assumptions": ASSUMPTION_NOTE,
        }


def _moves(scorer: Scorer, role: str, old: Package, new: Package) -> tuple[Move, ...]:
    valuation = scorer.valuations.get(role)
    moves = []
    for issue in scorer.issues:
        if old[issue] == new[issue]:
            continue
        if valuation is None:
            moves.append(Move(issue, old[issue], new[issue], None, "change"))
            continue
        change = round(valuation.points[issue][new[issue]] - valuation.points[issue][old[issue]], PRECISION)
        others = round(
            sum(
                v.points[issue][new[issue]] - v.points[issue][old[issue]]
                for r, v in scorer.valuations.items()
                if r != role
            ),
            6,
        )
        if change < 0:
            kind = "concession"
        elif change > 0:
            kind = "joint gain" if others > 0 else "hardening"
        else:
            kind = "lateral"
        moves.append(Move(issue, old[issue], new[issue], change, kind))
    return tuple(moves)


def rounds(loaded: LoadedExercise, folder: str | Path) -> RoundsReport:
    """Load ``folder/round-<n>/`` and analyse every team's moves round by round."""
    files = load_rounds(loaded, folder)
    numbers = tuple(r.number for r in files)
    order = {r.id: k for k, r in enumerate(loaded.exercise.roles)}
    roles_of = {t: s.role for r in files for t, s in r.submissions.items()}
    teams = tuple(sorted(roles_of, key=lambda t: (order.get(roles_of[t], len(order)), t)))
    provisional: list[dict[str, Any]] = []
    last: dict[str, Submission] = {}
    for round_files in files:
        scorer = Scorer(loaded, round_files.number)
        for team in teams:
            submission = round_files.submissions.get(team)
            previous = last.get(team)
            current = submission or previous
            if current is None:
                continue
            options = current.options
            moves = _moves(scorer, current.role, previous.options, options) if previous and submission else ()
            points, _, by_role, met = scorer.fast(scorer.choice_of(options))
            scores = dict(zip(scorer.scored, points, strict=True))
            given = None
            if previous is not None and submission is not None:
                before, _, _, _ = scorer.fast(scorer.choice_of(previous.options))
                old = dict(zip(scorer.scored, before, strict=True))
                given = round(sum(scores[r] - old[r] for r in scorer.scored if r != current.role), PRECISION)
            provisional.append(
                {
                    "team": team,
                    "role": current.role,
                    "round": round_files.number,
                    "tabled": submission is not None,
                    "submission": submission,
                    "options": options,
                    "own_points": scores.get(current.role),
                    "moves": moves,
                    "given": given,
                    "accepted_by": tuple(r for r, ok in by_role.items() if ok),
                    "rule_met": met,
                }
            )
            if submission is not None:
                last[team] = submission
    conceded = {(e["team"], e["round"]) for e in provisional if any(m.kind == "concession" for m in e["moves"])}
    entries = []
    for e in provisional:
        position = numbers.index(e["round"])
        window = numbers[position : position + 2]
        by = (
            tuple(t for t in teams if t != e["team"] and any((t, r) in conceded for r in window))
            if (e["team"], e["round"]) in conceded
            else ()
        )
        entries.append(TeamRound(reciprocated_by=by, **e))
    return RoundsReport(loaded.id, numbers, teams, tuple(entries), tuple(files))


__all__ = ["Move", "RoundsReport", "TeamRound", "rounds"]
