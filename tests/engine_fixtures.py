"""The engine tests' fictional dossier (tests/data/engine/water), loaded once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from negotiation.loading import LoadedDossier, load_dossier, resolve_position
from negotiation.schema import Position

DATA = Path(__file__).resolve().parent / "data" / "engine"
WATER = DATA / "water"
DRAFT_V1 = WATER / "north-draft.yaml"
DRAFT_V2 = DATA / "changes" / "north-draft-v2.yaml"


@cache
def water() -> LoadedDossier:
    """The river-accord test dossier."""
    return load_dossier(WATER)


@cache
def draft_versions() -> tuple[Position, Position]:
    """Versions 1 and 2 of the fixture position ``north-draft``."""
    record = water()
    return record.position("north-draft"), resolve_position(str(DRAFT_V2), record)[0]
