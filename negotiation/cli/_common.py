"""What every command shares: the output options and how results are written."""

from __future__ import annotations

import os
import shutil
import sys
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
    if output is not None or not stdout_is_terminal():
        return None
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else shutil.get_terminal_size().columns


def emit(tables: Sequence[Table], fmt: str, output: str | None, width: int | None = None) -> None:
    """Render ``tables`` and write them to ``output`` or standard output, fitted to the terminal
    (see :func:`output_width`)."""
    if fmt not in formats():
        raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(formats())}")
    if fmt in BINARY_FORMATS and output is None:
        raise UsageError(f"format '{fmt}' writes a binary file; give --output FILE")
    content = render(tables, fmt, width=output_width(width, output))
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
