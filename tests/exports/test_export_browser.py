"""The HTML report in a real browser: headless Chromium (Debian's chromium and chromium-driver) via selenium.

Skipped, with the reason shown, when Chromium, its driver or selenium is missing — unless
NEGOTIATION_REQUIRE_BROWSER=1 (as in CI), where a missing browser fails the run.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from negotiation.engine.model import Comparison, Matrix
from negotiation.export.html import matrix_report, render_html
from negotiation.loading import LoadedDossier
from negotiation.tables import make_table

pytestmark = pytest.mark.browser

#: Names the browser and its driver go by on PATH: Debian's first, then other distributions' and Google's.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome")
DRIVER_NAMES = ("chromedriver",)
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1600,1000",
)


@dataclass(frozen=True)
class Browser:
    """Where the browser and its driver were found, or why they cannot be used (``missing`` non-empty)."""

    chromium: str | None
    chromedriver: str | None
    missing: tuple[str, ...]

    @property
    def reason(self) -> str:
        """Why the browser tests cannot run, naming each missing piece (empty when nothing is missing)."""
        if not self.missing:
            return ""
        return (
            f"headless Chromium unavailable (missing {', '.join(self.missing)}): "
            "apt-get install chromium chromium-driver; pip install selenium"
        )


def _first_on(path: str | None, names: tuple[str, ...]) -> str | None:
    return next((found for name in names if (found := shutil.which(name, path=path)) is not None), None)


def find_browser(path: str | None = None) -> Browser:
    """Look for Chromium and chromedriver on ``path`` (default: ``$PATH``) and for selenium.

    Hiding them from PATH is how a run without the browser is simulated (CI does so).
    """
    chromium = _first_on(path, BROWSER_NAMES)
    chromedriver = _first_on(path, DRIVER_NAMES)
    missing = []
    if chromium is None:
        missing.append(f"{' or '.join(BROWSER_NAMES)} on PATH")
    if chromedriver is None:
        missing.append(f"{' or '.join(DRIVER_NAMES)} on PATH")
    if importlib.util.find_spec("selenium") is None:
        missing.append("the selenium package")
    return Browser(chromium, chromedriver, tuple(missing))


def skip_or_fail(reason: str | None, variable: str) -> None:
    """Skip with ``reason`` when a tool is missing (``reason`` not None), or fail if ``$variable`` is 1 (CI)."""
    if reason is None:
        return
    if os.environ.get(variable) == "1":
        pytest.fail(f"{reason} ({variable}=1)")
    pytest.skip(reason)


def require_browser(found: Browser | None = None) -> None:
    """Skip (with the reason) when the browser is missing, or fail if NEGOTIATION_REQUIRE_BROWSER=1."""
    found = find_browser() if found is None else found
    skip_or_fail(found.reason or None, "NEGOTIATION_REQUIRE_BROWSER")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A headless Chromium with a fresh profile, driven by selenium."""
    found = find_browser()
    require_browser(found)
    assert found.chromium is not None and found.chromedriver is not None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = found.chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(found.chromedriver), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def report_url(tmp_path: Path, lake: LoadedDossier, matrix: Matrix, comparisons: tuple[Comparison, ...]) -> str:
    """The Lake Arden report written to a file, as a file:// URL."""
    path = tmp_path / "report.html"
    path.write_text(matrix_report(lake, matrix, comparisons), encoding="utf-8")
    return path.as_uri()


def _visible_issues(driver: Any) -> list[str]:
    return list(
        driver.execute_script(
            "return Array.from(document.querySelectorAll('#matrix tbody tr'))"
            ".filter(r => !r.hidden && r.offsetParent !== null).map(r => r.dataset.issue);"
        )
    )


def _status(driver: Any) -> str:
    return str(driver.find_element("id", "filter-status").text)


