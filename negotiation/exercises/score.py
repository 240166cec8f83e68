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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from negotiation.engine.changes import changes
from negotiation.engine.compare import compare
from negotiation.errors import UsageError
from negotiation.exercises.load import LoadedExercise, Package, Submission, covers
from negotiation.exercises.schema import Linkage, Role, Schedule
from negotiation.loading import LoadedDossier
from negotiation.schema import DecisionRule, Position
from negotiation.tables import Table, make_table

#: Stated under every brief and report: the schedules are teaching devices, not intelligence.
ASSUMPTION_NOTE = (
    "Points, weights, reservation values and red lines are the instructor's illustrative assumptions "
    "for this exercise, not claims about any real government's preferences."
)

#: Points are compared after rounding, so that 1.6 x 15 counts as 24.
PRECISION = 6


def fmt(value: float) -> str:
    """A number as the reports show it: integers without decimals, others to two places.

    >>> fmt(24.000000000000004), fmt(-3.5), fmt(0), fmt(1.6), fmt(2 / 3)
    ('24', '-3.5', '0', '1.6', '0.67')
    """
    rounded = round(value, PRECISION)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.2f}".rstrip("0")


def num(value: float | None) -> int | float | None:
    """A number for JSON: an int when it is whole, else rounded to :data:`PRECISION` places.

    >>> num(24.000000000000004), num(1.5), num(None)
    (24, 1.5, None)
    """
    if value is None:
        return None
    rounded = round(value, PRECISION)
    return int(rounded) if rounded == int(rounded) else rounded


def signed(value: float) -> str:
    """A margin with its sign: ``+8``, ``-3``, ``0``."""
    text = fmt(value)
    return text if text.startswith("-") or text == "0" else "+" + text


@dataclass(frozen=True)
class Valuation:
    """A role's schedule as it stands in one round (weights and inject adjustments applied)."""

    role: str
    points: dict[str, dict[str, float]]
    weights: dict[str, float]
    reservation_value: float
    red_lines: dict[str, frozenset[str]]
    linkages: tuple[Linkage, ...]
    adjustments: tuple[str, ...]

    def total(self, package: Package) -> float:
        """Points for ``package`` (issues, then linkages)."""
        total = sum(self.points[i][o] for i, o in package.items())
        for linkage in self.linkages:
            if all(package.get(i) == o for i, o in linkage.options.items()):
                total += linkage.points
        return round(total, PRECISION)

    def crossed(self, package: Package) -> list[tuple[str, str]]:
        """The (issue, option) red lines ``package`` crosses."""
        return [(i, o) for i, o in package.items() if o in self.red_lines.get(i, frozenset())]


def valuation(loaded: LoadedExercise, schedule: Schedule, round_number: int | None = None) -> Valuation:
    """The schedule of one role as it stands in ``round_number`` (None: before any inject)."""
    injects = {i.id: i for i in loaded.exercise.injects}
    weights = {issue_id: float(entry.weight) for issue_id, entry in schedule.issues.items()}
    raw = {issue_id: {o: float(p) for o, p in entry.points.items()} for issue_id, entry in schedule.issues.items()}
    reservation = float(schedule.reservation_value)
    applied: list[str] = []
    for adjustment in schedule.adjustments:
        inject = injects.get(adjustment.inject)
        if inject is None or round_number is None or inject.round > round_number:
            continue
        applied.append(adjustment.inject)
        if adjustment.issue is not None and adjustment.weight is not None:
            weights[adjustment.issue] = float(adjustment.weight)
        if adjustment.issue is not None and adjustment.points is not None:
            raw[adjustment.issue] = {**raw[adjustment.issue], **{o: float(p) for o, p in adjustment.points.items()}}
        if adjustment.reservation_value is not None:
            reservation = float(adjustment.reservation_value)
    points = {i: {o: round(weights[i] * p, PRECISION) for o, p in options.items()} for i, options in raw.items()}
    return Valuation(
        role=schedule.role,
        points=points,
        weights=weights,
        reservation_value=reservation,
        red_lines={i: frozenset(o) for i, o in schedule.red_lines.items()},
        linkages=schedule.linkages,
        adjustments=tuple(dict.fromkeys(applied)),
    )


