"""Fuzzing the loader and every command that reads user files: only the project's own errors escape.

Each target runs ``--fuzz-examples`` examples (default 50, derandomised so CI is repeatable).
The long campaign (random, 10,000 per target) is::

    PYTHONPATH=. python3 -m pytest tests/test_fuzz.py --fuzz-examples 10000 -p no:cacheprovider -q

The loader, ``validate``, ``show``, ``positions`` and ``issues`` read mutated copies of the fictional
dossier; so do ``diff``, ``changes``, ``matrix``, ``balance``, ``coverage`` (its bundled source texts
mutated too) and ``export`` (which must leave no partial pack behind). The exercise commands ``lint``,
``brief``, ``score``, ``space``, ``rounds`` and ``debrief`` read a mutated copy of the Karst Lake
exercise. Mutations are byte edits, structural edits that keep a file parseable (so the commands get
past the loader), and consistent renames of a name in every file. docs/security.md lists the targets
and the campaigns run.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation.cli import main
from negotiation.engine.balance import Balance
from negotiation.errors import NegotiationError
from negotiation.loading import LoadedDossier, load_dossier, load_position_file, parse
from negotiation.loading.parse import Document
from negotiation.loading.validate import build
from negotiation.render import BINARY_FORMATS, formats, render
from negotiation.schema import Dossier, Position
from tests.input_strategies import (
    DOSSIER,
    FIXTURES,
    JSON_TOKENS,
    KARST,
    KARST_FIXTURES,
    SOURCE_FIXTURES,
    YAML_TOKENS,
    hostile_tables,
    json_values,
    mutated_files,
    mutated_fixture,
    renamed_identifier,
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


def assert_clean_failure(code: int, stdout: str, stderr: str, *, quiet_one: bool = False) -> None:
    """Exit 0, 1 or 2 (never 3, an internal error), one well-formed line per problem, no traceback.

    ``quiet_one``: the command ran with ``--exit-code``, so exit 1 with nothing on stderr is an answer.
    """
    assert code in (0, 1, 2), stderr
    assert "Traceback" not in stdout + stderr
    if code and not (quiet_one and code == 1 and not stderr):
        assert stderr and all(LINE.match(line) for line in stderr.splitlines()), stderr


def assert_clean_output(result: tuple[int, str, str], fmt: str, *, quiet_one: bool = False) -> None:
    """A clean exit (see assert_clean_failure) whose output, on success, is whole: a final newline, JSON that parses."""
    code, stdout, stderr = result
    assert_clean_failure(code, stdout, stderr, quiet_one=quiet_one)
    if code == 0 or (quiet_one and code == 1 and not stderr):
        assert stdout.endswith("\n")
        if fmt == "json":
            json.loads(stdout)


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
    text_formats = [f for f in formats() if f not in BINARY_FORMATS]

    @fuzz(examples)
    @given(tables=hostile_tables(), fmt=st.sampled_from(text_formats))
    def check(tables: Any, fmt: str) -> None:
        out = render(tables, fmt)
        if isinstance(out, str):
            assert out.endswith("\n")
            out.encode("utf-8")  # never a lone surrogate

    check()


# --- the engine's commands: diff, changes, matrix, balance ----------------------------------------

POSITION_FILES = sorted(name for name in FIXTURES if name != "dossier.yaml")
#: Pairs of position files to compare: a response and what it answers, two versions, and unrelated ones.
DIFF_PAIRS = [
    ("ald-proposal-2031-03-01.yaml", "brv-response-2031-04-15.yaml"),
    ("brv-response-2031-04-15.yaml", "lvc-statement-2031-04-20.json"),
    ("brv-response-2031-04-15.yaml", "ald-proposal-2031-05-10.yaml"),
    ("ald-proposal-2031-03-01.yaml", "ald-proposal-2031-05-10.yaml"),
    ("lvc-statement-2031-04-20.json", "ald-proposal-2031-03-01.yaml"),
]
TEXT_FORMATS = ["simple", "json", "csv", "tsv", "markdown", "github", "grid", "html", "latex_booktabs", "rst"]
#: Filters of diff and matrix: categories (one unknown) and issues (one unknown, one a sub-issue).
FILTERS = [
    [],
    ["--category", "open"],
    ["-c", "overlap", "-c", "rejection"],
    ["--category", "nonsense"],
    ["--issue", "flow"],
    ["--issue", "data.gauges"],
    ["--issue", "no-such-issue"],
]


def _with_files(folder: Path, originals: dict[str, bytes], files: dict[str, bytes], call: Callable[[], object]) -> None:
    """Write the mutated ``files`` (relative name -> bytes) into ``folder``, run ``call``, put the originals back."""
    for name, data in files.items():
        (folder / name).write_bytes(data)
    try:
        call()
    finally:
        for name in files:
            (folder / name).write_bytes(originals[name])


def _diff(left: str, right: str, fmt: str) -> None:
    from negotiation.engine.compare import Taxonomy, compare, filter_comparison
    from negotiation.engine.views import diff_table
    from negotiation.loading import resolve_position

    one, record = resolve_position(left)
    two, record = resolve_position(right, record)
    result = compare(one, two, record)
    for code in record.issues:
        filter_comparison(result, Taxonomy.of(record), issue=code)
    render([diff_table(filter_comparison(result, Taxonomy.of(record), categories=["open"]))], fmt)


def test_fuzz_diff(examples: int, dossier_copy: Path) -> None:
    """`negotiation diff` of two position files of a mutated dossier: only the project's errors, clean exits."""

    @fuzz(examples)
    @given(
        mutation=mutated_files(),
        pair=st.sampled_from(DIFF_PAIRS),
        fmt=st.sampled_from(TEXT_FORMATS),
        options=st.sampled_from([*FILTERS, ["--exit-code"]]),
        with_dossier=st.booleans(),
    )
    def check(
        mutation: dict[str, bytes], pair: tuple[str, str], fmt: str, options: list[str], with_dossier: bool
    ) -> None:
        left, right = (str(dossier_copy / name) for name in pair)
        where = ["--dossier", str(dossier_copy)] if with_dossier else []

        def go() -> None:
            only_own_errors(lambda: _diff(left, right, fmt))
            result = run_cli("diff", left, right, *where, *options, "-f", fmt)
            assert_clean_output(result, fmt, quiet_one="--exit-code" in options)

        _with_files(dossier_copy, FIXTURES, mutation, go)

    check()


