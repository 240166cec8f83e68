"""Shared fixtures: one way to run the CLI, one way to check golden files, and the fuzzing option."""

from __future__ import annotations

import difflib
import os
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
        help="Rewrite golden files (expected messages, schemas/, docs/cli.md) from the current code; every "
        "rewritten file fails its test with the diff, so each change is read. Refused under CI.",
    )
    parser.addoption(
        "--fuzz-examples",
        type=int,
        default=50,
        help="Examples per hypothesis fuzz target (default 50; the long campaign uses 10000).",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Refuse ``--update-golden`` under CI: there a golden file is checked, never rewritten."""
    if config.getoption("--update-golden") and os.environ.get("CI"):
        raise pytest.UsageError("--update-golden is refused under CI (the CI variable is set): update locally")


#: Diff lines shown when a golden file differs; the rest is for ``git diff`` to show.
MAX_DIFF_LINES = 400

#: Check ``content`` against the golden file at ``path`` (see the ``golden_file`` fixture).
GoldenFile = Callable[[Path, "str | bytes"], None]


def golden_diff(path: Path, old: bytes | None, new: bytes) -> str:
    """A unified diff between a golden file's bytes and new output, cut to MAX_DIFF_LINES lines."""
    before = [] if old is None else old.decode("utf-8", "replace").splitlines(keepends=True)
    after = new.decode("utf-8", "replace").splitlines(keepends=True)
    lines = list(difflib.unified_diff(before, after, f"{path.name} (golden)", f"{path.name} (now)"))
    if not lines:
        return f"(the bytes differ; the text is the same: {len(old or b'')} -> {len(new)} bytes)"
    shown = "".join(line if line.endswith("\n") else line + "\n" for line in lines[:MAX_DIFF_LINES])
    more = len(lines) - MAX_DIFF_LINES
    return shown + (f"... {more} more diff lines (see git diff)\n" if more > 0 else "")


def golden_checker(*, update: bool) -> GoldenFile:
    """Compare output with a golden file, byte for byte; with ``update``, rewrite it.

    A rewritten file fails its test with the diff, so the run is not green until a human has read
    every change and run again; an unchanged file passes in either mode.
    """

    def check(path: Path, content: str | bytes) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        old = path.read_bytes() if path.is_file() else None
        if data == old:
            return
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        diff = golden_diff(path, old, data)
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            pytest.fail(f"rewrote golden file {shown}; review this diff, then run the tests again:\n{diff}")
        if old is None:
            pytest.fail(f"no golden file {shown}; run pytest --update-golden and review it")
        pytest.fail(f"{shown} differs from the output (pytest --update-golden rewrites it):\n{diff}")

    return check


@pytest.fixture
def golden_file(request: pytest.FixtureRequest) -> GoldenFile:
    """The one golden-file check of the suite (see :func:`golden_checker`), updating under ``--update-golden``."""
    return golden_checker(update=bool(request.config.getoption("--update-golden")))


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
