"""Fuzzing the loader and every command that reads user files: only the project's own errors escape.

Each target runs ``--fuzz-examples`` examples (default 50, derandomised so CI is repeatable).
The long campaign (random, 10,000 per target) is::

    PYTHONPATH=. python3 -m pytest tests/test_fuzz.py --fuzz-examples 10000 -p no:cacheprovider

Commands of other areas (diff, changes, matrix, balance, coverage, export, exercise) are not fuzzed
here yet: see docs/security.md for the list.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation.cli import main
from negotiation.errors import NegotiationError
from negotiation.loading import load_dossier, load_position_file, parse
from negotiation.loading.parse import Document
from negotiation.loading.validate import build
from negotiation.render import formats, render
from negotiation.schema import Dossier, Position
from tests.input_strategies import (
    DOSSIER,
    JSON_TOKENS,
    YAML_TOKENS,
    hostile_tables,
    json_values,
    mutated_fixture,
    token_text,
)

LINE = re.compile(r"^([^:]+:\d+:\d+: \S+: .+|negotiation: .+)$")


@pytest.fixture
def examples(request: pytest.FixtureRequest) -> int:
    """How many examples each fuzz target runs (--fuzz-examples)."""
    return int(request.config.getoption("--fuzz-examples"))


def fuzz(examples: int) -> Callable[[Any], Any]:
    """Hypothesis settings for a fuzz target: no deadline, repeatable unless a long campaign is asked."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=examples <= 50,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def only_own_errors(call: Callable[[], object]) -> None:
    """Run ``call``; a NegotiationError (with well-formed problems) is fine, anything else fails the test."""
    try:
        call()
    except NegotiationError as err:
        for problem in getattr(err, "problems", ()):
            assert problem.line >= 0 and problem.column >= 0
            assert str(problem).startswith(problem.path + ":")


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run the CLI in-process and return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def assert_clean_failure(code: int, stdout: str, stderr: str) -> None:
    """Exit 0, 1 or 2 (never 3, an internal error), one well-formed line per problem, no traceback."""
    assert code in (0, 1, 2), stderr
    assert "Traceback" not in stdout + stderr
    if code:
        assert stderr and all(LINE.match(line) for line in stderr.splitlines()), stderr


def test_fuzz_random_bytes(examples: int) -> None:
    """Random bytes, decoded and parsed as YAML or JSON, raise nothing but InputError."""

    @fuzz(examples)
    @given(raw=st.binary(max_size=300), suffix=st.sampled_from([".yaml", ".json"]))
    def check(raw: bytes, suffix: str) -> None:
        only_own_errors(lambda: parse.parse_text("f" + suffix, parse.decode(raw, "f" + suffix)))

    check()


def test_fuzz_yaml_like_text(examples: int) -> None:
    """Text built from YAML syntax pieces parses to data or raises InputError, then validates or reports."""

    @fuzz(examples)
    @given(text=token_text(YAML_TOKENS))
    def check(text: str) -> None:
        def go() -> None:
            doc = parse.parse_text("f.yaml", text)
            _, problems = build(Position, doc)
            assert all(p.path == "f.yaml" for p in problems)

        only_own_errors(go)

    check()


def test_fuzz_json_like_text(examples: int) -> None:
    """Text built from JSON syntax pieces parses to data or raises InputError, then validates or reports."""

    @fuzz(examples)
    @given(text=token_text(JSON_TOKENS))
    def check(text: str) -> None:
        def go() -> None:
            doc = parse.parse_text("f.json", text)
            build(Position, doc)

        only_own_errors(go)

    check()


def test_fuzz_model_validation(examples: int) -> None:
    """Random JSON-like data validated as a position or a dossier gives a model or located problems."""

    @fuzz(examples)
    @given(data=json_values, version=st.sampled_from([1, 1, "1", None, 2]), kind=st.sampled_from([Position, Dossier]))
    def check(data: Any, version: Any, kind: Any) -> None:
        if isinstance(data, dict):
            data["schema_version"] = version
        model, problems = build(kind, Document("f.json", data))
        assert (model is None) == bool(problems)

    check()


