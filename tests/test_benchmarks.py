"""The performance runner keeps working: its quick mode (small sizes, correctness only) passes in CI."""

from __future__ import annotations

from benchmarks.run import run, table


def test_quick_runner_checks_pass() -> None:
    """Every correctness check of the quick benchmark run is met, and the table names each target."""
    results = run(quick=True)
    assert [r.target.split(" (")[0] for r in results] == [
        "changes correctness",
        "loading + validation, JSON",
        "loading + validation, YAML",
        "scale: matrix / load",
        "diff JSON size",
        "diff JSON size",
        "diff JSON size",
        "diff JSON size, three main pairs",
    ]
    assert [r.met for r in results] == [True, True, True, True, None, None, None, True], table(results)
    assert "changed 5/5, removed 2, added 2" in results[0].detail


def test_enumeration_worst_shapes_answer_within_their_budgets() -> None:
    """The quick worst shapes of exercise enumeration each answer: a result, or the budget's message."""
    from benchmarks.enumeration import SHAPES, measure

    outcomes = {shape.name: measure(shape)[1] for shape in SHAPES if shape.quick}
    assert outcomes == {
        "lint, 2 parties, 8 issues x 3 options, opposed": "0 problems",
        "space, 4 parties, 6 x 3, opposed": "729 packages scored, 729 Pareto-efficient",
        "space Karst Lake --limit 0 (issue 19 reported 55 s)": "20000 packages scored, 99 Pareto-efficient",
        "space, 2 parties, 13 x 3 --limit 10^7 (over the package budget)": (
            "budget: --limit 10000000 would enumerate all 1594323 packages; at most 1000000 are scored "
            "(the budget); give --limit below 1594323 to sample instead"
        ),
        "--nearest, unreachable reservation value, 2 parties, 11 x 3": "no acceptable package",
    }
