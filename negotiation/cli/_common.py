"""What every command shares: the output options and how results are written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer

from negotiation.errors import UsageError
from negotiation.io import write_atomic
from negotiation.render import BINARY_FORMATS, formats, render
from negotiation.tables import Table

DEFAULT_FORMAT = "simple"

FormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="Output format: simple (a terminal table, the default), json, csv, markdown, html, any tabulate "
        "style (github, grid, rst, latex_booktabs, mediawiki, ...) and the office formats. "
        "'negotiation formats' lists them all.",
    ),
]
OutputOption = Annotated[
    str | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to this file (atomically) instead of standard output."),
]


def emit(tables: Sequence[Table], fmt: str, output: str | None) -> None:
    """Render ``tables`` and write them to ``output`` or standard output."""
    if fmt not in formats():
        raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(formats())}")
    if fmt in BINARY_FORMATS and output is None:
        raise UsageError(f"format '{fmt}' writes a binary file; give --output FILE")
    content = render(tables, fmt)
    if output is not None:
        write_atomic(output, content)
        return
    assert isinstance(content, str)
    typer.echo(content, nl=False)


def emit_text(content: str, output: str | None) -> None:
    """Write an already rendered document to ``output`` or standard output."""
    if output is not None:
        write_atomic(output, content)
        return
    typer.echo(content, nl=False)
