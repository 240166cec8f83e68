"""Builders of the hostile cases that need more than a committed file: the classes of issue 19.

Each builder makes its case in the test's scratch folder and returns the name the command uses as
``{case}``. The cache cases plant entries in the folder the test gives the command as its cache
(``<scratch>-cache``), as an attacker sharing that folder would.
"""

from __future__ import annotations

import os
import pickle
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from benchmarks.enumeration import opposed_exercise
from negotiation.io import DATA_SUFFIXES
from negotiation.loading import cache
from tests.import_fixtures import IMPORT_BUILDERS

ROOT = Path(__file__).resolve().parent.parent
LAKE = ROOT / "tests" / "data" / "valid" / "lake-varna"
KARST = ROOT / "examples" / "karst-lake-basin-accord"
FIVE_MIB = 5 * 1024 * 1024
SECRET = "TOPSECRET-hunter2 is the password of the mail server\n"


def _lake(folder: Path, name: str) -> Path:
    target = folder / name
    shutil.copytree(LAKE, target)
    return target


def _karst(folder: Path, name: str) -> Path:
    target = folder / name
    shutil.copytree(KARST, target)
    return target


def _sparse(path: Path, size: int = FIVE_MIB) -> None:
    # Sparse: the file claims 5 MiB without the test writing them (the child may write 1 MiB at most).
    with path.open("wb") as handle:
        handle.truncate(size)


# -- 1. the loader checks before it reads (every case also runs with the cache on) ---------------


def _fifo_in_dossier(folder: Path) -> str:
    os.mkfifo(_lake(folder, "fifo-in-dossier") / "zz-pipe.yaml")
    return "fifo-in-dossier"


def _too_big_in_dossier(folder: Path) -> str:
    _sparse(_lake(folder, "too-big-in-dossier") / "zz-big.yaml")
    return "too-big-in-dossier"


def _device_in_dossier(folder: Path) -> str:
    (_lake(folder, "device-in-dossier") / "zz-device.json").symlink_to("/dev/zero")
    return "device-in-dossier"


def _folder_in_dossier(folder: Path) -> str:
    (_lake(folder, "folder-in-dossier") / "zz-folder.yaml").mkdir()
    return "folder-in-dossier"


def _fifo_schedule(folder: Path) -> str:
    target = _karst(folder, "fifo-schedule")
    (target / "private" / "ngo.yaml").unlink()
    os.mkfifo(target / "private" / "ngo.yaml")
    return "fifo-schedule"


def _too_big_submission(folder: Path) -> str:
    _sparse(folder / "too-big-submission.yaml")
    return "too-big-submission.yaml"


# -- 2. the cache cannot run code or serve stale results ----------------------------------------


class _Payload:
    """Unpickling this writes ``pwned`` beside the case: the proof that a planted entry ran."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (Path(self.marker), "ran"))


def _plant(folder: Path, name: str, entry: Callable[[bytes], bytes], *, mode: int = 0o700) -> str:
    """A valid dossier, a cache folder as an earlier run left it (0700, a key), and an entry planted
    under the dossier's key; ``entry`` turns the pickled payload into the planted bytes."""
    target = _lake(folder, name)
    store = folder.parent / f"{folder.name}-cache"
    store.mkdir(mode=0o700, exist_ok=True)
    os.chmod(store, mode)
    key_file = store / cache.KEY_FILE
    key_file.write_bytes(secrets.token_bytes(32))
    os.chmod(key_file, 0o600)
    files = [(p.name, p.read_bytes()) for p in sorted(target.iterdir()) if p.suffix.lower() in DATA_SUFFIXES]
    key = cache.key_for(files, name)
    assert key is not None
    payload = pickle.dumps(_Payload(str(folder / "pwned")))
    (store / f"{key}.entry").write_bytes(entry(payload))
    return name


def _planted_pickle(folder: Path) -> str:
    return _plant(folder, "planted-pickle", lambda body: body)


def _forged_hmac(folder: Path) -> str:
    return _plant(folder, "forged-hmac", lambda body: cache.MAGIC + bytes(32) + body)


def _corrupt_entry(folder: Path) -> str:
    return _plant(folder, "corrupt-entry", lambda body: cache.MAGIC + b"\xff" * 7)


def _shared_cache_folder(folder: Path) -> str:
    return _plant(folder, "shared-cache-folder", lambda body: body, mode=0o777)


# -- 3. never destroy a user's data -------------------------------------------------------------


def _minified_json_position(folder: Path) -> str:
    (folder / "minified.json").write_text(
        '{"schema_version":1,"id":"a-1","party":"a","kind":"statement","title":"A"}', encoding="utf-8"
    )
    return "minified.json"


def _position_named_txt(folder: Path) -> str:
    shutil.copy(LAKE / "ald-proposal-2031-03-01.yaml", folder / "notes.txt")
    return "notes.txt"


def _dossier_source_text(folder: Path) -> str:
    _lake(folder, "dossier-source-text")
    return "dossier-source-text"


def _into_dossier_folder(folder: Path) -> str:
    _lake(folder, "into-dossier-folder")
    return "into-dossier-folder"


def _output_fifo(folder: Path) -> str:
    os.mkfifo(folder / "out.csv")
    return "out.csv"


def _schedule_as_output(folder: Path) -> str:
    _karst(folder, "schedule-as-output")
    return "schedule-as-output"


# -- 4. a pack is all or nothing ----------------------------------------------------------------


