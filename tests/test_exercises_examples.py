"""Every example exercise runs from its README: the fenced commands, in order, exactly as written.

Each README's ```sh block is parsed; every line starting with ``negotiation`` runs through the CLI
entry point from the repository root (``out/`` paths are redirected to a temporary folder). Then the
key numbers each README states are checked against what the commands print.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest

from negotiation.cli import main
from negotiation.exercises.brief import general_brief
from negotiation.exercises.debrief import debrief
from negotiation.exercises.load import load_exercise
from negotiation.exercises.rounds import rounds
from negotiation.exercises.score import Scorer, score_submission
from negotiation.exercises.space import space

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/exercise.yaml"))
FIRST = "examples/writing-the-26-january-reply"
KARST = "examples/karst-lake-basin-accord"


def readme_commands(example: str) -> list[list[str]]:
    """The ``negotiation`` command lines of an example's README, as argument lists."""
    text = (ROOT / "examples" / example / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("negotiation ")]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run one CLI command from the repository root; return (exit code, stdout, stderr)."""
    monkeypatch.chdir(ROOT)

    def go(args: list[str]) -> tuple[int, str, str]:
        args = [str(tmp_path / a) if a.startswith("out/") else a for a in args]
        code = main(args)
        out, err = capsys.readouterr()
        return code, out, err

    return go


def test_every_example_is_listed() -> None:
    """The four scenarios of the exercise design ship as example folders."""
    assert EXAMPLES == [
        "karst-lake-basin-accord",
        "nato-russia-council-consensus",
        "one-text-february-2022",
        "writing-the-26-january-reply",
    ]


@pytest.mark.parametrize("example", EXAMPLES)
def test_readme_commands_run_in_order(example: str, run) -> None:  # type: ignore[no-untyped-def]
    """Every command of the README exits 0 with nothing on stderr; lint, brief, rounds and debrief are among them."""
    commands = readme_commands(example)
    kinds = {c[1] for c in commands}
    assert {"lint", "brief", "score", "space", "rounds", "debrief"} <= kinds
    for args in commands:
        code, out, err = run(args)
        assert (code, err) == (0, ""), f"{shlex.join(args)}: exit {code}\n{err}"
        assert out.endswith("\n")
        if args[1] not in ("lint", "brief"):
            assert "illustrative assumptions" in out, shlex.join(args)


def test_scenario_one_from_its_readme(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Scenario 1: lint, briefs (no 26 January paper in them), two rounds of scores and the debrief, exact."""
    commands = readme_commands("writing-the-26-january-reply")
    outputs = {}
    for args in commands:
        code, out, _ = run(args)
        assert code == 0
        outputs[shlex.join(args)] = out
    assert outputs[f"exercise lint {FIRST}"] == (
        f"ok {FIRST}: 4 roles, 8 issues, 6561 packages, 38 pass the decision rule, no leaks\n"
    )
    briefs = tmp_path / "out" / "writing-the-26-january-reply" / "briefs"
    assert sorted(p.name for p in briefs.iterdir()) == [
        "allies.md",
        "general.md",
        "moscow.md",
        "washington.md",
        "west.md",
    ]
    general = (briefs / "general.md").read_text(encoding="utf-8")
    assert "ru-us-treaty-2021-12-17" in general and "ru-nato-agreement-2021-12-17" in general
    for later in ("us-response-2022-01-26", "nato-response-2022-01-26", "ru-reply-2022-02-17", "El País"):
        assert later not in general
    assert "instructor's illustrative assumptions" in general
    moscow = (briefs / "moscow.md").read_text(encoding="utf-8")
    assert "Your reservation value: 45 points." in moscow
    assert "Your reservation value: 55" not in moscow and "reservation value: 55" not in general
    score_r1 = outputs[f"exercise score {FIRST} {FIRST}/submissions/round-1/washington.yaml"]
    assert "moscow      32        45             -13" in score_r1
    assert "moscow     enlargement      nato-enlargement" in score_r1
    nearest = outputs[f"exercise space {FIRST} --nearest {FIRST}/submissions/round-3/moscow.yaml --party west"]
    assert nearest.startswith("issue    from            to\n-------  --------------  --------------------\n")
    assert "form     binding-treaty  written-arrangements\n" in nearest
    debrief_out = outputs[f"exercise debrief {FIRST} {FIRST}/submissions"]
    assert debrief_out.startswith(
        "Debrief of writing-the-26-january-reply: no common package: the teams tabled 2 different packages in round 3\n"
    )


def test_scenario_one_scores_and_rounds() -> None:
    """Scenario 1's key numbers: the real U.S. paper's package, round-2 acceptance, concessions and reciprocity."""
    loaded = load_exercise(ROOT / FIRST)
    result = space(loaded)
    assert {r: c.count for r, c in result.accepts.items()} == {
        "washington": 1648,
        "allies": 1905,
        "moscow": 3610,
        "west": 1174,
    }
    assert (result.all_accept.count, result.rule.count, len(result.pareto), result.pareto_rule) == (19, 38, 63, 0)
    r2 = score_submission(loaded, str(ROOT / FIRST / "submissions/round-2/washington.yaml"))
    assert {r: s.points for r, s in r2.verdict.parties.items()} == {"washington": 59, "allies": 39, "moscow": 50}
    assert r2.verdict.met and r2.base == "team-washington-r1"
    assert [(c.provision, c.change) for c in r2.redlines] == [("w-open-door", "changed")]
    assert r2.redlines[0].redline is not None and "NATO-Russia Council" in r2.redlines[0].redline
    report = rounds(loaded, ROOT / FIRST / "submissions")
    washington_r2 = report.entry("washington", 2)
    moscow_r3 = report.entry("moscow", 3)
    assert washington_r2 is not None and moscow_r3 is not None
    assert [m.text for m in washington_r2.moves] == ["enlargement: open-door->enlargement-talks concession -22"]
    assert washington_r2.reciprocated_by == ("moscow",)
    assert moscow_r3.concessions == 4 and moscow_r3.reciprocated is False
    real = debrief(loaded, ROOT / FIRST / "submissions")
    us = {i.issue: i.real_option for i in real.record if i.document == "us-response-2022-01-26"}
    assert us == {
        "enlargement": "open-door",
        "former-soviet": "reciprocal-restraint",
        "posture": "posture-stays",
        "missiles": "inf-talks",
        "missile-defence": "reciprocal-transparency",
        "nuclear": "nuclear-status-quo",
        "activity": "risk-reduction",
        "form": "written-arrangements",
    }
    assert Scorer(loaded).verdict(us).parties["moscow"].points == 21


