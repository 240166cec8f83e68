"""Documents into a position file of uncoded provisions; re-importing keeps the coding of what did
not change.

>>> from negotiation.importing.split import Draft
>>> drafts = [Draft("art-1", "Art. 1", "The Parties shall meet.", ("¶3",))]
>>> p = position_from_drafts({"draft.md": drafts}, party="a", date="2027-01-15", position_id="a-draft")
>>> p.provisions[0].coded, p.provisions[0].sources[0].locator
(False, '¶3')
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from negotiation.errors import InputError, UsageError
from negotiation.importing.reading import read_document
from negotiation.importing.split import Draft, split_provisions
from negotiation.loading.parse import parse_file
from negotiation.loading.validate import build
from negotiation.schema import Position, Provision

#: The coding a coder adds to an imported provision; kept on re-import when the provision is unchanged.
CODING_FIELDS = (
    "issues",
    "stance",
    "obligations",
    "responds_to",
    "conditions",
    "linked_to",
    "suggested",
    "summary",
    "notes",
)


@dataclass(frozen=True)
class ImportReport:
    """What an import did: the position, whether structure was found, and what changed on re-import."""

    position: Position
    structured: bool
    kept: tuple[str, ...] = ()  # provision ids whose coding was carried over
    changed: tuple[str, ...] = ()  # same id, different text: coding dropped for a coder to redo
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


def _starting_after(blocks: list[Any], heading: str | None, path: str) -> list[Any]:
    if heading is None:
        return blocks
    for i, block in enumerate(blocks):
        if block.text == heading:
            return blocks[i + 1 :]
    raise UsageError(f"{path}: no paragraph '{heading}' to start after")


def position_from_drafts(
    drafts: dict[str, list[Draft]], *, party: str, date: str, position_id: str, kind: str = "other"
) -> Position:
    """A position of uncoded provisions from each file's drafts (ids of a second file on get ``d2-``)."""
    provisions = []
    for n, (file, items) in enumerate(drafts.items(), 1):
        prefix = "" if n == 1 else f"d{n}-"
        for d in items:
            provisions.append(
                {
                    "id": prefix + d.id,
                    "ref": d.ref,
                    "text": d.text,
                    "text_status": "partial" if d.partial else "verbatim",
                    "sources": [{"file": file, "locator": ", ".join(d.locators)}],
                }
            )
    try:
        return Position.model_validate(
            {
                "schema_version": 1,
                "id": position_id,
                "party": party,
                "kind": kind,
                "title": f"{position_id} (imported from {', '.join(drafts)})",
                "delivered": dt.date.fromisoformat(date),
                "provenance": {"authenticity": "published", "source_file": next(iter(drafts))},
                "provisions": provisions,
            }
        )
    except ValueError as exc:
        raise UsageError(f"the imported position is not valid: {str(exc).splitlines()[-1].strip()}") from None


def _previous(output: Path) -> Position | None:
    if not output.exists():
        return None
    position, problems = build(Position, parse_file(output))
    if position is None:
        raise InputError(problems)
    return position


def merge_coding(new: Position, old: Position | None) -> ImportReport:
    """``new`` with the coding of ``old``'s provisions that have the same reference and text."""
    if old is None:
        return ImportReport(new, True)
    before = {(p.ref, p.text): p for p in old.provisions}
    old_ids = {p.id: p for p in old.provisions}
    merged: list[Provision] = []
    kept, changed = [], []
    for p in new.provisions:
        match = before.get((p.ref, p.text))
        if match is not None:
            merged.append(p.model_copy(update={f: getattr(match, f) for f in CODING_FIELDS}))
            if match.coded or match.suggested:
                kept.append(p.id)
        else:
            merged.append(p)
            if p.id in old_ids:
                changed.append(p.id)
    new_ids = {p.id for p in new.provisions}
    return ImportReport(
        new.model_copy(update={"provisions": tuple(merged), "title": old.title, "provenance": old.provenance}),
        True,
        tuple(kept),
        tuple(changed),
        tuple(p.id for p in new.provisions if p.id not in old_ids),
        tuple(i for i in old_ids if i not in new_ids),
    )


def import_documents(
    files: list[str],
    *,
    party: str,
    date: str,
    output: str,
    kind: str = "other",
    position_id: str | None = None,
    start_after: str | None = None,
) -> ImportReport:
    """Read and split ``files`` into a position for ``output`` (nothing is written; see :func:`position_yaml`)."""
    drafts: dict[str, list[Draft]] = {}
    structured = True
    out = Path(output)
    for file in files:
        split = split_provisions(_starting_after(read_document(file), start_after, file))
        structured = structured and split.structured
        # Citations name the file as the position's folder sees it, like the bundled dossier's sources/.
        drafts[Path(os.path.relpath(file, out.parent)).as_posix()] = split.drafts
    new = position_from_drafts(drafts, party=party, date=date, position_id=position_id or out.stem, kind=kind)
    report = merge_coding(new, _previous(out))
    return ImportReport(report.position, structured, report.kept, report.changed, report.added, report.removed)


def position_yaml(position: Position) -> str:
    """The position as YAML, fields in schema order, defaults left out: the same bytes for the same position."""
    data = position.model_dump(mode="json", exclude_defaults=True)
    data = {"schema_version": data.pop("schema_version"), **data}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
