"""Scoring: points, margins, red lines, linkages, coalitions, gatekeepers, vetoes, and reading position files."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.enumeration import opposed_exercise
from negotiation.errors import UsageError
from negotiation.exercises import space as space_module
from negotiation.exercises.load import load_exercise
from negotiation.exercises.rules import needed
from negotiation.exercises.score import Scorer, score_submission
from negotiation.exercises.space import BudgetExceeded, nearest, pareto_front
from negotiation.exercises.submissions import parse_package, read_position
from negotiation.schema import DecisionRule
from tests.conftest import Run

ROOT = Path(__file__).resolve().parent.parent
REPLY = ROOT / "examples" / "writing-the-26-january-reply"
COUNCIL = ROOT / "examples" / "nato-russia-council-consensus"
TINY = ROOT / "tests" / "data" / "exercises" / "tiny"

COUNCIL_SCORER = Scorer(load_exercise(COUNCIL), 2)
ALL_MIDDLE = {
    "enlargement": "enlargement-talks",
    "former-soviet": "reciprocal-restraint",
    "posture": "posture-talks",
    "missiles": "inf-talks",
    "missile-defence": "reciprocal-transparency",
    "nuclear": "nuclear-talks",
    "activity": "risk-reduction",
    "form": "written-arrangements",
}


def test_points_margin_and_explanation() -> None:
    """Points are the sum of the options plus linkages; the explanation shows the arithmetic."""
    verdict = Scorer(load_exercise(REPLY)).verdict(ALL_MIDDLE)
    washington = verdict.parties["washington"]
    assert (washington.points, washington.reservation_value, washington.margin, washington.accepts) == (59, 55, 4, True)
    assert washington.explanation == (
        "enlargement-talks 8 + reciprocal-restraint 6 + posture-talks 8 + inf-talks 8 + reciprocal-transparency 6 "
        "+ nuclear-talks 7 + risk-reduction 8 + written-arrangements 6 + linkage missile talks and transparency at "
        "the sites support each other +2 = 59; reservation 55; margin +4; accepts"
    )
    assert verdict.met and verdict.decision.explanation == "unanimity (all 2): 2 of 2 accept (west, moscow); met"


def test_negative_linkage_and_red_line() -> None:
    """Moscow's cherry-picking linkage subtracts; a red line makes a party refuse whatever its points."""
    package = {**ALL_MIDDLE, "enlargement": "open-door"}
    verdict = Scorer(load_exercise(REPLY)).verdict(package)
    moscow = verdict.parties["moscow"]
    assert moscow.points == 32 and moscow.linkages == (
        ("missile talks with nothing on enlargement read as cherry-picking", -4.0),
    )
    red = Scorer(load_exercise(REPLY)).verdict(
        {**ALL_MIDDLE, "enlargement": "no-enlargement", "posture": "posture-1997"}
    )
    washington = red.parties["washington"]
    assert washington.red_lines == (("enlargement", "no-enlargement"), ("posture", "posture-1997"))
    assert washington.accepts is False and washington.margin < 0
    assert washington.explanation.endswith("red line no-enlargement, posture-1997 crossed; does not accept")


def test_gatekeepers_block_a_coalition_whatever_its_rule() -> None:
    """Inspections at the Allied sites cross the gatekeepers' red lines: NATO is blocked by Poland and Romania."""
    loaded = load_exercise(COUNCIL)
    package = {
        "missiles": "missile-talks",
        "exercises": "notification",
        "channels": "hotlines-and-missions",
        "missile-defence": "site-inspections",
        "posture": "posture-stays",
        "de-escalation": "deescalation-first",
    }
    verdict = Scorer(loaded).verdict(package)
    nato = verdict.coalitions["nato"]
    assert not nato.met
    gates = [(v.role, v.reason) for v in nato.vetoes if v.reason.startswith("gatekeeper")]
    assert gates == [
        ("pol", "gatekeeper on issue 'missile-defence': red line site-inspections"),
        ("rou", "gatekeeper on issue 'missile-defence': red line site-inspections"),
    ]
    assert verdict.decision.vetoes[-1].role == "nato" and not verdict.met


