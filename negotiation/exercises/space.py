"""The package space of an exercise: who accepts how many packages, and which are Pareto-efficient.

A **package** holds one option for every issue, so there are as many packages as the product of the
option counts. Up to :data:`EXHAUSTIVE_LIMIT` packages every one is scored; beyond that a uniform
random sample (fixed seed, so the same numbers every run) estimates each count, with a 95% margin of
error: ``1.96 * sqrt(p(1-p)/n)`` of the space for an observed share ``p`` in ``n`` draws, and the
"rule of three" (``3/n`` of the space) when a share is observed as 0 or 1.

A package is **Pareto-efficient** when no other package gives every scored party at least as many
points and one party more. It is computed among all packages (or, when sampling, among the sample:
"non-dominated in the sample", which is not an estimate of the full count).

``nearest`` is the coaching hint: the fewest option changes that make a package acceptable to a
party, then the least loss of points for the others.

>>> # space(load_exercise("examples/karst-lake-basin-accord")).rule.count  -> 38
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from negotiation.errors import UsageError
from negotiation.exercises.limits import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    EXHAUSTIVE_LIMIT,
    MAX_PACKAGES,
    NEAREST_BUDGET,
    BudgetExceeded,
)
from negotiation.exercises.loaded import LoadedExercise, Package
from negotiation.exercises.pareto import pareto_front
from negotiation.exercises.score import Scorer
from negotiation.exercises.wording import ASSUMPTION_NOTE, PRECISION, fmt, num, package_text, signed
from negotiation.tables import Table, make_table

Z95 = 1.96


@dataclass(frozen=True)
class Count:
    """A count of packages: exact, or estimated with a 95% margin of error."""

    count: float
    margin: float | None = None

    @property
    def text(self) -> str:
        """``38`` or ``1234 ± 56``."""
        if self.margin is None:
            return fmt(self.count)
        return f"{self.count:.0f} ± {self.margin:.0f}"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"count": num(round(self.count, 2)), "margin95": None if self.margin is None else round(self.margin, 2)}


@dataclass(frozen=True)
class ParetoPackage:
    """A Pareto-efficient package with its points per party and whether the decision rule accepts it."""

    package: Package
    points: tuple[float, ...]
    accepted_by: tuple[str, ...]
    rule: bool


@dataclass(frozen=True)
class Space:
    """The package space of an exercise in one round."""

    exercise: str
    round: int | None
    total: int
    evaluated: int
    exhaustive: bool
    seed: int | None
    parties: tuple[str, ...]
    accepts: dict[str, Count]
    all_accept: Count
    rule: Count
    pareto: tuple[ParetoPackage, ...]

    @property
    def pareto_rule(self) -> int:
        """How many Pareto-efficient packages the decision rule accepts."""
        return sum(p.rule for p in self.pareto)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``negotiation exercise space``."""
        return {
            "contract": "negotiation.exercise-space/1",
            "exercise": self.exercise,
            "round": self.round,
            "packages": self.total,
            "evaluated": self.evaluated,
            "method": "exhaustive" if self.exhaustive else "sampled",
            "seed": self.seed,
            "accepts": {role: c.to_dict() for role, c in self.accepts.items()},
            "all_accept": self.all_accept.to_dict(),
            "decision_rule_accepts": self.rule.to_dict(),
            "pareto_efficient": len(self.pareto),
            "pareto_efficient_accepted": self.pareto_rule,
            "pareto": [
                {
                    "package": p.package,
                    "points": {r: num(x) for r, x in zip(self.parties, p.points, strict=True)},
                    "accepted_by": list(p.accepted_by),
                    "decision_rule": p.rule,
                }
                for p in self.pareto
            ],
            "assumptions": ASSUMPTION_NOTE,
        }


def _choices(scorer: Scorer, *, samples: int, seed: int, exhaustive: bool) -> Iterator[tuple[int, ...]]:
    sizes = [len(scorer.options[i]) for i in scorer.issues]
    if exhaustive:
        yield from itertools.product(*(range(n) for n in sizes))
        return
    rng = random.Random(seed)
    for _ in range(samples):
        yield tuple(rng.randrange(n) for n in sizes)


def _estimate(hits: int, n: int, total: int, exhaustive: bool) -> Count:
    if exhaustive:
        return Count(hits)
    share = hits / n
    spread = Z95 * math.sqrt(share * (1 - share) / n) if 0 < hits < n else 3 / n
    return Count(share * total, spread * total)


