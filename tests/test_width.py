"""Terminal output fits the terminal: COLUMNS and --width are honoured, pipes and files keep full width,
no verdict is lost, and diff and show have a block layout with the provisions' words."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from negotiation.cli import _common
from negotiation.fitting import column_widths, fit_columns, wrap
from tests.conftest import ROOT, Run

PAIRS = [
    ("ru-us-treaty-2021-12-17", "us-response-2022-01-26"),
    ("ru-nato-agreement-2021-12-17", "nato-response-2022-01-26"),
    ("us-response-2022-01-26", "ru-reply-2022-02-17"),
]
EXERCISES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "submissions").is_dir())
#: Every command the issue measured, on the bundled data and every example exercise.
LISTINGS = [
    ("matrix",),
    *(("diff", *pair) for pair in PAIRS),
    *(("diff", *pair, "--layout", "blocks") for pair in PAIRS),
    ("show", "us-response-2022-01-26"),
    ("show", "us-response-2022-01-26", "--layout", "blocks"),
    ("matrix", "--explain"),
    ("matrix", "--sensitivity"),
    ("matrix", "--min-attestation", "one-source"),
    ("diff", *PAIRS[0], "--explain"),
    ("diff", *PAIRS[0], "--min-attestation", "own-words", "--layout", "blocks"),
    *(
        ("exercise", verb, f"examples/{name}", f"examples/{name}/submissions")
        for name in EXERCISES
        for verb in ("rounds", "debrief")
    ),
]
VERDICT = re.compile(
    r"\b(overlap|rejection|open)\b|\((agreed|compatible|rejected|contested|negotiable|countered|conditional|noted|unanswered|new-item)\)|\b(agreed|compatible|rejected|contested|negotiable|countered|conditional|noted|unanswered|new-item)\b"
)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard output plays a terminal of COLUMNS=100."""
    monkeypatch.setattr(_common, "stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "100")


def _widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


def _verdicts(text: str) -> Counter[str]:
    return Counter(m.group() for m in VERDICT.finditer(text))


@pytest.mark.parametrize("args", LISTINGS, ids=lambda a: " ".join(a)[:70])
def test_listing_fits_a_terminal_of_100_columns(args: tuple[str, ...], cli: Run, terminal: None) -> None:
    """At COLUMNS=100 on a terminal no line is over 100 characters, and every verdict word of the
    full-width output is still there, as often."""
    fitted = cli(*args, cwd=ROOT)
    assert fitted.code == 0, fitted.stderr
    assert _widest(fitted.stdout) <= 100
    full = cli(*args, "--width", "0", cwd=ROOT)
    assert full.code == 0
    assert _verdicts(fitted.stdout) == _verdicts(full.stdout)
    if args[0] in ("matrix", "diff"):
        assert sum(_verdicts(full.stdout).values()) > 0


def test_pipe_keeps_full_width_and_width_option_fits(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Into a pipe COLUMNS is not used (data stays whole); --width fits the table even there."""
    monkeypatch.setenv("COLUMNS", "100")
    piped = cli("matrix", cwd=ROOT)
    # Full width: the widest line is the unwrapped legend of the tentative markers.
    assert _widest(piped.stdout) == 314
    assert piped.stdout.splitlines()[0].split()[1] == "ru-us-treaty-2021-12-17"
    narrow = cli("matrix", "--width", "80", cwd=ROOT)
    assert _widest(narrow.stdout) <= 80
    assert narrow.stdout.splitlines()[0] == "Matrix of security-guarantees-2021-2022"


def test_file_output_keeps_full_width(cli: Run, terminal: None, tmp_path: Path) -> None:
    """--output writes the full-width table even from a terminal."""
    target = tmp_path / "matrix.txt"
    assert cli("matrix", "--output", str(target), cwd=ROOT).code == 0
    assert _widest(target.read_text(encoding="utf-8")) == 314


def test_fitted_headings_name_party_kind_and_date_with_a_legend(cli: Run, terminal: None) -> None:
    """A fitted matrix heads each column with party, kind and date, and its legend gives each id."""
    out = cli("matrix", cwd=ROOT).stdout
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    heading = " ".join(" ".join(lines[2:rule]).split())
    assert heading.startswith("issue rus")
    for word in ("usa", "non-paper", "nato", "2022-01-26", "2022-02-17", "2021-12-15"):
        assert word in heading.split()
    assert "us-response-2022-01-26" not in heading
    assert "usa non-paper 2022-01-26: us-response-2022-01-26" in lines
    assert "rus draft-treaty 2021-12-15: ru-us-treaty-2021-12-17" in lines


def test_data_formats_ignore_the_width(cli: Run) -> None:
    """csv and json are data: --width leaves them as they are."""
    for fmt in ("csv", "json"):
        args = ("diff", *PAIRS[0], "--format", fmt)
        assert cli(*args, "--width", "40", cwd=ROOT).stdout == cli(*args, cwd=ROOT).stdout


def test_diff_blocks_show_both_sides_words_and_the_rule(cli: Run) -> None:
    """The block of an issue gives the verdict, the rule, and each side's provisions with their words,
    labelled by what they are: the document's words, or a report of them."""
    out = cli("diff", *PAIRS[0], "--layout", "blocks", "--issue", "nato-enlargement", cwd=ROOT).stdout
    block = out.split("\n\n")[1]
    lines = block.splitlines()
    assert lines[0] == "nato-enlargement — rejection (rejected ~several): NATO enlargement"
    assert lines[1].startswith("  rule: propose × reject → rejected (rule R2")
    assert lines[2] == "  attestation: several-sources"
    assert "    Art. 4 ¶1: propose [own-words]" in lines
    assert "  rus draft-treaty 2021-12-15 (ru-us-treaty-2021-12-17): propose" in lines
    assert "  usa non-paper 2022-01-26 (us-response-2022-01-26): reject" in lines
    assert any(
        line.startswith("      words (verbatim): “The United States of America shall undertake") for line in lines
    )
    assert any(line.startswith("      as reported: ") for line in lines)


def test_diff_blocks_say_the_mode_and_the_tentative_verdicts(cli: Run) -> None:
    """Blocks carry what the table's notes say: the diff's mode under the headings, and at the end what
    --min-attestation set aside and how many verdicts are tentative, with the markers' legend."""
    out = cli("diff", *PAIRS[0], "--layout", "blocks", "--min-attestation", "one-source", cwd=ROOT).stdout
    blocks = out.split("\n\n")
    assert blocks[0].splitlines()[-1] == "mode: answer — us-response-2022-01-26 answers ru-us-treaty-2021-12-17"
    end = blocks[-1].splitlines()
    assert end[1].startswith("min-attestation one-source: ")
    assert re.fullmatch(r"\d+ verdicts? tentative; tentative verdicts \(below the document's own words\) .*", end[2])


def test_explain_is_a_table_not_blocks(cli: Run) -> None:
    """--explain with --layout blocks is a usage error, before anything is read."""
    result = cli("diff", *PAIRS[0], "--layout", "blocks", "--explain", cwd=ROOT)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == "negotiation: --explain is a table; it does not combine with --layout blocks\n"


def test_show_blocks_never_present_a_summary_as_words(cli: Run) -> None:
    """A provision without recovered text shows the analyst's summary as such, never as its words."""
    out = cli("show", "us-response-2022-01-26", "--layout", "blocks", cwd=ROOT).stdout
    blocks = out.split("\n\n")
    assert blocks[0].startswith("us-response-2022-01-26: usa non-paper 2022-01-26 — United States written response")
    for block in blocks[1:]:
        words = [line for line in block.splitlines() if line.startswith("  words (")]
        status = re.search(r"\((verbatim|partial)\)", words[0]) if words else None
        assert not words or status is not None
    assert any("  summary (the analyst's, not the document's): " in b for b in blocks)


def test_blocks_go_with_the_terminal_format_only(cli: Run) -> None:
    """--layout blocks with --format json is a usage error; an unknown layout too."""
    wrong = cli("diff", *PAIRS[0], "--layout", "blocks", "--format", "json", cwd=ROOT)
    assert (wrong.code, wrong.stdout) == (2, "")
    assert wrong.stderr == "negotiation: --layout blocks is text for reading; it does not combine with --format json\n"
    unknown = cli("show", "us-response-2022-01-26", "--layout", "cards", cwd=ROOT)
    assert (unknown.code, unknown.stderr) == (2, "negotiation: unknown layout 'cards'; choose one of: table, blocks\n")


def test_wrap_breaks_long_words_only() -> None:
    """Short words stay whole; an issue code breaks at its dots and hyphens, keeping its tree indent."""
    assert wrap("rejection (contested)", 12) == "rejection\n(contested)"
    assert wrap("· force-posture.threat-perceived-areas", 20) == "· force-posture.\n  threat-perceived-\n  areas"
    assert wrap("short", 3) == "sho\nrt"


def test_column_widths_shrink_the_widest_first() -> None:
    """The widest column gives up width first, never below its minimum."""
    assert column_widths([40, 10, 30], [10, 10, 10], 60) == [25, 10, 25]
    assert column_widths([40, 10], [30, 10], 20) == [30, 10]


def test_fit_abbreviates_headings_with_a_legend() -> None:
    """When wrapping cannot make room, long headings over short cells are cut, and a legend says so."""
    fitted = fit_columns(["concessions", "reciprocated", "x"], [["0", "no", "y"]], width=12, overhead=4)
    assert fitted.headers == ["con.", "rec.", "x"]
    assert fitted.legend == ["con. = concessions", "rec. = reciprocated"]


def test_a_real_terminal_is_detected() -> None:
    """Run under a pseudo-terminal of COLUMNS=100, the console entry point fits the matrix to it."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "NEGOTIATION_NO_CACHE": "1"}
    with subprocess.Popen(
        [sys.executable, "-m", "negotiation", "matrix"], stdout=follower, stderr=subprocess.PIPE, cwd=ROOT, env=env
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait()
    os.close(leader)
    out = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    assert process.returncode == 0
    assert out.startswith("Matrix of security-guarantees-2021-2022\n")
    assert _widest(out) <= 100