def test_k_of_n_coalition_with_a_veto() -> None:
    """The west decides by k-of-n (1) with Washington's veto: the allies' refusal alone does not block it."""
    verdict = Scorer(load_exercise(REPLY)).verdict(ALL_MIDDLE)
    assert verdict.parties["allies"].accepts is False
    assert verdict.coalitions["west"].met and verdict.coalitions["west"].vetoes == ()


@pytest.mark.parametrize(
    ("kind", "k", "n", "expected"),
    [
        ("consensus", None, 7, 7),
        ("unanimity", None, 2, 2),
        ("majority", None, 4, 3),
        ("majority", None, 5, 3),
        ("k-of-n", 3, 4, 3),
    ],
)
def test_votes_needed(kind: str, k: int | None, n: int, expected: int) -> None:
    """Consensus and unanimity need all, majority more than half, k-of-n k."""
    assert needed(DecisionRule(kind=kind, k=k), n) == expected  # type: ignore[arg-type]


def test_fast_path_agrees_with_the_detailed_verdict_on_every_tiny_package() -> None:
    """The enumeration's fast path and the explained verdict agree on points, acceptance and the rule."""
    loaded = load_exercise(TINY)
    for round_number in (None, 2):
        scorer = Scorer(loaded, round_number)
        for choice in itertools.product(range(3), range(2)):
            points, accepts, by_role, met = scorer.fast(choice)
            verdict = scorer.verdict(scorer.package_of(choice))
            assert points == tuple(verdict.parties[r].points for r in scorer.scored)
            assert accepts == tuple(verdict.parties[r].accepts for r in scorer.scored)
            assert met == verdict.met and by_role == {r: verdict.accepts(r) for r in by_role}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2), min_size=6, max_size=6))
def test_fast_path_agrees_on_the_council(choice: list[int]) -> None:
    """Property: on the two-level scenario, the fast path and the verdict agree on any package."""
    scorer = COUNCIL_SCORER
    points, _, by_role, met = scorer.fast(choice)
    verdict = scorer.verdict(scorer.package_of(choice))
    assert points == tuple(verdict.parties[r].points for r in scorer.scored)
    assert by_role["nato"] == verdict.coalitions["nato"].met and met == verdict.met


def test_pareto_front_keeps_ties_and_drops_dominated() -> None:
    """Equal vectors are both efficient; a vector no better anywhere and worse somewhere is not."""
    assert pareto_front([(1, 1), (1, 1), (0, 1), (2, 0)]) == [0, 1, 3]


def _dominated(p: tuple[int, ...], q: tuple[int, ...]) -> bool:
    return all(a >= b for a, b in zip(q, p, strict=True)) and q != p


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.integers(1, 5).flatmap(lambda d: st.lists(st.tuples(*[st.integers(0, 3)] * d), max_size=40)))
def test_pareto_front_is_the_definition(points: list[tuple[int, ...]]) -> None:
    """For one to five parties, the sweeps and the front scan return exactly the points no other point
    dominates (>= everywhere, > somewhere), in input order."""
    expected = [k for k, p in enumerate(points) if not any(_dominated(p, q) for q in points)]
    assert pareto_front(points) == expected


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.integers(4, 6).flatmap(lambda d: st.lists(st.tuples(*[st.integers(0, 5)] * d), min_size=100, max_size=250)))
def test_the_divided_front_of_many_parties_is_the_definition(points: list[tuple[int, ...]]) -> None:
    """Four to six parties, enough points that the front is divided and the halves filtered coordinate by
    coordinate: still exactly the points no other point dominates."""
    expected = [k for k, p in enumerate(points) if not any(_dominated(p, q) for q in points)]
    assert pareto_front(points) == expected