def _changes(old: str, new: str, fmt: str) -> None:
    from negotiation.engine.changes import changes
    from negotiation.engine.views import changes_table
    from negotiation.loading import resolve_position

    before, record = resolve_position(old)
    after, _ = resolve_position(new, record)
    render([changes_table(changes(before, after))], fmt)


def test_fuzz_changes(examples: int, dossier_copy: Path) -> None:
    """`negotiation changes` of two versions, one or both mutated: only the project's errors, clean exits."""
    versions = ("ald-proposal-2031-03-01.yaml", "ald-proposal-2031-05-10.yaml")
    both = {name: FIXTURES[name] for name in versions}

    @fuzz(examples)
    @given(
        mutation=mutated_files(both, FIXTURES),
        order=st.sampled_from([versions, versions[::-1], (versions[1], "brv-response-2031-04-15.yaml")]),
        fmt=st.sampled_from(TEXT_FORMATS),
        exit_code=st.booleans(),
    )
    def check(mutation: dict[str, bytes], order: tuple[str, str], fmt: str, exit_code: bool) -> None:
        old, new = (str(dossier_copy / name) for name in order)

        def go() -> None:
            only_own_errors(lambda: _changes(old, new, fmt))
            options = ["--exit-code"] if exit_code else []
            assert_clean_output(run_cli("changes", old, new, *options, "-f", fmt), fmt, quiet_one=exit_code)

        _with_files(dossier_copy, FIXTURES, mutation, go)

    check()


def _matrix(folder: Path, fmt: str) -> None:
    from negotiation.engine.compare import Taxonomy
    from negotiation.engine.matrix import build_matrix, filter_matrix
    from negotiation.engine.views import matrix_table
    from negotiation.export.html import matrix_report
    from negotiation.export.pack import response_comparisons

    record = load_dossier(folder)
    result = build_matrix(record)
    for code in record.issues:
        filter_matrix(result, Taxonomy.of(record), issue=code)
    if fmt == "html":
        matrix_report(record, result, response_comparisons(record))
    render([matrix_table(filter_matrix(result, Taxonomy.of(record), categories=["rejection"]))], fmt)