def _pack_over_a_position(folder: Path) -> str:
    (folder / "pack-over-a-position" / "json").mkdir(parents=True)
    shutil.copy(LAKE / "lvc-statement-2031-04-20.json", folder / "pack-over-a-position" / "json" / "matrix.json")
    return "pack-over-a-position"


def _pack_folder_where_a_file_goes(folder: Path) -> str:
    (folder / "pack-folder-where-a-file-goes" / "markdown" / "matrix.md").mkdir(parents=True)
    return "pack-folder-where-a-file-goes"


def _pack_file_where_a_folder_goes(folder: Path) -> str:
    (folder / "pack-file-where-a-folder-goes" / "markdown").mkdir(parents=True)
    (folder / "pack-file-where-a-folder-goes" / "markdown" / "diff").write_text("mine\n", encoding="utf-8")
    return "pack-file-where-a-folder-goes"


# -- 5. exercise commands are bounded -----------------------------------------------------------


def _opposed(name: str, parties: int, issues: int, *, reservation: float = 0.0) -> Callable[[Path], str]:
    def build(folder: Path) -> str:
        opposed_exercise(folder / name, parties, issues, 3, reservation=reservation)
        return name

    return build


# -- 6. no exit 3 from data ---------------------------------------------------------------------


def _edit(folder: Path, name: str, old: str, new: str, file: str = "ald-proposal-2031-03-01.yaml") -> str:
    target = _lake(folder, name) / file
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return name


def _noncharacter_in_title(folder: Path) -> str:
    return _edit(
        folder, "noncharacter-in-title", "title: Draft agreement on Lake Varna", 'title: "Draft \\uFFFE\\uFFFF\\x01"'
    )


def _long_title_docx(folder: Path) -> str:
    return _edit(folder, "long-title-docx", "title: Draft agreement on Lake Varna", "title: " + "T" * 1999)


def _integer_past_2_53(folder: Path) -> str:
    return _edit(folder, "integer-past-2-53", "version: 1\n", "version: 9007199254740993\n")


def _points(name: str, value: str) -> Callable[[Path], str]:
    def build(folder: Path) -> str:
        target = _karst(folder, name) / "private" / "ngo.yaml"
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace("a1: 0,", f"a1: {value},", 1), encoding="utf-8")
        return name

    return build


def _name_too_long(folder: Path) -> str:
    return "n" * 300 + ".yaml"


# -- 7. confidential stays confidential ---------------------------------------------------------


def _outside(folder: Path, name: str, relative: str) -> str:
    target = _karst(folder, name)
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    (target / relative).unlink()
    (target / relative).symlink_to(folder / "secret.txt")
    return name


def _schedule_linked_outside(folder: Path) -> str:
    return _outside(folder, "schedule-linked-outside", "private/ngo.yaml")


def _team_file_linked_outside(folder: Path) -> str:
    return _outside(folder, "team-file-linked-outside", "submissions/round-1/ngo.yaml")


def _text_file_as_position(folder: Path) -> str:
    (folder / "secret.yaml").write_text(SECRET, encoding="utf-8")
    return "secret.yaml"


def _briefs_under_umask(folder: Path) -> str:
    _karst(folder, "briefs-under-umask")
    return "briefs-under-umask"


def _markup_in_scenario(folder: Path) -> str:
    target = _karst(folder, "markup-in-scenario") / "exercise.yaml"
    text = target.read_text(encoding="utf-8")
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3))"
    target.write_text(text.replace("scenario: >-\n", f"scenario: >-\n  {hostile}\n", 1), encoding="utf-8")
    return "markup-in-scenario"


BUILDERS: dict[str, Callable[[Path], str]] = {
    **IMPORT_BUILDERS,
    "fifo-in-dossier": _fifo_in_dossier,
    "too-big-in-dossier": _too_big_in_dossier,
    "device-in-dossier": _device_in_dossier,
    "folder-in-dossier": _folder_in_dossier,
    "fifo-schedule": _fifo_schedule,
    "too-big-submission": _too_big_submission,
    "planted-pickle": _planted_pickle,
    "forged-hmac": _forged_hmac,
    "corrupt-entry": _corrupt_entry,
    "shared-cache-folder": _shared_cache_folder,
    "minified-json-position": _minified_json_position,
    "position-named-txt": _position_named_txt,
    "dossier-source-text": _dossier_source_text,
    "into-dossier-folder": _into_dossier_folder,
    "output-fifo": _output_fifo,
    "schedule-as-output": _schedule_as_output,
    "pack-over-a-position": _pack_over_a_position,
    "pack-folder-where-a-file-goes": _pack_folder_where_a_file_goes,
    "pack-file-where-a-folder-goes": _pack_file_where_a_folder_goes,
    "limit-over-budget": _opposed("limit-over-budget", 2, 13),
    "samples-over-budget": _opposed("samples-over-budget", 2, 5),
    "nearest-unreachable": _opposed("nearest-unreachable", 2, 11, reservation=10**6),
    "lint-opposed-9x3": _opposed("lint-opposed-9x3", 2, 9),
    "noncharacter-in-title": _noncharacter_in_title,
    "long-title-docx": _long_title_docx,
    "integer-past-2-53": _integer_past_2_53,
    "points-4000-digits": _points("points-4000-digits", "1" + "0" * 3999),
    "points-1.5e308": _points("points-1.5e308", "1.5e+308"),
    "name-too-long": _name_too_long,
    "schedule-linked-outside": _schedule_linked_outside,
    "team-file-linked-outside": _team_file_linked_outside,
    "text-file-as-position": _text_file_as_position,
    "briefs-under-umask": _briefs_under_umask,
    "markup-in-scenario": _markup_in_scenario,
}
