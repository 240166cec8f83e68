"""The engine's docs stay true: every JSON example in docs/json-contracts.md is what its command prints."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import ROOT, GoldenFile, Run

DOC = ROOT / "docs" / "json-contracts.md"
_EXAMPLE = re.compile(r"```console\n\$ negotiation (?P<command>[^\n]+)\n```\n\n```json\n(?P<json>.*?)```\n", re.S)


def _examples() -> list[tuple[str, str]]:
    return [(m["command"], m["json"]) for m in _EXAMPLE.finditer(DOC.read_text(encoding="utf-8"))]


def test_every_contract_has_an_example() -> None:
    """The doc shows one example per contract: diff, matrix, changes, balance, agreement."""
    assert [command.split()[0] for command, _ in _examples()] == ["diff", "matrix", "changes", "balance", "agreement"]


@pytest.mark.parametrize(("command", "expected"), _examples(), ids=lambda v: v.split()[0] if " " in v else "")
def test_example_output_is_current(cli: Run, command: str, expected: str, golden_file: GoldenFile) -> None:
    """Running the documented command prints exactly the documented JSON (the doc is the golden file)."""
    result = cli(*shlex.split(command), cwd=ROOT)
    assert (result.code, result.stderr) == (0, "")
    text = DOC.read_text(encoding="utf-8")
    old = f"$ negotiation {command}\n```\n\n```json\n{expected}```"
    assert text.count(old) == 1
    golden_file(DOC, text.replace(old, f"$ negotiation {command}\n```\n\n```json\n{result.stdout}```"))


def test_contract_versions_are_documented() -> None:
    """Each contract name and version the code emits appears in the doc."""
    from negotiation.engine.model import CONTRACT_VERSION, DIFF_CONTRACT_VERSION, MATRIX_CONTRACT_VERSION

    text = DOC.read_text(encoding="utf-8")
    versions = {"diff": DIFF_CONTRACT_VERSION, "matrix": MATRIX_CONTRACT_VERSION}
    for name in ("diff", "matrix", "changes", "balance"):
        assert f"`negotiation.{name}/{versions.get(name, CONTRACT_VERSION)}`" in text
    from negotiation.coding.views import CONTRACT

    assert f"`{CONTRACT}`" in text


def test_doc_mentions_no_machine_path() -> None:
    """The engine docs name no absolute machine path."""
    for path in (DOC, Path(ROOT / "docs" / "decision-table.md")):
        assert not re.search(r"/(work|tmp|home|Users)/", path.read_text(encoding="utf-8"))