def space(
    loaded: LoadedExercise,
    round_number: int | None = None,
    *,
    limit: int = EXHAUSTIVE_LIMIT,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    pareto: bool = True,
) -> Space:
    """Count the packages each party accepts, all accept and the decision rule accepts; find the Pareto front.

    At most :data:`MAX_PACKAGES` packages are scored and the front of four or more parties costs at
    most :data:`PARETO_BUDGET` comparisons (:class:`BudgetExceeded` otherwise); ``pareto=False``
    skips the front (its tuple is then empty).
    """
    if samples < 1:
        raise UsageError("--samples must be at least 1")
    total = loaded.package_space_size()
    exhaustive = total <= limit
    if exhaustive and total > MAX_PACKAGES:
        raise BudgetExceeded(
            f"--limit {limit} would enumerate all {total} packages; at most {MAX_PACKAGES} are scored "
            f"(the budget); give --limit below {total} to sample instead"
        )
    if not exhaustive and samples > MAX_PACKAGES:
        raise BudgetExceeded(f"--samples {samples} is over the budget of {MAX_PACKAGES} packages")
    scorer = Scorer(loaded, round_number)
    roles = [*scorer.scored, *(c.id for c in scorer.coalitions)]
    hits = dict.fromkeys(roles, 0)
    all_hits = rule_hits = 0
    seen: list[tuple[int, ...]] = []
    vectors: list[tuple[float, ...]] = []
    verdicts: list[tuple[tuple[str, ...], bool]] = []
    evaluated = 0
    for choice in _choices(scorer, samples=samples, seed=seed, exhaustive=exhaustive):
        evaluated += 1
        points, accepts, by_role, met = scorer.fast(choice)
        for role in roles:
            hits[role] += by_role[role]
        all_hits += all(accepts)
        rule_hits += met
        seen.append(choice)
        vectors.append(points)
        verdicts.append((tuple(r for r in roles if by_role[r]), met))
    front = pareto_front(vectors) if pareto else []
    efficient = tuple(
        ParetoPackage(scorer.package_of(seen[k]), vectors[k], verdicts[k][0], verdicts[k][1])
        for k in sorted(front, key=lambda k: seen[k])
    )
    # In a sample the same package may be drawn twice; report it once.
    unique: dict[tuple[str, ...], ParetoPackage] = {}
    for p in efficient:
        unique.setdefault(tuple(p.package.values()), p)
    return Space(
        exercise=loaded.id,
        round=round_number,
        total=total,
        evaluated=evaluated,
        exhaustive=exhaustive,
        seed=None if exhaustive else seed,
        parties=tuple(scorer.scored),
        accepts={r: _estimate(hits[r], evaluated, total, exhaustive) for r in roles},
        all_accept=_estimate(all_hits, evaluated, total, exhaustive),
        rule=_estimate(rule_hits, evaluated, total, exhaustive),
        pareto=tuple(unique.values()),
    )


#: Which Pareto-efficient packages ``space_tables`` lists.
PARETO_LISTS = ("accepted", "all", "none")


