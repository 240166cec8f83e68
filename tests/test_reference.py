"""docs/cli.md is the current --help of every command, and help does not depend on the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from negotiation.cli.reference import command_paths, reference
from tests.conftest import GoldenFile, Run

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "cli.md"


def test_committed_reference_is_current(golden_file: GoldenFile) -> None:
    """docs/cli.md equals what `python -m negotiation.cli.reference` generates now."""
    golden_file(DOC, reference())


def test_every_command_has_help_and_a_section() -> None:
    """Every command has a one-line description and its own section in docs/cli.md."""
    text = reference()
    paths = command_paths()
    assert ("negotiation", "validate") in paths and ("negotiation", "show") in paths
    for path in paths:
        section = text.split(f"## {' '.join(path)}\n\n```text\n", 1)[1].split("```", 1)[0]
        description = section.split("\n\n", 2)[1].strip()
        assert description, f"{' '.join(path)} has no help text"


@pytest.mark.parametrize("columns", ["40", "250"])
def test_help_ignores_terminal_width(columns: str) -> None:
    """`negotiation show --help` prints the same bytes on a narrow and a wide terminal, as in docs/cli.md."""
    env = {**os.environ, "COLUMNS": columns, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "negotiation", "show", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    section = reference().split("## negotiation show\n\n```text\n", 1)[1].split("\n```", 1)[0]
    assert done.stdout == section + "\n"
    assert done.stderr == ""


def test_help_through_the_fixture(cli: Run) -> None:
    """`negotiation validate -h` exits 0 with the help text on stdout."""
    result = cli("validate", "-h")
    assert result.code == 0
    assert result.stdout.startswith("Usage: negotiation validate [OPTIONS] [PATH]...\n")
    assert result.stderr == ""


def test_generator_module_prints_the_reference() -> None:
    """`python -m negotiation.cli.reference` writes exactly reference() to stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "negotiation.cli.reference"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == reference()
