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
