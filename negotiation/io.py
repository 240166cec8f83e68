"""Writing files safely: atomically, never over a position file, same bytes every time.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "table.csv"
>>> write_atomic(target, "a,b\\n")
>>> target.read_text()
'a,b\\n'
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path

from negotiation.errors import ExportError

#: The file endings of negotiation data (positions, dossiers, exercises); one list for the whole tool.
DATA_SUFFIXES = (".yaml", ".yml", ".json")
#: Bytes of the target's name kept in its temporary file's name. File systems allow 255 bytes per
#: name; the temporary name adds 14 (a dot, a dot, 8 random characters, ".tmp"), so a target whose own
#: name nearly fills the limit (a pack's diff/<id>--<id>.html, two 120-character ids) must not be
#: copied whole into it.
TEMP_NAME_BYTES = 100


# A data file declares its version as a top-level number: ``schema_version: 1`` in YAML,
# ``"schema_version": 1`` in JSON. (A JSON Schema only names the property: ``"schema_version": {``.)
_DECLARES_VERSION = re.compile(rb'(?m)^\s*"?schema_version"?\s*:\s*-?\d')


def is_position_data(path: Path) -> bool:
    """True when ``path`` holds negotiation data (a position, dossier or exercise file).

    A file that cannot be read counts as data: when in doubt, do not overwrite.
    """
    # Only a regular file is sniffed: opening a named pipe to read it would wait for a writer forever.
    if path.suffix.lower() not in DATA_SUFFIXES or not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError:
        return True
    return _DECLARES_VERSION.search(head) is not None


def write_atomic(path: str | Path, content: str | bytes, *, allow_data_overwrite: bool = False) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder and a rename.

    A reader (or a crash) sees either the old file or the complete new one, never half of it.
    Refuses to replace a position, dossier or exercise file unless ``allow_data_overwrite``.
    """
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"{target}: is a folder; give a file name")
    if not allow_data_overwrite and is_position_data(target):
        raise ExportError(f"{target}: refusing to overwrite a negotiation data file")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{target}: folder {folder} does not exist")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        mode = stat.S_IMODE(target.stat().st_mode) if target.is_file() else 0o644
    except OSError:
        mode = 0o644
    stem = os.fsencode(target.name)[:TEMP_NAME_BYTES].decode("utf-8", "ignore")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportError(f"{target}: cannot write here ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # a replaced file keeps its permissions
        os.replace(tmp, target)
        _sync_folder(folder)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"{target}: cannot write ({exc.strerror})") from None
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


def read_kept(entry: Path) -> object | None:
    """The object pickled in cache entry ``entry`` (touched, so that it counts as recently used), or
    None when it is missing or unreadable: a cache only ever saves time."""
    import pickle

    try:
        with entry.open("rb") as handle:
            value: object = pickle.load(handle)
        os.utime(entry)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return value


def keep(entry: Path, value: object, *, limit: int) -> None:
    """Pickle ``value`` into cache entry ``entry`` (atomically), keeping the ``limit`` most recently
    used entries of its folder; failures are ignored."""
    import pickle

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(entry, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        kept = sorted(entry.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[limit:]:
            remove_file(old)
    except (OSError, ExportError):
        return
