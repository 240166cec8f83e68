"""Golden outputs of the engine commands, byte for byte: the fixture dossier and the bundled record.

Regenerate with ``pytest tests/test_golden_engine.py --update-golden`` and review the diff: a change
here is a change in what users read (or in the bundled record's coding).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, GoldenFile, Run

GOLDEN = Path(__file__).resolve().parent / "golden" / "engine"
W = "tests/data/engine/water"
V1, V2 = f"{W}/north-draft.yaml", "tests/data/engine/changes/north-draft-v2.yaml"

TREATY, AGREEMENT = "ru-us-treaty-2021-12-17", "ru-nato-agreement-2021-12-17"
US, NATO, REPLY = "us-response-2022-01-26", "nato-response-2022-01-26", "ru-reply-2022-02-17"

CASES: dict[str, tuple[str, ...]] = {
    # The fictional fixture dossier.
    "water-diff.txt": ("diff", "north-proposal", "south-response", "-d", W),
    "water-diff.json": ("diff", "north-proposal", "south-response", "-d", W, "-f", "json"),
    "water-matrix.txt": ("matrix", "-d", W),
    "water-matrix.json": ("matrix", "-d", W, "-f", "json"),
    "water-changes.txt": ("changes", V1, V2),
    "water-changes.json": ("changes", V1, V2, "-f", "json"),
    "water-balance.json": ("balance", "north-proposal", "-d", W, "-f", "json"),
    # The bundled dossier: the three exchanges of the record and the matrix.
    "treaty-us.txt": ("diff", TREATY, US),
    "treaty-us.json": ("diff", TREATY, US, "-f", "json"),
    "agreement-nato.txt": ("diff", AGREEMENT, NATO),
    "agreement-nato.json": ("diff", AGREEMENT, NATO, "-f", "json"),
    "us-reply.txt": ("diff", US, REPLY),
    "us-reply.json": ("diff", US, REPLY, "-f", "json"),
    "matrix.txt": ("matrix",),
    "matrix.json": ("matrix", "-f", "json"),
    "balance-treaty.txt": ("balance", TREATY),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(cli: Run, golden_file: GoldenFile, name: str) -> None:
    """The command's standard output equals the golden file byte for byte, with exit 0 and no stderr."""
    result = cli(*CASES[name], cwd=ROOT)
    assert (result.code, result.stderr) == (0, "")
    golden_file(GOLDEN / name, result.stdout)


def test_no_stray_golden_files() -> None:
    """Every file under tests/golden/engine belongs to a case (renamed cases leave nothing behind)."""
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(CASES)


# Read by hand from the stance pairs in tests/data/engine/water (north-proposal against south-response)
# and the categories of docs/decision-table.md, not from the engine's output: the goldens above only
# say the output did not change, this says it was right.
WATER_LEAVES = {
    "allocation.dry-season": "open",  # propose × counter
    "allocation.flood-season": "overlap",  # propose × accept
    "dams.new-construction": "rejection",  # propose × reject
    "dams.data-sharing": "open",  # propose × accept-conditional
    "quality": "open",  # propose × silent
    "disputes.commission": "open",  # propose × discuss
    "disputes.arbitration": "rejection",  # reaffirm × reaffirm
    "fisheries": "open",  # propose × note
    "research": "overlap",  # propose × propose
    "navigation": "open",  # silent × propose
}


def test_water_diff_categories_match_the_hand_reading(cli: Run) -> None:
    """Each leaf issue of the fixture diff falls in the category its stance pair has in the decision table."""
    result = cli(*CASES["water-diff.json"], cwd=ROOT)
    diff = json.loads(result.stdout)
    items = {item["issue"]: item["category"] for item in diff["items"]}
    assert {issue: items[issue] for issue in WATER_LEAVES} == WATER_LEAVES
    assert diff["summary"] == {c: sum(v == c for v in items.values()) for c in ("overlap", "rejection", "open")}


def test_record_us_answer_to_the_treaty_matches_the_documents(cli: Run) -> None:
    """The 26 January 2022 US response refused to close NATO's door and offered talks on intermediate-range
    missiles: the engine files the first under rejection and the second under open."""
    result = cli(*CASES["treaty-us.json"], cwd=ROOT)
    items = {item["issue"]: (item["category"], item["left_stance"]) for item in json.loads(result.stdout)["items"]}
    assert items["nato-enlargement"] == ("rejection", "propose")
    assert items["missiles.intermediate-range"][0] == "open"
