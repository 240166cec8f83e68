"""`negotiation suggest`: ranked coding for uncoded provisions, stored only as `suggested`, and its
leave-one-position-out accuracy held to what docs/performance.md reports."""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks.coding import accuracy
from negotiation.coding.suggest import leave_one_position_out
from negotiation.loading import load_dossier
from tests.conftest import Run

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "positions" / "security-guarantees-2021-2022"
#: Measured top-3 issue accuracy (docs/performance.md) less a margin for changes to the data.
TOP3_FLOOR = 0.710 - 0.05


def test_leave_one_position_out_keeps_its_level() -> None:
    result = leave_one_position_out(list(load_dossier(None).positions.values()))
    assert result.provisions == 210
    assert result.top3 >= TOP3_FLOOR
    assert result.top1 <= result.top3


def test_performance_doc_shows_the_measured_accuracy() -> None:
    """The figures in docs/performance.md are the ones the benchmark computes now (they are deterministic)."""
    doc = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    for row in accuracy():
        assert re.search(rf"^\| {re.escape(row[0])} \| {re.escape(row[1])} \|", doc, flags=re.M), row[0]


def test_suggest_ranks_and_apply_writes_only_suggestions(cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "ru.yaml"
    source = BUNDLED / "sources" / "2021-12-17-russia-draft-treaty-with-us.md"
    imported = cli(
        "import",
        str(source),
        "--party",
        "rus",
        "--date",
        "2021-12-15",
        "--start-after",
        "Text",
        "--id",
        "ru-new",
        "-o",
        str(out),
    )
    assert imported.code == 0
    shown = cli("suggest", str(out), "--dossier", str(BUNDLED), "--format", "json")
    assert shown.code == 0
    assert '"provision": "art-6"' in shown.stdout
    # The held-out treaty's own Art. 6 is in the dossier, so the nearest coded provision is itself.
    assert '"provision": "ru-us-treaty-2021-12-17#art-6"' in shown.stdout
    applied = cli("suggest", str(out), "--dossier", str(BUNDLED), "--apply", "--min-score", "0.5", "--format", "json")
    assert applied.code == 0 and applied.stderr.startswith("wrote ")
    written = out.read_text(encoding="utf-8")
    assert "suggested:" in written and "\n  stance:" not in written and "\n  issues:" not in written
    valid = cli("validate", str(out), "--dossier", str(BUNDLED))
    assert valid.code == 0 and valid.stdout.endswith("position 'ru-new': 16 provisions (16 uncoded)\n")


def test_apply_needs_a_file(cli: Run) -> None:
    result = cli("suggest", "ru-us-treaty-2021-12-17", "--apply")
    assert result.code == 2
    assert result.stderr.endswith(
        "negotiation: --apply needs the position's file (a .yaml path), to write the suggestions into\n"
    )
