"""No data loss: every write is atomic, a killed writer leaves the old or the new file whole, and
no command touches a position file."""

from __future__ import annotations

import ast
import os
import random
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from negotiation import io as nio
from negotiation.errors import ExportError, UsageError
from tests.conftest import Run

ROOT = Path(__file__).parent.parent
VALID = Path(__file__).parent / "data" / "valid"


def test_write_creates_and_replaces(tmp_path: Path) -> None:
    """write_atomic writes text as UTF-8 and replaces an existing export, leaving no temporary file."""
    target = tmp_path / "out.csv"
    nio.write_atomic(target, "a,é\n")
    nio.write_atomic(target, b"b\n")
    assert target.read_bytes() == b"b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


@pytest.mark.parametrize("name", ["n" * 251 + ".csv", "é" * 125 + ".md"])
def test_a_name_that_fills_the_limit_is_written(tmp_path: Path, name: str) -> None:
    """A target whose name nearly fills the 255-byte limit is written (its temporary name is shorter)."""
    assert 240 <= len(name.encode()) <= 255
    target = tmp_path / name
    nio.write_atomic(target, "a\n")
    nio.write_atomic(target, "b\n")
    assert target.read_text() == "b\n"
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    """A replaced export keeps its mode; a new one is 0644."""
    target = tmp_path / "out.csv"
    nio.write_atomic(target, "1\n")
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o600)
    nio.write_atomic(target, "2\n")
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("p.yaml", "schema_version: 1\nid: a\n"),
        ("p.yml", "# comment\nschema_version: 1\n"),
        ("p.json", '{\n  "schema_version": 1\n}\n'),
    ],
)
def test_refuses_to_overwrite_data(tmp_path: Path, name: str, content: str) -> None:
    """A file declaring a schema version is never overwritten unless asked; it stays byte for byte."""
    target = tmp_path / name
    target.write_text(content, encoding="utf-8")
    with pytest.raises(ExportError, match="refusing to overwrite a negotiation data file"):
        nio.write_atomic(target, "x")
    assert target.read_text(encoding="utf-8") == content
    nio.write_atomic(target, "x", allow_data_overwrite=True)
    assert target.read_text(encoding="utf-8") == "x"


def test_refuses_through_a_symbolic_link(tmp_path: Path) -> None:
    """An output path that is a link to a position file is refused as well."""
    data = tmp_path / "p.yaml"
    data.write_text("schema_version: 1\n", encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to(data)
    with pytest.raises(ExportError):
        nio.write_atomic(tmp_path / "link.yaml", "x")
    assert data.read_text(encoding="utf-8") == "schema_version: 1\n"


def test_a_json_schema_file_may_be_refreshed(tmp_path: Path) -> None:
    """A JSON Schema only names schema_version as a property, so it can be rewritten."""
    target = tmp_path / "position-v1.json"
    target.write_text('{\n  "properties": {\n    "schema_version": {\n      "type": "integer"\n', encoding="utf-8")
    nio.write_atomic(target, "{}\n")
    assert target.read_text(encoding="utf-8") == "{}\n"


def test_folder_and_missing_folder(tmp_path: Path) -> None:
    """A folder as target, or a target in a missing folder, is an ExportError."""
    with pytest.raises(ExportError, match="is a folder"):
        nio.write_atomic(tmp_path, "x")
    with pytest.raises(ExportError, match="does not exist"):
        nio.write_atomic(tmp_path / "nowhere" / "x.csv", "x")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("p.json", '{"schema_version":1,"id":"a","party":"a"}'),
        ("notes.txt", "schema_version: 1\nid: a\n"),
        ("flow.yaml", "{schema_version: 1, id: a}\n"),
        ("marker.yaml", "%YAML 1.1\n---\nschema_version: 1\n"),
        ("bom.json", '\ufeff{"id": "a", "schema_version": 1}'),
        ("later.yaml", "id: a\ntitle: x\nschema_version: 2\n"),
        ("editing.yaml", "schema_version: 1\nid: [unclosed\n"),
    ],
)
def test_data_is_decided_by_what_the_file_is(tmp_path: Path, name: str, content: str) -> None:
    """A file whose top level is a mapping with a schema_version is data, whatever its name or layout
    (minified JSON, a .txt name, flow style, directives, a byte-order mark, the key last); a data file in
    the middle of an edit (it no longer parses) still is."""
    target = tmp_path / name
    target.write_text(content, encoding="utf-8")
    assert nio.is_position_data(target)
    with pytest.raises(ExportError, match="refusing to overwrite a negotiation data file"):
        nio.write_atomic(target, "x")
    assert target.read_text(encoding="utf-8") == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("table.json", '[{"schema_version": 1}]'),
        ("nested.yaml", "meta:\n  schema_version: 1\n"),
        ("quoted.txt", "say schema_version: 1 in text\n"),
        ("schema.json", '{"properties": {"schema_version": {"type": "integer"}}}'),
    ],
)
def test_other_files_are_not_data(tmp_path: Path, name: str, content: str) -> None:
    """A list, a nested schema_version, prose that mentions one and a JSON Schema are exports, not data."""
    target = tmp_path / name
    target.write_text(content, encoding="utf-8")
    assert not nio.is_position_data(target)
    nio.write_atomic(target, "x")
    assert target.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize(
    ("layout", "target"),
    [
        ("dossier.yaml", "table.csv"),
        ("dossier.yaml", "sources/new.md"),
        ("exercise.yaml", "out.md"),
        ("exercise.yaml", "private/notes.md"),
        ("exercise.yaml", "materials/new.md"),
        ("exercise.yaml", "submissions/round-2/x.md"),
    ],
)
def test_nothing_is_written_into_a_data_folder_unless_asked(tmp_path: Path, layout: str, target: str) -> None:
    """A dossier or exercise folder, and the folders that hold its data, take no output unless a library
    caller asks (into_data_folder); a source text or material stays data even then."""
    (tmp_path / layout).write_text("schema_version: 1\n", encoding="utf-8")
    path = tmp_path / target
    path.parent.mkdir(parents=True, exist_ok=True)
    with pytest.raises(ExportError, match="refusing to write into a dossier or exercise folder"):
        nio.write_atomic(path, "x")
    assert not path.exists()
    nio.write_atomic(path, "x", into_data_folder=True)
    assert path.read_text(encoding="utf-8") == "x"
    if path.parent.name in ("sources", "materials"):
        with pytest.raises(ExportError, match="refusing to overwrite a negotiation data file"):
            nio.write_atomic(path, "y", into_data_folder=True)


