"""Same input, same bytes: across runs, hash seeds and the order in which folders list their files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Run

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
D = ("--dossier", "valid/lake-varna")

COMMANDS = [
    ("validate", "valid/lake-varna", "valid/standalone/trainee-counter.yaml", "-d", "valid/lake-varna"),
    ("validate", "invalid/unknown-party", "invalid/dangling-link", "invalid/wrong-types.yaml"),
    ("positions", *D, "-f", "json"),
    ("positions", *D, "-f", "csv"),
    ("show", "brv-response-2031-04-15", *D, "-f", "json"),
    ("show", "valid/lake-varna/ald-proposal-2031-05-10.yaml", "-f", "latex_booktabs"),
    ("issues", *D, "-f", "markdown"),
    ("schema", "position"),
    ("schema", "dossier"),
    ("formats",),
    ("show", "nope", *D),
]


def _run(args: tuple[str, ...], seed: str) -> tuple[int, bytes, bytes]:
    done = subprocess.run(
        [sys.executable, "-m", "negotiation", *args],
        capture_output=True,
        cwd=DATA,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed},
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a)[:50])
def test_same_bytes_under_different_hash_seeds(args: tuple[str, ...]) -> None:
    """The command prints byte-identical output (and exit code) with PYTHONHASHSEED=0 and =12345."""
    first = _run(args, "0")
    assert first[1] or first[2]
    assert _run(args, "12345") == first


LAKE = str(Path(__file__).parent / "exports" / "fixtures" / "lake-arden")
UP, DOWN = "up-proposal-2030-01-10", "down-response-2030-02-01"
#: Every command that writes a file, each in every file format (and the pack in every kind of format).
EXPORT_COMMANDS = [
    (*command, "-d", LAKE, "-f", fmt, "-o", f"{command[0]}.{fmt}")
    for command in [
        ("diff", UP, DOWN),
        ("matrix",),
        ("changes", UP, DOWN),
        ("balance", UP),
        ("coverage",),
        ("positions",),
        ("issues",),
        ("show", UP),
    ]
    for fmt in ("html", "xlsx", "docx", "sqlite")
] + [
    ("export", LAKE, "-o", "pack", *[w for f in ("markdown", "html", "csv", "json", "latex_booktabs", "xlsx",
     "docx", "sqlite") for w in ("-f", f)]),
]  # fmt: skip
_EXPORT_DRIVER = """
import json, sys
from negotiation.cli import main
print(json.dumps([main(list(args)) for args in json.loads(sys.argv[1])]))
"""


def _export_all(folder: Path, seed: str) -> tuple[list[int], dict[str, bytes]]:
    """Run every export command in one fresh process with ``seed``; the exit codes and every file written."""
    folder.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", _EXPORT_DRIVER, json.dumps(EXPORT_COMMANDS)],
        capture_output=True,
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed},
        timeout=300,
        check=True,
    )
    files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    return json.loads(done.stdout.decode().splitlines()[-1]), files


def test_every_export_is_the_same_bytes_under_different_hash_seeds(tmp_path: Path) -> None:
    """Every command writing a file (html, xlsx, docx, sqlite) and the briefing pack in every kind of format
    write byte-identical files in two processes with PYTHONHASHSEED=0 and =12345."""
    codes, first = _export_all(tmp_path / "seed-0", "0")
    assert codes == [0] * len(EXPORT_COMMANDS)
    assert {c[-1] for c in EXPORT_COMMANDS[:-1]} <= set(first)
    assert sum(name.startswith("pack/") for name in first) > 8
    assert _export_all(tmp_path / "seed-12345", "12345") == (codes, first)


def _copy_in_order(source: Path, target: Path, names: list[str]) -> None:
    target.mkdir()
    for name in names:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        else:
            shutil.copy2(src, target / name)


def _broken_dossier(folder: Path) -> None:
    """Break three files of a copy of the fictional dossier, so problems come from several files."""
    for name, old, new in [
        ("ald-proposal-2031-03-01.yaml", "stance: propose", "stance: maybe"),
        ("brv-response-2031-04-15.yaml", "party: brv", "party: xyz"),
        ("lvc-statement-2031-04-20.json", '"kind": "statement"', '"kind": "tweet"'),
    ]:
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("broken", [False, True], ids=["valid", "broken"])
def test_creation_order_does_not_matter(cli: Run, tmp_path: Path, broken: bool) -> None:
    """Dossier copies whose files were created in opposite orders give identical output and messages."""
    source = DATA / "valid" / "lake-varna"
    names = sorted(p.name for p in source.iterdir())
    outputs = []
    for label, order in (("forward", names), ("backward", names[::-1])):
        folder = tmp_path / label / "lake-varna"
        folder.parent.mkdir()
        _copy_in_order(source, folder, order)
        if broken:
            _broken_dossier(folder)
        result = cli("positions", "--dossier", "lake-varna", "-f", "json", cwd=folder.parent)
        outputs.append((result.code, result.stdout, result.stderr))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == (1 if broken else 0)


def test_listing_order_does_not_matter(cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even if the file system lists a folder backwards, output and messages are the same bytes."""
    folder = tmp_path / "lake-varna"
    shutil.copytree(DATA / "valid" / "lake-varna", folder)
    _broken_dossier(folder)
    plain = cli("validate", "lake-varna", cwd=tmp_path)
    original = Path.iterdir

    def backwards(self: Path) -> Iterator[Path]:
        return iter(sorted(original(self), reverse=True))

    monkeypatch.setattr(Path, "iterdir", backwards)
    reversed_listing = cli("validate", "lake-varna", cwd=tmp_path)
    assert (reversed_listing.code, reversed_listing.stdout, reversed_listing.stderr) == (
        plain.code,
        plain.stdout,
        plain.stderr,
    )
    assert plain.code == 1 and plain.stderr.count("\n") == 3
