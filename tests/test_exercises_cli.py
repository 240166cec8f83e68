"""`negotiation exercise ...` through the CLI entry point: exit code, then exact stdout, then exact stderr."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from negotiation.cli import main
from negotiation.jsonschema import schema_text

ROOT = Path(__file__).resolve().parent.parent
KARST = "examples/karst-lake-basin-accord"
TINY = "tests/data/exercises/tiny"


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run the CLI from the repository root; return (exit code, stdout, stderr)."""
    monkeypatch.chdir(ROOT)

    def go(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return go


def test_list(run) -> None:  # type: ignore[no-untyped-def]
    """`exercise list` shows the four examples with their sizes."""
    code, out, err = run("exercise", "list", "-f", "csv")
    assert (code, err) == (0, "")
    assert out == (
        "id,title,kind,roles,issues,packages,rounds,folder,status\n"
        "karst-lake-basin-accord,Karst Lake Basin Accord,fictional,4,5,243,3,examples/karst-lake-basin-accord,ok\n"
        "nato-russia-council-consensus,NATO-Russia Council under consensus,counterfactual,9,6,729,2,"
        "examples/nato-russia-council-consensus,ok\n"
        'one-text-february-2022,"One text, February 2022",counterfactual,4,6,729,5,examples/one-text-february-2022,ok\n'
        "writing-the-26-january-reply,Writing the 26 January reply,record,4,8,6561,3,"
        "examples/writing-the-26-january-reply,ok\n"
    )


def test_lint_missing_folder_is_unusable_input(run) -> None:  # type: ignore[no-untyped-def]
    """A folder that does not exist exits 2 with one located line."""
    assert run("exercise", "lint", "no-such-exercise") == (
        2,
        "",
        "no-such-exercise:0:0: (file): unreadable: no such file\n",
    )


def test_score_inline_package(run) -> None:  # type: ignore[no-untyped-def]
    """An inline package is scored in the round asked for; the decision line explains the rule."""
    code, out, err = run("exercise", "score", KARST, "a2,b2,c2,d2,e3", "--round", "3", "-f", "markdown")
    assert (code, err) == (0, "")
    assert out.startswith(
        "## inline, round 3: a2 b2 c2 d2 e3: score per party\n\n"
        "| party | points | reservation | margin | red lines crossed | accepts | explanation |\n"
        "|---|---|---|---|---|---|---|\n"
        "| aldoria | 52 | 50 | +2 | none | yes | a2 20 + b2 12 + c2 10 + d2 10 + e3 0 = 52; reservation 50; "
        "margin +2; accepts |\n"
    )
    assert (
        "Decision: k-of-n (3 of 4; vetoes aldoria, brevnia): 4 of 4 accept (aldoria, brevnia, castellan, ngo); met"
        in out
    )


def test_score_bad_inline_package(run) -> None:  # type: ignore[no-untyped-def]
    """A package with an unknown option is a usage error: exit 2, the reason on stderr."""
    assert run("exercise", "score", KARST, "a=a9,b2,c2,d2,e2") == (
        2,
        "",
        "negotiation: issue 'a' has no option 'a9' (options: a1, a2, a3)\n",
    )


def test_score_broken_package_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A package file with a missing issue and a wrong option: exit 1, every problem located."""
    file = tmp_path / "team.yaml"
    file.write_text(
        "schema_version: 1\nexercise: karst-lake-basin-accord\nrole: aldoria\noptions: {a: a1, b: b7, c: c1, d: d1}\n",
        encoding="utf-8",
    )
    code, out, err = run("exercise", "score", KARST, str(file))
    assert (code, out) == (1, "")
    assert err == (
        f"{file}:4:10: options: no option for issue 'e'; a package names one option per issue\n"
        f"{file}:4:21: options.b: issue 'b' has no option 'b7' (options: b1, b2, b3)\n"
    )


def test_position_file_in_a_fictional_exercise(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Without a dossier, a position file cannot be scored: the message says to submit a package."""
    file = tmp_path / "team.yaml"
    file.write_text("schema_version: 1\nid: x\nparty: aldoria\n", encoding="utf-8")
    assert run("exercise", "score", KARST, str(file)) == (
        2,
        "",
        f"negotiation: {file}: exercise 'karst-lake-basin-accord' has no dossier, "
        "so submissions must be package files\n",
    )


def test_space_nearest_needs_a_party(run) -> None:  # type: ignore[no-untyped-def]
    """--nearest without --party is a usage error."""
    assert run("exercise", "space", KARST, "--nearest", "a1,b1,c1,d1,e1") == (
        2,
        "",
        "negotiation: --nearest and --party go together\n",
    )


def test_space_nearest_table(run) -> None:  # type: ignore[no-untyped-def]
    """The coaching hint for Brevnia on Aldoria's opening package: two changes, exact."""
    code, out, err = run("exercise", "space", KARST, "--nearest", "a1,b1,c1,d1,e1", "--party", "brevnia")
    assert (code, err) == (0, "")
    assert out == (
        "issue    from    to\n"
        "-------  ------  ----\n"
        "a        a1      a3\n"
        "c        c1      c3\n"
        "\n"
        "Smallest change that makes a1 b1 c1 d1 e1 acceptable to brevnia: 2 options -> a3 b1 c3 d1 e1.\n"
        "brevnia: 0 -> 55 points.\n"
        "The other parties together: +25 points.\n"
        "Decision rule met by the new package: yes.\n"
        "Points, weights, reservation values and red lines are the instructor's illustrative assumptions for this "
        "exercise, not claims about any real government's preferences.\n"
    )


def test_brief_unknown_role(run) -> None:  # type: ignore[no-untyped-def]
    """An unknown role is a usage error that lists the roles."""
    assert run("exercise", "brief", KARST, "--role", "atlantis") == (
        2,
        "",
        "negotiation: no role 'atlantis' in exercise 'karst-lake-basin-accord' "
        "(known: aldoria, brevnia, castellan, ngo)\n",
    )


def test_confidential_brief_holds_only_its_role(run) -> None:  # type: ignore[no-untyped-def]
    """Castellan's brief has its own schedule and its own document, and no other role's instructions."""
    code, out, err = run("exercise", "brief", KARST, "--role", "castellan")
    assert (code, err) == (0, "")
    assert out.startswith(
        "# Karst Lake Basin Accord: confidential brief for Castellan\n\n"
        "> Confidential: for Castellan only.\n>\n"
        "> Points, weights, reservation values and red lines are the instructor's illustrative assumptions"
    )
    assert "Your reservation value: 45 points." in out
    assert "| d | d3 | $120m fund | 40 points |  |" in out
    assert "materials/delta-salinity-study.md" in out
    for other in ("second dam is nearly finished", "plains live on irrigation", "spawning grounds"):
        assert other not in out


def test_general_brief_hides_role_documents_and_later_injects(run) -> None:  # type: ignore[no-untyped-def]
    """The general brief lists the public document only, and the inject only from its round."""
    code, out, _ = run("exercise", "brief", KARST)
    assert code == 0
    assert "materials/basin-fact-sheet.md" in out and "delta-salinity-study" not in out
    assert "Drought-year forecast" not in out.split("## Timetable")[1].split("## Documents")[0].replace(
        "Bargaining after the drought forecast", ""
    )
    code, out, _ = run("exercise", "brief", KARST, "--round", "2")
    assert "## Injects up to round 2\n\n### Before round 2: Drought-year forecast\n" in out


def test_briefs_written_with_docx_are_deterministic(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """--output-dir writes Markdown and DOCX for every role; writing twice gives the same bytes."""
    first, second = tmp_path / "a", tmp_path / "b"
    code, out, err = run("exercise", "brief", TINY, "--output-dir", str(first), "--docx")
    assert (code, err) == (0, "")
    assert out == "".join(
        f"wrote {first}/{name}\n"
        for name in ("general.md", "general.docx", "north.md", "north.docx", "south.md", "south.docx")
    )
    run("exercise", "brief", TINY, "--output-dir", str(second), "--docx")
    for name in ("general.docx", "north.docx", "south.docx", "north.md"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    with zipfile.ZipFile(first / "south.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "Your reservation value: 12 points." in body and "confidential brief for South" in body


def test_rounds_json_contract(run) -> None:  # type: ignore[no-untyped-def]
    """`rounds --format json` is one versioned object with every team in every round."""
    code, out, err = run("exercise", "rounds", KARST, f"{KARST}/submissions", "-f", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["contract"] == "negotiation.exercise-rounds/1" and data["rounds"] == [1, 2, 3]
    entry = next(e for e in data["entries"] if e["team"] == "aldoria" and e["round"] == 2)
    assert entry["moves"] == [
        {"issue": "b", "from": "b1", "to": "b2", "own_change": -8, "kind": "concession"},
        {"issue": "c", "from": "c1", "to": "c2", "own_change": -5, "kind": "concession"},
    ]
    assert entry["reciprocated_by"] == ["brevnia", "castellan", "ngo"] and entry["given_to_others"] == 89


def test_rounds_folder_errors(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A stray entry in the submissions folder and an unknown round are both reported, exit 1."""
    (tmp_path / "round-1").mkdir()
    (tmp_path / "round-9").mkdir()
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    code, out, err = run("exercise", "rounds", KARST, str(tmp_path))
    assert (code, out) == (1, "")
    assert err == (
        f"{tmp_path}/notes.txt:0:0: (file): not a round folder (expected round-<number>/)\n"
        f"{tmp_path}/round-9:0:0: (file): the exercise has no round 9\n"
    )


def test_validate_knows_exercise_files(run) -> None:  # type: ignore[no-untyped-def]
    """`negotiation validate` checks an exercise folder, a private schedule and a team file."""
    code, out, err = run(
        "validate",
        KARST,
        f"{KARST}/private/ngo.yaml",
        "examples/writing-the-26-january-reply/submissions/round-2/moscow.yaml",
    )
    assert (code, err) == (0, "")
    assert out == (
        f"ok {KARST}: exercise 'karst-lake-basin-accord': 4 roles, 5 issues, 4 private schedules\n"
        f"ok {KARST}/private/ngo.yaml: exercise 'karst-lake-basin-accord': 4 private schedules\n"
        "ok examples/writing-the-26-january-reply/submissions/round-2/moscow.yaml: position of team 'moscow' "
        "(moscow): no-enlargement no-bases posture-1997 inf-talks reciprocal-transparency nuclear-withdrawal "
        "risk-reduction binding-treaty\n"
    )


def test_committed_json_schema_is_current() -> None:
    """schemas/exercise-v1.json is exactly what `negotiation schema exercise` prints."""
    assert (ROOT / "schemas" / "exercise-v1.json").read_text(encoding="utf-8") == schema_text("exercise")


def test_every_exercise_command_is_documented() -> None:
    """Each `negotiation exercise` command has help and a section in docs/exercises.md."""
    from negotiation.cli.exercise import exercise_app

    docs = (ROOT / "docs" / "exercises.md").read_text(encoding="utf-8")
    names = sorted(c.name or (c.callback.__name__ if c.callback else "") for c in exercise_app.registered_commands)
    assert names == ["brief", "debrief", "lint", "list", "practice", "rounds", "score", "simulate", "space"]
    for command in exercise_app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        assert command.callback is not None and command.callback.__doc__
        assert f"`negotiation exercise {name}" in docs, name
