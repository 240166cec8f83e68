"""The tool as installed from its wheel, run in an empty folder: the console script answers, and every
command the README and the docs show works there (the bundled dossier and examples ship inside).

The wheel is built and installed as benchmarks/installed.py says: without network access, into a
fresh virtual environment that borrows the dependencies of the running one.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.installed import install_wheel
from tests.conftest import ROOT

DOCUMENTS = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "examples").glob("*/README.md")),
]
#: Words that stand for something the reader fills in: a command showing one is a pattern, not a command.
PLACEHOLDER = re.compile(r"^(?:[A-Z][A-Z_]*|\[.*|.*\.\.\.|path/to/.*|my-[\w-]+\.yaml)$")
#: Commands on the repository's test data, which a checkout has and an installed tool does not; and
#: `serve`, which runs until stopped (tests/server/test_restart.py runs it through the console script); and
#: the walk-through's `init` and `import`, which write into a checkout's examples/ (tests/test_importing.py and
#: the walk-through's own test re-run them and compare the files byte for byte).
#: A note a command prints on purpose beside its table (the walk-through's matrix of uncoded provisions shows it).
NOTE = re.compile(r"^negotiation: left out of the verdicts: \d+ uncoded provisions .*\n", flags=re.M)
CHECKOUT_ONLY = re.compile(r"(?:^|\s)tests/|^negotiation (?:serve|init|import) ")


def documented_commands() -> list[tuple[str, list[str]]]:
    """(where, arguments) of every ``negotiation ...`` command in a code block of the README, the docs
    and the examples' READMEs, patterns and commands on the repository's test data left out."""
    found = []
    for document in DOCUMENTS:
        for block in re.findall(r"```[a-z]*\n(.*?)```", document.read_text(encoding="utf-8"), flags=re.S):
            for line in block.splitlines():
                line = line.strip().removeprefix("$ ")
                if not line.startswith("negotiation ") or CHECKOUT_ONLY.search(line):
                    continue
                words = shlex.split(line, comments=True)[1:]
                if not any(PLACEHOLDER.match(w) for w in words):
                    found.append((f"{document.relative_to(ROOT)}: {line}", words))
    return found


# The driver runs in the installed environment: each command in-process (one interpreter start for
# all of them), from the empty folder it is started in; it reports each exit code and standard error.
DRIVER = """
import contextlib, io, json, sys
import negotiation
from negotiation.cli import main
results = []
for args in json.loads(sys.stdin.read()):
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(args)
    results.append([code, err.getvalue()])
print(json.dumps({"package": negotiation.__file__, "results": results}))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A virtual environment with the wheel installed (its bin folder) and the environment to run in."""
    base = tmp_path_factory.mktemp("installed")
    bin_folder = install_wheel(base)
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COLUMNS", "NEGOTIATION_NO_CACHE")},
        "PATH": f"{bin_folder}{os.pathsep}{os.environ.get('PATH', '')}",
        "NEGOTIATION_CACHE_DIR": str(base / "cache"),
    }
    yield bin_folder, env


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    """An empty folder to run in, far from the checkout."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def test_wheel_ships_the_dossier_and_the_examples(installed: tuple[Path, dict[str, str]], empty: Path) -> None:
    """The console script runs from an empty folder: its version, the matrix of the bundled dossier,
    and the shipped example exercises."""
    bin_folder, env = installed
    script = str(bin_folder / "negotiation")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([script, *args], cwd=empty, env=env, capture_output=True, text=True, check=False)

    version = run("--version")
    assert (version.returncode, version.stdout, version.stderr) == (0, "negotiation 0.1.0\n", "")
    matrix = run("matrix")
    assert (matrix.returncode, matrix.stderr) == (0, "")
    assert matrix.stdout.split()[:2] == ["issue", "ru-us-treaty-2021-12-17"]
    listed = run("exercise", "list", "--format", "csv")
    assert (listed.returncode, listed.stderr) == (0, "")
    ids = [line.split(",")[0] for line in listed.stdout.splitlines()[1:]]
    assert ids == sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "exercise.yaml").is_file())
    assert list(empty.iterdir()) == []


def test_documented_commands_work_installed(installed: tuple[Path, dict[str, str]], empty: Path) -> None:
    """Every command of the README and the docs runs from the installed package in an empty folder,
    exits 0 (1 only where it asks for --exit-code) and says nothing on standard error."""
    bin_folder, env = installed
    commands = documented_commands()
    assert len(commands) > 60
    done = subprocess.run(
        [str(bin_folder / "python"), "-c", DRIVER],
        input=json.dumps([args for _, args in commands]),
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    assert report["package"].startswith(str(bin_folder.parent))
    failed = [
        f"{where} -> exit {code}: {err}"
        for (where, args), (code, err) in zip(commands, report["results"], strict=True)
        if NOTE.sub("", err) or code not in ((0, 1) if "--exit-code" in args else (0,))
    ]
    assert failed == []
