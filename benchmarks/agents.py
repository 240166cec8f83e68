"""The agents' tournament as the user runs it, beside NegMAS run directly on the same utilities.

``python -m benchmarks.agents [--runs N]`` times, side by side in one run:

- the console script of the running environment, in a cold process:
  ``negotiation exercise simulate examples/karst-lake-basin-accord --runs N`` (4 strategies, the
  default ``--agents``; every assignment of them to the roles, N seeded runs each);
- NegMAS alone: the same sessions (same utilities, same strategies, same steps, same seeds) built
  and run with ``SAOMechanism`` in this process, one after another, without our scoring.

It prints one Markdown table row of measured times (medians of ``--repeats``) and their ratio.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from negmas import SAOMechanism

from negotiation.agents.adapter import adapt
from negotiation.agents.session import DEFAULT_STEPS, STRATEGIES
from negotiation.agents.tournament import assignments
from negotiation.exercises.load import load_exercise

ROOT = Path(__file__).resolve().parent.parent
KARST = ROOT / "examples" / "karst-lake-basin-accord"


def console_script(runs: int) -> float:
    """Seconds for the console script's tournament, cold process."""
    script = Path(sys.executable).parent / "negotiation"
    start = time.perf_counter()
    subprocess.run(
        [script, "exercise", "simulate", KARST, "--runs", str(runs), "--format", "json"],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def negmas_direct(runs: int) -> tuple[float, int, int]:
    """Seconds for the same sessions run with NegMAS directly, how many there were and how many agreed."""
    adapted = adapt(load_exercise(str(KARST)))
    start = time.perf_counter()
    agreed = sessions = 0
    for assignment in assignments(list(adapted.utilities), list(STRATEGIES)):
        for k in range(runs):
            random.seed(k)
            mechanism = SAOMechanism(outcome_space=adapted.outcome_space, n_steps=DEFAULT_STEPS)
            for role, utility in adapted.utilities.items():
                mechanism.add(STRATEGIES[assignment[role]](name=role, id=role), preferences=utility)
            agreed += mechanism.run().agreement is not None
            sessions += 1
    return time.perf_counter() - start, sessions, agreed


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print the table row."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    ours = statistics.median(console_script(args.runs) for _ in range(args.repeats))
    direct_times, counts, agreed = zip(*(negmas_direct(args.runs) for _ in range(args.repeats)), strict=True)
    direct = statistics.median(direct_times)
    print("| target | console script (cold) | NegMAS direct | ratio | goal | detail |")
    print("|---|---|---|---|---|---|")
    print(
        f"| simulate, Karst Lake, 4 strategies, --runs {args.runs} | {ours:.2f} s | {direct:.2f} s | "
        f"{ours / direct:.2f}x | <= 10 s | {counts[0]} sessions; NegMAS direct agreed in {agreed[0]} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
