"""The two codings kept for the reliability check code the same units, and stay outside the dossier."""

from __future__ import annotations

from pathlib import Path

import pytest

from negotiation.loading import load_dossier
from tests.conftest import ROOT

DOSSIER = ROOT / "positions" / "security-guarantees-2021-2022"
RELIABILITY = DOSSIER / "reliability"


def _units(folder: Path) -> dict[str, list[tuple[object, ...]]]:
    """What the second coder was given of each provision: the sources without the first coder's notes
    on them (those notes can carry coding reasons)."""
    record = load_dossier(folder)
    return {
        pid: [
            (p.id, p.ref, p.text, p.text_status, [(s.file, s.locator, s.url, s.witness, s.tag) for s in p.sources])
            for p in position.provisions
        ]
        for pid, position in record.positions.items()
    }


def test_second_coder_coded_exactly_the_given_units() -> None:
    """Same positions, same provisions in the same order, each with the same ref, text, status, sources."""
    assert _units(RELIABILITY / "second-coding") == _units(RELIABILITY / "first-coding")


@pytest.mark.parametrize("coding", ["first-coding", "second-coding"])
def test_codings_cover_every_bundled_provision(coding: str) -> None:
    """Both codings hold every provision id of the bundled dossier, in the same order; a provision they
    hold beyond it was removed by the adjudication, and the bundled position's notes name it (with the
    reason and the sources of what it held)."""
    bundled = load_dossier(DOSSIER)
    kept = load_dossier(RELIABILITY / coding)
    assert kept.positions.keys() == bundled.positions.keys()
    for pid, position in bundled.positions.items():
        ids = [p.id for p in position.provisions]
        kept_ids = [p.id for p in kept.positions[pid].provisions]
        assert [i for i in kept_ids if i in ids] == ids, pid
        removed = [i for i in kept_ids if i not in ids]
        assert [i for i in removed if i not in (position.notes or "")] == [], pid


def test_second_coding_is_marked_blind() -> None:
    """Every position of the second coding says it is the blind second coding."""
    for position in load_dossier(RELIABILITY / "second-coding").positions.values():
        assert position.notes is not None and position.notes.startswith("Second coding (blind).")
