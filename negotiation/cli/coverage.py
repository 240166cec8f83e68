"""The ``coverage`` command: how much of each bundled source the provisions of a dossier cover."""

from __future__ import annotations

from typing import Annotated

import typer

from negotiation.cli._common import DEFAULT_FORMAT, FormatOption, OutputOption, WidthOption, app, emit, shipped_path


@app.command()
def coverage(
    positions: Annotated[
        list[str] | None,
        typer.Argument(metavar="POSITION...", help="Position ids to audit. Default: every position of the dossier."),
    ] = None,
    dossier: Annotated[
        str | None,
        typer.Option(
            "--dossier",
            "-d",
            metavar="FOLDER",
            help="Dossier folder to read (default: the bundled dossier).",
            callback=shipped_path,
        ),
    ] = None,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help="Exit 1 when a passage is uncovered or a text is not found in the files it cites.",
        ),
    ] = False,
) -> int:
    """Per position: provisions that are verbatim, partial, reported or missing, and the passages of
    its bundled source that no provision covers (listed under the table; in full with --format json).

    A passage is a paragraph of the source's text section, or a quoted fragment in a [[GAP ...]] block
    or on a fragment list line; docs/coding-guide.md gives the exact rules. Texts of verbatim,
    partial and reported provisions not found in the files they cite are listed too.
    """
    from negotiation.coverage import coverage_table, dossier_coverage
    from negotiation.loading import load_dossier

    record = load_dossier(dossier)
    results = dossier_coverage(record, positions or ())
    emit([coverage_table(results, record.id)], format, output, width)
    incomplete = any(r.uncovered or r.texts_not_found for r in results)
    return 1 if exit_code and incomplete else 0
