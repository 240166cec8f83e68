"""How much of a position's bundled source its provisions cover, and whether their words are real.

Two audits of the record, both pure functions of a loaded position and its dossier folder:

- :func:`position_coverage` counts the provisions by text status and lists the passages of the
  position's source file (``provenance.source_file``; see :mod:`negotiation.sources` for what a
  passage is) that no provision covers;
- :func:`check_texts` checks that every verbatim or partial text, and every reported text taken
  from a bundled file, is a substring of a file the provision cites (after whitespace normalisation).

When a passage is covered (``match_key`` = whitespace normalised, leading/trailing "…" dropped):

- ``text`` — some verbatim/partial provision citing the file has a text whose key contains the
  passage's key or is contained in it. This is the only way a *paragraph* is covered;
- ``reported`` — (quotes only) the same, with the text of a reported provision: a paraphrase quoted
  in a ``[[GAP …]]`` block or a labelled paraphrase line is coded as a reported point;
- ``noted`` — (quotes only) the quote's key appears in the position's own words about its sources:
  the position's notes or provenance notes, or the ref, notes, or a source's locator or note of a
  provision citing the file. This is how a second witness, a lead-in ("TASS: …") or words known to
  be missing are accounted for without being passed off as text;
- ``uncovered`` — none of these.

>>> from negotiation.loading import load_dossier
>>> record = load_dossier()                                                       # doctest: +SKIP
>>> result = position_coverage(record.position("ru-us-treaty-2021-12-17"), record.root)  # doctest: +SKIP
>>> result.uncovered                                                              # doctest: +SKIP
()
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from negotiation.errors import InputError, Problem, UsageError
from negotiation.loading import LoadedDossier
from negotiation.loading.parse import read_text
from negotiation.schema import TEXT_STATUSES, Position, Provision
from negotiation.sources import Passage, match_key, normalise, passages
from negotiation.tables import Table, make_table
from negotiation.words import counted

#: Version of the ``negotiation coverage`` JSON contract; bumped on any incompatible change.
COVERAGE_CONTRACT_VERSION = 1

CoverageStatus = Literal["text", "reported", "noted", "uncovered"]
_NOTE_WIDTH = 120


@dataclass(frozen=True)
class PassageCoverage:
    """One passage and how (and by which provisions) it is covered."""

    passage: Passage
    status: CoverageStatus
    provisions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {**self.passage.to_dict(), "status": self.status, "provisions": list(self.provisions)}


@dataclass(frozen=True)
class PositionCoverage:
    """Coverage of one position: provisions per text status, every passage of its source, and the
    provisions whose text was not found in the files they cite (see :func:`check_texts`)."""

    position: str
    source_file: str | None
    counts: dict[str, int]
    passages: tuple[PassageCoverage, ...] = field(default=())
    texts_not_found: tuple[TextCheck, ...] = field(default=())
    #: Provisions not coded yet (as imported); they cover passages like any other.
    uncoded: int = 0

    @property
    def uncovered(self) -> tuple[PassageCoverage, ...]:
        """The passages nothing in the position covers."""
        return tuple(p for p in self.passages if p.status == "uncovered")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (one entry of the coverage contract)."""
        by_status = {s: sum(p.status == s for p in self.passages) for s in ("text", "reported", "noted", "uncovered")}
        # "uncoded" appears only when there are some, so that a fully coded dossier's contract is
        # the same bytes as before uncoded provisions existed.
        return {
            "id": self.position,
            "source_file": self.source_file,
            "provisions": dict(self.counts),
            **({"uncoded": self.uncoded} if self.uncoded else {}),
            "passages": len(self.passages),
            "passage_counts": by_status,
            "uncovered_passages": [p.passage.to_dict() for p in self.uncovered],
            "texts_not_found": [t.to_dict() for t in self.texts_not_found],
            "passage_coverage": [p.to_dict() for p in self.passages],
        }


def status_counts(position: Position) -> dict[str, int]:
    """How many provisions of ``position`` have each text status (every status, zeros included)."""
    return {status: sum(p.text_status == status for p in position.provisions) for status in TEXT_STATUSES}


def cites(provision: Provision, file: str) -> bool:
    """True when one of ``provision``'s sources names the bundled ``file``."""
    return any(_same_file(s.file, file) for s in provision.sources)


def _same_file(a: str | None, b: str) -> bool:
    return a is not None and os.path.normpath(a) == os.path.normpath(b)


def read_source(root: Path | None, relative: str, *, owner: str = "") -> str:
    """The text of bundled source ``relative`` inside dossier folder ``root``.

    Raises UsageError when the dossier has no folder, InputError when the file is missing or lies
    outside the dossier folder.
    """
    if root is None:
        raise UsageError("this dossier was not loaded from a folder, so its source files cannot be read")
    shown = owner or relative
    base = root.resolve()
    path = (root / relative).resolve()
    if base != path and base not in path.parents:
        raise InputError([Problem(shown, 0, 0, "sources", f"source file '{relative}' lies outside the dossier folder")])
    if not path.is_file():
        raise InputError([Problem(shown, 0, 0, "sources", f"no source file '{relative}' in the dossier folder")])
    return read_text(path, relative)


def _position_words(position: Position, provisions: Iterable[Provision]) -> str:
    """Everything the position says about its sources, normalised, for the ``noted`` rule."""
    parts = [position.notes or "", position.provenance.notes or ""]
    for provision in provisions:
        parts += [provision.ref, provision.notes or ""]
        for source in provision.sources:
            parts += [source.locator or "", source.note or ""]
    return normalise("\n".join(parts))


