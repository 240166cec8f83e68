"""A cache of validated dossiers, keyed by the content of their files and the code that checked them.

An unchanged dossier is not parsed or validated again. The key is a hash of this release's version,
the code of every module that decides what is valid (the whole loading package, the schema, the
error types and the list of data-file endings), the folder as named, and the name and bytes of every
data file in it. Only dossiers that passed every check are stored.

The cache lives in ``$NEGOTIATION_CACHE_DIR``, else ``$XDG_CACHE_HOME/negotiation``, else
``~/.cache/negotiation``; ``NEGOTIATION_NO_CACHE=1`` turns it off. It only ever saves time, so
anything wrong with it is a miss, never an error:

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

import contextlib
import hashlib
import hmac
import importlib.util
import marshal
import os
import pickle
import pkgutil
import secrets
import stat
from collections.abc import Sequence
from functools import cache as _once
from pathlib import Path

from negotiation.errors import InputError, NegotiationError
from negotiation.io import read_file
from negotiation.loading.record import LoadedDossier

#: Entries kept; the least recently used beyond this are removed.
MAX_ENTRIES = 16
#: Larger entries are not read (the bundled dossier's entry is well under a megabyte).
MAX_ENTRY_BYTES = 64 * 1024 * 1024
#: Every entry starts with these bytes, then the HMAC, then the pickled record.
MAGIC = b"negotiation-dossier-cache/2\n"
KEY_FILE = "key"
_SUFFIX = ".entry"
#: Modules outside the loading package whose code decides whether a dossier is valid.
_RULE_MODULES = ("negotiation", "negotiation.schema", "negotiation.errors", "negotiation.io")


def cache_dir() -> Path | None:
    """The cache folder as configured, or None when caching is turned off."""
    if os.environ.get("NEGOTIATION_NO_CACHE"):
        return None
    explicit = os.environ.get("NEGOTIATION_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "negotiation"


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


def _own_private_folder(folder: Path) -> bool:
    """True when ``folder`` is a real folder of this user that nobody else can write to."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False  # a symbolic link could point anywhere, a file is no folder
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def usable_dir(*, create: bool) -> Path | None:
    """The cache folder if it is safe to use (made 0700 when ``create``), else None."""
    folder = cache_dir()
    if folder is None:
        return None
    if create and not os.path.lexists(folder):
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            folder.mkdir(mode=0o700)
        except OSError:
            return None
    return folder if _own_private_folder(folder) else None


def _secret(folder: Path, *, create: bool) -> bytes | None:
    """This user's HMAC key in ``folder``: 32 random bytes in a 0600 file, made on first store."""
    path = folder / KEY_FILE
    if create and not os.path.lexists(path):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            pass  # another process made it first: read theirs
        except OSError:
            return None
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077:
            return None
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return None
        secret = read_file(path, limit=64)
    except (OSError, InputError):
        return None
    return secret if len(secret) == 32 else None


def _sign(secret: bytes, body: bytes) -> bytes:
    return hmac.new(secret, body, hashlib.sha256).digest()


def read_entry(raw: bytes, secret: bytes) -> LoadedDossier | None:
    """The record in an entry's bytes, or None unless it is whole and its HMAC checks."""
    head = len(MAGIC) + 32
    if len(raw) < head or not raw.startswith(MAGIC):
        return None
    tag, body = raw[len(MAGIC) : head], raw[head:]
    if not hmac.compare_digest(tag, _sign(secret, body)):
        return None
    try:
        # Safe: these bytes were written by this user's own store() (the HMAC says so).
        record = pickle.loads(body)
    except Exception:  # an entry of another build that slipped through: a miss
        return None
    return record if isinstance(record, LoadedDossier) else None


def entry_bytes(record: LoadedDossier, secret: bytes) -> bytes:
    """The bytes of an entry: MAGIC, the HMAC of the pickled record, the pickled record."""
    body = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
    return MAGIC + _sign(secret, body) + body


def load(key: str | None) -> LoadedDossier | None:
    """The cached dossier for ``key``, or None (a miss) for any reason."""
    folder = usable_dir(create=False) if key is not None else None
    if folder is None:
        return None
    secret = _secret(folder, create=False)
    if secret is None:
        return None
    entry = folder / f"{key}{_SUFFIX}"
    try:
        raw = read_file(entry, limit=MAX_ENTRY_BYTES)
    except InputError:
        return None
    record = read_entry(raw, secret)
    if record is not None:
        with contextlib.suppress(OSError):
            os.utime(entry)  # most recently used: kept longest
    return record


def store(key: str | None, record: LoadedDossier) -> None:
    """Store a validated dossier under ``key``, readable by this user only; failures are ignored."""
    folder = usable_dir(create=True) if key is not None else None
    if folder is None:
        return
    secret = _secret(folder, create=True)
    if secret is None:
        return
    from negotiation.io import remove_file, write_atomic

    try:
        write_atomic(folder / f"{key}{_SUFFIX}", entry_bytes(record, secret), private=True)
        entries = sorted(folder.glob(f"*{_SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[MAX_ENTRIES:]:
            remove_file(old)
    except (OSError, NegotiationError):
        return
