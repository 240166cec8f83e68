"""PDF: the summary of the four-column report (and, on request, its annex) printed by headless Chromium.

The page is the HTML report itself, printed with its own print stylesheet (A4 landscape), so the PDF and
the page a reader prints from a browser are the same document. Chromium is found on the ``PATH`` (or named
by ``NEGOTIATION_CHROMIUM``); where it is missing, rendering raises a :class:`DependencyError` saying what
to install. The creation and modification dates Chromium stamps are fixed, so the same input gives the
same bytes with the same Chromium.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from negotiation.errors import DependencyError, ExportError
from negotiation.io import write_atomic
from negotiation.tables import Table

if TYPE_CHECKING:
    from negotiation.engine.model import Comparison, Matrix
    from negotiation.export.report import Report
    from negotiation.loading import LoadedDossier

#: Environment variable naming the Chromium executable to use.
CHROMIUM_ENV = "NEGOTIATION_CHROMIUM"
#: Executable names tried on the PATH, in order.
CHROMIUM_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_TIMEOUT = 120
# Chromium writes "/CreationDate (D:20260101120000+00'00')"; only the digits change between runs.
_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate) ?\(D:)\d{14}")


def find_chromium() -> str | None:
    """The Chromium executable to print with: ``$NEGOTIATION_CHROMIUM``, else the first on the PATH."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        return shutil.which(named)
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def fixed_dates(pdf: bytes) -> bytes:
    """``pdf`` with its creation and modification dates set to 2000-01-01 (same length, so offsets hold).

    >>> fixed_dates(b"/CreationDate (D:20261205080853+00'00')")
    b"/CreationDate (D:20000101000000+00'00')"
    """
    return _PDF_DATE.sub(rb"\g<1>20000101000000", pdf)


def print_html(page: str) -> bytes:
    """Print an HTML page to PDF with headless Chromium, honouring the page's print stylesheet.

    Raises DependencyError when Chromium is not installed and ExportError when it fails to print.
    """
    chromium = find_chromium()
    if chromium is None:
        raise DependencyError(
            "format 'pdf' needs headless Chromium: install it (Debian: apt-get install chromium) "
            f"or name it in {CHROMIUM_ENV}"
        )
    with tempfile.TemporaryDirectory(prefix="negotiation-pdf-") as folder:
        source, target = Path(folder) / "page.html", Path(folder) / "page.pdf"
        write_atomic(source, page)
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={Path(folder) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ExportError(f"Chromium ({chromium}) could not print the page: {exc}") from None
        if done.returncode != 0 or not target.is_file():
            last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
            raise ExportError(f"Chromium ({chromium}) could not print the page (exit {done.returncode}): {last}")
        return fixed_dates(target.read_bytes())


def report_pdf(report: Report, *, annex: bool = False) -> bytes:
    """The summary of a built report as a PDF (A4 landscape), followed by the annex when ``annex`` is set."""
    from negotiation.export.html import report_html

    return print_html(report_html(report, print_annex=annex))


def matrix_pdf(
    record: LoadedDossier, matrix: Matrix, comparisons: Sequence[Comparison] = (), *, annex: bool = False
) -> bytes:
    """The four-column summary of a dossier as a PDF; with ``annex``, the evidence follows it."""
    from negotiation.export.report import build_report

    return report_pdf(build_report(record, matrix, comparisons), annex=annex)


def render_pdf(tables: Sequence[Table]) -> bytes:
    """Any tables as a PDF: the HTML tables page printed by headless Chromium."""
    from negotiation.export.html import render_html

    page = render_html(tables)
    return print_html(page if isinstance(page, str) else page.decode("utf-8"))
