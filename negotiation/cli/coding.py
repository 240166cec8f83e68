"""Coding aids on the command line: ``agreement`` between two coders' versions of the same positions."""

from __future__ import annotations

from typing import Annotated

import typer

from negotiation.cli import app
from negotiation.cli._common import DEFAULT_FORMAT, FormatOption, OutputOption, emit

CodingArgument = Annotated[
    str,
    typer.Argument(help="One coder's version: a dossier folder, a dossier file or a position file."),
]


@app.command()
def agreement(
    first: CodingArgument,
    second: CodingArgument,
    field: Annotated[
        list[str] | None,
        typer.Option("--field", help="Show only this field (repeat for several); default: every field."),
    ] = None,
    disagreements: Annotated[
        bool,
        typer.Option("--disagreements/--no-disagreements", help="List every disagreement after the summary."),
    ] = True,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
) -> int:
    """How far two coders agree: Krippendorff's alpha and percent agreement per field, then every
    disagreement with both codings.

    Units are the provisions both versions hold (same position id and provision id). Stance is
    nominal; sets (issue codes, obligors, links) use the MASI distance; 'issues (per code)' asks of
    every taxonomy code whether each provision carries it. Needs the coding extra.
    """
    from negotiation.coding.agreement import compare_codings, load_coding
    from negotiation.coding.views import agreement_tables

    one, taxonomy = load_coding(first)
    two, _ = load_coding(second)
    result = compare_codings(one, two, taxonomy, fields=field or ())
    tables = agreement_tables(result, first, second)
    # The JSON contract already holds every disagreement; the second table is for reading.
    emit(tables[:1] if format == "json" or not disagreements else tables, format, output)
    return 0
