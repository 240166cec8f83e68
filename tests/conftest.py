"""Shared fixtures: one way to run the CLI, and the options for golden files and fuzzing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from negotiation.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _private_dossier_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Tests run as users do, with the validated-dossier cache on, but each in a cache folder of its own:
    one test's load cannot answer another's, and nothing is written to the user's cache."""
    folder = tmp_path_factory.mktemp("cache") / "negotiation"
    monkeypatch.delenv("NEGOTIATION_NO_CACHE", raising=False)
    monkeypatch.setenv("NEGOTIATION_CACHE_DIR", str(folder))
    return folder


def pytest_addoption(parser: pytest.Parser) -> None:
    """Options for regenerating golden files and for a long fuzzing campaign."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite golden files (expected messages, schemas/, docs/cli.md) from the current code; "
        "review the diff before committing.",
    )
    parser.addoption(
        "--fuzz-examples",
        type=int,
        default=50,
        help="Examples per hypothesis fuzz target (default 50; the long campaign uses 10000).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to rewrite golden files instead of comparing with them."""
    return bool(request.config.getoption("--update-golden"))


@dataclass(frozen=True)
class Result:
    """What one CLI run did: its exit code and everything it wrote."""

    code: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run ``negotiation ARGS...`` in-process (optionally in folder ``cwd``); return code, stdout, stderr."""

    def run(*args: str, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run
