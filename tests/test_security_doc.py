"""docs/security.md only names defences that are tested: every test and corpus case it cites exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).parent
DOC = TESTS.parent / "docs" / "security.md"


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def _cited() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(test file, test name) and (corpus, case) pairs cited in the doc's tables and lists."""
    tests: list[tuple[str, str]] = []
    cases: list[tuple[str, str]] = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        current_file = current_corpus = None
        for code in re.findall(r"`([^`]+)`", line):
            if "::" in code:
                current_file, name = code.split("::")
                tests.append((current_file, name))
            elif code.startswith("test_") and current_file and ".py" not in code:
                tests.append((current_file, code))
            elif re.fullmatch(r"(invalid|hostile)/[\w.*-]+", code) and not code.endswith("/NAME"):
                current_corpus, name = code.split("/")
                cases.append((current_corpus, name))
            elif current_corpus and re.fullmatch(r"[\w.*-]+", code) and not code.startswith("test_"):
                cases.append((current_corpus, code))
            else:
                current_corpus = None if not code.startswith(("invalid/", "hostile/")) else current_corpus
    return tests, cases


def test_cited_tests_exist() -> None:
    """Every `file.py::test_name` in docs/security.md names a test that exists in tests/."""
    tests, _ = _cited()
    assert len(tests) >= 40
    missing = [f"{f}::{n}" for f, n in tests if not (TESTS / f).is_file() or n not in _test_names(TESTS / f)]
    assert missing == []


def _case_exists(corpus: str, name: str) -> bool:
    if corpus == "invalid":
        names = {p.name.removesuffix(".expected") for p in (TESTS / "data" / "invalid").glob("*.expected")}
    else:
        names = {p.name.removesuffix(".expected") for p in (TESTS / "data" / "hostile" / "expected").glob("*.expected")}
    if name.endswith("*"):
        return any(n.startswith(name[:-1]) for n in names)
    return name in names


def test_cited_corpus_cases_exist() -> None:
    """Every invalid/NAME and hostile/NAME case cited in docs/security.md exists in the corpus."""
    _, cases = _cited()
    assert len(cases) >= 80
    assert [f"{c}/{n}" for c, n in cases if not _case_exists(c, n)] == []


def test_hostile_corpus_is_documented() -> None:
    """Every hostile case is cited in docs/security.md, so each one is tied to the threat it tests."""
    _, cases = _cited()
    cited = {n for c, n in cases if c == "hostile"}
    prefixes = tuple(n[:-1] for n in cited if n.endswith("*"))
    every = {p.name.removesuffix(".expected") for p in (TESTS / "data" / "hostile" / "expected").glob("*.expected")}
    assert sorted(n for n in every if n not in cited and not n.startswith(prefixes)) == []