def _no_alert(driver: Any) -> bool:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        _ = driver.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def test_report_rows_and_categories_in_the_dom(browser: Any, report_url: str) -> None:
    """Opened from file://, the report shows every issue row with each cell's category, coloured by its style."""
    browser.get(report_url)
    assert _status(browser) == "Showing 6 of 6 issues"
    assert _visible_issues(browser) == ["flows", "flows.minimum", "flows.dams", "data", "monitoring", "form"]
    grid = browser.execute_script(
        "return Array.from(document.querySelectorAll('#matrix tbody tr')).map("
        "r => Array.from(r.querySelectorAll('td.cell')).map(c => c.dataset.category));"
    )
    assert grid[3] == ["none", "overlap", "open"]
    assert [row[1] for row in grid] == ["rejection", "rejection", "open", "overlap", "open", "open"]
    cell = browser.find_element("css selector", 'tr[data-issue="data"] td[data-party="down"]')
    assert cell.value_of_css_property("background-color") == "rgba(215, 239, 217, 1)"
    assert cell.find_element("css selector", ".cat-label").text == "OVERLAP"


def test_filters_hide_rows_and_columns(browser: Any, report_url: str) -> None:
    """Ticking off categories keeps only rows with a rejection; a party filter hides its column; issue narrows."""
    browser.get(report_url)
    for value in ("overlap", "open", "none"):
        browser.find_element("css selector", f'input[name="category"][value="{value}"]').click()
    assert _visible_issues(browser) == ["flows", "flows.minimum"]
    assert _status(browser) == "Showing 2 of 6 issues"
    browser.find_element("css selector", 'input[name="party"][value="down"]').click()
    assert _visible_issues(browser) == []
    assert not browser.find_element("css selector", 'th[data-position="down-response-2030-02-01"]').is_displayed()
    browser.get(report_url)
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "filter-issue")).select_by_value("flows")
    assert _visible_issues(browser) == ["flows", "flows.minimum", "flows.dams"]
    assert _status(browser) == "Showing 3 of 6 issues"


def _follow(driver: Any, issue: str, party: str, attribute: str = "data-party") -> str:
    """Click a summary cell's verdict; return the text of the annex entry it leads to."""
    link = driver.find_element("css selector", f'tr[data-issue="{issue}"] td[{attribute}="{party}"] a.verdict')
    # Centred, so the sticky header row does not cover it.
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", link)
    link.click()
    return str(driver.execute_script("return document.querySelector(':target').innerText;"))


def test_script_in_a_provision_is_shown_not_run(browser: Any, report_url: str) -> None:
    """The provision containing <script>alert(1)</script> shows it as text in the annex; no alert, one script."""
    browser.get(report_url)
    assert _no_alert(browser)
    assert browser.execute_script("return document.scripts.length;") == 1
    _follow(browser, "flows.minimum", "up")
    quote = browser.execute_script("return document.querySelector(':target blockquote').textContent;")
    assert quote == "The Parties shall keep a minimum flow <script>alert(1)</script> of 40 m3/s."


def test_hostile_cells_in_a_tables_page_run_nothing(browser: Any, tmp_path: Path) -> None:
    """Script tags, event handlers and javascript: links in cells of the tables page neither run nor load."""
    attacks = [
        "<script>window.pwned = 1</script>",
        "<img src=x onerror='window.pwned = 2'>",
        "\"><svg onload='window.pwned = 3'>",
        "<a href='javascript:window.pwned=4'>x</a>",
    ]
    page = tmp_path / "tables.html"
    page.write_text(render_html([make_table("t", "<script>window.pwned=5</script>", ["cell"], [[a] for a in attacks])]))
    browser.get(page.as_uri())
    assert browser.execute_script("return window.pwned === undefined && document.scripts.length === 0;")
    cells = [c.text for c in browser.find_elements("css selector", "tbody td")]
    assert cells == attacks
    assert browser.title == "<script>window.pwned=5</script>"


