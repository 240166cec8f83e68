"""A tournament of strategy assignments over an exercise: agreement rate, points, distance to Pareto and Nash.

The Pareto frontier and the Nash point come from the exhaustive package space of our own
:func:`negotiation.exercises.space.space`; distances are Euclidean, in points, from the agreed
package's points to the nearest Pareto-efficient package and to the Nash point (the package every
scored role accepts that maximises the product of their gains over their reservation values).
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass

from negotiation.agents.adapter import Adapted, adapt
from negotiation.agents.session import DEFAULT_STEPS, Session, play, strategy
from negotiation.exercises.loaded import LoadedExercise
from negotiation.exercises.score import Scorer
from negotiation.exercises.space import space
from negotiation.exercises.wording import fmt
from negotiation.tables import Table, make_table


@dataclass(frozen=True)
class Pairing:
    """The outcome of one strategy assignment over its seeded runs."""

    strategies: dict[str, str]
    runs: int
    agreements: int
    mean_points: dict[str, float | None]
    mean_steps: float | None
    pareto_distance: float | None
    nash_distance: float | None


def assignments(roles: Sequence[str], agents: Sequence[str]) -> list[dict[str, str]]:
    """Each agent playing every role, then each rotation of the agent list over the roles (no repeats).

    >>> assignments(["x", "y"], ["a", "b"])
    [{'x': 'a', 'y': 'a'}, {'x': 'b', 'y': 'b'}, {'x': 'a', 'y': 'b'}, {'x': 'b', 'y': 'a'}]
    """
    found: list[dict[str, str]] = [dict.fromkeys(roles, a) for a in agents]
    for k in range(len(agents)):
        rotated = {r: agents[(i + k) % len(agents)] for i, r in enumerate(roles)}
        if rotated not in found:
            found.append(rotated)
    return found


def nash_point(loaded: LoadedExercise) -> tuple[float, ...] | None:
    """Points of the package every scored role accepts that maximises the product of their gains."""
    scorer = Scorer(loaded)
    best: tuple[float, tuple[float, ...]] | None = None
    for p in space(loaded).pareto:
        verdict = scorer.verdict(p.package)
        if not all(s.accepts for s in verdict.parties.values()):
            continue
        gains = math.prod(s.margin for s in verdict.parties.values())
        if best is None or gains > best[0]:
            best = (gains, p.points)
    return None if best is None else best[1]


def _distance(a: Sequence[float], b: Sequence[float]) -> float:
    return math.dist(a, b)


def simulate(
    loaded: LoadedExercise,
    agents: Sequence[str],
    *,
    runs: int = 10,
    seed: int = 0,
    steps: int = DEFAULT_STEPS,
    jobs: int | None = None,
) -> list[Pairing]:
    """Play every assignment of ``agents`` ``runs`` times (seeds ``seed``, ``seed+1``, ...).

    ``jobs`` processes share the assignments (default: one per core); each run seeds its own
    generators, so the result is the same for any number of jobs.
    """
    for name in agents:
        strategy(name)
    adapted = adapt(loaded)
    roles = list(adapted.utilities)
    front = [p.points for p in space(loaded).pareto]
    nash = nash_point(loaded)
    tasks = [(assignment, runs, seed, steps) for assignment in assignments(roles, agents)]
    global _WORK
    _WORK = (loaded, adapted, Scorer(loaded))
    jobs = min(jobs or os.cpu_count() or 1, len(tasks))
    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
        # NegMAS's mechanism is pure Python: the assignments are spread over processes (forked, so
        # the loaded exercise and its utilities are shared, not pickled).
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            played = pool.map(_play_assignment, tasks)
    else:
        played = [_play_assignment(task) for task in tasks]
    return [
        _pairing(assignment, runs, sessions, roles, front, nash)
        for (assignment, *_), sessions in zip(tasks, played, strict=True)
    ]


_WORK: tuple[LoadedExercise, Adapted, Scorer] | None = None


def _play_assignment(task: tuple[dict[str, str], int, int, int]) -> list[Session]:
    assignment, runs, seed, steps = task
    assert _WORK is not None
    loaded, adapted, scorer = _WORK
    return [play(loaded, assignment, seed=seed + k, steps=steps, adapted=adapted, scorer=scorer) for k in range(runs)]


def _pairing(
    assignment: dict[str, str],
    runs: int,
    sessions: Sequence[Session],
    roles: Sequence[str],
    front: Sequence[tuple[float, ...]],
    nash: tuple[float, ...] | None,
) -> Pairing:
    done = [s for s in sessions if s.adopted]
    vectors = [tuple(s.points[r] for r in roles) for s in done]
    return Pairing(
        strategies=assignment,
        runs=runs,
        agreements=len(done),
        mean_points={r: _mean([s.points[r] for s in done]) for r in roles},
        mean_steps=_mean([s.steps for s in done]),
        pareto_distance=_mean([min(_distance(v, f) for f in front) for v in vectors]) if front else None,
        nash_distance=_mean([_distance(v, nash) for v in vectors]) if nash else None,
    )


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _cell(x: float | None) -> str:
    return "–" if x is None else fmt(x)


def simulate_table(loaded: LoadedExercise, pairings: Sequence[Pairing], *, seed: int) -> Table:
    """The tournament as one table: a row per assignment."""
    roles = list(pairings[0].strategies) if pairings else []
    rows = [
        (
            ", ".join(f"{r}={a}" for r, a in p.strategies.items()),
            f"{p.agreements}/{p.runs}",
            *(_cell(p.mean_points[r]) for r in roles),
            _cell(p.pareto_distance),
            _cell(p.nash_distance),
            _cell(p.mean_steps),
        )
        for p in pairings
    ]
    data = {
        "contract": "negotiation.exercise-simulate/1",
        "exercise": loaded.id,
        "seed": seed,
        "pairings": [
            {
                "agents": p.strategies,
                "runs": p.runs,
                "agreements": p.agreements,
                "mean_points": p.mean_points,
                "mean_rounds": p.mean_steps,
                "pareto_distance": p.pareto_distance,
                "nash_distance": p.nash_distance,
            }
            for p in pairings
        ],
    }
    return make_table(
        "simulate",
        f"Simulated negotiations of {loaded.id} (seed {seed})",
        ("agents", "agreed", *roles, "to Pareto", "to Nash", "rounds"),
        rows,
        data=data,
        notes=(
            "Agents are NegMAS negotiators on the roles' schedules under stacked alternating offers; an "
            "agreement counts only if the exercise's decision rule accepts it. Points are means over agreed "
            "runs; distances are Euclidean, in points, to the nearest Pareto-efficient package and to the "
            "Nash point.",
        ),
    )
