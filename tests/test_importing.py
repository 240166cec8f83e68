"""Bringing a new negotiation in: `negotiation init` makes a dossier that validates at once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from negotiation.errors import UsageError
from negotiation.importing import init_dossier, starter_files
from negotiation.loading import load_dossier
from tests.conftest import Run


def test_init_writes_a_dossier_that_validates(cli: Run, tmp_path: Path) -> None:
    folder = tmp_path / "Border Talks"
    result = cli("init", str(folder))
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [f"wrote {folder / 'README.md'}", f"wrote {folder / 'dossier.yaml'}"]
    checked = cli("validate", str(folder))
    summary = f"ok {folder}: dossier 'border-talks': 0 positions, 0 provisions\n"
    assert (checked.code, checked.stdout, checked.stderr) == (0, summary, "")
    record = load_dossier(str(folder))
    assert [i.code for i in record.dossier.issues] == [
        "principles",
        "obligations",
        "verification",
        "institutions",
        "final-clauses",
    ]


def test_init_is_deterministic_and_takes_an_id(tmp_path: Path) -> None:
    init_dossier(tmp_path / "a", "talks")
    init_dossier(tmp_path / "b", "talks")
    assert (tmp_path / "a" / "dossier.yaml").read_bytes() == (tmp_path / "b" / "dossier.yaml").read_bytes()
    assert "id: talks\n" in (tmp_path / "a" / "dossier.yaml").read_text(encoding="utf-8")


def test_init_refuses_a_folder_with_files_and_writes_nothing(cli: Run, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = cli("init", str(tmp_path))
    assert result.code == 2
    assert result.stderr == f"negotiation: {tmp_path}: exists and is not an empty folder; init makes a new dossier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_refuses_a_bad_id() -> None:
    with pytest.raises(UsageError, match="a dossier id is lower-case"):
        starter_files("Bad Id")


BUNDLED = Path(__file__).resolve().parent.parent / "positions" / "security-guarantees-2021-2022"
TREATY = "ru-us-treaty-2021-12-17"


def _with_uncoded(tmp_path: Path) -> Path:
    """The bundled dossier with the treaty's first provision uncoded (its issues and stance removed)."""
    folder = tmp_path / "dossier"
    shutil.copytree(BUNDLED, folder)
    path = folder / f"{TREATY}.yaml"
    text = path.read_text(encoding="utf-8")
    coded = "  - id: pre-1\n    ref: Preamble, parties\n    issues: [form.legally-binding]\n    stance: propose\n"
    assert text.count(coded) == 1
    path.write_text(text.replace(coded, "  - id: pre-1\n    ref: Preamble, parties\n"), encoding="utf-8")
    return folder


def test_uncoded_provisions_are_valid_and_counted(cli: Run, tmp_path: Path) -> None:
    folder = _with_uncoded(tmp_path)
    result = cli("validate", str(folder / f"{TREATY}.yaml"), "--dossier", str(folder))
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout.endswith(f"position '{TREATY}': 24 provisions (1 uncoded)\n")
    whole = cli("validate", str(folder))
    assert whole.code == 0 and "provisions (1 uncoded)\n" in whole.stdout


def test_verdicts_leave_uncoded_provisions_out_and_say_so(cli: Run, tmp_path: Path) -> None:
    folder = _with_uncoded(tmp_path)
    note = f"negotiation: left out of the verdicts: 1 uncoded provision ({TREATY} 1); code them to count them\n"
    matrix = cli("matrix", "--dossier", str(folder), "--format", "json")
    assert (matrix.code, matrix.stderr) == (0, note)
    assert "form.legally-binding" in matrix.stdout  # other positions still code it
    diff = cli("diff", TREATY, "us-response-2022-01-26", "--dossier", str(folder), "--format", "json")
    assert (diff.code, diff.stderr) == (0, note)
    assert "pre-1" not in json.loads(diff.stdout)["evidence"]["left"]
    bundled = cli("diff", TREATY, "us-response-2022-01-26", "--format", "json")
    assert bundled.stderr == "" and "pre-1" in json.loads(bundled.stdout)["evidence"]["left"]


def test_coverage_shows_uncoded_provisions(cli: Run, tmp_path: Path) -> None:
    folder = _with_uncoded(tmp_path)
    result = cli("coverage", TREATY, "--dossier", str(folder))
    assert result.code == 0
    assert f"uncoded: {TREATY}: 1 provision not coded yet" in result.stdout
    data = cli("coverage", TREATY, "--dossier", str(folder), "--format", "json")
    assert '"uncoded": 1' in data.stdout


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "security-drafts"


def test_walk_through_writes_are_fixed_points_of_the_committed_example(cli: Run, tmp_path: Path) -> None:
    """The walk-through's import and suggest --apply, re-run on the committed example (as
    docs/your-own-negotiation.md shows them), give the committed file byte for byte: coding and
    suggestions kept, nothing else moved."""
    folder = tmp_path / "security-drafts"
    shutil.copytree(EXAMPLE, folder)
    position = folder / "ru-nato-draft.yaml"
    before = position.read_bytes()
    imported = cli(
        "import",
        "sources/2021-12-17-russia-draft-agreement-with-nato.md",
        "--party",
        "rus",
        "--date",
        "2021-12-17",
        "--kind",
        "draft-agreement",
        "--start-after",
        "Text",
        "--id",
        "ru-nato-draft",
        "-o",
        "ru-nato-draft.yaml",
        cwd=folder,
    )
    assert (imported.code, imported.stderr) == (0, "")
    assert imported.stdout.startswith("wrote ru-nato-draft.yaml: 21 provisions (20 uncoded)\nkept coding: ")
    assert position.read_bytes() == before
    bundled = Path(__file__).resolve().parent.parent / "positions" / "security-guarantees-2021-2022"
    applied = cli("suggest", str(position), "--dossier", str(bundled), "--apply", "--min-score", "0.5")
    assert applied.code == 0
    assert position.read_bytes() == before
