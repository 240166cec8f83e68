"""Coding aids on the command line: ``agreement`` between two coders' versions of the same positions."""

from __future__ import annotations

from typing import Annotated

import typer

from negotiation.cli._common import DEFAULT_FORMAT, FormatOption, OutputOption, WidthOption, app, emit, shipped_path

CodingArgument = Annotated[
    str,
    typer.Argument(
        metavar="CODING",
        help="One coder's version: a dossier folder, a dossier file or a position file.",
        callback=shipped_path,
    ),
]


@app.command()
def agreement(
    first: CodingArgument,
    second: CodingArgument,
    field: Annotated[
        list[str] | None,
        typer.Option(
            "--field", metavar="FIELD", help="Show only this field (repeat for several); default: every field."
        ),
    ] = None,
    disagreements: Annotated[
        bool,
        typer.Option("--disagreements/--no-disagreements", help="List every disagreement after the summary."),
    ] = True,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
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
    emit(tables[:1] if format == "json" or not disagreements else tables, format, output, width)
    return 0


@app.command()
def suggest(
    position: Annotated[str, typer.Argument(metavar="POSITION", help="A position id or position file.")],
    dossier: Annotated[
        str | None,
        typer.Option(
            "--dossier",
            "-d",
            metavar="FOLDER",
            help="Dossier to learn from (default: the position's).",
            callback=shipped_path,
        ),
    ] = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Write suggestions into the position file, marked as suggested.")
    ] = False,
    min_score: Annotated[
        float, typer.Option("--min-score", metavar="S", help="With --apply: only suggestions scoring at least S.")
    ] = 0.5,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
) -> int:
    """For each uncoded provision: likely issue codes, stance and links, ranked, with the nearest
    coded provisions as the reason. --apply stores them as `suggested`, never as coding."""
    from negotiation.coding.suggest import apply_suggestions, suggest_for, suggestion_table
    from negotiation.errors import UsageError
    from negotiation.loading import load_dossier, resolve_position
    from negotiation.places import shipped

    # Reading may fall back on the shipped copy of an example; --apply writes only where it was told.
    source = position if apply else shipped(position)
    found, record = resolve_position(source, load_dossier(dossier) if dossier else None)
    ranked = suggest_for(found, list(record.positions.values()))
    emit([suggestion_table(found.id, ranked)], format, output, width)
    if apply:
        from negotiation.importing.position import position_yaml
        from negotiation.io import write_atomic

        path = position if position.endswith((".yaml", ".yml")) else None
        if path is None:
            raise UsageError("--apply needs the position's file (a .yaml path), to write the suggestions into")
        updated, count = apply_suggestions(found, ranked, min_score)
        write_atomic(path, position_yaml(updated), allow_data_overwrite=True, into_data_folder=True)
        typer.echo(f"wrote {count} suggestions into {path} (marked suggested; a coder confirms them)", err=True)
    return 0
