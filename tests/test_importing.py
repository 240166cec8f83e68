"""Bringing a new negotiation in: `negotiation init` makes a dossier that validates at once."""

from __future__ import annotations

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
