"""What a reader checks on paper: the bundled dossier's summary printed as a reader would print it.

The HTML summary is printed by headless Chromium (the ``pdf`` format itself); the DOCX and XLSX are
converted to PDF by LibreOffice (``soffice --headless --convert-to pdf``); pypdf counts the pages. The
summary must fit on two landscape A4 pages in each, the annex following it.

Skipped, with the reason shown, where LibreOffice or Chromium is missing — unless
NEGOTIATION_REQUIRE_OFFICE=1 / NEGOTIATION_REQUIRE_BROWSER=1 (as in CI), where that fails the run.
The first page of each is kept as a PNG in docs/images/ for docs/exports.md: rewritten when the run is
asked to (``--update-golden`` or NEGOTIATION_UPDATE_SCREENSHOTS=1, needs pdftoppm), checked otherwise.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from negotiation.export.report import Report, build_report

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "docs" / "images"
#: The marker of the annex's first page in every format.
ANNEX = "Annex: the evidence"
#: A4 landscape in PDF points, as Chromium and LibreOffice write it (to a point).
A4_LANDSCAPE = (842, 595)


def require_libreoffice() -> str:
    """The soffice executable; skip (with the reason) without it, or fail if NEGOTIATION_REQUIRE_OFFICE=1."""
    from tests.exports.test_export_browser import skip_or_fail

    found = shutil.which("soffice")
    reason = "LibreOffice unavailable (no soffice on the PATH): "
    skip_or_fail(
        None if found else reason + "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui",
        "NEGOTIATION_REQUIRE_OFFICE",
    )
    assert found is not None
    return found


def update_screenshots(config: pytest.Config) -> bool:
    """True when the run was asked to rewrite the documentation's screenshots."""
    return bool(config.getoption("--update-golden")) or os.environ.get("NEGOTIATION_UPDATE_SCREENSHOTS") == "1"


def check_screenshot(config: pytest.Config, name: str, png: bytes | None) -> None:
    """Write docs/images/``name`` when asked to; otherwise check that the committed one is a PNG."""
    target = IMAGES / name
    if update_screenshots(config):
        assert png is not None and png[:8] == b"\x89PNG\r\n\x1a\n"
        IMAGES.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png)
        return
    assert target.is_file(), f"docs/images/{name} is missing: run pytest with --update-golden"
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def first_page_png(pdf: bytes, folder: Path) -> bytes:
    """The first page of ``pdf`` as a small PNG (pdftoppm, 1100 pixels wide, no anti-aliasing: a tenth the size)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        pytest.fail("rewriting the screenshots needs pdftoppm: apt-get install poppler-utils")
    source = folder / "page.pdf"
    source.write_bytes(pdf)
    options = ["-png", "-f", "1", "-l", "1", "-scale-to", "1100", "-aa", "no", "-aaVector", "no", "-singlefile"]
    subprocess.run(
        [tool, *options, str(source), str(folder / "page")],
        check=True,
        capture_output=True,
    )
    return (folder / "page.png").read_bytes()


def libreoffice_pdf(soffice: str, data: bytes, suffix: str, folder: Path, profile: str) -> bytes:
    """``data`` (a .docx or .xlsx file) converted to PDF by LibreOffice with the profile at URI ``profile``
    (the tests' own, so a desktop LibreOffice or another run never locks it)."""
    source = folder / f"summary{suffix}"
    source.write_bytes(data)
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=False,
        capture_output=True,
        timeout=180,
    )
    target = folder / "summary.pdf"
    assert done.returncode == 0 and target.is_file(), done.stderr.decode("utf-8", "replace")
    return target.read_bytes()


def pages(pdf: bytes) -> list[str]:
    """The text of each page."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def page_size(pdf: bytes) -> tuple[int, int]:
    """The first page's width and height in points, rounded."""
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def summary_pages(texts: list[str]) -> int:
    """How many pages come before the annex (all of them when there is none)."""
    return next((i for i, text in enumerate(texts) if ANNEX in text), len(texts))


