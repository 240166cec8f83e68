"""A cache of validated dossiers, keyed by the content of their files and the code that checked them.

An unchanged dossier is not parsed or validated again. The key is a hash of this release's version,
the code of every module that decides what is valid (the whole loading package, the schema, the
error types and the list of data-file endings), the folder as named, and the name and bytes of every
data file in it. Only dossiers that passed every check are stored.

The cache lives in ``$NEGOTIATION_CACHE_DIR``, else ``$XDG_CACHE_HOME/negotiation``, else
``~/.cache/negotiation``; ``NEGOTIATION_NO_CACHE=1`` turns it off. It only ever saves time, so
anything wrong with it is a miss, never an error (``negotiation.kept`` keeps the entries):

- the folder is created 0700; one owned by another user, or that others may write to, is not used
  at all (silently: the library never prints, and the answer is the same without the cache);
- every entry carries an HMAC-SHA256 of its bytes under a per-user random key (``key``, 0600, in the
  same folder); an entry is unpickled only after its HMAC checks, so a file planted by someone who
  does not hold the key is never run as code;
- an entry that is missing, short, too large, unauthenticated or fails to load is a miss.

>>> key_for([("dossier.yaml", b"id: x")], "positions/x") == key_for([("dossier.yaml", b"id: x")], "positions/x")
True
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import pickle
import pkgutil
from collections.abc import Sequence
from functools import cache as _once

from negotiation.kept import KEY_FILE as KEY_FILE
from negotiation.kept import MAX_ENTRY_BYTES as MAX_ENTRY_BYTES
from negotiation.kept import keep, recall, sealed, unpickled
from negotiation.kept import usable_dir as usable_dir
from negotiation.loading.record import LoadedDossier
from negotiation.places import cache_dir as cache_dir

#: Entries kept; the least recently used beyond this are removed.
MAX_ENTRIES = 16
#: Every entry starts with these bytes, then the HMAC, then the pickled record.
MAGIC = b"negotiation-dossier-cache/2\n"
_SUFFIX = ".entry"
#: Modules outside the loading package whose code decides whether a dossier is valid.
_RULE_MODULES = ("negotiation", "negotiation.schema", "negotiation.errors", "negotiation.io")


def _module_code(name: str) -> bytes:
    """The source of module ``name``, or its compiled code where an install ships no source."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(name)
    loader = spec.loader
    source = loader.get_source(name) if hasattr(loader, "get_source") else None
    if source is not None:
        return str(source).encode("utf-8")
    code = loader.get_code(name) if hasattr(loader, "get_code") else None
    if code is None:
        raise ImportError(name)
    return marshal.dumps(code)


def rule_modules() -> list[str]:
    """The modules whose code decides whether a dossier is valid: the whole ``negotiation.loading``
    package (a module added there later counts too), the schema, the errors and the data-file endings."""
    # The package's folder, found from this module rather than by importing the package (its
    # __init__ imports the loader, which imports this module).
    package = os.path.dirname(os.path.abspath(__file__))
    return [*_RULE_MODULES, *sorted(f"negotiation.loading.{m.name}" for m in pkgutil.iter_modules([package]))]


@_once
def rules_digest() -> bytes | None:
    """A hash of the release and of the code of :func:`rule_modules`; None when one cannot be read."""
    from negotiation import __version__

    digest = hashlib.sha256(MAGIC + __version__.encode())
    try:
        for name in rule_modules():
            code = _module_code(name)
            digest.update(f"\0{name}\0{len(code)}\0".encode())
            digest.update(code)
    except Exception:  # an odd install (zipped, frozen, stripped): no cache rather than a crash
        return None
    return digest.digest()


def key_for(files: Sequence[tuple[str, bytes]], shown: str) -> str | None:
    """The cache key of a dossier (a hash of the rules, folder name, every file's name and bytes), or None."""
    rules = rules_digest()
    if rules is None:
        return None
    digest = hashlib.sha256(rules)
    digest.update(shown.encode("utf-8", "surrogateescape"))
    for name, content in files:
        # File names need not be UTF-8: surrogateescape keeps their bytes as they are on disk.
        digest.update(b"\0" + name.encode("utf-8", "surrogateescape") + b"\0" + str(len(content)).encode() + b"\0")
        digest.update(content)
    return digest.hexdigest()


def read_entry(raw: bytes, secret: bytes) -> LoadedDossier | None:
    """The record in an entry's bytes, or None unless it is whole and its HMAC checks."""
    record = unpickled(raw, secret, MAGIC)
    return record if isinstance(record, LoadedDossier) else None


def entry_bytes(record: LoadedDossier, secret: bytes) -> bytes:
    """The bytes of an entry: MAGIC, the HMAC of the pickled record, the pickled record."""
    return sealed(secret, pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL), MAGIC)


def load(key: str | None) -> LoadedDossier | None:
    """The cached dossier for ``key``, or None (a miss) for any reason."""
    record = recall(f"{key}{_SUFFIX}", MAGIC) if key is not None else None
    return record if isinstance(record, LoadedDossier) else None


def store(key: str | None, record: LoadedDossier) -> None:
    """Store a validated dossier under ``key``, readable by this user only; failures are ignored."""
    if key is not None:
        keep(f"{key}{_SUFFIX}", record, MAGIC, limit=MAX_ENTRIES)