def space_tables(loaded: LoadedExercise, result: Space, *, pareto: str = "accepted") -> list[Table]:
    """The counts as a table, and the Pareto-efficient packages (those the rule accepts, all, or none) as another."""
    if pareto not in PARETO_LISTS:
        raise UsageError(f"--pareto must be one of: {', '.join(PARETO_LISTS)}")
    total = result.total
    method = (
        f"all {total} packages enumerated"
        if result.exhaustive
        else f"{result.evaluated} of {total} packages sampled uniformly (seed {result.seed}); "
        "± is a 95% margin of error"
    )
    kinds = {r.id: r.kind for r in loaded.exercise.roles}
    rows: list[tuple[str, str, str]] = []
    for role, count in result.accepts.items():
        label = f"{role} accepts" + (" (coalition rule)" if kinds.get(role) == "coalition" else "")
        rows.append((label, count.text, _share(count, total)))
    rows.append(("all parties accept", result.all_accept.text, _share(result.all_accept, total)))
    rows.append(("decision rule accepts", result.rule.text, _share(result.rule, total)))
    pareto_label = "Pareto-efficient" + ("" if result.exhaustive else " (in the sample)")
    rows.append((pareto_label, str(len(result.pareto)), ""))
    rows.append((f"{pareto_label} and accepted by the rule", str(result.pareto_rule), ""))
    when = "before any inject" if result.round is None else f"in round {result.round}"
    data = {**result.to_dict()}
    counts = make_table(
        "space",
        f"Package space of {loaded.id} ({when}): {method}",
        ("measure", "packages", "share"),
        rows,
        data=data,
        notes=(
            f"Method: {method}.",
            "A party accepts a package when it crosses none of the party's red lines and its points reach the "
            "party's reservation value; Pareto-efficient: no other package gives every party at least as many "
            "points and one party more.",
            ASSUMPTION_NOTE,
        ),
    )
    tables = [counts]
    if pareto != "none":
        listed = [p for p in result.pareto if pareto == "all" or p.rule]
        prows = [
            (
                package_text(p.package),
                *(fmt(x) for x in p.points),
                ", ".join(p.accepted_by) or "none",
                "yes" if p.rule else "no",
            )
            for p in listed
        ]
        which = "" if pareto == "all" else f" that the decision rule accepts ({len(listed)} of {len(result.pareto)})"
        tables.append(
            make_table(
                "pareto",
                f"{pareto_label} packages{which}, {loaded.id} ({when})",
                ("package", *result.parties, "accepted by", "decision rule"),
                prows,
                data=data,
                notes=(ASSUMPTION_NOTE,),
            )
        )
    return tables


def _share(count: Any, total: int) -> str:
    return f"{100 * count.count / total:.1f}%"


@dataclass(frozen=True)
class Nearest:
    """The smallest change that makes a package acceptable to a party."""

    party: str
    original: Package
    package: Package | None
    changes: tuple[tuple[str, str, str], ...]
    party_before: float | None
    party_after: float | None
    others_loss: float
    rule_met: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "contract": "negotiation.exercise-nearest/1",
            "party": self.party,
            "original": self.original,
            "package": self.package,
            "changes": [{"issue": i, "from": a, "to": b} for i, a, b in self.changes],
            "party_points_before": num(self.party_before),
            "party_points_after": num(self.party_after),
            "others_loss": num(self.others_loss),
            "decision_rule_met": self.rule_met,
            "assumptions": ASSUMPTION_NOTE,
        }


def nearest(loaded: LoadedExercise, package: Package, party: str, round_number: int | None = None) -> Nearest:
    """The fewest option changes that make ``package`` acceptable to ``party``, then the least loss for others.

    "Loss for others" is the sum, over every other scored party, of the points it loses (gains count
    as negative loss). Ties go to the package whose options come first in the exercise file.
    """
    if not loaded.exercise.coaching:
        raise UsageError(f"coaching hints are switched off for exercise '{loaded.id}' (coaching: false)")
    role = loaded.role(party)
    if role.kind not in ("party", "coalition"):
        raise UsageError(f"'{party}' is a {role.kind}; only parties and coalitions accept packages")
    scorer = Scorer(loaded, round_number)
    start = scorer.choice_of(package)
    index = {r: k for k, r in enumerate(scorer.scored)}
    members = set(role.members) | {party}
    others = [index[r] for r in scorer.scored if r not in members]
    base_points, _, base_roles, _ = scorer.fast(start)
    party_before = base_points[index[party]] if party in index else None
    sizes = [len(scorer.options[i]) for i in scorer.issues]
    reach = _reach(scorer, index[party], start) if party in index else None
    evaluated = 0
    for k in range(len(start) + 1):
        if reach is not None and not reach(k):
            continue  # even the k best changes leave the party short of its reservation value
        best: tuple[float, tuple[int, ...]] | None = None
        best_info: tuple[tuple[float, ...], bool] | None = None
        if evaluated + _level_size(sizes, k) > NEAREST_BUDGET:
            raise BudgetExceeded(
                f"--nearest: no package acceptable to {party} within {k - 1} changes, and trying {k} would "
                f"score more than {NEAREST_BUDGET} packages (the budget)"
            )
        for issues in itertools.combinations(range(len(start)), k):
            alternatives = [[o for o in range(sizes[i]) if o != start[i]] for i in issues]
            for picks in itertools.product(*alternatives):
                choice = list(start)
                for i, o in zip(issues, picks, strict=True):
                    choice[i] = o
                candidate = tuple(choice)
                evaluated += 1
                points, _, by_role, met = scorer.fast(candidate)
                if not by_role[party]:
                    continue
                loss = round(sum(base_points[o] - points[o] for o in others), PRECISION)
                key = (loss, candidate)
                if best is None or key < best:
                    best, best_info = key, (points, met)
        if best is not None and best_info is not None:
            chosen = scorer.package_of(best[1])
            changes = tuple((i, package[i], chosen[i]) for i in scorer.issues if package[i] != chosen[i])
            return Nearest(
                party,
                dict(package),
                chosen,
                changes,
                party_before,
                best_info[0][index[party]] if party in index else None,
                best[0],
                best_info[1],
            )
    return Nearest(party, dict(package), None, (), party_before, None, 0.0, base_roles.get(party, False))