def test_cell_leads_to_its_evidence_and_printing_keeps_to_the_summary(browser: Any, report_url: str) -> None:
    """A summary cell links to its annex entry; printing hides the filters and the annex unless asked for."""
    browser.get(report_url)
    entry = _follow(browser, "flows.minimum", "down")
    assert browser.execute_script("return location.hash;") == "#ev-flows.minimum--down-response-2030-02-01"
    lines = [line for line in entry.splitlines() if line.strip()]
    assert lines[1:5] == [
        "Rule: propose x reject -> rejected",
        "Against: up-proposal-2030-01-10",
        "¶ 1 reject",
        "The Union cannot accept a fixed minimum flow.",
    ]
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert browser.find_element("id", "filters").value_of_css_property("display") == "none"
        assert browser.find_element("id", "annex").value_of_css_property("display") == "none"
        assert browser.find_element("id", "matrix").value_of_css_property("display") == "table"
        browser.execute_script("document.querySelector('input[name=\"print-annex\"]').click();")
        assert browser.find_element("id", "annex").value_of_css_property("display") == "block"
        assert browser.execute_script("return document.querySelectorAll('details').length;") == 0
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_screenshot_of_the_report(browser: Any, report_url: str) -> None:
    """A screenshot of the report's summary is saved to tests/artifacts/ for a person to look at."""
    browser.get(report_url)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / "report.png"
    assert browser.save_screenshot(str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = ARTIFACTS / "report.pdf"
    import base64

    pdf.write_bytes(base64.b64decode(browser.print_page()))
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_bundled_report_in_the_browser(browser: Any, tmp_path: Path) -> None:
    """The bundled dossier's report shows one row per matrix issue; a party filter hides that party's columns."""
    from negotiation.engine.matrix import build_matrix
    from negotiation.export.pack import response_comparisons
    from negotiation.loading import load_dossier

    record = load_dossier()
    matrix = build_matrix(record)
    page = tmp_path / "bundled.html"
    page.write_text(matrix_report(record, matrix, response_comparisons(record)), encoding="utf-8")
    browser.get(page.as_uri())
    assert _visible_issues(browser) == [row.issue for row in matrix.rows]
    assert _no_alert(browser) and browser.execute_script("return document.scripts.length;") == 1
    browser.find_element("css selector", 'input[name="party"][value="rus"]').click()
    shown = browser.execute_script(
        "return Array.from(document.querySelectorAll('#matrix thead th[data-position]'))"
        ".filter(th => th.offsetParent !== null).map(th => th.dataset.position);"
    )
    assert shown == [p.id for p in matrix.positions if p.party != "rus"]
    browser.find_element("css selector", 'input[name="party"][value="rus"]').click()
    _follow(browser, "nato-enlargement", "nato")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "bundled-report.png"))


def _fake_executables(folder: Path, *names: str) -> str:
    folder.mkdir()
    for name in names:
        program = folder / name
        program.write_text("#!/bin/sh\n", encoding="utf-8")
        program.chmod(0o755)
    return str(folder)


def test_browser_found_on_the_path_given(tmp_path: Path) -> None:
    """Discovery reads only the search path it is given: fake executables there are found, in name order."""
    path = _fake_executables(tmp_path / "bin", "chromium-browser", "google-chrome", "chromedriver")
    found = find_browser(path)
    assert (found.chromium, found.chromedriver) == (
        str(tmp_path / "bin" / "chromium-browser"),
        str(tmp_path / "bin" / "chromedriver"),
    )
    assert [m for m in found.missing if "PATH" in m] == []


def test_missing_browser_skips_or_fails_as_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without Chromium on the search path the browser tests skip naming what is missing, and fail when
    CI requires the browser — whatever the machine itself has installed."""
    found = find_browser(_fake_executables(tmp_path / "bin", "chromedriver"))
    assert found.chromium is None
    assert found.missing[0] == "chromium or chromium-browser or google-chrome on PATH"
    monkeypatch.delenv("NEGOTIATION_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_browser(found)
    assert str(skipped.value).startswith(
        "headless Chromium unavailable (missing chromium or chromium-browser or google-chrome on PATH"
    )
    assert "chromedriver on PATH" not in str(skipped.value)
    monkeypatch.setenv("NEGOTIATION_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match=r"\(NEGOTIATION_REQUIRE_BROWSER=1\)$"):
        require_browser(found)


@pytest.fixture(scope="module")
def bundled_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The bundled dossier's report written to a file, as a file:// URL."""
    from negotiation.engine.matrix import build_matrix
    from negotiation.export.pack import response_comparisons
    from negotiation.loading import load_dossier

    record = load_dossier()
    page = tmp_path_factory.mktemp("bundled") / "report.html"
    page.write_text(matrix_report(record, build_matrix(record), response_comparisons(record)), encoding="utf-8")
    return page.as_uri()


