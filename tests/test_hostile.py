"""A corpus of broken and hostile inputs, each answered in bounded time and memory with exit 1 or 2
and one located line per problem; never a traceback, never a hang, never a changed data file.

A case is ``tests/data/hostile/expected/NAME.expected``: its first line is the command
(``command: validate {case}``), then ``exit: N``, then any ``check:`` lines, then exactly the lines
written to stderr. The input is ``tests/data/hostile/inputs/NAME`` or, for what git cannot hold or
should not (huge files, pipes, devices, dangling links, odd file names, planted cache entries),
built by ``BUILDERS[NAME]`` (here and in ``tests/hostile_cases.py``). Each case runs in a fresh
folder, in a subprocess with a timeout, a memory limit and umask 077, twice: with the dossier cache
on (as users run it, in a cache folder of the case's own) and off.

A ``check:`` line states what must hold after the run: ``keep PATH`` (same bytes as before),
``absent PATH``, ``file PATH``, ``fifo PATH``, ``mode PATH 600``, ``stdout-has TEXT``,
``stdout-lacks TEXT``. A case may exit 0 (the right answer to a planted cache entry or a device
output is to work) only when it states checks. ``pytest --update-golden`` rewrites the exit and
stderr lines; review the diff.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import GoldenFile
from tests.hostile_cases import BUILDERS as ISSUE_19_BUILDERS

ROOT = Path(__file__).parent.parent
HOSTILE = Path(__file__).parent / "data" / "hostile"
INPUTS = HOSTILE / "inputs"
EXPECTED = HOSTILE / "expected"
LINE = re.compile(r"^[^:]+:\d+:\d+: \S+: .+$|^negotiation: .+$")
TIMEOUT_SECONDS = 30
MEMORY_BYTES = 768 * 1024 * 1024

HEAD = (
    "schema_version: 1\nid: a-1\nparty: a\nkind: statement\ntitle: A's statement\n"
    "delivered: 2031-01-10\nprovenance:\n  authenticity: fictional\n"
)


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _huge_title(folder: Path) -> str:
    _write(folder / "huge-title.yaml", HEAD.replace("A's statement", "x" * 3_000_000))

    return "huge-title.yaml"


def _huge_key(folder: Path) -> str:
    _write(folder / "huge-key.yaml", HEAD + "k" * 1_000_000 + ": 1\n")

    return "huge-key.yaml"


def _too_big(folder: Path) -> str:
    _write(folder / "too-big.yaml", HEAD + "notes: " + "x" * (5 * 1024 * 1024) + "\n")

    return "too-big.yaml"


def _many_values_yaml(folder: Path) -> str:
    _write(folder / "many-values.yaml", HEAD + "provisions:\n" + "- a\n" * 150_000)

    return "many-values.yaml"


def _many_values_json(folder: Path) -> str:
    _write(folder / "many-values.json", '{"schema_version": 1, "provisions": [' + ",".join(["0"] * 150_000) + "]}\n")

    return "many-values.json"


def _many_problems(folder: Path) -> str:
    _write(folder / "many-problems.yaml", HEAD + "".join(f"unknown{i}: 1\n" for i in range(5_000)))

    return "many-problems.yaml"


def _long_scalar(folder: Path) -> str:
    _write(folder / "long-scalar.yaml", "a" * 2_000_000)

    return "long-scalar.yaml"


def _deep_json(folder: Path) -> str:
    _write(folder / "deep.json", "[" * 100_000 + "]" * 100_000)

    return "deep.json"


def _dangling_symlink(folder: Path) -> str:
    (folder / "dangling-symlink.yaml").symlink_to(folder / "nowhere.yaml")

    return "dangling-symlink.yaml"


def _dangling_symlink_in_dossier(folder: Path) -> str:
    shutil.copytree(INPUTS / "k-too-large", folder / "dangling-symlink-in-dossier")
    target = folder / "dangling-symlink-in-dossier"
    _write(target / "dossier.yaml", (target / "dossier.yaml").read_text(encoding="utf-8").replace(" k: 5", " k: 2"))
    (target / "c-1.yaml").symlink_to(target / "gone.yaml")

    return "dangling-symlink-in-dossier"


def _symlink_loop(folder: Path) -> str:
    (folder / "symlink-loop.yaml").symlink_to(folder / "other.yaml")
    (folder / "other.yaml").symlink_to(folder / "symlink-loop.yaml")

    return "symlink-loop.yaml"


def _fifo(folder: Path) -> str:
    os.mkfifo(folder / "fifo.yaml")

    return "fifo.yaml"


def _device(folder: Path) -> str:
    (folder / "device.yaml").symlink_to("/dev/zero")

    return "device.yaml"


def _evil_file_name(folder: Path) -> str:
    shutil.copytree(INPUTS / "k-too-large", folder / "evil-file-name")
    target = folder / "evil-file-name"
    _write(target / "dossier.yaml", (target / "dossier.yaml").read_text(encoding="utf-8").replace(" k: 5", " k: 2"))
    _write(
        target / "b-1.yaml", (target / "b-1.yaml").read_text(encoding="utf-8").replace("stance: reject", "stance: no")
    )
    (target / "b-1.yaml").rename(target / "b-1\x1b[2J\u202e\n.yaml")

    return "evil-file-name"


def _non_utf8_file_name(folder: Path) -> str:
    os.mkdir(os.path.join(os.fsencode(folder), b"non-utf8-file-name"))
    name = os.path.join(os.fsencode(folder), b"non-utf8-file-name", b"\xff\xfe.yaml")
    with open(name, "w", encoding="utf-8") as handle:
        handle.write("schema_version: 1\n")
    shutil.copy(INPUTS / "k-too-large" / "dossier.yaml", folder / "non-utf8-file-name" / "dossier.yaml")

    return "non-utf8-file-name"


def _empty_folder(folder: Path) -> str:
    (folder / "empty-folder").mkdir()

    return "empty-folder"


BUILDERS: dict[str, Callable[[Path], str]] = {
    "huge-title": _huge_title,
    "huge-key": _huge_key,
    "too-big": _too_big,
    "many-values-yaml": _many_values_yaml,
    "many-values-json": _many_values_json,
    "many-problems": _many_problems,
    "long-scalar": _long_scalar,
    "deep-json": _deep_json,
    "dangling-symlink": _dangling_symlink,
    "dangling-symlink-in-dossier": _dangling_symlink_in_dossier,
    "symlink-loop": _symlink_loop,
    "fifo": _fifo,
    "device": _device,
    "evil-file-name": _evil_file_name,
    "non-utf8-file-name": _non_utf8_file_name,
    "empty-folder": _empty_folder,
    **ISSUE_19_BUILDERS,
}


def _cases() -> list[str]:
    return sorted(p.name.removesuffix(".expected") for p in EXPECTED.glob("*.expected"))


def _read(case: str) -> tuple[str, int, list[str], list[str]]:
    """The case's command, exit code, checks and expected stderr lines."""
    lines = (EXPECTED / f"{case}.expected").read_text(encoding="utf-8").split("\n")
    assert lines[0].startswith("command: ") and lines[1].startswith("exit: "), case
    checks = [line.removeprefix("check: ") for line in lines[2:] if line.startswith("check: ")]
    rest = lines[2 + len(checks) : -1]
    return lines[0].removeprefix("command: "), int(lines[1].removeprefix("exit: ")), checks, rest


