"""The cache of validated dossiers: hits on unchanged files, misses on any change, never stores errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from negotiation.errors import ValidationError
from negotiation.loading import cache, dossier, load_dossier

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

    def counting(folder: Path, shown: str):  # type: ignore[no-untyped-def]
        calls.append(shown)
        return real(folder, shown)

    monkeypatch.setattr(dossier, "_load_folder", counting)
    return calls


def test_unchanged_dossier_is_not_parsed_again(cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second load of the same files comes from the cache and equals the first."""
    calls = _count_folder_loads(monkeypatch)
    first = load_dossier(cached)
    second = load_dossier(cached)
    assert calls == [str(cached)]
    assert second.positions == first.positions and second.dossier == first.dossier
    assert len(list((cached.parent / "cache").glob("*.pickle"))) == 1


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
    assert not (cached.parent / "cache").exists() or not list((cached.parent / "cache").glob("*.pickle"))


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
