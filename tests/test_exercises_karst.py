"""The Karst Lake package space, checked against a brute-force count written here, independently of the tool.

The point table below is typed from the exercise design (exercises.md, scenario 4); the tests
recount everything with itertools.product and compare with ``negotiation exercise space``.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from negotiation.cli import main
from negotiation.exercises.load import load_exercise
from negotiation.exercises.space import space

ROOT = Path(__file__).resolve().parent.parent
KARST = ROOT / "examples" / "karst-lake-basin-accord"

# Points per option (1 / 2 / 3) for issues A-E, and the reservation value, per party.
TABLE = {
    "aldoria": ([[35, 20, 0], [20, 12, 0], [15, 10, 0], [20, 10, 0], [10, 6, 0]], 50),
    "brevnia": ([[0, 20, 35], [0, 15, 25], [0, 10, 20], [0, 8, 12], [0, 5, 8]], 50),
    "castellan": ([[0, 10, 15], [0, 10, 15], [0, 15, 20], [0, 20, 40], [10, 8, 0]], 45),
    "ngo": ([[0, 10, 10], [0, 10, 20], [0, 20, 30], [0, 5, 10], [0, 15, 30]], 40),
}
PARTIES = list(TABLE)


def brute_force(brevnia_weight_on_b: float = 1.0) -> dict[str, object]:
    """Count acceptances, the decision rule and the Pareto front by looking at every package."""
    packages = list(itertools.product(range(3), repeat=5))

    def points(party: str, package: tuple[int, ...]) -> float:
        table, _ = TABLE[party]
        total = 0.0
        for issue, option in enumerate(package):
            value = table[issue][option]
            if party == "brevnia" and issue == 1:
                value *= brevnia_weight_on_b
            total += value
        return total

    accepts = {p: 0 for p in PARTIES}
    all_accept = rule = 0
    vectors = []
    for package in packages:
        ok = {p: points(p, package) >= TABLE[p][1] for p in PARTIES}
        for p in PARTIES:
            accepts[p] += ok[p]
        all_accept += all(ok.values())
        rule += ok["aldoria"] and ok["brevnia"] and sum(ok.values()) >= 3
        vectors.append((package, tuple(points(p, package) for p in PARTIES), ok))
    pareto = [
        v
        for v in vectors
        if not any(all(a >= b for a, b in zip(w[1], v[1], strict=True)) and w[1] != v[1] for w in vectors)
    ]
    pareto_rule = sum(1 for _, _, ok in pareto if ok["aldoria"] and ok["brevnia"] and sum(ok.values()) >= 3)
    return {
        "accepts": accepts,
        "all": all_accept,
        "rule": rule,
        "pareto": len(pareto),
        "pareto_rule": pareto_rule,
    }


def test_brute_force_numbers_are_the_ones_in_the_readme() -> None:
    """The independent count gives the numbers the instructor's README states."""
    assert brute_force() == {
        "accepts": {"aldoria": 142, "brevnia": 140, "castellan": 165, "ngo": 189},
        "all": 25,
        "rule": 38,
        "pareto": 99,
        "pareto_rule": 18,
    }


def test_space_matches_brute_force_before_the_inject() -> None:
    """The library's exhaustive count equals the brute-force count, party by party."""
    expected = brute_force()
    result = space(load_exercise(KARST))
    assert result.exhaustive and result.total == 243 and result.evaluated == 243
    assert {r: c.count for r, c in result.accepts.items()} == expected["accepts"]
    assert result.all_accept.count == expected["all"]
    assert result.rule.count == expected["rule"]
    assert len(result.pareto) == expected["pareto"]
    assert result.pareto_rule == expected["pareto_rule"]


def test_space_matches_brute_force_after_the_drought_inject() -> None:
    """From round 2 Brevnia's weight on b is 1.6; the count follows the brute force with that weight."""
    expected = brute_force(1.6)
    result = space(load_exercise(KARST), 2)
    assert {r: c.count for r, c in result.accepts.items()} == expected["accepts"]
    assert (result.all_accept.count, result.rule.count) == (expected["all"], expected["rule"]) == (39, 62)
    assert len(result.pareto) == expected["pareto"]


def test_space_command_json_contract(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`negotiation exercise space --format json` reports the same counts, exhaustive, with no margin."""
    monkeypatch.chdir(ROOT)
    assert main(["exercise", "space", "examples/karst-lake-basin-accord", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["contract"] == "negotiation.exercise-space/1"
    assert data["method"] == "exhaustive" and data["packages"] == 243 and data["seed"] is None
    assert {r: c["count"] for r, c in data["accepts"].items()} == brute_force()["accepts"]
    assert data["all_accept"] == {"count": 25, "margin95": None}
    assert data["decision_rule_accepts"] == {"count": 38, "margin95": None}
    assert (data["pareto_efficient"], data["pareto_efficient_accepted"]) == (99, 18)


def test_sampled_space_states_its_error_and_covers_the_truth() -> None:
    """Forced to sample, the estimates carry a 95% margin that covers the exact counts, and repeat exactly."""
    loaded = load_exercise(KARST)
    first = space(loaded, limit=100, samples=4000, seed=7)
    again = space(loaded, limit=100, samples=4000, seed=7)
    assert not first.exhaustive and first.evaluated == 4000 and first.seed == 7
    assert first.to_dict() == again.to_dict()
    expected = brute_force()
    for role, exact in expected["accepts"].items():  # type: ignore[attr-defined]
        estimate = first.accepts[role]
        assert estimate.margin is not None and estimate.margin > 0
        assert abs(estimate.count - exact) <= estimate.margin
    assert abs(first.rule.count - 38) <= (first.rule.margin or 0)


def test_space_table_lists_the_pareto_packages_the_rule_accepts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default listing has the 18 Pareto-efficient packages the decision rule accepts, first one exact."""
    monkeypatch.chdir(ROOT)
    assert main(["exercise", "space", "examples/karst-lake-basin-accord", "-f", "csv"]) == 0
    out = capsys.readouterr().out
    blocks = out.split("\n\n")
    pareto_rows = blocks[1].strip().splitlines()
    assert pareto_rows[0] == (
        '"# Pareto-efficient packages that the decision rule accepts (18 of 99), '
        'karst-lake-basin-accord (before any inject)"'
    )
    assert pareto_rows[1] == "package,aldoria,brevnia,castellan,ngo,accepted by,decision rule"
    assert pareto_rows[2] == 'a1 b2 c3 d2 e3,57,51,50,75,"aldoria, brevnia, castellan, ngo",yes'
    assert len(pareto_rows) == 2 + 18
