"""Entries kept in the cache folder, each authenticated before it is unpickled.

A light module (no models, no parsing): the dossier cache (``negotiation.loading.cache``) and the
remembered answers (``negotiation.remembered``) both keep their entries through it. It only ever saves
time, so anything wrong with the folder or an entry is a miss, never an error:

- the folder is created 0700; one owned by another user, or that others may write to, is not used
  at all (silently: the library never prints, and the answer is the same without the cache);
- every entry carries an HMAC-SHA256 of its bytes under a per-user random key (``key``, 0600, in the
  same folder); an entry is unpickled only after its HMAC checks, so a file planted by someone who
  does not hold the key is never run as code;
- an entry that is missing, short, too large, unauthenticated or fails to load is a miss.

>>> opened(sealed(b"x" * 32, b"body", b"m\\n"), b"x" * 32, b"m\\n")
b'body'
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import secrets
import stat
from pathlib import Path

from negotiation.errors import InputError, NegotiationError
from negotiation.io import read_file, remove_file, write_atomic
from negotiation.places import cache_dir

KEY_FILE = "key"
#: Larger entries are not read (the bundled dossier's entry is well under a megabyte).
MAX_ENTRY_BYTES = 64 * 1024 * 1024


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


def secret(folder: Path, *, create: bool) -> bytes | None:
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
        found = read_file(path, limit=64)
    except (OSError, InputError):
        return None
    return found if len(found) == 32 else None


def _sign(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).digest()


def sealed(key: bytes, body: bytes, magic: bytes) -> bytes:
    """The bytes of an entry: ``magic``, the HMAC of ``body`` under ``key``, ``body``."""
    return magic + _sign(key, body) + body


def opened(raw: bytes, key: bytes, magic: bytes) -> bytes | None:
    """The body of an entry's bytes, or None unless it starts with ``magic`` and its HMAC checks."""
    head = len(magic) + 32
    if len(raw) < head or not raw.startswith(magic):
        return None
    tag, body = raw[len(magic) : head], raw[head:]
    return body if hmac.compare_digest(tag, _sign(key, body)) else None


def unpickled(raw: bytes, key: bytes, magic: bytes) -> object | None:
    """The object in an entry's bytes, or None unless it is whole and its HMAC checks."""
    body = opened(raw, key, magic)
    if body is None:
        return None
    try:
        # Safe: these bytes were written by this user's own keep() (the HMAC says so).
        value: object = pickle.loads(body)
    except Exception:  # an entry of another build that slipped through: a miss
        return None
    return value


def recall(name: str, magic: bytes) -> object | None:
    """The object kept under file ``name`` of the cache folder, or None (a miss) for any reason."""
    folder = usable_dir(create=False)
    key = secret(folder, create=False) if folder is not None else None
    if folder is None or key is None:
        return None
    entry = folder / name
    try:
        raw = read_file(entry, limit=MAX_ENTRY_BYTES)
    except InputError:
        return None
    value = unpickled(raw, key, magic)
    if value is not None:
        with contextlib.suppress(OSError):
            os.utime(entry)  # most recently used: kept longest
    return value


def keep(name: str, value: object, magic: bytes, *, limit: int) -> None:
    """Keep ``value`` under file ``name`` of the cache folder, readable by this user only, keeping the
    ``limit`` most recently used entries with the same suffix; failures are ignored."""
    folder = usable_dir(create=True)
    key = secret(folder, create=True) if folder is not None else None
    if folder is None or key is None:
        return
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        write_atomic(folder / name, sealed(key, body, magic), private=True)
        entries = sorted(folder.glob(f"*{Path(name).suffix}"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[limit:]:
            remove_file(old)
    except (OSError, NegotiationError):
        return
