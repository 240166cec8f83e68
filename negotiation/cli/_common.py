"""What every command shares: the application they are declared on, the output options and how results
are written."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from negotiation.errors import UsageError
from negotiation.io import write_atomic
from negotiation.render import BINARY_FORMATS, formats, render
from negotiation.tables import Table

#: The program name shown in help and messages, however the CLI was started.
PROG = "negotiation"
HELP_WIDTH = 100

_SETTINGS: dict[str, Any] = {
    "name": "negotiation",
    "help": "Negotiating positions as versioned, validated data: overlaps, rejections and open items, item by item.",
    "no_args_is_help": True,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
    # A fixed width makes --help the same on every terminal (docs/cli.md is generated from it).
    "context_settings": {
        "help_option_names": ["-h", "--help"],
        "max_content_width": HELP_WIDTH,
        "terminal_width": HELP_WIDTH,
    },
}
app = typer.Typer(**_SETTINGS)


def _plain_argument_help() -> None:
    # Typer writes an argument's Python type after its name in --help ("POSITION <str>", "PATH
    # <list[str]>"): noise to a person, who reads the metavar. Options show their metavar already.
    from typer.core import TyperArgument

    if hasattr(TyperArgument, "display_type_rich"):
        TyperArgument.display_type_rich = lambda self, ctx: ""  # type: ignore[method-assign]


_plain_argument_help()


def _version(shown: bool) -> None:
    if shown:
        from negotiation import __version__

        typer.echo(f"negotiation {__version__}")
        raise typer.Exit(0)


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", is_eager=True, callback=_version),
    ] = False,
) -> None:
    """Negotiating positions as versioned, validated data: overlaps, rejections and open items, item by item."""


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

WidthOption = Annotated[
    int | None,
    typer.Option(
        "--width",
        "-w",
        metavar="COLUMNS",
        help="Fit terminal tables into this many characters (0: never wrap). Default: the terminal's width "
        "(COLUMNS when set) on a terminal; full width into a pipe or a file.",
    ),
]


#: ``--output -`` means standard output, as for most Unix tools.
STDOUT = "-"


def shipped_path(value: str | None) -> str | None:
    """A path argument's callback: ``positions/...`` and ``examples/...`` that do not exist here mean
    the copies shipped with the tool (see :func:`negotiation.places.shipped`)."""
    from negotiation.places import shipped

    return None if value is None else shipped(value)


def shipped_paths(values: list[str] | None) -> list[str] | None:
    """:func:`shipped_path` for an argument taking several paths."""
    return None if values is None else [v for value in values if (v := shipped_path(value)) is not None]


def stdout_is_terminal() -> bool:
    """True when standard output is a terminal (tests replace this to play one)."""
    return sys.stdout.isatty()


def output_width(width: int | None, output: str | None) -> int | None:
    """The width to fit text output into, or None for full width.

    ``--width`` wins (0 meaning full width); a file or a pipe keeps full width, so data stays whole for
    other programs; a terminal gives its width — ``COLUMNS`` when set, else the terminal's own size.
    """
    if width is not None:
        if width < 0:
            raise UsageError(f"--width must be 0 (never wrap) or a number of characters, not {width}")
        return width or None
    if (output is not None and output != STDOUT) or not stdout_is_terminal():
        return None
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else shutil.get_terminal_size().columns


def emit(tables: Sequence[Table], fmt: str, output: str | None, width: int | None = None) -> None:
    """Render ``tables`` and write them to ``output`` or standard output (``None`` or ``-``), fitted
    to the terminal (see :func:`output_width`)."""
    if fmt not in formats():
        raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(formats())}")
    if fmt in BINARY_FORMATS and output in (None, STDOUT) and (output is None or sys.stdout.isatty()):
        raise UsageError(f"format '{fmt}' writes a binary file; give --output FILE")
    emit_text(render(tables, fmt, width=output_width(width, output)), output)


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


LayoutOption = Annotated[
    str,
    typer.Option(
        "--layout",
        metavar="LAYOUT",
        help="table (the default: one row per item) or blocks (one block per item, with the words themselves).",
    ),
]


def wants_blocks(layout: str, fmt: str) -> bool:
    """Check ``--layout``; True when the blocks layout was asked for (the caller then writes the blocks).

    Blocks are text for people: they go with the default terminal format only.
    """
    if layout not in ("table", "blocks"):
        raise UsageError(f"unknown layout '{layout}'; choose one of: table, blocks")
    if layout == "blocks" and fmt != DEFAULT_FORMAT:
        raise UsageError(f"--layout blocks is text for reading; it does not combine with --format {fmt}")
    return layout == "blocks"