def test_karst_from_its_readme(run) -> None:  # type: ignore[no-untyped-def]
    """Karst Lake: lint summary, the round-2 score of Brevnia's package, and the agreed outcome, exact."""
    code, out, _ = run(["exercise", "lint", KARST])
    assert (code, out) == (
        0,
        f"ok {KARST}: 4 roles, 5 issues, 243 packages, 38 pass the decision rule (62 from round 2), no leaks\n",
    )
    code, out, _ = run(["exercise", "score", KARST, f"{KARST}/submissions/round-2/brevnia.yaml", "-f", "json"])
    data = json.loads(out)
    assert data["round"] == 2 and data["decision"]["met"] is False
    assert {p["role"]: (p["points"], p["margin"], p["accepts"]) for p in data["parties"]} == {
        "aldoria": (26, -24, False),
        "brevnia": (98, 48, True),
        "castellan": (73, 28, True),
        "ngo": (70, 30, True),
    }
    assert data["decision"]["vetoes_triggered"] == [
        {"role": "aldoria", "at": "plenary", "reason": "does not accept; holds a veto"}
    ]
    code, out, _ = run(["exercise", "debrief", KARST, f"{KARST}/submissions", "-f", "json"])
    data = json.loads(out)
    assert data["outcome"] == "agreement: every team tabled a2 b2 c2 d2 e3 in round 3, and the rule accepts it"
    assert data["agreed"] == {"a": "a2", "b": "b2", "c": "c2", "d": "d2", "e": "e3"}
    assert [(t["team"], t["own_points"], t["concessions"], t["pareto_efficient"]) for t in data["teams"]] == [
        ("aldoria", 52, 5, True),
        ("brevnia", 70, 5, True),
        ("castellan", 55, 5, True),
        ("ngo", 75, 2, True),
    ]


def test_council_key_numbers() -> None:
    """Scenario 2: the space before and after the inject, and the allies' convergence in round 2."""
    loaded = load_exercise(ROOT / "examples" / "nato-russia-council-consensus")
    before, after = space(loaded), space(loaded, 2)
    assert (before.accepts["russia"].count, before.accepts["nato"].count, before.rule.count) == (426, 76, 7)
    assert (after.accepts["nato"].count, after.rule.count) == (59, 3)
    assert (len(before.pareto), before.pareto_rule) == (29, 2)
    result = debrief(loaded, ROOT / "examples" / "nato-russia-council-consensus" / "submissions")
    assert result.outcome == "no common package: the teams tabled 2 different packages in round 2"
    assert result.notes[0] == (
        "nato: every member team tabled missile-talks notification hotlines-and-missions reciprocal-transparency "
        "posture-restraint deescalation-first in round 2; its rule accepts it"
    )
    russia = next(t for t in result.teams if t.team == "russia")
    assert russia.verdict.coalitions["nato"].met is False
    assert [v.role for v in russia.verdict.coalitions["nato"].vetoes] == ["gbr", "pol", "rou"]


def test_one_text_key_numbers() -> None:
    """Scenario 3: each version's points for Russia / the United States / NATO, and the final yes or no."""
    folder = ROOT / "examples" / "one-text-february-2022"
    loaded = load_exercise(folder)
    points = []
    for version in range(1, 6):
        result = score_submission(loaded, str(folder / "submissions" / f"round-{version}" / "mediator.yaml"))
        assert result.base == (f"one-text-v{version - 1}" if version > 1 else None)
        points.append(tuple(result.verdict.parties[r].points for r in ("russia", "usa", "nato")))
    assert points == [(15, 60, 58), (18, 61, 58), (28, 53, 48), (43, 39, 33), (30, 49, 44)]
    result = debrief(loaded, folder / "submissions")
    assert result.notes[0] == "mediator's last text (round 5): yes from usa, nato; no from russia"
    assert space(loaded).rule.count == 2


def test_record_exercise_without_a_document_list_reads_the_whole_dossier_to_the_cut_off(tmp_path: Path) -> None:
    """With no `documents`, the general brief lists the dossier's positions dated up to the cut-off."""
    folder = tmp_path / "reply"
    shutil.copytree(ROOT / FIRST, folder)
    file = folder / "exercise.yaml"
    text = file.read_text(encoding="utf-8")
    start = text.index("documents:\n")
    end = text.index("rounds:\n")
    file.write_text(text[:start] + text[end:], encoding="utf-8")
    brief = general_brief(load_exercise(folder))
    documents = brief.split("## Documents up to 2022-01-25")[1].split("## Events")[0]
    assert [line.split(" | ")[4].split(" ")[0] for line in documents.strip().splitlines()[2:]] == [
        "ru-nato-agreement-2021-12-17",
        "ru-us-treaty-2021-12-17",
    ]