def test_pareto_front_of_four_parties_has_a_budget() -> None:
    """Past its budget of steps the front of four parties stops with a message naming the budget."""
    opposed = [(a, b, 9 - a, 9 - b) for a in range(10) for b in range(10)]
    assert len(pareto_front(opposed)) == 100
    with pytest.raises(BudgetExceeded) as caught:
        pareto_front(opposed, budget=1000)
    assert str(caught.value) == (
        "the Pareto front of 100 distinct points for 4 parties needs more than 1000 steps (the budget); "
        "sample fewer packages with --limit and --samples"
    )


def test_two_and_three_parties_need_no_budget() -> None:
    """Two and three parties sweep without a budget: a front of every point passes a budget of zero."""
    assert pareto_front([(k, -k) for k in range(1000)], budget=0) == list(range(1000))
    assert len(pareto_front([(a, b, -a - b) for a in range(30) for b in range(30)], budget=0)) == 900


def test_position_file_reads_as_a_package() -> None:
    """Team Washington's round-1 response reads issue by issue through its effective stances."""
    loaded = load_exercise(REPLY)
    result = score_submission(loaded, str(REPLY / "submissions" / "round-1" / "washington.yaml"))
    assert [(r.issue, r.stance, r.option, r.provisions) for r in result.submission.readings] == [
        ("enlargement", "reaffirm", "open-door", ("w-open-door",)),
        ("former-soviet", "counter", "reciprocal-restraint", ("w-restraint",)),
        ("posture", "discuss", "posture-talks", ("w-posture",)),
        ("missiles", "discuss", "inf-talks", ("w-missiles",)),
        ("missile-defence", "counter", "reciprocal-transparency", ("w-sites",)),
        ("nuclear", "discuss", "nuclear-talks", ("w-nuclear",)),
        ("activity", "discuss", "risk-reduction", ("w-activity",)),
        ("form", "discuss", "written-arrangements", ("w-form",)),
    ]
    moved = {(m.issue, m.before, m.after) for m in result.movements if m.moved}
    assert ("force-posture.threat-perceived-areas", "rejection", "open") in moved
    assert ("nuclear.deployment-abroad", "rejection", "open") in moved
    assert result.base is None and result.redlines == ()


def test_real_reply_reads_under_russia_s_match() -> None:
    """Russia's real reply of 17 February reads as the hard options, except talks on missiles and the sites."""
    loaded = load_exercise(REPLY)
    assert loaded.record is not None
    options, _, problems = read_position(loaded, loaded.record.position("ru-reply-2022-02-17"), "reply")
    assert problems == []
    assert options == {
        "enlargement": "no-enlargement",
        "former-soviet": "no-bases",
        "posture": "posture-1997",
        "missiles": "inf-talks",
        "missile-defence": "reciprocal-transparency",
        "nuclear": "nuclear-withdrawal",
        "activity": "activity-limits",
        "form": "binding-treaty",
    }


def test_inline_packages_and_their_errors() -> None:
    """Inline packages take ISSUE=OPTION or unique option ids; mistakes are usage errors that say what is wrong."""
    loaded = load_exercise(TINY)
    assert parse_package(loaded, "x2,y=y1") == {"x": "x2", "y": "y1"}
    for text, message in [
        ("x2", "a package names one option for every issue; missing: y"),
        ("x=x9,y1", "issue 'x' has no option 'x9' (options: x1, x2, x3)"),
        ("z=z1,y1", "unknown issue 'z' (issues: x, y)"),
        ("x1,x2,y1", "issue 'x' is given twice"),
        ("q7,y1", "option 'q7' belongs to no issue; write ISSUE=OPTION"),
    ]:
        with pytest.raises(UsageError) as caught:
            parse_package(loaded, text)
        assert str(caught.value) == message


def test_nearest_prefers_fewest_changes_then_least_loss() -> None:
    """The hint changes one option when one suffices, picking the change that costs the others least."""
    loaded = load_exercise(TINY)
    hint = nearest(loaded, {"x": "x3", "y": "y1"}, "south")
    assert hint.changes == (("x", "x3", "x2"), ("y", "y1", "y2"))
    assert (hint.party_before, hint.party_after, hint.others_loss, hint.rule_met) == (0, 15, 7, True)
    already = nearest(loaded, {"x": "x2", "y": "y2"}, "south")
    assert already.changes == () and already.package == {"x": "x2", "y": "y2"}


