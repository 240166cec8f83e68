"""A cache of validated dossiers, keyed by the content of their files.

An unchanged dossier is not parsed or validated again: the key is a hash of this release's version,
the folder as named, and the name and bytes of every data file in it. Only dossiers that passed
every check are stored. The cache lives in ``$NEGOTIATION_CACHE_DIR``, else
``$XDG_CACHE_HOME/negotiation``, else ``~/.cache/negotiation``; ``NEGOTIATION_NO_CACHE=1`` turns
it off. A cache that cannot be read or written is ignored: it only ever saves time.

>>> key_for([("dossier.yaml", b"id: x")], "positions/x") == key_for([("dossier.yaml", b"id: x")], "positions/x")
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from negotiation.places import cache_dir as cache_dir
from negotiation.schema import SUPPORTED_SCHEMA_VERSIONS

if TYPE_CHECKING:
    from negotiation.loading.dossier import LoadedDossier

#: Entries kept; the least recently used beyond this are removed.
MAX_ENTRIES = 16
_FORMAT = b"negotiation-dossier-cache/1"
_PACKAGE = Path(__file__).resolve().parent.parent
_RULE_MODULES = tuple(
    _PACKAGE / name for name in ("schema.py", "loading/parse.py", "loading/validate.py", "loading/integrity.py")
)


def key_for(files: Sequence[tuple[str, bytes]], shown: str) -> str:
    """The cache key of a dossier: a hash of release, folder name, and every file's name and bytes."""
    from negotiation import __version__

    digest = hashlib.sha256(_FORMAT)
    digest.update(f"{__version__}|{SUPPORTED_SCHEMA_VERSIONS}|{shown}".encode("utf-8", "surrogateescape"))
    # The modules that decide what is valid: a changed rule must not be answered from the cache.
    for module in _RULE_MODULES:
        digest.update(module.read_bytes())
    for name, content in files:
        # File names need not be UTF-8: surrogateescape keeps their bytes as they are on disk.
        digest.update(b"\0" + name.encode("utf-8", "surrogateescape") + b"\0" + str(len(content)).encode() + b"\0")
        digest.update(content)
    return digest.hexdigest()


def load(key: str) -> LoadedDossier | None:
    """The cached dossier for ``key``, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    from negotiation.io import read_kept
    from negotiation.loading.dossier import LoadedDossier

    record = read_kept(folder / f"{key}.pickle")
    return record if isinstance(record, LoadedDossier) else None


def store(key: str, record: LoadedDossier) -> None:
    """Store a validated dossier under ``key``; failures are ignored."""
    folder = cache_dir()
    if folder is None:
        return
    from negotiation.io import keep

    keep(folder / f"{key}.pickle", record, limit=MAX_ENTRIES)