def _level_size(sizes: Sequence[int], k: int) -> int:
    """How many packages differ from a given one in exactly ``k`` issues (options per issue ``sizes``)."""
    # The coefficient of x^k in prod(1 + (n_i - 1) x), computed term by term.
    coefficients = [1]
    for n in sizes:
        coefficients = [a + (n - 1) * b for a, b in zip([*coefficients, 0], [0, *coefficients], strict=True)]
    return coefficients[k] if k < len(coefficients) else 0


def _reach(scorer: Scorer, role: int, start: Sequence[int]) -> Any:
    """For a scored party: a test "can any k changes of ``start`` be acceptable to the party?".

    A bound, not a search. An issue whose every option crosses a red line makes every package
    unacceptable; an issue whose option in ``start`` crosses one must change. The points reachable with
    k changes are at most those of ``start`` without linkages, plus the gains of the issues that must
    change and of the best others (each issue's best option outside its red lines), plus every positive
    linkage bonus.
    """
    table, red = scorer._points[role], scorer._red[role]
    base = sum(table[i][o] for i, o in enumerate(start))
    must: list[float] = []
    free: list[float] = []
    for i, o in enumerate(start):
        allowed = [table[i][x] for x in range(len(table[i])) if x not in red[i]]
        if not allowed:
            return lambda k: False
        gain = max(allowed) - table[i][o]
        if o in red[i]:
            must.append(gain)
        elif gain > 0:
            free.append(gain)
    free.sort(reverse=True)
    bonus = sum(max(0.0, b) for _, b in scorer._links[role])
    needed = scorer._rv[role] - 1e-9
    prefix = list(itertools.accumulate(free, initial=0.0))
    fixed = base + sum(must) + bonus

    def reachable(k: int) -> bool:
        if k < len(must):
            return False
        return fixed + prefix[min(k - len(must), len(free))] >= needed

    return reachable


def nearest_table(loaded: LoadedExercise, result: Nearest) -> Table:
    """The coaching hint as a table: one row per option to change."""
    if result.package is None:
        title = f"No package is acceptable to {result.party}"
        rows: list[tuple[str, str, str]] = []
    elif not result.changes:
        title = f"{package_text(result.original)} is already acceptable to {result.party}"
        rows = []
    else:
        n = len(result.changes)
        title = (
            f"Smallest change that makes {package_text(result.original)} acceptable to {result.party}: "
            f"{n} option{'s' if n != 1 else ''} -> {package_text(result.package)}"
        )
        rows = [(i, a, b) for i, a, b in result.changes]
    notes = [title + "."]
    if result.package is not None and result.changes:
        if result.party_before is not None and result.party_after is not None:
            notes.append(f"{result.party}: {fmt(result.party_before)} -> {fmt(result.party_after)} points.")
        notes.append(f"The other parties together: {signed(-result.others_loss)} points.")
        notes.append(f"Decision rule met by the new package: {'yes' if result.rule_met else 'no'}.")
    notes.append(ASSUMPTION_NOTE)
    return make_table("nearest", title, ("issue", "from", "to"), rows, data=result.to_dict(), notes=notes)


__all__ = [
    "DEFAULT_SAMPLES",
    "DEFAULT_SEED",
    "EXHAUSTIVE_LIMIT",
    "PARETO_LISTS",
    "BudgetExceeded",
    "Count",
    "Nearest",
    "ParetoPackage",
    "Space",
    "nearest",
    "nearest_table",
    "pareto_front",
    "space",
    "space_tables",
]
