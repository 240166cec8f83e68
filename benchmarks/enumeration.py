"""Worst shapes of exercise enumeration: each answers (a result or a budget message) in bounded time.

``python -m benchmarks.enumeration`` builds each shape in a temporary folder, runs the library call a
user's command makes, and prints a Markdown table of measured times and outcomes (docs/performance.md
keeps the last run). ``--quick`` runs the small shapes only (the test suite runs that). Nothing here is
a hard-coded figure: every number printed is measured in the run.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from negotiation.errors import UsageError
from negotiation.exercises.lint import lint
from negotiation.exercises.load import load_exercise
from negotiation.exercises.space import nearest, pareto_front, space

ROOT = Path(__file__).resolve().parent.parent


def opposed_exercise(folder: Path, parties: int, issues: int, options: int, *, reservation: float = 0.0) -> Path:
    """An exercise whose parties' points are opposed on every issue, so every package is Pareto-efficient.

    Party p values option j of issue i at v(p, j) * 2^i, where v is j and options-1-j for two parties,
    and (j + p) mod options for more: the points of all parties sum to the same total on every
    package, and the powers of two make every package's points distinct.
    """
    roles = [f"p{k}" for k in range(parties)]
    spec: dict[str, Any] = {
        "schema_version": 1,
        "id": f"opposed-{parties}x{issues}x{options}",
        "title": "Opposed points",
        "kind": "fictional",
        "scenario": "Every gain of one party is another's loss. All of it is invented.",
        "roles": [{"id": r, "name": r.upper()} for r in roles],
        "issues": [
            {
                "id": f"i{i}",
                "title": f"Issue {i}",
                "options": [{"id": f"i{i}o{j}", "title": f"Option {j}"} for j in range(options)],
            }
            for i in range(issues)
        ],
        "decision_rule": {"kind": "unanimity"},
    }
    folder.mkdir(parents=True)
    (folder / "exercise.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    (folder / "private").mkdir()
    for p, role in enumerate(roles):
        schedule = {
            "schema_version": 1,
            "exercise": spec["id"],
            "role": role,
            "instructions": "Win every issue.",
            "reservation_value": reservation,
            "issues": {
                f"i{i}": {"points": {f"i{i}o{j}": _points(p, parties, j, options) * 2**i for j in range(options)}}
                for i in range(issues)
            },
        }
        (folder / "private" / f"{role}.yaml").write_text(yaml.safe_dump(schedule, sort_keys=False), encoding="utf-8")
    return folder


def _points(party: int, parties: int, option: int, options: int) -> int:
    # Two parties: exactly opposed (one's best is the other's worst). More: shifted in a cycle.
    if parties == 2:
        return option if party == 0 else options - 1 - option
    return (option + party) % options


@dataclass
class Shape:
    """One worst shape: what a user runs, and the library call that answers it."""

    name: str
    command: str
    build: Callable[[Path], Path]
    run: Callable[[Path], str]
    quick: bool = False


def _lint(folder: Path) -> str:
    report = lint(folder)
    return f"{len(report.problems)} problems"


def _space(**options: Any) -> Callable[[Path], str]:
    def run(folder: Path) -> str:
        result = space(load_exercise(folder), **options)
        return f"{result.evaluated} packages scored, {len(result.pareto)} Pareto-efficient"

    return run


def _nearest(folder: Path) -> str:
    loaded = load_exercise(folder)
    package = {i.id: i.options[0].id for i in loaded.exercise.issues}
    found = nearest(loaded, package, "p0")
    return "no acceptable package" if found.package is None else f"{len(found.changes)} changes"


def _karst(_: Path) -> Path:
    return ROOT / "examples" / "karst-lake-basin-accord"


SHAPES = [
    Shape(
        "lint, 2 parties, 8 issues x 3 options, opposed",
        "exercise lint EX",
        lambda f: opposed_exercise(f, 2, 8, 3),
        _lint,
        quick=True,
    ),
    Shape(
        "lint, 2 parties, 9 x 3, opposed (issue 19 reported 142 s)",
        "exercise lint EX",
        lambda f: opposed_exercise(f, 2, 9, 3),
        _lint,
    ),
    Shape(
        "lint, 2 parties, 11 x 3, opposed (issue 19: hours)",
        "exercise lint EX",
        lambda f: opposed_exercise(f, 2, 11, 3),
        _lint,
    ),
    Shape(
        "space, 2 parties, 11 x 3: front = all 177,147",
        "exercise space EX --pareto all",
        lambda f: opposed_exercise(f, 2, 11, 3),
        _space(),
    ),
    Shape(
        "space, 3 parties, 10 x 3, opposed",
        "exercise space EX --pareto all",
        lambda f: opposed_exercise(f, 3, 10, 3),
        _space(),
    ),
    Shape(
        "space, 4 parties, 6 x 3, opposed",
        "exercise space EX --pareto all",
        lambda f: opposed_exercise(f, 4, 6, 3),
        _space(),
        quick=True,
    ),
    Shape(
        "space, 4 parties, 8 x 3, opposed",
        "exercise space EX --pareto all",
        lambda f: opposed_exercise(f, 4, 8, 3),
        _space(),
    ),
    Shape(
        "space, 4 parties, 11 x 3, opposed (over the Pareto budget)",
        "exercise space EX",
        lambda f: opposed_exercise(f, 4, 11, 3),
        _space(),
    ),
    Shape(
        "space Karst Lake --limit 0 (issue 19 reported 55 s)",
        "exercise space examples/karst-lake-basin-accord --limit 0",
        _karst,
        _space(limit=0),
        quick=True,
    ),
    Shape(
        "space, 2 parties, 13 x 3 --limit 10^7 (over the package budget)",
        "exercise space EX --limit 10000000",
        lambda f: opposed_exercise(f, 2, 13, 3),
        _space(limit=10**7),
        quick=True,
    ),
    Shape(
        "--nearest, unreachable reservation value, 2 parties, 11 x 3",
        "exercise space EX --nearest ... --party p0",
        lambda f: opposed_exercise(f, 2, 11, 3, reservation=10**6),
        _nearest,
        quick=True,
    ),
    Shape(
        "--nearest, reachable only with every issue changed, 2 parties, 11 x 3",
        "exercise space EX --nearest ... --party p0",
        lambda f: opposed_exercise(f, 2, 11, 3, reservation=2 * (2**11 - 1)),
        _nearest,
    ),
]


def previous_scan(points: list[tuple[float, ...]]) -> list[int]:
    """The front as computed before the sweeps: every point against the front found so far (n x front)."""
    order = sorted(range(len(points)), key=lambda k: (-sum(points[k]), k))
    front: list[int] = []
    for k in order:
        p = points[k]
        if not any(all(a >= b for a, b in zip(points[f], p, strict=True)) and points[f] != p for f in front):
            front.append(k)
    return sorted(front)


def sweep_against_scan(issues: int, parties: int) -> str:
    """One row: the previous scan and the current front on opposed points (every point efficient)."""
    if parties == 2:
        points = [(float(k), float(3**issues - 1 - k)) for k in range(3**issues)]
    else:
        points = [
            tuple(float(sum(((c[i] + p) % 3) * 3**i for i in range(issues))) for p in range(parties))
            for c in itertools.product(range(3), repeat=issues)
        ]
    start = time.perf_counter()
    old = previous_scan(points)
    middle = time.perf_counter()
    new = pareto_front(points)
    end = time.perf_counter()
    assert old == new
    how = "sweep" if parties == 2 else "divide and conquer"
    return (
        f"| Pareto front, {parties} parties, {len(points)} opposed points: previous scan / {how} | (library) | "
        f"{middle - start:.2f} / {end - middle:.3f} | {(middle - start) / (end - middle):.0f}x faster, same front |"
    )


def measure(shape: Shape) -> tuple[float, str]:
    """Seconds the shape takes and what it answered (a result or the budget message)."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = shape.build(Path(scratch) / "ex")
        start = time.perf_counter()
        try:
            outcome = shape.run(folder)
        except UsageError as exc:
            outcome = f"budget: {exc}"
        return time.perf_counter() - start, outcome


def main(argv: list[str] | None = None) -> int:
    """Print the table of measured worst shapes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="only the small shapes")
    args = parser.parse_args(argv)
    print("| shape | command | seconds | answer |")
    print("|---|---|---|---|")
    for shape in SHAPES:
        if args.quick and not shape.quick:
            continue
        seconds, outcome = measure(shape)
        print(f"| {shape.name} | `{shape.command}` | {seconds:.2f} | {outcome} |", flush=True)
    print(sweep_against_scan(6 if args.quick else 7, 2))
    print(sweep_against_scan(5 if args.quick else 7, 4))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