@pytest.mark.parametrize("width", [1400, 900])
def test_summary_header_is_compact_and_the_issue_stays_in_sight(
    browser: Any, bundled_url: str, width: int, request: pytest.FixtureRequest
) -> None:
    """In a window 900 pixels high, the sticky header row takes under a quarter of it while the summary
    scrolls; following a cell to its evidence keeps the issue's name on screen (its heading sticks)."""
    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        _header_and_issue_in_sight(browser, bundled_url, width, request.config)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _header_and_issue_in_sight(browser: Any, url: str, width: int, config: pytest.Config) -> None:
    from tests.exports.test_export_print import check_screenshot, update_screenshots

    browser.get(url)
    height = browser.execute_script("return window.innerHeight;")
    assert height == 900
    header = "return document.querySelector('#matrix thead th').getBoundingClientRect().toJSON();"
    browser.execute_script("document.getElementById('matrix').scrollIntoView();")
    png = browser.get_screenshot_as_png() if update_screenshots(config) else None
    check_screenshot(config, f"summary-html-{width}.png", png)
    browser.execute_script("document.querySelector('tr[data-issue=\"dialogue.hotlines\"]').scrollIntoView();")
    box = browser.execute_script(header)
    assert box["top"] == 0 and box["height"] < height / 4, (box, height)
    issue_column = browser.execute_script(
        "return document.querySelector('tr[data-issue=\"dialogue.hotlines\"] th').getBoundingClientRect().left;"
    )
    assert issue_column >= 0
    entry = _follow(browser, "military-activity", "ru-reply-2022-02-17", "data-position")
    assert entry.startswith(
        "RUS reply → USA · 17 Feb 2022 — OPEN noted ~several\n\n"
        "tentative: the deciding evidence is reported by several independent sources\n\n"
        "Sub-issues: 4 open\n\nRule: note × note → noted"
    )
    target = "return document.querySelector(':target').getBoundingClientRect().top;"
    heading_bottom = "return document.querySelector('#issue-military-activity > h3').getBoundingClientRect().bottom;"
    assert browser.execute_script(target) >= browser.execute_script(heading_bottom)  # not hidden under it
    browser.execute_script("window.scrollBy(0, 400);")  # reading on, into the entry's provisions
    heading = browser.execute_script(
        "var h = document.querySelector('#issue-military-activity > h3'), r = h.getBoundingClientRect();"
        "return [h.firstChild.textContent.trim(), r.top >= 0 && r.bottom <= window.innerHeight];"
    )
    assert heading == ["Military activity near the other side", True]


def test_every_summary_cell_reaches_its_annex_entry(browser: Any, bundled_url: str) -> None:
    """Every summary cell with a verdict or provisions links to the annex entry of its own issue and position;
    every other cell (silence) is empty."""
    browser.get(bundled_url)
    problems, linked = browser.execute_script(
        """
        var problems = [], linked = 0;
        document.querySelectorAll('#matrix td.cell').forEach(function (cell) {
          var issue = cell.closest('tr').dataset.issue, link = cell.querySelector('a.verdict');
          if (!link) { if (cell.textContent !== '') { problems.push('unlinked ' + issue); } return; }
          linked += 1;
          var target = document.getElementById(link.getAttribute('href').slice(1));
          if (!target || target.dataset.position !== cell.dataset.position
              || target.closest('.annex-issue').dataset.issue !== issue) {
            problems.push(issue + ' ' + cell.dataset.position);
          }
        });
        return [problems, linked];
        """
    )
    from negotiation.engine.matrix import build_matrix
    from negotiation.loading import load_dossier

    matrix = build_matrix(load_dossier())
    assert problems == []
    assert linked == sum(1 for row in matrix.rows for cell in row.cells if cell.category or cell.provisions)
