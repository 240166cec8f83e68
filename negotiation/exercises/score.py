"""Score a package against every role's private schedule, and apply the decision rule.

The rules, in the words the reports use:

- A role's **points** for a package are the sum, over issues, of ``weight x points`` of the option
  the package holds, plus every linkage whose options are all in the package.
- Its **margin** is points minus its reservation value. A party **accepts** a package when the
  package crosses none of its red lines and the margin is zero or more.
- A **coalition** accepts when its internal rule is met by its members and no gatekeeper of an issue
  finds one of its red lines chosen on that issue.
- The exercise's **decision rule** counts the voters that accept: consensus and unanimity need all,
  majority more than half, k-of-n at least k; every veto holder must accept in any case.
- A **veto is triggered** when a veto holder (a voter named in ``vetoes``, or any voter under consensus
  or unanimity, or a gatekeeper on its issue) blocks the package.

Injects change schedules from their round on: ``round=2`` applies every adjustment of an inject read
out before round 2 or earlier.

>>> # scorer = Scorer(load_exercise("examples/karst-lake-basin-accord"))
>>> # scorer.verdict({"a": "a2", "b": "b2", "c": "c2", "d": "d2", "e": "e2"}).met  -> True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from negotiation.errors import UsageError
from negotiation.exercises.loaded import LoadedExercise, Package
from negotiation.exercises.movements import Movement, Redline, movements, redlines
from negotiation.exercises.rules import PartyScore, RuleOutcome, Verdict, Veto, needed, rule_outcome
from negotiation.exercises.schema import Role
from negotiation.exercises.submissions import Submission
from negotiation.exercises.valuation import valuation
from negotiation.exercises.wording import ASSUMPTION_NOTE, PRECISION


class Scorer:
    """Scores packages for one exercise in one round; also the fast path used to enumerate the space.

    >>> # Scorer(ex, round_number=2).verdict(package)
    """

    def __init__(self, loaded: LoadedExercise, round_number: int | None = None) -> None:
        self.loaded = loaded
        self.round = round_number
        self.exercise = loaded.exercise
        self.issues = [i.id for i in self.exercise.issues]
        self.options = {i.id: [o.id for o in i.options] for i in self.exercise.issues}
        self.valuations = {
            r.id: valuation(loaded, loaded.schedules[r.id], round_number)
            for r in loaded.scored_roles
            if r.id in loaded.schedules
        }
        missing = [r.id for r in loaded.scored_roles if r.id not in self.valuations]
        if missing:
            raise UsageError(f"no schedule for {', '.join(missing)}")
        self.scored = list(self.valuations)
        self.coalitions: list[Role] = [r for r in self.exercise.roles if r.kind == "coalition"]
        self.voters = loaded.voters
        self._compile()

    # -- detailed scoring ------------------------------------------------------------------------

    def party_score(self, role_id: str, package: Package) -> PartyScore:
        """One party's score of ``package``."""
        v = self.valuations[role_id]
        terms = tuple((i, package[i], v.points[i][package[i]]) for i in self.issues)
        links = tuple(
            (link.description or "+".join(link.options.values()), float(link.points))
            for link in v.linkages
            if all(package.get(i) == o for i, o in link.options.items())
        )
        points = v.total(package)
        margin = round(points - v.reservation_value, PRECISION)
        crossed = tuple(v.crossed(package))
        return PartyScore(
            role=role_id,
            points=points,
            reservation_value=v.reservation_value,
            margin=margin,
            red_lines=crossed,
            accepts=margin >= 0 and not crossed,
            terms=terms,
            linkages=links,
            adjustments=v.adjustments,
        )

    def verdict(self, package: Package) -> Verdict:
        """Score ``package`` against every schedule and rule."""
        self.check(package)
        parties = {r: self.party_score(r, package) for r in self.scored}
        accepts: dict[str, bool] = {r: s.accepts for r, s in parties.items()}
        coalitions: dict[str, RuleOutcome] = {}
        for coalition in self.coalitions:
            assert coalition.decision_rule is not None
            gates = [
                Veto(g, coalition.id, f"gatekeeper on issue '{gate.issue}': red line {package[gate.issue]}")
                for gate in coalition.gatekeepers
                for g in gate.roles
                if package[gate.issue] in self.valuations[g].red_lines.get(gate.issue, frozenset())
            ]
            outcome = rule_outcome(coalition.id, coalition.decision_rule, coalition.members, accepts, gates)
            coalitions[coalition.id] = outcome
            accepts[coalition.id] = outcome.met
        for role in self.exercise.roles:
            accepts.setdefault(role.id, False)
        decision = rule_outcome("plenary", self.exercise.decision_rule, self.voters, accepts, ())
        return Verdict(dict(package), self.round, parties, coalitions, decision)

    def check(self, package: Package) -> None:
        """Raise a UsageError unless ``package`` holds one known option for every issue."""
        for issue in self.issues:
            if package.get(issue) not in self.options[issue]:
                raise UsageError(f"package has no valid option for issue '{issue}'")

    # -- fast path for enumeration ---------------------------------------------------------------

    def _compile(self) -> None:
        # Per role: per issue, the points of each option index; red lines as index sets; linkages as
        # index tuples. Enumeration then works on tuples of option indices without building dicts.
        index = {i: {o: k for k, o in enumerate(opts)} for i, opts in self.options.items()}
        self._points: list[list[list[float]]] = []
        self._red: list[list[frozenset[int]]] = []
        self._links: list[list[tuple[tuple[tuple[int, int], ...], float]]] = []
        self._rv: list[float] = []
        for role in self.scored:
            v = self.valuations[role]
            self._points.append([[v.points[i][o] for o in self.options[i]] for i in self.issues])
            self._red.append([frozenset(index[i][o] for o in v.red_lines.get(i, frozenset())) for i in self.issues])
            self._links.append(
                [
                    (tuple((self.issues.index(i), index[i][o]) for i, o in link.options.items()), float(link.points))
                    for link in v.linkages
                ]
            )
            self._rv.append(v.reservation_value)
        position = {r: k for k, r in enumerate(self.scored)}
        self._coalitions: list[tuple[str, list[int], int, list[int], list[tuple[int, int, frozenset[int]]]]] = []
        for c in self.coalitions:
            assert c.decision_rule is not None
            members = [position[m] for m in c.members]
            vetoes = [position[m] for m in c.decision_rule.vetoes]
            gates = [
                (self.issues.index(g.issue), position[r], self._red[position[r]][self.issues.index(g.issue)])
                for g in c.gatekeepers
                for r in g.roles
            ]
            self._coalitions.append((c.id, members, needed(c.decision_rule, len(members)), vetoes, gates))
        self._voters = list(self.voters)
        self._need = needed(self.exercise.decision_rule, len(self._voters))
        self._vetoes = list(self.exercise.decision_rule.vetoes)

    def fast(self, choice: Sequence[int]) -> tuple[tuple[float, ...], tuple[bool, ...], dict[str, bool], bool]:
        """For option indices ``choice``: points and acceptance per scored role, acceptance by role, rule met."""
        points: list[float] = []
        accepts: list[bool] = []
        for k in range(len(self.scored)):
            table = self._points[k]
            total = 0.0
            crossed = False
            red = self._red[k]
            for i, o in enumerate(choice):
                total += table[i][o]
                if o in red[i]:
                    crossed = True
            for options, bonus in self._links[k]:
                if all(choice[i] == o for i, o in options):
                    total += bonus
            total = round(total, PRECISION)
            points.append(total)
            accepts.append(not crossed and total >= self._rv[k])
        by_role = dict(zip(self.scored, accepts, strict=True))
        for cid, members, need, vetoes, gates in self._coalitions:
            ok = sum(accepts[m] for m in members) >= need and all(accepts[v] for v in vetoes)
            ok = ok and not any(choice[i] in red for i, _, red in gates)
            by_role[cid] = ok
        votes = [by_role.get(v, False) for v in self._voters]
        met = sum(votes) >= self._need and all(by_role.get(v, False) for v in self._vetoes)
        return tuple(points), tuple(accepts), by_role, met

    def package_of(self, choice: Sequence[int]) -> Package:
        """The package for option indices ``choice``."""
        return {i: self.options[i][o] for i, o in zip(self.issues, choice, strict=True)}

    def choice_of(self, package: Package) -> tuple[int, ...]:
        """The option indices of ``package``."""
        self.check(package)
        return tuple(self.options[i].index(package[i]) for i in self.issues)


