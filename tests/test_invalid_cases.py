"""Every case under tests/data/invalid/ fails validation with its exact, located messages.

A case is a file or folder ``NAME`` with a sidecar ``NAME.expected``: the first line is
``exit: N``, the other lines are exactly what ``negotiation validate NAME`` writes to stderr
(run from inside tests/data/invalid/, so paths stay short). Rewrite the sidecars with
``pytest --update-golden`` after changing a message, and review the diff.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import GoldenFile, Run

CASES = Path(__file__).parent / "data" / "invalid"
LINE = re.compile(r"^[^:]+:\d+:\d+: \S+: .+$")


def _cases() -> list[str]:
    return sorted(p.name.removesuffix(".expected") for p in CASES.glob("*.expected"))


def _read_expected(case: str) -> tuple[int, str]:
    head, _, rest = (CASES / f"{case}.expected").read_text(encoding="utf-8").partition("\n")
    assert head.startswith("exit: "), f"{case}.expected must start with 'exit: N'"
    return int(head.removeprefix("exit: ")), rest


def test_every_case_has_a_sidecar_and_there_are_enough() -> None:
    """Each input under invalid/ has an .expected sidecar, and the corpus holds at least 25 cases."""
    inputs = sorted(p.name for p in CASES.iterdir() if not p.name.endswith(".expected") and p.name != "README.md")
    assert inputs == _cases()
    assert len(inputs) >= 25


@pytest.mark.parametrize("case", _cases())
def test_invalid_case(case: str, cli: Run, golden_file: GoldenFile) -> None:
    """``negotiation validate CASE`` exits as expected, prints nothing on stdout and exactly the expected lines."""
    result = cli("validate", case, cwd=CASES)
    golden_file(CASES / f"{case}.expected", f"exit: {result.code}\n{result.stderr}")
    code, stderr = _read_expected(case)
    assert result.code == code
    assert result.stdout == ""
    assert result.stderr == stderr
    assert code in (1, 2)
    assert all(LINE.match(line) for line in stderr.splitlines()), stderr
    assert "Traceback" not in stderr
