"""Remembered answers: the matrix of an unchanged dossier is answered from the cache with the same
bytes, without the models or the loader; any change to the dossier's folder or the arguments is a
new answer, and filtered matrices are never remembered."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from negotiation import remembered
from tests.conftest import ROOT, Run

VALID = ROOT / "tests" / "data" / "valid" / "lake-varna"


@pytest.fixture
def lake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of a valid dossier, with the cache turned on in a folder of its own."""
    monkeypatch.delenv("NEGOTIATION_NO_CACHE", raising=False)
    monkeypatch.setenv("NEGOTIATION_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "lake-varna"
    shutil.copytree(VALID, folder)
    return folder


def _answers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "cache").glob("*.answer"))


@pytest.mark.parametrize("fmt", ["simple", "json", "csv"])
def test_remembered_matrix_is_the_same_bytes(fmt: str, lake: Path, tmp_path: Path, cli: Run) -> None:
    """The second run answers from memory, and prints exactly what the first printed."""
    first = cli("matrix", "--dossier", str(lake), "--format", fmt)
    assert len(_answers(tmp_path)) == 1
    second = cli("matrix", "--dossier", str(lake), "--format", fmt)
    assert (second.code, second.stdout, second.stderr) == (first.code, first.stdout, first.stderr)
    assert first.code == 0 and first.stdout


def test_any_change_is_a_new_answer(lake: Path, tmp_path: Path, cli: Run) -> None:
    """Other position ids, or an edited file in the folder, give a new key; a filter is not remembered."""
    key = remembered.answer_key("matrix", str(lake), [])
    assert key is not None
    assert remembered.answer_key("matrix", str(lake), ["brv-response-2031-04-15"]) != key
    (lake / "notes.txt").write_text("an analyst's note\n", encoding="utf-8")
    assert remembered.answer_key("matrix", str(lake), []) != key
    assert cli("matrix", "--dossier", str(lake), "--issue", "flow").code == 0
    assert _answers(tmp_path) == []


@pytest.mark.parametrize(
    "option", [("--min-attestation", "own-words"), ("--sensitivity",), ("--explain",), ("--min-attestation", "x")]
)
def test_options_that_change_the_answer_are_never_served_from_memory(
    option: tuple[str, ...], lake: Path, tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the plain matrix is remembered, a run with --min-attestation, --sensitivity or --explain
    prints what it prints without the cache (its own answer, or its own usage error) and stores nothing."""
    plain = cli("matrix", "--dossier", str(lake))
    assert len(_answers(tmp_path)) == 1
    cached = cli("matrix", "--dossier", str(lake), *option)
    assert len(_answers(tmp_path)) == 1
    monkeypatch.setenv("NEGOTIATION_NO_CACHE", "1")
    fresh = cli("matrix", "--dossier", str(lake), *option)
    assert (cached.code, cached.stdout, cached.stderr) == (fresh.code, fresh.stdout, fresh.stderr)
    assert cached.stdout != plain.stdout


def test_cache_off_remembers_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """With NEGOTIATION_NO_CACHE set there is no key, so nothing is recalled or stored."""
    monkeypatch.setenv("NEGOTIATION_NO_CACHE", "1")
    assert remembered.answer_key("matrix", None, []) is None


def test_remembered_run_imports_no_models(tmp_path: Path) -> None:
    """A run answered from memory never imports the models, the loader or the engine."""
    env = {**os.environ, "NEGOTIATION_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    env.pop("NEGOTIATION_NO_CACHE", None)
    probe = (
        "import sys; from negotiation.cli import main; code = main(['matrix']); "
        "print(code, sorted(m for m in sys.modules if m.startswith(('negotiation.schema', "
        "'negotiation.loading', 'negotiation.engine'))), file=sys.stderr)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert runs[0].stderr.startswith("0 ['negotiation.engine',")
    assert runs[1].stderr == "0 []\n"
    assert runs[0].stdout == runs[1].stdout
