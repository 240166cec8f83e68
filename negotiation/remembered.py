"""Answers remembered between runs: the neutral table a command built for a dossier, kept in the cache
folder and keyed by everything the answer depends on.

The key hashes the command and its arguments, the release, every module of the package (a changed
rule is never answered from memory), and the name and bytes of every file in the dossier's folder
(a superset of the files the loader reads, so an edit anywhere in the folder forgets the answer). A
remembered table is the same table the command builds, so the output is the same bytes; a run it
answers never imports the models, the loader or the engine. Like the dossier cache, it only ever
saves time: anything unreadable is ignored. Entries are kept by :mod:`negotiation.kept`, each
authenticated by an HMAC before it is unpickled, in the same private folder as the dossier cache.

>>> answer_key("matrix", None, ["--none"]) == answer_key("matrix", None, ["--none"])
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from negotiation.errors import InputError
from negotiation.io import read_file
from negotiation.kept import keep
from negotiation.kept import recall as recall_entry
from negotiation.places import cache_dir, dossier_folder
from negotiation.tables import Table

#: Answers kept; the least recently used beyond this are removed.
MAX_ANSWERS = 32
_FORMAT = b"negotiation-answer/2"
#: Every entry starts with these bytes, then the HMAC, then the pickled table (see negotiation.kept).
MAGIC = b"negotiation-answer/2\n"
_SUFFIX = ".answer"
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
                content = read_file(path)
                digest.update(path.name.encode("utf-8", "surrogateescape") + b"\0" + str(len(content)).encode())
                digest.update(b"\0" + content)
    except (OSError, InputError):
        return None
    return digest.hexdigest()


def recall(key: str) -> Table | None:
    """The table remembered under ``key``, or None."""
    table = recall_entry(f"{key}{_SUFFIX}", MAGIC)
    return table if isinstance(table, Table) else None


def remember(key: str, table: Table) -> None:
    """Keep ``table`` under ``key`` (authenticated like the dossier cache); failures are ignored."""
    keep(f"{key}{_SUFFIX}", table, MAGIC, limit=MAX_ANSWERS)
