"""Reading files: permissions, size limits, byte-order marks and line endings, in-process.

The suite runs as root in CI, and root reads any file whatever its permissions, so an unreadable
file is simulated by making the loader's open step raise PermissionError; a real chmod test runs
only for an ordinary user.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from negotiation import io
from negotiation.errors import InputError
from negotiation.loading import parse_file
from tests.conftest import Run

VALID = Path(__file__).parent / "data" / "valid"
POSITION = VALID / "lake-varna" / "ald-proposal-2031-03-01.yaml"


def _deny(path: Path) -> int:
    raise PermissionError(13, "Permission denied", str(path))


def test_permission_denied_is_one_line_exit_2(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the user may not read is reported as unreadable, exit 2, one line, no traceback."""
    monkeypatch.setattr(io, "_open_file", _deny)
    result = cli("validate", "lake-varna/ald-proposal-2031-03-01.yaml", cwd=VALID)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == "lake-varna/ald-proposal-2031-03-01.yaml:0:0: (file): unreadable: permission denied\n"


def test_permission_denied_inside_a_dossier(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """One unreadable position file in a dossier is reported, and the others are still checked."""
    real = io._open_file

    def deny_one(path: Path) -> int:
        return _deny(path) if path.name == "brv-response-2031-04-15.yaml" else real(path)

    monkeypatch.setattr(io, "_open_file", deny_one)
    result = cli("positions", "--dossier", "lake-varna", cwd=VALID)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == "lake-varna/brv-response-2031-04-15.yaml:0:0: (file): unreadable: permission denied\n"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_real_unreadable_file(tmp_path: Path) -> None:
    """For an ordinary user, a chmod 000 file is reported as permission denied."""
    target = tmp_path / "secret.yaml"
    target.write_text("schema_version: 1\n", encoding="utf-8")
    target.chmod(0)
    with pytest.raises(InputError) as info:
        parse_file(target, "secret.yaml")
    assert [str(p) for p in info.value.problems] == ["secret.yaml:0:0: (file): unreadable: permission denied"]


@pytest.mark.parametrize("claimed", ["true size", "size 0"])
def test_size_limit_counts_bytes_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, claimed: str) -> None:
    """A file over the limit is refused by its size before reading, and, when it claims to be empty
    (as files in /proc do), after reading at most the limit and one byte."""
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 100)
    target = tmp_path / "big.yaml"
    target.write_text("notes: " + "x" * 200 + "\n", encoding="utf-8")
    reads: list[int] = []
    real_read, real_fstat = os.read, os.fstat

    def counting_read(fd: int, n: int) -> bytes:
        reads.append(n)
        return real_read(fd, n)

    def lying_fstat(fd: int) -> os.stat_result:
        info = list(real_fstat(fd))
        info[6] = 0  # st_size
        return os.stat_result(info)

    monkeypatch.setattr(io.os, "read", counting_read)
    if claimed == "size 0":
        monkeypatch.setattr(io.os, "fstat", lying_fstat)
    with pytest.raises(InputError) as info:
        parse_file(target, "big.yaml")
    assert [str(p) for p in info.value.problems] == [
        "big.yaml:0:0: (file): unreadable: larger than the limit of 100 bytes"
    ]
    assert sum(reads) == (0 if claimed == "true size" else 101)


def test_utf8_bom_and_crlf_read_like_plain_text(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark and CRLF line ends change neither the data nor the located lines."""
    plain = POSITION.read_bytes()
    target = tmp_path / "windows.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + plain.replace(b"\n", b"\r\n"))
    windows, unix = parse_file(target), parse_file(POSITION)
    assert windows.data == unix.data
    assert windows.locate(("provisions", 2, "text")) == unix.locate(("provisions", 2, "text")) == (64, 11)


def test_json_values_keep_json_meaning(tmp_path: Path) -> None:
    """Locating a JSON problem reads the text as YAML for positions only; the data stays JSON's."""
    target = tmp_path / "p.json"
    target.write_text('{"schema_version": 1, "version": 1e3, "title": "2031-01-01"}\n', encoding="utf-8")
    doc = parse_file(target)
    assert doc.locate(("version",)) == (1, 34)
    assert doc.data == {"schema_version": 1, "version": 1000.0, "title": "2031-01-01"}
