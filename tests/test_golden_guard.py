"""The golden-file check: a difference fails with its diff; an update rewrites the file and still fails,
so a human reads every change; unchanged files pass; CI refuses to update."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, golden_checker


def test_difference_fails_with_the_diff_and_leaves_the_file(tmp_path: Path) -> None:
    """Comparing: a changed line fails the test, the message holds the unified diff, the file is untouched."""
    golden = tmp_path / "out.txt"
    golden.write_text("a\nb\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as failed:
        golden_checker(update=False)(golden, "a\nc\n")
    assert str(failed.value).splitlines()[1:] == [
        "--- out.txt (golden)",
        "+++ out.txt (now)",
        "@@ -1,2 +1,2 @@",
        " a",
        "-b",
        "+c",
    ]
    assert golden.read_text(encoding="utf-8") == "a\nb\n"


def test_update_rewrites_and_fails_with_the_diff(tmp_path: Path) -> None:
    """Updating: the file gets the new bytes, and the test still fails, showing what changed."""
    golden = tmp_path / "out.txt"
    golden.write_text("a\nb\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as failed:
        golden_checker(update=True)(golden, "a\nc\n")
    message = str(failed.value)
    assert message.startswith(f"rewrote golden file {golden}; review this diff")
    assert "\n-b\n+c\n" in message
    assert golden.read_bytes() == b"a\nc\n"


def test_unchanged_passes_in_both_modes(tmp_path: Path) -> None:
    """The same bytes pass whether or not the run updates, and the file is not written again."""
    golden = tmp_path / "out.bin"
    golden.write_bytes(b"\x00same")
    before = golden.stat().st_mtime_ns
    golden_checker(update=False)(golden, b"\x00same")
    golden_checker(update=True)(golden, b"\x00same")
    assert golden.stat().st_mtime_ns == before


def test_missing_golden_is_named(tmp_path: Path) -> None:
    """Comparing against a golden file that does not exist fails naming it, and creates nothing."""
    with pytest.raises(pytest.fail.Exception, match=r"^no golden file .*new\.txt; run pytest --update-golden"):
        golden_checker(update=False)(tmp_path / "new.txt", "x")
    assert list(tmp_path.iterdir()) == []


def test_update_is_refused_under_ci() -> None:
    """With CI set, `pytest --update-golden` stops before running anything, as a usage error."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--update-golden", "tests/test_golden_guard.py"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "CI": "true"},
        timeout=120,
        check=False,
    )
    assert done.returncode == pytest.ExitCode.USAGE_ERROR
    assert "--update-golden is refused under CI" in done.stderr
    assert "passed" not in done.stdout
