"""Load whole dossiers and loose position files, and check their integrity across files.

A dossier is a folder with ``dossier.yaml`` (parties, issue taxonomy, timeline) and one file per
position beside it; ``sources/`` holds the bundled source texts and is not read as data.

>>> record = load_dossier()                      # the bundled dossier          # doctest: +SKIP
>>> record.position("us-response-2022-01-26").party                            # doctest: +SKIP
'usa'
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from negotiation.errors import InputError, Problem, ValidationError, raise_for
from negotiation.io import DATA_SUFFIXES, DOSSIER_FILE_NAMES, read_file
from negotiation.loading import cache
from negotiation.loading.integrity import check_integrity
from negotiation.loading.parse import Document, parse_bytes
from negotiation.loading.record import LoadedDossier
from negotiation.loading.validate import build

# Re-exported: they lived here first.
from negotiation.places import BUNDLED_DOSSIER_ID as BUNDLED_DOSSIER_ID
from negotiation.places import bundled_dossier_path as bundled_dossier_path
from negotiation.places import bundled_root as bundled_root
from negotiation.places import dossier_folder
from negotiation.schema import Dossier, Issue, Position, issue_ancestors


def _display(path: Path, base: str | None) -> str:
    return os.path.join(base, path.name) if base is not None else str(path)


def _dossier_file(folder: Path) -> Path | None:
    # Anything named like a dossier file counts, so that a folder or a broken link of that name is
    # reported as unreadable rather than as a missing dossier.yaml.
    for name in DOSSIER_FILE_NAMES:
        candidate = folder / name
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return None


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Loading allocates millions of acyclic objects; the collector's repeated scans of them cost more
    than the parsing itself (measured: 2-3x slower loads). Nothing built here forms cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_dossier(path: str | Path | None = None) -> LoadedDossier:
    """Load and check a dossier folder (default: the bundled one); raise with every problem found."""
    with gc_paused():
        return _load_dossier(path)


def _load_dossier(path: str | Path | None) -> LoadedDossier:
    folder, shown = dossier_folder(path)
    if not folder.is_dir():
        what = "no such folder" if not folder.exists() else "not a folder"
        raise_for([Problem(shown, 0, 0, "", f"unreadable: {what}", unreadable=True)])
    # Every file is read once, by the one checked reader, before anything else: the cache key and
    # the parse both use these bytes, so a named pipe or a huge file is refused before it is hashed.
    contents = _read_folder(folder, shown)
    readable = [(p.name, raw) for p, raw in contents.items() if isinstance(raw, bytes)]
    key = cache.key_for(readable, shown) if len(readable) == len(contents) else None
    if key is not None:
        cached = cache.load(key)
        if cached is not None:
            return cached
    record, problems = _load_folder(folder, shown, contents)
    raise_for(problems)
    assert record is not None
    if key is not None:
        cache.store(key, record)
    return record


def _data_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in DATA_SUFFIXES)


def _read_folder(folder: Path, shown: str) -> dict[Path, bytes | InputError]:
    """The bytes of every data file in ``folder`` (or why it could not be read), by path in name order."""
    contents: dict[Path, bytes | InputError] = {}
    try:
        files = _data_files(folder)
    except OSError as exc:
        raise_for([Problem(shown, 0, 0, "", f"unreadable: {exc.strerror or exc}", unreadable=True)])
    for file in files:
        try:
            contents[file] = read_file(file, _display(file, shown))
        except InputError as err:
            contents[file] = err
    return contents


def _parse(file: Path, shown: str, contents: dict[Path, bytes | InputError]) -> Document:
    raw = contents.get(file)
    if raw is None:  # a dossier file of a name that is not a data file: read it now
        raw = read_file(file, shown)
    if isinstance(raw, InputError):
        raise raw
    return parse_bytes(shown, raw)


def _load_folder(
    folder: Path, shown: str, contents: dict[Path, bytes | InputError]
) -> tuple[LoadedDossier | None, list[Problem]]:
    dossier_file = _dossier_file(folder)
    if dossier_file is None:
        return None, [Problem(shown, 0, 0, "", "unreadable: no dossier.yaml in this folder", unreadable=True)]
    problems: list[Problem] = []
    dossier: Dossier | None = None
    dossier_doc: Document | None = None
    try:
        dossier_doc = _parse(dossier_file, _display(dossier_file, shown), contents)
        dossier, found = build(Dossier, dossier_doc)
        problems += found
    except InputError as err:
        problems += err.problems
    position_files = [p for p in contents if p.name not in DOSSIER_FILE_NAMES]
    loaded: list[tuple[Position, Document]] = []
    unloaded: set[str] = set()
    for file in position_files:
        position, doc, found = _load_position(file, _display(file, shown), contents)
        problems += found
        if position is not None and doc is not None:
            loaded.append((position, doc))
        else:
            unloaded.add(_declared_id(doc, file))
    if dossier is None:
        return None, problems
    record, found = assemble(dossier, loaded, root=folder, dossier_doc=dossier_doc, unloaded=unloaded)
    return record, problems + found


def _declared_id(doc: Document | None, file: Path) -> str:
    # The id a broken file meant to declare (else its name), so its absence is not reported twice.
    if doc is not None and isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
        return str(doc.data["id"])
    return file.stem


def _load_position(
    path: Path, shown: str, contents: dict[Path, bytes | InputError] | None = None
) -> tuple[Position | None, Document | None, list[Problem]]:
    try:
        doc = _parse(path, shown, contents or {})
    except InputError as err:
        return None, None, list(err.problems)
    position, problems = build(Position, doc)
    return position, doc, problems


def assemble(
    dossier: Dossier,
    loaded: Sequence[tuple[Position, Document]],
    *,
    root: Path | None = None,
    dossier_doc: Document | None = None,
    unloaded: Iterable[str] = (),
    loose: Iterable[str] = (),
) -> tuple[LoadedDossier, list[Problem]]:
    """Put a dossier and its positions together and check every cross-file rule.

    ``unloaded`` names positions whose files failed to load (their problems are reported already),
    so that references to them are not reported again as unknown; ``loose`` names positions checked
    against the dossier without being listed in it.
    """
    positions: dict[str, Position] = {}
    files: dict[str, str] = {}
    docs: dict[str, Document] = {}
    problems: list[Problem] = []
    for position, doc in loaded:
        if position.id in positions:
            line, column = doc.locate(("id",))
            problems.append(
                Problem(
                    doc.path,
                    line,
                    column,
                    "id",
                    f"duplicate position id '{position.id}' (also in {files[position.id]})",
                )
            )
            continue
        positions[position.id] = position
        files[position.id] = doc.path
        docs[position.id] = doc
    order = {pid: i for i, pid in enumerate(dossier.positions)}
    ordered = dict(
        sorted(positions.items(), key=lambda kv: (order.get(kv[0], len(order)), str(kv[1].date or ""), kv[0]))
    )
    record = LoadedDossier(dossier, ordered, root, files)
    problems += check_integrity(record, docs, dossier_doc, frozenset(unloaded), frozenset(loose))
    return record, problems


def load_position_file(path: str | Path, context: LoadedDossier | None = None) -> tuple[Position, LoadedDossier]:
    """Load one position file and the dossier it belongs to; return both, checked together.

    The dossier is ``context`` if given, else the folder's ``dossier.yaml``, else the bundled dossier
    named by the file's ``dossier`` field.
    """
    file = Path(path)
    shown = str(path)
    position, doc, problems = _load_position(file, shown)
    raise_for(problems)
    assert position is not None and doc is not None
    if context is None:
        context = _context_for(file, position, doc)
    if context.files.get(position.id) is not None and Path(context.files[position.id]).resolve() == file.resolve():
        return context.positions[position.id], context
    others = [
        (p, Document(context.files.get(pid, pid), None)) for pid, p in context.positions.items() if pid != position.id
    ]
    record, found = assemble(context.dossier, [*others, (position, doc)], root=context.root, loose=[position.id])
    # Only this file's problems matter here: the context was checked when it was loaded.
    raise_for([p for p in found if p.path == shown])
    return position, record


def _context_for(file: Path, position: Position, doc: Document) -> LoadedDossier:
    local = _dossier_file(file.parent)
    if local is not None:
        return load_dossier(file.parent)
    if position.dossier is not None:
        candidate = bundled_dossier_path(position.dossier)
        if _dossier_file(candidate) is not None:
            return load_dossier(candidate)
        line, column = doc.locate(("dossier",))
        raise ValidationError(
            [
                Problem(
                    doc.path,
                    line,
                    column,
                    "dossier",
                    f"no dossier '{position.dossier}' next to the file or bundled",
                )
            ]
        )
    raise ValidationError(
        [
            Problem(
                doc.path,
                1,
                1,
                "dossier",
                "cannot tell which dossier this position belongs to: set 'dossier' or put it next to a dossier.yaml",
            )
        ]
    )


def resolve_position(ref: str, context: LoadedDossier | None = None) -> tuple[Position, LoadedDossier]:
    """A position by id (in ``context`` or the bundled dossier) or by path to a position file."""
    looks_like_path = any(ref.lower().endswith(s) for s in DATA_SUFFIXES) or os.sep in ref or "/" in ref
    if looks_like_path or Path(ref).is_file():
        return load_position_file(ref, context)
    record = context if context is not None else load_dossier()
    return record.position(ref), record


def issue_tree(issues: Iterable[Issue]) -> list[tuple[int, Issue]]:
    """The taxonomy as (depth, issue) in tree order: each parent followed by its children."""
    items = list(issues)
    index = {issue.code: i for i, issue in enumerate(items)}

    def key(issue: Issue) -> tuple[int, ...]:
        chain = [*reversed(issue_ancestors(issue.code)), issue.code]
        return tuple(index.get(code, len(items)) for code in chain)

    return [(issue.code.count("."), issue) for issue in sorted(items, key=key)]