def score_package(loaded: LoadedExercise, package: Package, round_number: int | None = None) -> Verdict:
    """Score an inline or loaded package in ``round_number`` (None: before any inject)."""
    return Scorer(loaded, round_number).verdict(package)


@dataclass(frozen=True)
class SubmissionScore:
    """A team's file scored: the verdict, how a position was read, its category movement and redline."""

    submission: Submission
    verdict: Verdict
    movements: tuple[Movement, ...]
    redlines: tuple[Redline, ...]
    base: str | None
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``negotiation exercise score``."""
        return {
            "contract": "negotiation.exercise-score/1",
            "submission": self.submission.to_dict(),
            **self.verdict.to_dict(),
            "movements": [m.to_dict() for m in self.movements],
            "base": self.base,
            "redlines": [r.to_dict() for r in self.redlines],
            "notes": list(self.notes),
            "assumptions": ASSUMPTION_NOTE,
        }


def score_submission(
    loaded: LoadedExercise, target: str, round_number: int | None = None, base: str | None = None
) -> SubmissionScore:
    """Score a team's file (package or position) or an inline package (``a=a2,b=b1,...``).

    The round is ``round_number``, else the file's round (its ``round-<n>/`` folder or the package's
    ``round``), else none (schedules before any inject). For a position file the redline is taken
    against ``base`` (a position id or file), else the position it ``supersedes``, else the team's
    file of the previous round; the category movement compares it with the other roles' standing
    positions, beside the real document of its role.
    """
    from negotiation.exercises.submissions import load_in_context, parse_package
    from negotiation.loading import resolve_position

    path = Path(target)
    if not path.exists() and ("=" in target or "," in target):
        package = parse_package(loaded, target)
        submission = Submission(
            path="(inline)", team="inline", role="", round=round_number, options=package, title=target
        )
        verdict = Scorer(loaded, round_number).verdict(package)
        return SubmissionScore(submission, verdict, (), (), None, ())
    submission, record, previous = load_in_context(loaded, target)
    effective_round = round_number if round_number is not None else submission.round
    verdict = Scorer(loaded, effective_round).verdict(submission.options)
    notes: list[str] = []
    moves: list[Movement] = []
    lines: list[Redline] = []
    base_id: str | None = None
    if submission.position is not None and record is not None:
        base_position = None
        if base is not None:
            base_position, _ = resolve_position(base, record)
        elif submission.position.supersedes is not None:
            base_position = record.position(submission.position.supersedes)
        elif previous is not None and previous.position is not None:
            base_position = previous.position
        moves = movements(loaded, submission, record, base_position)
        lines = redlines(base_position, submission)
        base_id = base_position.id if base_position is not None else None
        if base_position is None:
            notes.append("No redline: the position supersedes nothing and the team has no earlier file.")
    return SubmissionScore(submission, verdict, tuple(moves), tuple(lines), base_id, tuple(notes))