def test_a_folder_beside_a_data_folder_is_free(tmp_path: Path) -> None:
    """A folder of the user's own inside an exercise (briefs/) is not where data is read from: writes go in."""
    (tmp_path / "exercise.yaml").write_text("schema_version: 1\n", encoding="utf-8")
    (tmp_path / "briefs").mkdir()
    nio.write_atomic(tmp_path / "briefs" / "general.md", "x")
    assert (tmp_path / "briefs" / "general.md").read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize(
    ("umask", "private", "mode"),
    [(0o022, False, 0o644), (0o077, False, 0o600), (0o027, False, 0o640), (0o000, True, 0o600)],
)
def test_new_files_honour_the_umask(tmp_path: Path, umask: int, private: bool, mode: int) -> None:
    """A new file gets what the umask allows of 0666, as a shell redirection would; a private one is 0600."""
    old = os.umask(umask)
    try:
        nio.write_atomic(tmp_path / "out.md", "x", private=private)
    finally:
        os.umask(old)
    assert (tmp_path / "out.md").stat().st_mode & 0o777 == mode


def test_a_character_device_is_written_through() -> None:
    """/dev/null is written through, never replaced by a regular file (as root, a rename would replace it)."""
    assert nio.replace_target("/dev/null") is None  # checked first: the write below must not rename
    before = os.stat("/dev/null")
    nio.write_atomic("/dev/null", "x" * 100_000)
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_a_named_descriptor_is_written_through() -> None:
    """/dev/fd/N (a pipe here, as from process substitution) is written to, in order and whole."""
    read_end, write_end = os.pipe()
    try:
        nio.write_atomic(f"/dev/fd/{write_end}", "through the pipe\n")
        os.close(write_end)
        write_end = -1
        assert os.read(read_end, 100) == b"through the pipe\n"
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)


def test_a_descriptor_on_a_file_is_written_as_open(tmp_path: Path) -> None:
    """/dev/fd/N on a file opened for appending (a shell's >>) appends: the file is neither replaced
    nor truncated."""
    target = tmp_path / "log.txt"
    target.write_text("kept\n", encoding="utf-8")
    inode = target.stat().st_ino
    fd = os.open(target, os.O_WRONLY | os.O_APPEND)
    try:
        nio.write_atomic(f"/dev/fd/{fd}", "added\n")
    finally:
        os.close(fd)
    assert target.read_text(encoding="utf-8") == "kept\nadded\n"
    assert target.stat().st_ino == inode


def test_a_named_pipe_or_socket_is_refused(tmp_path: Path) -> None:
    """A named pipe (a write would wait for a reader) or a socket given by name is refused and left as it is."""
    os.mkfifo(tmp_path / "pipe.csv")
    with pytest.raises(ExportError, match="is a named pipe, not a file; refusing to replace it"):
        nio.write_atomic(tmp_path / "pipe.csv", "x")
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe.csv").st_mode)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "s.csv"))
        with pytest.raises(ExportError, match="is a socket, not a file; refusing to replace it"):
            nio.write_atomic(tmp_path / "s.csv", "x")
        assert stat.S_ISSOCK(os.lstat(tmp_path / "s.csv").st_mode)


