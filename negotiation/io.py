"""Reading and writing files safely: one checked reader, one output policy, same bytes every time.

Every file the tool takes as input is read by :func:`read_file` (regular files only, size checked
first, bounded whatever the file claims). Every file it writes goes through :func:`write_atomic`,
which applies one policy to output paths (docs/security.md, "No data loss"):

- a regular file is replaced atomically (a temporary file beside it, then a rename); a symbolic link
  to a file is followed and the file it names is replaced, the link stays;
- a character device (``/dev/null``, a terminal) or a descriptor the user named (``/dev/stdout``,
  ``/dev/fd/N``) is written through, never replaced; a folder, named pipe, socket or block device is
  refused;
- a negotiation data file (a position, dossier, exercise, schedule or submission, decided by reading
  it as the tool would, not by its name) or a bundled source text is never overwritten, and nothing is
  written into a dossier or exercise folder, unless a library caller asks;
- a new file gets the permissions the umask allows (``private`` files: 0600), a replaced one keeps its own.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "table.csv"
>>> write_atomic(target, "a,b\\n")
>>> target.read_text()
'a,b\\n'
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import yaml

from negotiation.errors import ExportError, InputError, Problem, UsageError

#: The file endings of negotiation data (positions, dossiers, exercises); one list for the whole tool.
DATA_SUFFIXES = (".yaml", ".yml", ".json")
#: Larger files are refused before reading: a data file this big is a mistake or an attack. (The
#: longest real position file is well under a megabyte; a YAML parser needs many times the file's
#: size in memory, so the cap is also what bounds the loader's memory.)
MAX_FILE_BYTES = 4 * 1024 * 1024
#: Bytes of the target's name kept in its temporary file's name. File systems allow 255 bytes per
#: name; the temporary name adds 14 (a dot, a dot, 8 random characters, ".tmp"), so a target whose own
#: name nearly fills the limit (a pack's diff/<id>--<id>.html, two 120-character ids) must not be
#: copied whole into it.
TEMP_NAME_BYTES = 100
#: The longest name of one file or folder, and of a whole path, that POSIX systems accept.
NAME_MAX_BYTES = 255
PATH_MAX_BYTES = 4096
#: Files that make a folder a dossier or an exercise (the loaders' own lists, kept here so the
#: writer, which sits below them, can recognise their folders).
DOSSIER_FILE_NAMES = ("dossier.yaml", "dossier.yml", "dossier.json")
EXERCISE_FILE_NAMES = ("exercise.yaml", "exercise.yml", "exercise.json")
_ROUND_FOLDER = re.compile(r"^round-\d+$")

# A data file declares its version as a top-level number: ``schema_version: 1`` in YAML,
# ``"schema_version": 1`` in JSON. (A JSON Schema only names the property: ``"schema_version": {``.)
# Used only as a second opinion on a file that does not parse (a position in the middle of an edit).
_DECLARES_VERSION = re.compile(rb'(?m)^\s*"?schema_version"?\s*:\s*-?\d')


# ---------------------------------------------------------------------------------------------
# Reading


def _unreadable(shown: str, message: str) -> InputError:
    return InputError([Problem(shown, 0, 0, "", f"unreadable: {message}", True)])


def _open_file(path: Path) -> int:
    """Open for reading without blocking (a named pipe would wait for a writer forever)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    return os.open(path, flags)


def _through_link(path: Path) -> str:
    """`` (a symbolic link to TARGET)`` when ``path`` is a link, so a refusal names what was refused."""
    try:
        return f" (a symbolic link to {os.readlink(path)})" if path.is_symlink() else ""
    except OSError:
        return " (a symbolic link)"


