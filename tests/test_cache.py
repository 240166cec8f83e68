"""The cache of validated dossiers: hits on unchanged files, misses on any change, never stores errors,
never runs what it did not write, and is private to its user."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
from pathlib import Path

import pytest

from negotiation.errors import ValidationError
from negotiation.loading import cache, dossier, load_dossier
from tests.conftest import Run

VALID = Path(__file__).resolve().parent / "data" / "valid" / "lake-varna"


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of a valid dossier, with the cache turned on in a folder of its own."""
    monkeypatch.delenv("NEGOTIATION_NO_CACHE", raising=False)
    monkeypatch.setenv("NEGOTIATION_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "lake-varna"
    shutil.copytree(VALID, folder)
    return folder


def _count_folder_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = dossier._load_folder

    def counting(folder: Path, shown: str, *rest):  # type: ignore[no-untyped-def]
        calls.append(shown)
        return real(folder, shown, *rest)

    monkeypatch.setattr(dossier, "_load_folder", counting)
    return calls


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.entry"))


def test_unchanged_dossier_is_not_parsed_again(cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second load of the same files comes from the cache and equals the first."""
    calls = _count_folder_loads(monkeypatch)
    first = load_dossier(cached)
    second = load_dossier(cached)
    assert calls == [str(cached)]
    assert second.positions == first.positions and second.dossier == first.dossier
    assert len(_entries(cached.parent / "cache")) == 1


def test_any_changed_byte_is_read_afresh(cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Editing one file (here: a title) misses the cache and the new content is what loads."""
    calls = _count_folder_loads(monkeypatch)
    load_dossier(cached)
    target = next(p for p in sorted(cached.glob("*.yaml")) if p.name != "dossier.yaml")
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("title: ", "title: Edited ", 1), encoding="utf-8")
    record = load_dossier(cached)
    assert len(calls) == 2
    assert any(p.title.startswith("Edited ") for p in record.positions.values())


def test_invalid_dossier_is_never_stored(cached: Path) -> None:
    """A dossier that fails a check is not cached: the next load reports the problem again."""
    target = next(p for p in sorted(cached.glob("*.yaml")) if p.name != "dossier.yaml")
    target.write_text(target.read_text(encoding="utf-8").replace("stance: ", "stance: bogus-", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ValidationError):
            load_dossier(cached)
    assert not (cached.parent / "cache").exists() or not _entries(cached.parent / "cache")


def test_unwritable_cache_is_ignored(cached: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A cache folder that cannot be made (a file stands in its place) only costs the saving."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("NEGOTIATION_CACHE_DIR", str(blocker / "cache"))
    assert load_dossier(cached).id == load_dossier(cached).id


def test_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """NEGOTIATION_NO_CACHE turns the cache off; otherwise NEGOTIATION_CACHE_DIR names its folder."""
    monkeypatch.setenv("NEGOTIATION_NO_CACHE", "1")
    assert cache.cache_dir() is None
    monkeypatch.delenv("NEGOTIATION_NO_CACHE")
    monkeypatch.setenv("NEGOTIATION_CACHE_DIR", "/somewhere/else")
    assert cache.cache_dir() == Path("/somewhere/else")


def test_folder_key_and_entries_are_private(cached: Path) -> None:
    """The cache folder is made 0700 and its key and entries 0600, whatever the umask."""
    old = os.umask(0)
    try:
        load_dossier(cached)
    finally:
        os.umask(old)
    folder = cached.parent / "cache"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / cache.KEY_FILE).stat().st_mode) == 0o600
    assert [stat.S_IMODE(p.stat().st_mode) for p in _entries(folder)] == [0o600]


class _Payload:
    """Unpickling this writes a marker file: the proof that a planted entry ran code."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (Path(self.marker), "ran"))


def _key_of(folder: Path) -> str:
    files = [(p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if p.suffix in (".yaml", ".json")]
    key = cache.key_for(files, str(folder))
    assert key is not None
    return key


@pytest.mark.parametrize("shape", ["bare-pickle", "magic-then-pickle", "forged-hmac"])
def test_a_planted_entry_never_runs(cached: Path, tmp_path: Path, shape: str) -> None:
    """A pickle planted under the predictable key (bare, behind the format line, or with a made-up HMAC)
    is never unpickled: the load is a miss, validates afresh, and the payload never runs."""
    marker = tmp_path / "pwned"
    body = pickle.dumps(_Payload(str(marker)))
    folder = cached.parent / "cache"
    load_dossier(cached)  # makes the folder and the key, as an earlier run would have
    planted = {
        "bare-pickle": body,
        "magic-then-pickle": cache.MAGIC + body,
        "forged-hmac": cache.MAGIC + b"\0" * 32 + body,
    }[shape]
    (folder / f"{_key_of(cached)}.entry").write_bytes(planted)
    record = load_dossier(cached)
    assert not marker.exists()
    assert record.id == "lake-varna"


@pytest.mark.parametrize("shape", ["empty", "truncated", "flipped-byte", "a-folder", "a-named-pipe", "huge"])
def test_an_unreadable_entry_is_a_miss(cached: Path, cli: Run, shape: str) -> None:
    """An entry that is empty, cut short, altered, a folder, a named pipe or oversized is a miss: the
    dossier validates afresh (exit 0), never exit 3 and never a hang."""
    load_dossier(cached)
    entry = _entries(cached.parent / "cache")[0]
    raw = entry.read_bytes()
    entry.unlink()
    if shape == "empty":
        entry.write_bytes(b"")
    elif shape == "truncated":
        entry.write_bytes(raw[: len(raw) // 2])
    elif shape == "flipped-byte":
        entry.write_bytes(raw[:-10] + bytes([raw[-10] ^ 1]) + raw[-9:])
    elif shape == "a-folder":
        entry.mkdir()
    elif shape == "a-named-pipe":
        os.mkfifo(entry)
    else:
        with entry.open("wb") as handle:
            handle.truncate(cache.MAX_ENTRY_BYTES + 1)
    done = cli("validate", str(cached))
    assert (done.code, done.stderr) == (0, "")


def test_an_entry_of_another_key_is_a_miss(cached: Path, tmp_path: Path) -> None:
    """Entries are bound to this user's key: the same bytes signed under another key do not load."""
    load_dossier(cached)
    folder = cached.parent / "cache"
    entry = _entries(folder)[0]
    entry.write_bytes(cache.entry_bytes(load_dossier(cached), b"k" * 32))
    assert cache.load(entry.name.removesuffix(".entry")) is None


def test_a_folder_of_another_user_is_not_used(cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder owned by someone else is treated as no cache: nothing is read from it or written to it."""
    folder = cached.parent / "cache"
    folder.mkdir(mode=0o700)
    real_uid = os.getuid()
    monkeypatch.setattr(cache.os, "getuid", lambda: real_uid + 1)
    calls = _count_folder_loads(monkeypatch)
    load_dossier(cached)
    load_dossier(cached)
    assert len(calls) == 2
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("shape", ["group-writable", "world-writable", "symbolic-link"])
def test_a_folder_others_can_write_is_not_used(cached: Path, tmp_path: Path, shape: str) -> None:
    """A cache folder that others may write to (group or world writable, or a link to anywhere) is not used."""
    folder = cached.parent / "cache"
    if shape == "symbolic-link":
        real = tmp_path / "elsewhere"
        real.mkdir(mode=0o700)
        folder.symlink_to(real)
    else:
        folder.mkdir()
        os.chmod(folder, 0o770 if shape == "group-writable" else 0o777)
    load_dossier(cached)
    assert cache.usable_dir(create=True) is None
    assert list(folder.iterdir()) == []


def test_the_key_covers_every_module_that_decides_validity(monkeypatch: pytest.MonkeyPatch) -> None:
    """The key hashes the release and the code of the whole loading package (dossier.py included), the
    schema, the errors and the data-file endings: a change in any of them is a miss."""
    names = cache.rule_modules()
    for name in (
        "negotiation",
        "negotiation.schema",
        "negotiation.errors",
        "negotiation.io",
        "negotiation.loading.dossier",
        "negotiation.loading.parse",
        "negotiation.loading.validate",
        "negotiation.loading.integrity",
        "negotiation.loading.cache",
    ):
        assert name in names
    before = cache.key_for([("dossier.yaml", b"id: x")], "x")
    real = cache._module_code
    monkeypatch.setattr(
        cache, "_module_code", lambda n: real(n) + (b"#" if n == "negotiation.loading.dossier" else b"")
    )
    cache.rules_digest.cache_clear()
    try:
        assert cache.key_for([("dossier.yaml", b"id: x")], "x") != before
    finally:
        cache.rules_digest.cache_clear()


def test_an_install_without_sources_still_caches_or_misses(monkeypatch: pytest.MonkeyPatch, cached: Path) -> None:
    """Without .py sources the key hashes the compiled code; with nothing readable there is no cache, never a crash."""

    class NoSource:
        def __init__(self, real: object) -> None:
            self.real = real

        def get_source(self, name: str) -> None:
            return None

        def get_code(self, name: str) -> object:
            return self.real.get_code(name)  # type: ignore[attr-defined]

    real_find = cache.importlib.util.find_spec

    def find_spec(name: str):  # type: ignore[no-untyped-def]
        spec = real_find(name)
        spec.loader = NoSource(spec.loader)
        return spec

    monkeypatch.setattr(cache.importlib.util, "find_spec", find_spec)
    cache.rules_digest.cache_clear()
    try:
        assert cache.rules_digest() is not None
        monkeypatch.setattr(cache.importlib.util, "find_spec", lambda name: None)
        cache.rules_digest.cache_clear()
        assert cache.key_for([("dossier.yaml", b"id: x")], "x") is None
        assert load_dossier(cached).id == "lake-varna"
    finally:
        cache.rules_digest.cache_clear()