def test_a_link_is_followed_and_kept(tmp_path: Path) -> None:
    """Writing to a link to a file replaces the file it names; the link stays a link."""
    (tmp_path / "real.csv").write_text("old\n", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to("real.csv")
    nio.write_atomic(tmp_path / "link.csv", "new\n")
    assert (tmp_path / "link.csv").is_symlink()
    assert (tmp_path / "real.csv").read_text(encoding="utf-8") == "new\n"


def test_a_name_too_long_is_a_usage_error(tmp_path: Path) -> None:
    """A name the file system cannot hold is a usage mistake (exit 2), not an internal error."""
    with pytest.raises(UsageError, match="file name too long"):
        nio.write_atomic(tmp_path / ("n" * 256), "x")
    with pytest.raises(UsageError, match="file name too long"):
        nio.write_atomic("/".join(["d" * 200] * 21), "x")


def test_failed_rename_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the final rename fails, the old file is intact and the temporary file is removed."""
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(nio.os, "replace", fail)
    with pytest.raises(ExportError, match="No space left on device"):
        nio.write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


WRITER = """
import sys
from negotiation.io import write_atomic
target, size = sys.argv[1], int(sys.argv[2])
print("ready", flush=True)
i = 0
while True:
    letter = "AB"[i % 2]
    write_atomic(target, letter * size)
    i += 1
"""


def test_killed_writer_leaves_old_or_new_file_whole(tmp_path: Path) -> None:
    """SIGKILL at random moments during large writes: the target always holds one complete version."""
    size = 8 * 1024 * 1024
    target = tmp_path / "export.txt"
    target.write_bytes(b"O" * size)
    complete = {b"O" * size, b"A" * size, b"B" * size}
    rng = random.Random(7)
    for _ in range(8):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target), str(size)],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert writer.stdout is not None and writer.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.4))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        writer.stdout.close()
        assert writer.returncode == -signal.SIGKILL
        assert target.read_bytes() in complete
    # A killed writer may leave its temporary file behind, never a damaged target; clean them up.
    leftovers = [p for p in tmp_path.iterdir() if p.name != "export.txt"]
    assert all(p.name.startswith(".export.txt.") and p.name.endswith(".tmp") for p in leftovers)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_no_command_touches_a_position_file(cli: Run, tmp_path: Path) -> None:
    """Every record command, with and without --output, leaves every data file byte- and time-identical."""
    folder = tmp_path / "lake-varna"
    shutil.copytree(VALID / "lake-varna", folder)
    before = _snapshot(folder)
    position = "lake-varna/brv-response-2031-04-15.yaml"
    runs = [
        ("validate", "lake-varna"),
        ("validate", position),
        ("positions", "-d", "lake-varna", "-f", "json"),
        ("show", position, "-f", "csv"),
        ("issues", "-d", "lake-varna", "-f", "markdown"),
        ("schema", "position"),
        ("formats",),
        ("positions", "-d", "lake-varna", "-o", position),
        ("show", position, "-o", "lake-varna/dossier.yaml"),
        ("schema", "dossier", "-o", "lake-varna/lvc-statement-2031-04-20.json"),
    ]
    codes = [cli(*args, cwd=tmp_path).code for args in runs]
    assert codes == [0, 0, 0, 0, 0, 0, 0, 2, 2, 2]
    assert _snapshot(folder) == before


#: Calls that write, move or delete files; only negotiation/io.py may make them.
WRITING_CALLS = {"write_text", "write_bytes", "unlink", "rename", "rmdir", "rmtree", "remove", "touch", "mkstemp"}


def _writes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in WRITING_CALLS or (isinstance(func, ast.Attribute) and name == "replace" and _is_os(func.value)):
            found.append(f"{path.name}:{node.lineno} {name}")
        if name == "open" and any(
            isinstance(a, ast.Constant) and isinstance(a.value, str) and set(a.value) & set("wax+")
            for a in [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "mode")]
        ):
            found.append(f"{path.name}:{node.lineno} open for writing")
    return found


def _is_os(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in {"os", "shutil"}


def test_only_io_writes_files() -> None:
    """No module but negotiation/io.py writes, moves or deletes a file: every write goes through write_atomic."""
    offenders = [
        hit
        for path in sorted((ROOT / "negotiation").rglob("*.py"))
        if path != ROOT / "negotiation" / "io.py"
        for hit in _writes(path)
    ]
    assert offenders == []