def test_nearest_stops_when_no_change_can_reach_the_reservation_value(tmp_path: Path) -> None:
    """An unreachable reservation value is answered at once (no package is scored); a reachable one
    still finds the fewest changes; past the search budget the hint stops with a message."""
    loaded = load_exercise(opposed_exercise(tmp_path / "far", 2, 11, 3, reservation=10**6))
    start = {i.id: i.options[0].id for i in loaded.exercise.issues}
    calls: list[object] = []
    real = Scorer.fast

    def counting(self: Scorer, choice: tuple[int, ...]):  # type: ignore[no-untyped-def]
        calls.append(choice)
        return real(self, choice)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Scorer, "fast", counting)
        hint = nearest(loaded, start, "p0")
    assert hint.package is None and len(calls) == 1  # the starting package only
    every = load_exercise(opposed_exercise(tmp_path / "every", 2, 11, 3, reservation=2 * (2**11 - 1)))
    assert len(nearest(every, start, "p0").changes) == 11
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(space_module, "NEAREST_BUDGET", 1000)
        with pytest.raises(BudgetExceeded) as caught:
            nearest(every, start, "p0")
    assert str(caught.value) == (
        "--nearest: no package acceptable to p0 within 10 changes, and trying 11 would score more than "
        "1000 packages (the budget)"
    )


def test_nearest_can_be_switched_off(tmp_path: Path) -> None:
    """With coaching: false the hint is refused with a message naming the switch."""
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    file = folder / "exercise.yaml"
    file.write_text(file.read_text(encoding="utf-8") + "coaching: false\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        nearest(load_exercise(folder), {"x": "x3", "y": "y1"}, "south")
    assert str(caught.value) == "coaching hints are switched off for exercise 'tiny' (coaching: false)"


def test_exercises_build_on_the_library_never_on_the_cli() -> None:
    """No module of negotiation.exercises imports the CLI or typer (the floors below them, exporters
    included, are theirs to use: tests/test_architecture.py)."""
    import ast

    for module in sorted((ROOT / "negotiation" / "exercises").glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [n for n in names if n.startswith("negotiation.cli")], module.name
        assert not [n for n in names if n in ("typer", "click")], module.name


def test_movement_verdicts_carry_their_attestation(cli: Run) -> None:
    """A movement against the real record shows each verdict's grade: a marker and legend in the table,
    the grade in JSON (the real U.S. refusal of enlargement rests on several reports, not its words)."""
    folder = "examples/writing-the-26-january-reply"
    team = f"{folder}/submissions/round-1/washington.yaml"
    table = cli("exercise", "score", folder, team, "--width", "0", cwd=ROOT)
    assert table.code == 0, table.stderr
    row = next(line for line in table.stdout.splitlines() if line.startswith("moscow") and " nato-enlargement " in line)
    assert row.split()[3:8] == ["rejection", "(rejected)", "~several", "rejection", "(contested)"]
    assert "tentative verdicts (below the document's own words) are marked: ~several" in table.stdout
    data = json.loads(cli("exercise", "score", folder, team, "--format", "json", cwd=ROOT).stdout)
    found = [m for m in _find_movements(data) if m["against"] == "moscow" and m["issue"] == "nato-enlargement"]
    assert [(m["before_attestation"], m["after_attestation"]) for m in found] == [("several-sources", "own-words")]


def _find_movements(data: object) -> list[dict[str, object]]:
    """Every movement object anywhere in a JSON document."""
    if isinstance(data, dict):
        own = [data] if {"against", "before_attestation"} <= data.keys() else []
        return own + [m for value in data.values() for m in _find_movements(value)]
    if isinstance(data, list):
        return [m for value in data for m in _find_movements(value)]
    return []