@pytest.fixture
def dossier_copy(tmp_path: Path) -> Path:
    """A scratch copy of the fictional dossier that the fuzz targets mutate."""
    target = tmp_path / "lake-varna"
    shutil.copytree(DOSSIER, target)
    return target


def _with_mutation(folder: Path, name: str, data: bytes, call: Callable[[], object]) -> None:
    """Write one mutated file into ``folder``, run ``call`` on it, and put the original back."""
    original = (DOSSIER / name).read_bytes()
    (folder / name).write_bytes(data)
    try:
        call()
    finally:
        (folder / name).write_bytes(original)


def test_fuzz_load_dossier(examples: int, dossier_copy: Path) -> None:
    """A dossier with one mutated file loads, or raises only the project's errors."""

    @fuzz(examples)
    @given(mutation=mutated_fixture())
    def check(mutation: tuple[str, bytes]) -> None:
        name, data = mutation
        _with_mutation(dossier_copy, name, data, lambda: only_own_errors(lambda: load_dossier(dossier_copy)))

    check()


def test_fuzz_load_position_file(examples: int, dossier_copy: Path) -> None:
    """A mutated position file loaded on its own (its dossier beside it) raises only the project's errors."""

    @fuzz(examples)
    @given(mutation=mutated_fixture())
    def check(mutation: tuple[str, bytes]) -> None:
        name, data = mutation
        target = dossier_copy / name
        _with_mutation(dossier_copy, name, data, lambda: only_own_errors(lambda: load_position_file(target)))

    check()


def test_fuzz_cli_validate(examples: int, dossier_copy: Path) -> None:
    """`negotiation validate` on a mutated dossier exits 0, 1 or 2 with well-formed lines."""

    @fuzz(examples)
    @given(mutation=mutated_fixture())
    def check(mutation: tuple[str, bytes]) -> None:
        name, data = mutation
        _with_mutation(dossier_copy, name, data, lambda: assert_clean_failure(*run_cli("validate", str(dossier_copy))))

    check()


def test_fuzz_cli_show(examples: int, dossier_copy: Path) -> None:
    """`negotiation show FILE` on a mutated position file exits cleanly in any format."""

    @fuzz(examples)
    @given(mutation=mutated_fixture(), fmt=st.sampled_from(["simple", "json", "csv", "markdown", "grid"]))
    def check(mutation: tuple[str, bytes], fmt: str) -> None:
        name, data = mutation
        target = str(dossier_copy / name)
        _with_mutation(dossier_copy, name, data, lambda: assert_clean_failure(*run_cli("show", target, "-f", fmt)))

    check()


def test_fuzz_cli_positions_and_issues(examples: int, dossier_copy: Path) -> None:
    """`negotiation positions/issues --dossier` on a mutated dossier exits cleanly in any format."""

    @fuzz(examples)
    @given(
        mutation=mutated_fixture(),
        command=st.sampled_from(["positions", "issues"]),
        fmt=st.sampled_from(["simple", "json", "csv", "markdown", "rst", "latex"]),
    )
    def check(mutation: tuple[str, bytes], command: str, fmt: str) -> None:
        name, data = mutation
        folder = str(dossier_copy)
        _with_mutation(
            dossier_copy, name, data, lambda: assert_clean_failure(*run_cli(command, "--dossier", folder, "-f", fmt))
        )

    check()


def test_fuzz_render_every_text_format(examples: int) -> None:
    """Any table of hostile strings renders in every text format without error, ending in a newline."""
    text_formats = [f for f in formats() if f not in {"xlsx", "docx", "sqlite"}]

    @fuzz(examples)
    @given(tables=hostile_tables(), fmt=st.sampled_from(text_formats))
    def check(tables: Any, fmt: str) -> None:
        out = render(tables, fmt)
        if isinstance(out, str):
            assert out.endswith("\n")
            out.encode("utf-8")  # never a lone surrogate

    check()
