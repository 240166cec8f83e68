"""`negotiation exercise lint`: the leak check, coverage, feasibility, dates and stance matching, with exact messages.

The committed cases are ``tests/data/exercises/tiny`` (clean) and ``tests/data/exercises/leaky``
(a private number placed in a public file). Other broken variants are made from ``tiny`` in a
temporary folder, one edit each, so every message is checked against exactly one cause.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from negotiation.cli import main
from negotiation.errors import ValidationError
from negotiation.exercises.brief import briefs
from negotiation.exercises.lint import PrivateFacts, find_leaks, lint
from negotiation.exercises.load import load_exercise

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "exercises"


@pytest.fixture
def variant(tmp_path: Path) -> Callable[[str, str, str], Path]:
    """Copy ``tiny`` and replace one piece of text in one of its files."""

    def make(relative: str, old: str, new: str) -> Path:
        target = tmp_path / "tiny"
        if not target.exists():
            shutil.copytree(DATA / "tiny", target)
        file = target / relative
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
        return target

    return make


def messages(folder: Path) -> list[str]:
    """The lint problems of ``folder``, with the folder prefix removed."""
    prefix = str(folder) + "/"
    return [str(p).removeprefix(prefix) for p in lint(folder).problems]


def test_clean_exercise_passes(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The tiny exercise lints clean: exit 0 and a one-line summary on stdout."""
    monkeypatch.chdir(ROOT)
    assert main(["exercise", "lint", "tests/data/exercises/tiny"]) == 0
    out, err = capsys.readouterr()
    assert out == (
        "ok tests/data/exercises/tiny: 2 roles, 2 issues, 6 packages, 1 passes the decision rule "
        "(1 from round 2), no leaks\n"
    )
    assert err == ""


