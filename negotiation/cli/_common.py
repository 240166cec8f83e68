"""What every command shares: the application they are declared on, the output options and how results
are written."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from negotiation.errors import UsageError
from negotiation.io import write_atomic
from negotiation.render import BINARY_FORMATS, formats, render
from negotiation.tables import Table

#: The program name shown in help and messages, however the CLI was started.
PROG = "negotiation"
HELP_WIDTH = 100

app = typer.Typer(
    name="negotiation",
    help="Negotiating positions as versioned, validated data: overlaps, rejections and open items, item by item.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    # A fixed width makes --help the same on every terminal (docs/cli.md is generated from it).
    context_settings={
        "help_option_names": ["-h", "--help"],
        "max_content_width": HELP_WIDTH,
        "terminal_width": HELP_WIDTH,
    },
)

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
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to this file (atomically) instead of standard output ('-': standard output).",
    ),
]


#: ``--output -`` means standard output, as for most Unix tools.
STDOUT = "-"


def emit(tables: Sequence[Table], fmt: str, output: str | None) -> None:
    """Render ``tables`` and write them to ``output`` or standard output."""
    if fmt not in formats():
        raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(formats())}")
    if fmt in BINARY_FORMATS and output in (None, STDOUT) and (output is None or sys.stdout.isatty()):
        raise UsageError(f"format '{fmt}' writes a binary file; give --output FILE")
    emit_text(render(tables, fmt), output)


def emit_text(content: str | bytes, output: str | None) -> None:
    """Write rendered output to the file ``output`` (atomically, by the output policy of
    negotiation.io), or to standard output when ``output`` is None or ``-``."""
    if output is not None and output != STDOUT:
        write_atomic(output, content)
    elif isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        typer.echo(content, nl=False)
