"""Answers remembered between runs: the neutral table a command built for a dossier, kept in the cache
folder and keyed by everything the answer depends on.

The key hashes the command and its arguments, the release, every module of the package (a changed
rule is never answered from memory), and the name and bytes of every file in the dossier's folder
(a superset of the files the loader reads, so an edit anywhere in the folder forgets the answer). A
remembered table is the same table the command builds, so the output is the same bytes; a run it
answers never imports the models, the loader or the engine. Like the dossier cache, it only ever
saves time: anything unreadable is ignored.

>>> answer_key("matrix", None, ["--none"]) == answer_key("matrix", None, ["--none"])
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from negotiation.io import keep, read_kept
from negotiation.places import cache_dir, dossier_folder
from negotiation.tables import Table

#: Answers kept; the least recently used beyond this are removed.
MAX_ANSWERS = 32
_FORMAT = b"negotiation-answer/1"
_PACKAGE = Path(__file__).resolve().parent


@cache
def _code_digest() -> bytes:
    """A hash of every module of the package, computed once per run."""
    digest = hashlib.sha256()
    for module in sorted(_PACKAGE.rglob("*.py")):
        digest.update(str(module.relative_to(_PACKAGE)).encode() + b"\0" + module.read_bytes())
    return digest.digest()


def answer_key(command: str, dossier: str | None, arguments: Sequence[str]) -> str | None:
    """The key of ``command`` run with ``arguments`` on ``dossier`` (default: the bundled one), or None
    when the cache is off or the folder cannot be read (the command then reports why)."""
    if cache_dir() is None:
        return None
    from negotiation import __version__

    folder, shown = dossier_folder(dossier)
    digest = hashlib.sha256(_FORMAT)
    digest.update(_code_digest())
    parts = [__version__, command, shown, *arguments]
    digest.update("\0".join(parts).encode("utf-8", "surrogateescape") + b"\0\0")
    try:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                content = path.read_bytes()
                digest.update(path.name.encode("utf-8", "surrogateescape") + b"\0" + str(len(content)).encode())
                digest.update(b"\0" + content)
    except OSError:
        return None
    return digest.hexdigest()


def _entry(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / "answers" / f"{key}.pickle"


def recall(key: str) -> Table | None:
    """The table remembered under ``key``, or None."""
    entry = _entry(key)
    table = read_kept(entry) if entry is not None else None
    return table if isinstance(table, Table) else None


def remember(key: str, table: Table) -> None:
    """Keep ``table`` under ``key``; failures are ignored."""
    entry = _entry(key)
    if entry is not None:
        keep(entry, table, limit=MAX_ANSWERS)