def test_fuzz_matrix(examples: int, dossier_copy: Path) -> None:
    """`negotiation matrix --dossier` on a mutated dossier (html: the four-column report): clean exits."""

    @fuzz(examples)
    @given(
        mutation=mutated_files(),
        fmt=st.sampled_from(TEXT_FORMATS),
        options=st.sampled_from(FILTERS),
        ids=st.lists(st.sampled_from([name.rsplit(".", 1)[0] for name in POSITION_FILES] + ["nope"]), max_size=3),
    )
    def check(mutation: dict[str, bytes], fmt: str, options: list[str], ids: list[str]) -> None:
        def go() -> None:
            only_own_errors(lambda: _matrix(dossier_copy, fmt))
            assert_clean_output(run_cli("matrix", *ids, "--dossier", str(dossier_copy), *options, "-f", fmt), fmt)

        _with_files(dossier_copy, FIXTURES, mutation, go)

    check()


def _balance(path: str, fmt: str) -> None:
    from negotiation.engine.balance import balance
    from negotiation.engine.views import balance_table
    from negotiation.loading import resolve_position

    position, record = resolve_position(path)
    result = balance(position, record)
    _check_balance(position, record, result)
    render([balance_table(result)], fmt)


def _check_balance(position: Position, record: LoadedDossier, result: Balance) -> None:
    """The balance's invariants, recounted from the position's obligations (reject provisions bind nobody)."""
    obligations = [o for p in position.provisions if p.stance != "reject" for o in p.obligations]
    assert (result.commitments, result.reciprocal) == (len(obligations), sum(o.reciprocal for o in obligations))
    assert 0 <= result.reciprocal <= result.commitments
    order = [p.id for p in position.provisions]
    assert [party.id for party in record.dossier.parties] == [b.party for b in result.parties][
        : len(record.dossier.parties)
    ]
    for party in result.parties:
        bound = [o for o in obligations if party.party in o.obligors]
        assert party.binding == len(bound)
        assert party.reciprocal == sum(o.reciprocal for o in bound)
        assert 0 <= party.reciprocal <= party.binding <= result.commitments
        assert party.one_sided == party.binding - party.reciprocal
        assert party.benefiting == sum(party.party in o.beneficiaries for o in obligations) <= result.commitments
        assert list(party.provisions) == sorted(set(party.provisions), key=order.index)


def test_fuzz_balance(examples: int, dossier_copy: Path) -> None:
    """`negotiation balance FILE` on a mutated position or dossier: clean exits in any format."""

    @fuzz(examples)
    @given(mutation=mutated_files(), name=st.sampled_from(POSITION_FILES), fmt=st.sampled_from(TEXT_FORMATS))
    def check(mutation: dict[str, bytes], name: str, fmt: str) -> None:
        target = str(dossier_copy / name)

        def go() -> None:
            only_own_errors(lambda: _balance(target, fmt))
            assert_clean_output(run_cli("balance", target, "-f", fmt), fmt)

        _with_files(dossier_copy, FIXTURES, mutation, go)

    check()


# --- coverage and export: they read the bundled source texts too ----------------------------------

ALL_FILES = {**FIXTURES, **SOURCE_FIXTURES}


def _coverage(folder: Path, fmt: str) -> None:
    from negotiation.coverage import coverage_table, dossier_coverage

    record = load_dossier(folder)
    render([coverage_table(dossier_coverage(record), record.id)], fmt)


def test_fuzz_coverage(examples: int, dossier_copy: Path) -> None:
    """`negotiation coverage --dossier` with a mutated data file or source text: clean exits in any format."""

    @fuzz(examples)
    @given(
        mutation=st.one_of(mutated_files(), mutated_fixture(SOURCE_FIXTURES).map(lambda m: {m[0]: m[1]})),
        fmt=st.sampled_from(TEXT_FORMATS),
        exit_code=st.booleans(),
        ids=st.lists(st.sampled_from([name.rsplit(".", 1)[0] for name in POSITION_FILES] + ["nope"]), max_size=2),
    )
    def check(mutation: dict[str, bytes], fmt: str, exit_code: bool, ids: list[str]) -> None:
        def go() -> None:
            only_own_errors(lambda: _coverage(dossier_copy, fmt))
            options = ["--exit-code"] if exit_code else []
            result = run_cli("coverage", *ids, "--dossier", str(dossier_copy), *options, "-f", fmt)
            assert_clean_output(result, fmt, quiet_one=exit_code)

        _with_files(dossier_copy, ALL_FILES, mutation, go)

    check()


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative posix path -> bytes); empty when it does not exist."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


