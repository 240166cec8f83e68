"""The example exercises exercise what they teach: every gatekeeper, veto, red line and linkage an
example defines fires when its sample submissions are scored, and the moves they teach read the right
way round."""

from __future__ import annotations

from pathlib import Path

import pytest

from negotiation.exercises.load import load_exercise
from negotiation.exercises.loaded import LoadedExercise
from negotiation.exercises.rounds import rounds
from negotiation.exercises.score import score_submission
from tests.conftest import ROOT

EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "exercise.yaml").is_file())
Rule = tuple[str, ...]


def taught(loaded: LoadedExercise) -> set[Rule]:
    """Every rule the exercise sets: gatekeepers, veto holders, red lines and linkages."""
    rules: set[Rule] = set()
    for role in loaded.exercise.roles:
        for gate in role.gatekeepers:
            rules |= {("gatekeeper", role.id, gate.issue, keeper) for keeper in gate.roles}
        if role.decision_rule is not None:
            rules |= {("veto", role.id, holder) for holder in role.decision_rule.vetoes}
    rules |= {("veto", "plenary", holder) for holder in loaded.exercise.decision_rule.vetoes}
    for role_id, schedule in loaded.schedules.items():
        rules |= {("red line", role_id, i, o) for i, options in schedule.red_lines.items() for o in options}
        rules |= {("linkage", role_id, link.description or "") for link in schedule.linkages}
    return rules


def fired(loaded: LoadedExercise, folder: Path) -> set[Rule]:
    """Every rule that fires when the sample submissions are scored, each in its own round."""
    found: set[Rule] = set()
    for file in sorted((folder / "submissions").rglob("*.yaml")):
        verdict = score_submission(loaded, str(file)).verdict
        for body in (*verdict.coalitions.values(), verdict.decision):
            for veto in body.vetoes:
                if veto.reason.startswith("gatekeeper on issue '"):
                    found.add(("gatekeeper", body.body, veto.reason.split("'")[1], veto.role))
                else:
                    found.add(("veto", body.body, veto.role))
        for party in verdict.parties.values():
            found |= {("red line", party.role, issue, option) for issue, option in party.red_lines}
            found |= {("linkage", party.role, description) for description, _ in party.linkages}
    return found


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_every_rule_an_example_teaches_fires(folder: Path) -> None:
    """Scoring the sample submissions triggers each gatekeeper, veto, red line and linkage at least once."""
    loaded = load_exercise(folder)
    rules = taught(loaded)
    assert rules, "an example teaches at least one rule"
    assert rules - fired(loaded, folder) == set()


@pytest.mark.parametrize(
    ("example", "team"),
    [("writing-the-26-january-reply", "moscow"), ("nato-russia-council-consensus", "russia")],
)
def test_moscow_moving_to_transparency_is_a_concession(example: str, team: str) -> None:
    """Russia's team opens with a demand on the missile-defence sites (inspections there) and moves to
    reciprocal transparency in round 2: a concession by its own schedule, not a hardening."""
    folder = ROOT / "examples" / example
    loaded = load_exercise(folder)
    report = rounds(loaded, folder / "submissions")
    first, second = report.of_team(team)[:2]
    assert first.options["missile-defence"] != "no-site-measures"
    move = next(m for m in second.moves if m.issue == "missile-defence")
    assert (move.new, move.kind) == ("reciprocal-transparency", "concession")
    assert move.own is not None and move.own < 0