@dataclass(frozen=True)
class PartyScore:
    """One party's score of a package, with the terms that make it up."""

    role: str
    points: float
    reservation_value: float
    margin: float
    red_lines: tuple[tuple[str, str], ...]
    accepts: bool
    terms: tuple[tuple[str, str, float], ...]
    linkages: tuple[tuple[str, float], ...]
    adjustments: tuple[str, ...]

    @property
    def explanation(self) -> str:
        """The arithmetic, e.g. ``a2 20 + b2 12 + ... = 58; reservation 50; margin +8; accepts``."""
        parts = [f"{o} {fmt(p)}" for _, o, p in self.terms]
        parts += [f"linkage {d} {signed(p)}" for d, p in self.linkages]
        text = " + ".join(parts) + f" = {fmt(self.points)}; reservation {fmt(self.reservation_value)}"
        text += f"; margin {signed(self.margin)}"
        if self.red_lines:
            text += "; red line " + ", ".join(o for _, o in self.red_lines) + " crossed"
        if self.adjustments:
            text += "; after " + ", ".join(self.adjustments)
        return text + ("; accepts" if self.accepts else "; does not accept")

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "role": self.role,
            "points": num(self.points),
            "reservation_value": num(self.reservation_value),
            "margin": num(self.margin),
            "red_lines_crossed": [{"issue": i, "option": o} for i, o in self.red_lines],
            "accepts": self.accepts,
            "terms": [{"issue": i, "option": o, "points": num(p)} for i, o, p in self.terms],
            "linkages": [{"description": d, "points": num(p)} for d, p in self.linkages],
            "adjustments": list(self.adjustments),
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Veto:
    """A veto triggered: who blocks, at which level, and why."""

    role: str
    at: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"role": self.role, "at": self.at, "reason": self.reason}


@dataclass(frozen=True)
class RuleOutcome:
    """Whether a decision rule (the exercise's or a coalition's) is met, and why."""

    body: str
    rule: str
    voters: tuple[str, ...]
    accepting: tuple[str, ...]
    vetoes: tuple[Veto, ...]
    met: bool

    @property
    def explanation(self) -> str:
        """E.g. ``k-of-n (3 of 4, vetoes aldoria, brevnia): 3 of 4 accept (...); met``."""
        text = f"{self.rule}: {len(self.accepting)} of {len(self.voters)} accept"
        if self.accepting:
            text += f" ({', '.join(self.accepting)})"
        if self.vetoes:
            text += "; vetoes: " + "; ".join(f"{v.role} ({v.reason})" for v in self.vetoes)
        return text + ("; met" if self.met else "; not met")

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "body": self.body,
            "rule": self.rule,
            "voters": list(self.voters),
            "accepting": list(self.accepting),
            "vetoes_triggered": [v.to_dict() for v in self.vetoes],
            "met": self.met,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Verdict:
    """A package scored against every schedule, each coalition's rule and the exercise's decision rule."""

    package: Package
    round: int | None
    parties: dict[str, PartyScore]
    coalitions: dict[str, RuleOutcome]
    decision: RuleOutcome

    @property
    def met(self) -> bool:
        """True when the exercise's decision rule accepts the package."""
        return self.decision.met

    def accepts(self, role_id: str) -> bool:
        """Whether a party or coalition accepts the package."""
        if role_id in self.coalitions:
            return self.coalitions[role_id].met
        return self.parties[role_id].accepts

    @property
    def vetoes(self) -> tuple[Veto, ...]:
        """Every veto triggered, in coalitions and in the plenary."""
        found = [v for c in self.coalitions.values() for v in c.vetoes]
        return (*found, *self.decision.vetoes)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "package": dict(self.package),
            "round": self.round,
            "parties": [p.to_dict() for p in self.parties.values()],
            "coalitions": [c.to_dict() for c in self.coalitions.values()],
            "decision": self.decision.to_dict(),
        }


def describe_rule(rule: DecisionRule, voters: Sequence[str]) -> str:
    """A rule in words, e.g. ``k-of-n (3 of 4; vetoes aldoria, brevnia)``."""
    n = len(voters)
    if rule.kind == "k-of-n":
        text = f"k-of-n ({rule.k} of {n}"
    elif rule.kind == "majority":
        text = f"majority (more than half of {n}"
    else:
        text = f"{rule.kind} (all {n}"
    if rule.vetoes:
        text += f"; vetoes {', '.join(rule.vetoes)}"
    return text + ")"


def needed(rule: DecisionRule, n: int) -> int:
    """How many of ``n`` voters must accept under ``rule``."""
    if rule.kind == "k-of-n":
        assert rule.k is not None
        return rule.k
    if rule.kind == "majority":
        return n // 2 + 1
    return n


def _outcome(
    body: str, rule: DecisionRule, voters: Sequence[str], accepts: dict[str, bool], extra: Sequence[Veto]
) -> RuleOutcome:
    accepting = tuple(v for v in voters if accepts[v])
    vetoes = list(extra)
    holders = set(voters) if rule.kind in ("consensus", "unanimity") else set(rule.vetoes)
    for voter in voters:
        if voter in holders and not accepts[voter]:
            why = "holds a veto" if voter in rule.vetoes else f"every voter can block under {rule.kind}"
            vetoes.append(Veto(voter, body, f"does not accept; {why}"))
    met = len(accepting) >= needed(rule, len(voters)) and all(accepts[v] for v in rule.vetoes) and not extra
    return RuleOutcome(body, describe_rule(rule, voters), tuple(voters), accepting, tuple(vetoes), met)


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
            outcome = _outcome(coalition.id, coalition.decision_rule, coalition.members, accepts, gates)
            coalitions[coalition.id] = outcome
            accepts[coalition.id] = outcome.met
        for role in self.exercise.roles:
            accepts.setdefault(role.id, False)
        decision = _outcome("plenary", self.exercise.decision_rule, self.voters, accepts, ())
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