#: Formats of a pack. The office formats are slow (docx about 0.25 s), so an example draws them rarely.
PACK_FORMATS = st.one_of(
    st.lists(
        st.sampled_from(["markdown", "html", "csv", "json", "tsv", "latex_booktabs", "rst", "github"]), max_size=3
    ),
    st.lists(
        st.sampled_from(["markdown", "html", "csv", "json", "tsv", "latex_booktabs", "rst", "github"]), max_size=3
    ),
    st.lists(
        st.sampled_from(["markdown", "html", "csv", "json", "tsv", "latex_booktabs", "rst", "github"]), max_size=3
    ),
    st.lists(
        st.sampled_from(["markdown", "html", "csv", "json", "tsv", "latex_booktabs", "rst", "github"]), max_size=3
    ),
    st.sampled_from([["xlsx"], ["sqlite"], ["docx"], ["json", "sqlite"], ["nonsense"]]),
)


def test_fuzz_export(examples: int, dossier_copy: Path, tmp_path: Path) -> None:
    """`negotiation export` of a mutated dossier writes the whole pack, byte for byte, or leaves the folder alone."""
    from negotiation.export.pack import build_pack

    # Renames weigh more here: the pack names its files after position ids.
    @fuzz(examples)
    @given(
        mutation=st.one_of(
            mutated_files(), renamed_identifier(), mutated_fixture(SOURCE_FIXTURES).map(lambda m: {m[0]: m[1]})
        ),
        formats=PACK_FORMATS,
        existing=st.booleans(),
    )
    def check(mutation: dict[str, bytes], formats: list[str], existing: bool) -> None:
        out = Path(tempfile.mkdtemp(dir=tmp_path)) / "pack"
        if existing:  # a folder with a file of its own, which an export must neither lose nor count as its own
            out.mkdir()
            (out / "notes.txt").write_text("mine\n", encoding="utf-8")
        before = _tree(out)
        options = [arg for fmt in formats for arg in ("-f", fmt)]

        def go() -> None:
            code, stdout, stderr = run_cli("export", str(dossier_copy), "--output", str(out), *options)
            assert_clean_failure(code, stdout, stderr)
            after = _tree(out)
            if code:
                assert after == before, "a failed export changed the folder"
                only_own_errors(lambda: build_pack(load_dossier(dossier_copy), formats))
                return
            pack = build_pack(load_dossier(dossier_copy), formats)
            built = {name: c.encode("utf-8") if isinstance(c, str) else c for name, c in pack.files.items()}
            assert after == {**before, **built}, "the pack on disk is not the pack built"

        _with_files(dossier_copy, ALL_FILES, mutation, go)
        shutil.rmtree(out.parent)

    check()


# --- the exercise commands, on a mutated copy of the Karst Lake exercise --------------------------

#: The files an exercise reads before any submission: the exercise, the private schedules, the materials.
EXERCISE_FILES = {name: data for name, data in KARST_FIXTURES.items() if not name.startswith("submissions/")}
SUBMISSIONS = sorted(name for name in KARST_FIXTURES if name.startswith("submissions/"))
ROLES = ["aldoria", "brevnia", "castellan", "ngo", "nobody"]
ROUNDS = st.sampled_from([None, 1, 2, 3, 0, -1, 99])
#: Packages written inline: well-formed, partial, unknown ids, odd separators, arbitrary text.
INLINE_PACKAGES = st.one_of(
    st.sampled_from(["a1,b1,c1,d1,e1", "a=a2,b=b2,c=c2,d=d2,e=e3", "a2,b3,c3,d2,e3", "a=a2", "a=a9,b=b1", "z=z1,"]),
    st.lists(
        st.sampled_from(["a", "b", "c", "d", "e", "a1", "b2", "c3", "d2", "e1", "x7", "=", ",", " ", "==", "é"]),
        min_size=1,
        max_size=12,
    ).map("".join),
    st.text(min_size=1, max_size=20).filter(lambda t: "\x00" not in t and ("," in t or "=" in t)),
)


@pytest.fixture
def karst_copy(tmp_path: Path) -> Path:
    """A scratch copy of the Karst Lake exercise that the fuzz targets mutate."""
    target = tmp_path / "karst-lake-basin-accord"
    shutil.copytree(KARST, target)
    return target