def test_leaky_exercise_is_caught(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A reservation value written into exercise.yaml is a leak: exit 1, one located line on stderr."""
    monkeypatch.chdir(ROOT)
    assert main(["exercise", "lint", "tests/data/exercises/leaky"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "tests/data/exercises/leaky/exercise.yaml:12:18: roles[1].description: "
        "leaks private/south.yaml: reservation value 12 of role 'south'\n"
    )


def test_leaky_exercise_yields_no_briefs() -> None:
    """The brief command refuses to produce briefs while a public file leaks."""
    with pytest.raises(ValidationError) as caught:
        briefs(load_exercise(DATA / "leaky"))
    assert str(caught.value).splitlines() == [
        f"{DATA}/leaky/exercise.yaml:12:18: roles[1].description: "
        "leaks private/south.yaml: reservation value 12 of role 'south'",
        "briefs/general.md:16:1: (file): leaks private/south.yaml: reservation value 12 of role 'south'",
    ]


def test_option_points_weight_sequence_and_phrase_leaks(variant: Callable[[str, str, str], Path]) -> None:
    """Each kind of private fact is found where it is written, and named by kind."""
    folder = variant(
        "exercise.yaml",
        "      - {id: x3, title: High}",
        "      - {id: x3, title: High, description: North scores it 10 points}",
    )
    variant(
        "exercise.yaml",
        "    text: A flood hits the lower valley.",
        "    text: A flood hits the lower valley. South's weight on Data doubles to 2.",
    )
    variant(
        "exercise.yaml", "    description: The upstream state.", "    description: The upstream state (x 0 / 6 / 10)."
    )
    variant(
        "exercise.yaml",
        "scenario: Two riparian states",
        "scenario: Your farmers fear dry summers; daily data lets them plan. Two riparian states",
    )
    assert messages(folder) == [
        "exercise.yaml:5:11: scenario: leaks private/south.yaml: "
        "phrase 'your farmers fear dry summers daily' of role 'south'",
        "exercise.yaml:9:18: roles[0].description: leaks private/north.yaml: "
        "points of role 'north' on issue 'x' (0 / 6 / 10)",
        "exercise.yaml:19:44: issues[0].options[2].description: leaks private/north.yaml: "
        "10 points of role 'north' for option 'x3'",
        "exercise.yaml:32:11: injects[0].text: leaks private/south.yaml: weight 2 of role 'south' on issue 'y'",
    ]


def test_numbers_in_titles_and_unrelated_numbers_are_not_leaks() -> None:
    """A number inside an option title, or one without a schedule word, is no leak."""
    facts = PrivateFacts(load_exercise(DATA / "tiny"))
    text = "North wants option High (10 m higher).\nSouth has 12 dams and 7 rivers.\nOption x2 is Medium.\n"
    assert find_leaks(facts, "note.md", text) == []
    leaked = find_leaks(facts, "note.md", "South walks away below 12 points.\n")
    assert [str(p) for p in leaked] == [
        "note.md:1:1: (file): leaks private/south.yaml: reservation value 12 of role 'south'"
    ]


def test_a_fact_the_reader_holds_is_not_a_leak_in_its_own_brief() -> None:
    """The same number in the reader's own schedule does not count as another role's leak."""
    facts = PrivateFacts(load_exercise(DATA / "tiny"))
    line = "| x | x2 | Medium | 7 points |\n"
    assert [str(p) for p in find_leaks(facts, "north.md", line, ["north"])] == [
        "north.md:1:1: (file): leaks private/south.yaml: 7 points of role 'south' for option 'x2'"
    ]
    assert find_leaks(facts, "south.md", line, ["south"]) == []


def test_schedule_must_cover_every_issue_and_option(variant: Callable[[str, str, str], Path]) -> None:
    """A missing option, an unknown option and a missing issue are each reported at their place."""
    folder = variant(
        "private/north.yaml", "  x: {points: {x1: 0, x2: 6, x3: 10}}\n", "  x: {points: {x1: 0, x2: 6, x9: 10}}\n"
    )
    variant("private/south.yaml", "  y: {points: {y1: 0, y2: 5}}\n", "")
    assert messages(folder) == [
        "private/north.yaml:7:15: issues.x.points: no points for option 'x3'",
        "private/north.yaml:7:30: issues.x.points.x9: issue 'x' has no option 'x9'",
        "private/south.yaml:7:3: issues: no points for issue 'y'",
    ]


def test_infeasible_exercise_is_reported(variant: Callable[[str, str, str], Path]) -> None:
    """When no package passes the decision rule, before and after the inject, lint says so."""
    folder = variant("private/south.yaml", "reservation_value: 12", "reservation_value: 40")
    assert messages(folder) == [
        "exercise.yaml:34:3: decision_rule: no package of the 6 passes the decision rule before any inject",
        "exercise.yaml:34:3: decision_rule: no package of the 6 passes the decision rule from round 2 on",
    ]


def test_dates_must_be_consistent(variant: Callable[[str, str, str], Path]) -> None:
    """A document after the cut-off and rounds out of order are located errors."""
    folder = variant(
        "exercise.yaml",
        "roles:",
        "cutoff: 2030-01-31\ndocuments:\n  - {file: exercise.yaml, title: Self, date: 2030-02-01}\nroles:",
    )
    variant("exercise.yaml", "  - {number: 1, title: Opening}", "  - {number: 1, title: Opening, date: 2030-03-01}")
    variant("exercise.yaml", "  - {number: 2, title: Closing}", "  - {number: 2, title: Closing, date: 2030-02-15}")
    assert messages(folder) == [
        "exercise.yaml:8:5: documents[0]: 'exercise.yaml' is dated 2030-02-01, after the cut-off 2030-01-31",
        "exercise.yaml:30:39: rounds[1].date: round 2 is dated 2030-02-15, before round 1 (2030-03-01)",
    ]


def test_references_must_resolve(variant: Callable[[str, str, str], Path]) -> None:
    """Unknown roles in the rule, unknown injects in a schedule and a missing schedule are located."""
    folder = variant("exercise.yaml", "  kind: unanimity", "  kind: unanimity\n  vetoes: [east]")
    variant("private/south.yaml", "  - inject: flood", "  - inject: drought")
    (folder / "private" / "north.yaml").rename(folder / "private" / "n.yaml")
    assert messages(folder) == [
        "exercise.yaml:7:9: roles[0]: no private schedule: private/north.yaml does not exist",
        "exercise.yaml:35:12: decision_rule.vetoes[0]: 'east' does not vote here (voters: north, south)",
        "private/n.yaml:0:0: (file): a private file that no scored role of the exercise uses",
        "private/south.yaml:14:13: adjustments[0].inject: unknown inject 'drought'",
    ]


def test_schema_errors_are_located(variant: Callable[[str, str, str], Path]) -> None:
    """Schema problems in exercise.yaml come back as path:line:col: field: message."""
    folder = variant("exercise.yaml", "kind: fictional", "kind: invented\ncoach: true")
    assert messages(folder) == [
        "exercise.yaml:4:7: kind: 'invented' is not one of 'record', 'counterfactual' or 'fictional'",
        "exercise.yaml:5:1: coach: unknown field",
    ]


def test_stance_matching_must_be_complete(tmp_path: Path) -> None:
    """On a record scenario, a stance no option matches, or one two options match, is a lint error."""
    folder = tmp_path / "reply"
    shutil.copytree(ROOT / "examples" / "writing-the-26-january-reply", folder)
    file = folder / "exercise.yaml"
    text = file.read_text(encoding="utf-8")
    text = text.replace(
        "        match: {usa: [reject, reaffirm, note, silent], rus: [accept, note, silent]}\n"
        "      - id: enlargement-talks",
        "        match: {usa: [reject, reaffirm, silent], rus: [accept, note, silent, discuss]}\n"
        "      - id: enlargement-talks",
        1,
    )
    file.write_text(text, encoding="utf-8")
    assert messages(folder) == [
        "exercise.yaml:56:7: issues[0].options: no option matches stance 'note' of 'usa'",
        "exercise.yaml:56:7: issues[0].options: stance 'discuss' of 'rus' selects several options: "
        "open-door, enlargement-talks",
    ]


def test_brief_refuses_a_document_after_the_cut_off(tmp_path: Path) -> None:
    """A public text naming a paper dated after the cut-off stops the briefs, with the line of each brief."""
    folder = tmp_path / "reply"
    shutil.copytree(ROOT / "examples" / "writing-the-26-january-reply", folder)
    file = folder / "exercise.yaml"
    text = file.read_text(encoding="utf-8").replace(
        "    description: Writes the United States' written response to the draft treaty.",
        "    description: Writes the United States' written response; compare us-response-2022-01-26.",
    )
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        briefs(load_exercise(folder), ["moscow"])
    assert str(caught.value).splitlines() == [
        "briefs/general.md:15:1: (file): mentions 'us-response-2022-01-26' dated 2022-01-26, "
        "after the cut-off 2022-01-25",
    ]


def test_committed_schemas_of_the_private_and_package_files_are_current() -> None:
    """schemas/exercise-schedule-v1.json and exercise-package-v1.json match the models."""
    from negotiation.jsonschema import schema_text

    for kind in ("exercise-schedule", "exercise-package"):
        assert (ROOT / "schemas" / f"{kind}-v1.json").read_text(encoding="utf-8") == schema_text(kind)