# --- reports --------------------------------------------------------------------------------------


def package_text(package: Package) -> str:
    """A package on one line: ``a2 b2 c2 d2 e2``."""
    return " ".join(package.values())


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


def score_package(loaded: LoadedExercise, package: Package, round_number: int | None = None) -> Verdict:
    """Score an inline or loaded package in ``round_number`` (None: before any inject)."""
    return Scorer(loaded, round_number).verdict(package)


@dataclass(frozen=True)
class Movement:
    """On one dossier issue, the category against a party with the real document and with the team's text."""

    against: str
    exercise_issue: str
    issue: str
    before: str | None
    after: str | None
    before_status: str | None
    after_status: str | None

    @property
    def moved(self) -> bool:
        """True when the category changed."""
        return self.before != self.after

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "against": self.against,
            "exercise_issue": self.exercise_issue,
            "issue": self.issue,
            "before": self.before,
            "after": self.after,
            "before_status": self.before_status,
            "after_status": self.after_status,
            "moved": self.moved,
        }


def movements(
    loaded: LoadedExercise, submission: Submission, record: LoadedDossier, baseline: Position | None = None
) -> list[Movement]:
    """Per dossier issue under the exercise's issues, how the team's position moves the category against each party.

    For every other role with a ``standing`` position: ``before`` compares that position with the
    real document of the team's role (its first ``historical`` position) or, for a role without one
    (a mediator), with ``baseline`` (the text the team started from); ``after`` compares it with the
    team's position (the engine's ``compare``, standing position on the left).
    """
    if submission.position is None:
        return []
    role = loaded.role(submission.role)
    historical = role.historical[0] if role.historical else (baseline.id if baseline is not None else None)
    owner: dict[str, str] = {}
    for issue in loaded.exercise.issues:
        for code in record.issues:
            if covers(code, issue.codes):
                owner.setdefault(code, issue.id)
    out: list[Movement] = []
    for other in loaded.exercise.roles:
        if other.id == role.id or other.standing is None or other.standing == historical:
            continue
        left = record.position(other.standing)
        after = {i.issue: i for i in compare(left, submission.position, record).items}
        before: dict[str, Any] = {}
        if historical is not None:
            before = {i.issue: i for i in compare(left, record.position(historical), record).items}
        for code in _ordered(record, [c for c in (*before, *after) if c in owner]):
            b, a = before.get(code), after.get(code)
            out.append(
                Movement(
                    other.id,
                    owner[code],
                    code,
                    b.category if b is not None else None,
                    a.category if a is not None else None,
                    b.status if b is not None else None,
                    a.status if a is not None else None,
                )
            )
    return out


def _ordered(record: LoadedDossier, codes: Iterable[str]) -> list[str]:
    order = {code: k for k, code in enumerate(record.issues)}
    return sorted(set(codes), key=lambda c: (order.get(c, len(order)), c))


@dataclass(frozen=True)
class Redline:
    """A provision changed from the text the team started from, with its word-level redline."""

    provision: str
    change: str
    redline: str | None
    fields: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "provision": self.provision,
            "change": self.change,
            "fields": list(self.fields),
            "redline": self.redline,
        }


def redlines(base: Position | None, submission: Submission) -> list[Redline]:
    """What the team changed against ``base`` (the text it started from): added, removed, changed provisions."""
    if submission.position is None or base is None:
        return []
    result = changes(base, submission.position)
    out = [Redline(pid, "added", None) for pid in result.added]
    out += [Redline(pid, "removed", None) for pid in result.removed]
    out += [Redline(c.new_id, "changed", c.redline, tuple(f.path for f in c.fields)) for c in result.changed]
    return out


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
    from negotiation.exercises.load import load_in_context, parse_package
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
                "yes" if m.moved else "no",
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
                ("against", "issue", "dossier issue", label, "team's position", "moved"),
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


__all__ = [
    "ASSUMPTION_NOTE",
    "Movement",
    "PartyScore",
    "Redline",
    "RuleOutcome",
    "Schedule",
    "Scorer",
    "SubmissionScore",
    "Valuation",
    "Verdict",
    "Veto",
    "describe_rule",
    "fmt",
    "movements",
    "num",
    "package_text",
    "redlines",
    "score_package",
    "score_submission",
    "signed",
    "submission_tables",
    "valuation",
    "verdict_tables",
]