def read_file(path: str | Path, display: str | None = None, *, limit: int | None = None) -> bytes:
    """The bytes of ``path``: the one reader of every file the tool takes as input.

    Only a regular file is read (a folder, named pipe, device or socket is refused by name, without
    waiting on it); a symbolic link is followed and a refusal names it; the size is checked before
    reading, and no more than ``limit`` bytes plus one are read whatever the file claims its size
    is. Nothing of a refused file's content appears in the message.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.yaml"
    >>> _ = target.write_bytes(b"id: x")
    >>> read_file(target)
    b'id: x'
    """
    path = Path(path)
    shown = display or str(path)
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        fd = _open_file(path)
    except FileNotFoundError:
        dangling = path.is_symlink()
        raise _unreadable(shown, "a symbolic link to a missing file" if dangling else "no such file") from None
    except PermissionError:
        raise _unreadable(shown, "permission denied") from None
    except OSError as exc:
        raise _unreadable(shown, _os_reason(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _unreadable(shown, _not_a_file(info.st_mode) + _through_link(path))
        if info.st_size > limit:
            raise _unreadable(shown, f"larger than the limit of {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        # Read to the limit and one byte more, whatever the file claims its size is.
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except PermissionError:
        raise _unreadable(shown, "permission denied") from None
    except OSError as exc:
        raise _unreadable(shown, _os_reason(exc)) from None
    finally:
        os.close(fd)
    if size > limit:
        raise _unreadable(shown, f"larger than the limit of {limit} bytes")
    return b"".join(chunks)


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    return "not a regular file"


def _os_reason(exc: OSError) -> str:
    reason = str(exc.strerror or exc)
    return reason[:1].lower() + reason[1:]


# ---------------------------------------------------------------------------------------------
# What a file is


def _top_level_keys(raw: bytes, json_first: bool) -> set[str] | None:
    """The keys of the top-level mapping of YAML or JSON bytes, or None when they do not parse as one.

    YAML is read as an event stream up to the end of the top level's keys, so nothing is built and
    no alias expands; JSON (minified or not) is read by the json module.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if json_first:
        with contextlib.suppress(ValueError, RecursionError):
            data = json.loads(text)
            return {k for k in data if isinstance(k, str)} if isinstance(data, dict) else None
    keys: set[str] = set()
    depth = 0
    expecting_key = False
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if depth == 0 and isinstance(event, yaml.SequenceStartEvent):
                    return None
                if depth == 1 and expecting_key:
                    expecting_key = False  # a complex key: skip it
                elif depth == 1:
                    expecting_key = True
                depth += 1
                if depth == 1:
                    expecting_key = True
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
                if depth == 0:
                    return keys
            elif isinstance(event, yaml.ScalarEvent | yaml.AliasEvent) and depth == 1:
                if expecting_key and isinstance(event, yaml.ScalarEvent):
                    keys.add(event.value)
                expecting_key = not expecting_key
            elif isinstance(event, yaml.ScalarEvent) and depth == 0:
                return None
    except (yaml.YAMLError, RecursionError):
        return None
    return keys or None


def is_position_data(path: Path) -> bool:
    """True when ``path`` holds negotiation data or a bundled source text.

    Data is decided by reading the file as the tool would (within the size limit): a mapping with
    a ``schema_version`` is a position, dossier, exercise, schedule or submission, whatever the
    file's name. A text in the ``sources/`` folder of a dossier, or the ``materials/`` of an
    exercise, is part of the record too. A file that exists but cannot be read counts as data:
    when in doubt, do not overwrite.
    """
    if not path.is_file():
        return False
    folder = path.parent
    if (folder.name == "sources" and _holds(folder.parent, DOSSIER_FILE_NAMES)) or (
        folder.name == "materials" and _holds(folder.parent, EXERCISE_FILE_NAMES)
    ):
        return True
    try:
        raw = read_file(path)
    except InputError as err:
        # Too big to be read as data is not data; anything else unreadable might be.
        return "larger than the limit" not in err.problems[0].message
    keys = _top_level_keys(raw, json_first=path.suffix.lower() == ".json" or raw.lstrip()[:1] == b"{")
    if keys is not None:
        return "schema_version" in keys
    return path.suffix.lower() in DATA_SUFFIXES and _DECLARES_VERSION.search(raw[:65536]) is not None


def _holds(folder: Path, names: tuple[str, ...]) -> bool:
    return any((folder / name).is_file() for name in names)


def data_folder(folder: Path) -> Path | None:
    """The dossier or exercise folder that ``folder`` is, or whose data it holds (``sources/``,
    ``private/``, ``materials/``, ``submissions/`` and its ``round-N/``), or None.

    >>> data_folder(Path("/")) is None
    True
    """
    resolved = Path(os.path.realpath(folder))
    candidates = [resolved]
    if resolved.name in _DATA_SUBFOLDERS:
        candidates.append(resolved.parent)
    if _ROUND_FOLDER.match(resolved.name) and resolved.parent.name == "submissions":
        candidates.append(resolved.parent.parent)
    for candidate in candidates:
        if _holds(candidate, DOSSIER_FILE_NAMES) or _holds(candidate, EXERCISE_FILE_NAMES):
            return candidate
    return None


#: The folders of a dossier or an exercise that hold its data: source texts, confidential schedules,
#: materials, team submissions.
_DATA_SUBFOLDERS = ("sources", "private", "materials", "submissions")


# ---------------------------------------------------------------------------------------------
# Writing


def check_name(path: str | Path) -> None:
    """Refuse a path the file system cannot hold (a name over 255 bytes, a path over 4096) as a usage error."""
    raw = os.fsencode(path)
    if len(raw) > PATH_MAX_BYTES or any(len(part) > NAME_MAX_BYTES for part in raw.split(b"/")):
        shown = os.fsdecode(raw[:60]) + "..."
        raise UsageError(f"{shown}: file name too long (at most {NAME_MAX_BYTES} bytes per name)")


def _descriptor(path: Path) -> int | None:
    """The descriptor a name means (/dev/stdout 1, /dev/stderr 2, /dev/fd/N and /proc/self/fd/N N), or None."""
    text = os.path.normpath(str(path))
    named = {"/dev/stdout": 1, "/dev/stderr": 2}
    if text in named:
        return named[text]
    match = re.fullmatch(r"/dev/fd/(\d+)|/proc/self/fd/(\d+)", text)
    return int(match.group(1) or match.group(2)) if match else None


def _write_through(target: Path, data: bytes) -> None:
    """Write to a named descriptor, or a device, in place: it is not a file of ours, so it is never replaced.

    A descriptor is written as it is open (a shell's ``>>`` keeps appending), never opened anew.
    """
    fd = _descriptor(target)
    try:
        owned = fd is None
        if fd is None:
            fd = os.open(target, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0))
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            if owned:
                os.close(fd)
    except OSError as exc:
        raise ExportError(f"{target}: cannot write ({exc.strerror})") from None


def _new_file_mode(private: bool) -> int:
    """0600 for a private file; else what the umask allows of 0666, as a shell redirection would give."""
    if private:
        return 0o600
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def replace_target(path: str | Path) -> Path | None:
    """Where an atomic write of ``path`` goes: the file itself, or the file a symbolic link names.

    None when ``path`` is a device or descriptor to write through. Raises :class:`ExportError`
    for what must not be replaced (a folder, a named pipe, a socket, a block device).
    """
    target = Path(path)
    check_name(target)
    if _descriptor(target) is not None:
        return None  # the user named a descriptor: write to it as it is open, whatever it is
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise ExportError(f"{target}: cannot write ({exc.strerror})") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise ExportError(f"{target}: is a folder; give a file name")
        if stat.S_ISCHR(info.st_mode):
            return None
        raise ExportError(f"{target}: {_not_a_file(info.st_mode)}; refusing to replace it")
    # A link is followed, as a shell redirection would: the file it names is replaced, the link stays.
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def check_writable(
    path: str | Path, *, allow_data_overwrite: bool = False, into_data_folder: bool = False
) -> Path | None:
    """Check ``path`` against the output policy without writing; return :func:`replace_target`'s answer."""
    target = replace_target(path)
    if target is None:
        return None
    if not allow_data_overwrite and is_position_data(target):
        raise ExportError(f"{path}: refusing to overwrite a negotiation data file")
    folder = target.parent if str(target.parent) else Path(".")
    if not into_data_folder:
        owner = data_folder(folder)
        if owner is not None:
            raise ExportError(
                f"{path}: refusing to write into a dossier or exercise folder (files there are read as data); "
                "write elsewhere"
            )
    if not folder.is_dir():
        raise ExportError(f"{path}: folder {folder} does not exist")
    return target


def write_atomic(
    path: str | Path,
    content: str | bytes,
    *,
    allow_data_overwrite: bool = False,
    into_data_folder: bool = False,
    private: bool = False,
) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder and a rename.

    A reader (or a crash) sees either the old file or the complete new one, never half of it. The
    output policy of this module applies: ``allow_data_overwrite`` lets a library caller replace a
    data file, ``into_data_folder`` write into a dossier or exercise folder, and ``private`` makes
    the file readable by its owner only.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    target = check_writable(path, allow_data_overwrite=allow_data_overwrite, into_data_folder=into_data_folder)
    if target is None:
        _write_through(Path(path), data)
        return
    _commit(path, _stage(path, target, data, private), target)


def write_files(files: Mapping[Path, str | bytes]) -> None:
    """Write several files as one: all of them or, on any failure before the last rename, none.

    Every target is checked against the output policy first, then every file is written whole to a
    temporary file beside its target, and only then are they renamed into place. (A rename can
    still fail half-way through in principle; each file is then still whole.)
    """
    targets: list[tuple[Path, Path, bytes]] = []
    for path, content in files.items():
        target = check_writable(path)
        if target is None:
            raise ExportError(f"{path}: is a device, not a file; a set of files is written to files only")
        targets.append((path, target, content.encode("utf-8") if isinstance(content, str) else content))
    staged: list[tuple[Path, str, Path]] = []
    try:
        for path, target, data in targets:
            staged.append((path, _stage(path, target, data, False), target))
    except BaseException:
        for _, tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for k, (path, tmp, target) in enumerate(staged):
        try:
            _commit(path, tmp, target)
        except BaseException:
            for _, rest, _ in staged[k + 1 :]:
                Path(rest).unlink(missing_ok=True)
            raise


def _stage(path: str | Path, target: Path, data: bytes, private: bool) -> str:
    """Write ``data`` whole to a temporary file beside ``target``, synced, with the mode it will have."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        mode = stat.S_IMODE(target.stat().st_mode) if target.is_file() else _new_file_mode(private)
    except OSError:
        mode = _new_file_mode(private)
    if private:
        mode &= 0o700
    stem = os.fsencode(target.name)[:TEMP_NAME_BYTES].decode("utf-8", "ignore")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write here ({exc.strerror})") from None
    with _removed_on_failure(path, tmp):
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # a replaced file keeps its permissions
    return tmp


def _commit(path: str | Path, tmp: str, target: Path) -> None:
    """Rename a staged file over its target and sync the folder; on failure the temporary file goes."""
    with _removed_on_failure(path, tmp):
        os.replace(tmp, target)
        _sync_folder(target.parent if str(target.parent) else Path("."))


@contextlib.contextmanager
def _removed_on_failure(path: str | Path, tmp: str) -> Iterator[None]:
    """Run the block; if it fails, remove the temporary file (an OSError becomes an ExportError on ``path``)."""
    try:
        yield
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write ({exc.strerror})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    """Flush the folder entry of the rename to disk, so that a power cut cannot undo it (POSIX only)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        # Some file systems cannot sync a folder; the rename itself is still atomic.
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def remove_file(path: str | Path) -> None:
    """Delete a file the tool itself made (a cache entry); a file already gone is no error."""
    Path(path).unlink(missing_ok=True)


def remove_empty_folders(folders: list[Path]) -> None:
    """Remove folders the tool made for a write that failed, deepest first; one that is not empty stays."""
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()