def _round_option(round_number: int | None) -> list[str]:
    return [] if round_number is None else ["--round", str(round_number)]


def _lint_and_brief(folder: Path, role: str, round_number: int | None) -> None:
    from negotiation.exercises.brief import briefs
    from negotiation.exercises.lint import lint
    from negotiation.exercises.load import load_exercise

    lint(folder)
    briefs(load_exercise(folder), [role], round_number)


def test_fuzz_exercise_lint_and_brief(examples: int, karst_copy: Path) -> None:
    """`negotiation exercise lint` and `exercise brief` on a mutated exercise, schedule or material: clean exits."""

    @fuzz(examples)
    @given(
        mutation=mutated_files(EXERCISE_FILES, KARST_FIXTURES),
        role=st.sampled_from(ROLES),
        round_number=ROUNDS,
        command=st.sampled_from(["lint", "brief", "brief-role", "validate"]),
    )
    def check(mutation: dict[str, bytes], role: str, round_number: int | None, command: str) -> None:
        folder = str(karst_copy)

        def go() -> None:
            only_own_errors(lambda: _lint_and_brief(karst_copy, role, round_number))
            if command == "lint":
                result = run_cli("exercise", "lint", folder)
            elif command == "validate":
                result = run_cli("validate", folder)
            else:
                roles = ["--role", role] if command == "brief-role" else []
                result = run_cli("exercise", "brief", folder, *roles, *_round_option(round_number))
            assert_clean_output(result, "markdown")

        _with_files(karst_copy, KARST_FIXTURES, mutation, go)

    check()


def _score(folder: Path, target: str, round_number: int | None, base: str | None, fmt: str) -> None:
    from negotiation.exercises.load import load_exercise
    from negotiation.exercises.score import score_submission
    from negotiation.exercises.views import submission_tables

    loaded = load_exercise(folder)
    render(submission_tables(loaded, score_submission(loaded, target, round_number, base)), fmt)


def test_fuzz_exercise_score(examples: int, karst_copy: Path) -> None:
    """`negotiation exercise score` of a mutated submission (or inline package) in a mutated exercise: clean exits."""

    @fuzz(examples)
    @given(
        mutation=mutated_files(KARST_FIXTURES),
        submission=st.one_of(st.sampled_from(SUBMISSIONS), INLINE_PACKAGES),
        round_number=ROUNDS,
        base=st.sampled_from([None, None, None, "submissions/round-1/aldoria.yaml", "no-such-position"]),
        fmt=st.sampled_from(TEXT_FORMATS),
    )
    def check(
        mutation: dict[str, bytes], submission: str, round_number: int | None, base: str | None, fmt: str
    ) -> None:
        target = str(karst_copy / submission) if submission in SUBMISSIONS else submission
        base_path = str(karst_copy / base) if base and base.endswith(".yaml") else base

        def go() -> None:
            only_own_errors(lambda: _score(karst_copy, target, round_number, base_path, fmt))
            options = [*_round_option(round_number), *(["--base", base_path] if base_path else [])]
            result = run_cli("exercise", "score", str(karst_copy), target, *options, "-f", fmt)
            assert_clean_output(result, fmt)

        _with_files(karst_copy, KARST_FIXTURES, mutation, go)

    check()


def _space(folder: Path, round_number: int | None, limit: int, pareto: str, nearest_to: str | None, fmt: str) -> None:
    from negotiation.exercises.load import load_exercise
    from negotiation.exercises.space import nearest, nearest_table, space, space_tables
    from negotiation.exercises.submissions import parse_package

    loaded = load_exercise(folder)
    render(space_tables(loaded, space(loaded, round_number, limit=limit, samples=40), pareto=pareto), fmt)
    if nearest_to is not None:
        for role in loaded.exercise.roles:
            render(
                [nearest_table(loaded, nearest(loaded, parse_package(loaded, nearest_to), role.id, round_number))], fmt
            )