@pytest.fixture(scope="module")
def office_profile(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One LibreOffice profile for the module: creating it is most of a first conversion's time."""
    return tmp_path_factory.mktemp("libreoffice-profile").as_uri()


@pytest.fixture(scope="module")
def report() -> Report:
    """The bundled dossier's report."""
    from negotiation.engine.matrix import build_matrix
    from negotiation.export.pack import response_comparisons
    from negotiation.loading import load_dossier

    record = load_dossier()
    return build_report(record, build_matrix(record), response_comparisons(record))


def assert_whole_summary(report: Report, texts: list[str]) -> None:
    """Page one opens with the title and the table; every issue's code is on a summary page, in order."""
    summary = "\n".join(texts[: summary_pages(texts)])
    assert texts[0].startswith(report.title[:40])
    assert "Issue" in texts[0] and report.columns[0].short_title.split()[0] in texts[0]
    flat = "".join(summary.split())  # a long code may break across lines in a narrow column
    places = [flat.find(row.issue) for row in report.rows]
    assert -1 not in places, [row.issue for row, at in zip(report.rows, places, strict=True) if at == -1]


@pytest.mark.browser
def test_html_summary_prints_on_two_landscape_pages(
    report: Report, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Printed by Chromium (the pdf format), the HTML summary is at most two A4 landscape pages, no annex."""
    from tests.exports.test_export_browser import require_browser

    require_browser()
    from negotiation.export.pdf import report_pdf

    pdf = report_pdf(report)
    texts = pages(pdf)
    assert page_size(pdf) == A4_LANDSCAPE
    assert len(texts) <= 2, f"the HTML summary prints on {len(texts)} pages"
    assert summary_pages(texts) == len(texts)
    assert_whole_summary(report, texts)
    png = first_page_png(pdf, tmp_path) if update_screenshots(request.config) else None
    check_screenshot(request.config, "summary-html-print.png", png)


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_office_summary_prints_on_two_landscape_pages(
    fmt: str, report: Report, office_profile: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Converted to PDF by LibreOffice, the DOCX and XLSX summaries are at most two A4 landscape pages,
    and the annex (the evidence sheet in XLSX) starts on the page after them."""
    soffice = require_libreoffice()
    if fmt == "docx":
        from negotiation.export.docx import report_docx

        data = report_docx(report)
    else:
        from negotiation.export.xlsx import report_workbook

        data = report_workbook(report)
    pdf = libreoffice_pdf(soffice, data, f".{fmt}", tmp_path, office_profile)
    texts = pages(pdf)
    assert page_size(pdf) == A4_LANDSCAPE
    count = summary_pages(texts)
    assert count < len(texts), "no annex after the summary"
    assert count <= 2, f"the {fmt} summary prints on {count} pages"
    assert_whole_summary(report, texts)
    png = first_page_png(pdf, tmp_path) if update_screenshots(request.config) else None
    check_screenshot(request.config, f"summary-{fmt}.png", png)


def test_missing_libreoffice_fails_where_ci_requires_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without soffice, and with NEGOTIATION_REQUIRE_OFFICE=1 as in CI, a page-count test fails naming the cause."""
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv("NEGOTIATION_REQUIRE_OFFICE", "1")
    cause = r"LibreOffice unavailable \(no soffice on the PATH\): apt-get install .*NEGOTIATION_REQUIRE_OFFICE=1"
    with pytest.raises(pytest.fail.Exception, match=cause):
        require_libreoffice()


def test_every_screenshot_is_shown_in_the_docs() -> None:
    """docs/exports.md shows each screenshot the tests write, and names no other image."""
    import re

    shown = re.findall(r"!\[[^\]]*\]\(images/([^)]+)\)", (ROOT / "docs" / "exports.md").read_text(encoding="utf-8"))
    written = ["summary-html-1400.png", "summary-html-900.png", "summary-html-print.png"]
    written += ["summary-docx.png", "summary-xlsx.png"]
    assert shown == written
    assert sorted(p.name for p in IMAGES.glob("*.png")) == sorted(written)