def _snapshot(folder: Path, checks: list[str]) -> dict[str, bytes]:
    return {c.split()[1]: (folder / c.split()[1]).read_bytes() for c in checks if c.startswith("keep ")}


def _verify(folder: Path, checks: list[str], kept: dict[str, bytes], stdout: str) -> None:
    """Every ``check:`` of the case holds after the run."""
    for check in checks:
        kind, _, arg = check.partition(" ")
        target = folder / arg.split()[0] if arg else folder
        if kind == "keep":
            assert target.read_bytes() == kept[arg], check
        elif kind == "absent":
            assert not os.path.lexists(target), check
        elif kind == "file":
            assert target.is_file() and not target.is_symlink(), check
        elif kind == "fifo":
            assert stat.S_ISFIFO(os.lstat(target).st_mode), check
        elif kind == "mode":
            assert oct(stat.S_IMODE(target.stat().st_mode))[2:] == arg.split()[1], check
        elif kind == "stdout-has":
            assert arg in stdout, check
        elif kind == "stdout-lacks":
            assert arg not in stdout, check
        else:
            raise AssertionError(f"unknown check: {check}")


def _input_name(case: str) -> str | None:
    """The committed input of ``case`` (its file name carries an extension), or None if built."""
    found = [p.name for p in INPUTS.iterdir() if p.name == case or p.name.rsplit(".", 1)[0] == case]
    return found[0] if found else None


def _limits() -> None:
    # Runs in the child before exec: a runaway parse hits these instead of the machine. A careful
    # user's umask: no file the tool writes may be more open than it allows.
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
    os.umask(0o077)


def test_corpus_is_complete() -> None:
    """Every case has an input or a builder, every input a case, and the corpus holds at least 60 cases."""
    cases = set(_cases())
    committed = {_input_name(c) for c in cases} - {None}
    assert committed == {p.name for p in INPUTS.iterdir()}
    assert {c for c in cases if _input_name(c) is None} == set(BUILDERS)
    assert len(cases) >= 60


@pytest.mark.parametrize("cache", ["cache-on", "cache-off"])
@pytest.mark.parametrize("case", _cases())
def test_hostile_case(case: str, cache: str, tmp_path: Path, golden_file: GoldenFile) -> None:
    """The case's command exits as expected within the limits, with exactly the expected stderr lines and
    every check holding, with the dossier cache on (as users run it) and off. Failing cases (exit 1 or 2)
    print nothing on stdout."""
    command, code, checks, lines = _read(case)
    head = "".join(f"check: {c}\n" for c in checks)
    name = _input_name(case)
    if name is None:
        name = BUILDERS[case](tmp_path)
    else:
        source = INPUTS / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, symlinks=True)
        else:
            shutil.copy2(source, tmp_path / name)
    checks = [c.replace("{case}", name) for c in checks]
    kept = _snapshot(tmp_path, checks)
    args = [word.replace("{case}", name) for word in command.split()]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    env.pop("NEGOTIATION_NO_CACHE", None)
    if cache == "cache-on":
        env["NEGOTIATION_CACHE_DIR"] = str(tmp_path.parent / f"{tmp_path.name}-cache")
    else:
        env["NEGOTIATION_NO_CACHE"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "negotiation", *args],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=TIMEOUT_SECONDS,
        preexec_fn=_limits,
        check=False,
    )
    stderr = done.stderr.decode("utf-8")
    golden_file(EXPECTED / f"{case}.expected", f"command: {command}\nexit: {done.returncode}\n{head}{stderr}")
    assert b"Traceback" not in done.stdout + done.stderr
    assert done.returncode in (0, 1, 2)
    assert done.returncode == code
    if code == 0:
        assert checks, "a case that exits 0 must say what it checks"
    else:
        assert done.stdout == b""
    assert stderr.splitlines() == lines
    assert all(LINE.match(line) for line in lines), lines
    _verify(tmp_path, checks, kept, done.stdout.decode("utf-8"))