def test_fuzz_exercise_space(examples: int, karst_copy: Path) -> None:
    """`negotiation exercise space` (counts, Pareto front, --nearest) on a mutated exercise or schedule: clean exits."""

    @fuzz(examples)
    @given(
        mutation=mutated_files(EXERCISE_FILES, KARST_FIXTURES),
        round_number=ROUNDS,
        limit=st.sampled_from([200_000, 100, 0]),
        pareto=st.sampled_from(["accepted", "all", "none", "bogus"]),
        nearest_to=st.one_of(st.none(), INLINE_PACKAGES),
        party=st.sampled_from(ROLES),
        fmt=st.sampled_from(TEXT_FORMATS),
    )
    def check(
        mutation: dict[str, bytes],
        round_number: int | None,
        limit: int,
        pareto: str,
        nearest_to: str | None,
        party: str,
        fmt: str,
    ) -> None:
        def go() -> None:
            only_own_errors(lambda: _space(karst_copy, round_number, limit, pareto, nearest_to, fmt))
            if nearest_to is None:
                options = ["--limit", str(limit), "--samples", "40", "--pareto", pareto]
            else:
                options = ["--nearest", nearest_to, "--party", party]
            result = run_cli("exercise", "space", str(karst_copy), *_round_option(round_number), *options, "-f", fmt)
            assert_clean_output(result, fmt)

        _with_files(karst_copy, KARST_FIXTURES, mutation, go)

    check()


def _rounds_and_debrief(folder: Path, fmt: str) -> None:
    from negotiation.exercises.debrief import debrief
    from negotiation.exercises.load import load_exercise
    from negotiation.exercises.rounds import rounds
    from negotiation.exercises.views import debrief_tables, rounds_table

    loaded = load_exercise(folder)
    render([rounds_table(loaded, rounds(loaded, folder / "submissions"))], fmt)
    render(debrief_tables(loaded, debrief(loaded, folder / "submissions")), fmt)


def test_fuzz_exercise_rounds_and_debrief(examples: int, karst_copy: Path) -> None:
    """`negotiation exercise rounds` and `exercise debrief` with mutated submissions or exercise files: clean exits."""

    @fuzz(examples)
    @given(
        mutation=mutated_files(KARST_FIXTURES),
        command=st.sampled_from(["rounds", "debrief"]),
        fmt=st.sampled_from(TEXT_FORMATS),
    )
    def check(mutation: dict[str, bytes], command: str, fmt: str) -> None:
        def go() -> None:
            only_own_errors(lambda: _rounds_and_debrief(karst_copy, fmt))
            result = run_cli("exercise", command, str(karst_copy), str(karst_copy / "submissions"), "-f", fmt)
            assert_clean_output(result, fmt)

        _with_files(karst_copy, KARST_FIXTURES, mutation, go)

    check()


def test_fuzz_cache_reader(examples: int, tmp_path: Path) -> None:
    """The cache reader answers every entry with the stored record or a miss, never an exception: random
    bytes, a valid entry with bytes flipped, cut, inserted or appended, and the same under another key.
    Only the untouched entry under the right key loads."""
    from negotiation.loading import cache

    record = load_dossier(DOSSIER)
    secret = b"s" * 32
    valid = cache.entry_bytes(record, secret)

    @fuzz(examples)
    @given(
        data=st.one_of(
            st.binary(max_size=400),
            st.tuples(st.integers(0, len(valid) - 1), st.integers(1, 255)).map(
                lambda edit: valid[: edit[0]] + bytes([valid[edit[0]] ^ edit[1]]) + valid[edit[0] + 1 :]
            ),
            st.integers(0, len(valid) - 1).map(lambda cut: valid[:cut]),
            st.binary(min_size=1, max_size=40).map(lambda extra: valid + extra),
            st.tuples(st.integers(0, len(valid)), st.binary(min_size=1, max_size=8)).map(
                lambda edit: valid[: edit[0]] + edit[1] + valid[edit[0] :]
            ),
        ),
        other_key=st.booleans(),
    )
    def check(data: bytes, other_key: bool) -> None:
        loaded = cache.read_entry(data, b"t" * 32 if other_key else secret)
        if data == valid and not other_key:
            assert loaded is not None and loaded.positions == record.positions
        else:
            assert loaded is None

    check()
    # The round trip through the files: the same record back, and a miss once the entry is damaged.
    key = "0" * 64
    folder = tmp_path / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEGOTIATION_CACHE_DIR", str(folder))
        cache.store(key, record)
        assert cache.load(key) is not None
        entry = folder / f"{key}.entry"
        entry.write_bytes(entry.read_bytes()[:-1])
        assert cache.load(key) is None