def cover_passage(passage: Passage, provisions: Sequence[Provision], words: str) -> PassageCoverage:
    """How ``passage`` is covered by ``provisions`` (those citing its file) or by ``words``."""
    key = match_key(passage.text)
    matched: dict[str, list[str]] = {"text": [], "reported": []}
    for provision in provisions:
        if provision.text is None:
            continue
        text_key = match_key(provision.text)
        if text_key and (key in text_key or text_key in key):
            bucket = "text" if provision.text_status in ("verbatim", "partial") else "reported"
            matched[bucket].append(provision.id)
    if matched["text"]:
        return PassageCoverage(passage, "text", tuple(matched["text"]))
    if passage.kind == "paragraph":
        # A paragraph is the document's own words: only a verbatim or partial text covers it.
        return PassageCoverage(passage, "uncovered", tuple(matched["reported"]))
    if matched["reported"]:
        return PassageCoverage(passage, "reported", tuple(matched["reported"]))
    if key in words:
        return PassageCoverage(passage, "noted")
    return PassageCoverage(passage, "uncovered")


def position_coverage(position: Position, root: Path | None, *, shown: str = "") -> PositionCoverage:
    """Coverage of ``position``'s bundled source (``provenance.source_file``) by its provisions.

    ``root`` is the dossier folder the source path is relative to; ``shown`` names the position file
    in error messages. A position with no source file has counts but no passages.
    """
    source_file = position.provenance.source_file
    counts = status_counts(position)
    unfound = tuple(c for c in check_texts(position, root, shown=shown) if not c.ok)
    uncoded = sum(not p.coded for p in position.provisions)
    if source_file is None:
        return PositionCoverage(position.id, None, counts, (), unfound, uncoded)
    text = read_source(root, source_file, owner=shown or position.id)
    citing = [p for p in position.provisions if cites(p, source_file)]
    words = _position_words(position, citing)
    covered = tuple(cover_passage(passage, citing, words) for passage in passages(text))
    return PositionCoverage(position.id, source_file, counts, covered, unfound, uncoded)


def dossier_coverage(record: LoadedDossier, position_ids: Sequence[str] = ()) -> list[PositionCoverage]:
    """Coverage of the given positions (default: all, in timeline order) of ``record``."""
    ids = list(position_ids) or list(record.positions)
    return [position_coverage(record.position(pid), record.root, shown=record.files.get(pid, pid)) for pid in ids]


def _clip(text: str, width: int = _NOTE_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def coverage_table(results: Sequence[PositionCoverage], dossier_id: str) -> Table:
    """The ``coverage`` table: per position, provisions per text status and uncovered passages.

    The rows give counts; the notes list every uncovered passage (clipped) and every text not found
    in its cited files; ``data`` carries the full contract, every passage with its coverage status
    and covering provisions.
    """
    rows = []
    notes = []
    for result in results:
        c = result.counts
        rows.append(
            (
                result.position,
                c["verbatim"],
                c["partial"],
                c["reported"],
                c["missing"],
                len(result.passages),
                len(result.uncovered),
            )
        )
        for item in result.uncovered:
            passage = item.passage
            notes.append(
                f"uncovered: {result.position}: {result.source_file}:{passage.line} ({passage.kind}): "
                f"{_clip(passage.text)}"
            )
        notes += [f"text not found: {check.message()}" for check in result.texts_not_found]
        if result.uncoded:
            notes.append(f"uncoded: {result.position}: {counted(result.uncoded, 'provision')} not coded yet")
    data = {
        "contract": f"negotiation.coverage/{COVERAGE_CONTRACT_VERSION}",
        "dossier": dossier_id,
        "positions": [r.to_dict() for r in results],
    }
    return make_table(
        "coverage",
        f"Source coverage in {dossier_id}",
        ("id", "verbatim", "partial", "reported", "missing", "passages", "uncovered"),
        rows,
        data=data,
        notes=notes,
    )


@dataclass(frozen=True)
class TextCheck:
    """Whether one provision's text was found in a bundled file it cites.

    ``found_in`` is that file, or None; ``checked`` is False for a reported provision that cites no
    bundled file (its words cannot be checked here).
    """

    position: str
    provision: str
    text_status: str
    files: tuple[str, ...]
    found_in: str | None
    checked: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "provision": self.provision,
            "text_status": self.text_status,
            "files": list(self.files),
            "found_in": self.found_in,
            "checked": self.checked,
        }

    @property
    def ok(self) -> bool:
        """True when the text was found, or there was nothing to check."""
        return self.found_in is not None or not self.checked

    def message(self) -> str:
        """One line for people: which provision, and where its words were looked for."""
        where = ", ".join(self.files) or "no bundled file"
        state = f"found in {self.found_in}" if self.found_in else f"not found in {where}"
        return f"{self.position}#{self.provision} ({self.text_status}): text {state}"


def check_texts(position: Position, root: Path | None, *, shown: str = "") -> list[TextCheck]:
    """Check each verbatim, partial or reported text of ``position`` against the files it cites.

    A text passes when, whitespace normalised, it is a substring of one cited file (normalised the
    same way). Reported texts are copied from the bundled file too, so they are checked the same way
    when they cite one. Missing provisions have no text and are skipped.
    """
    cache: dict[str, str] = {}
    checks = []
    for provision in position.provisions:
        if provision.text is None:
            continue
        files = tuple(dict.fromkeys(s.file for s in provision.sources if s.file))
        if not files:
            checks.append(TextCheck(position.id, provision.id, provision.text_status, (), None, checked=False))
            continue
        needle = normalise(provision.text)
        found = None
        for file in files:
            if file not in cache:
                cache[file] = normalise(read_source(root, file, owner=shown or position.id))
            if needle in cache[file]:
                found = file
                break
        checks.append(TextCheck(position.id, provision.id, provision.text_status, files, found))
    return checks
