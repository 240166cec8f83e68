"""Commands on the record itself: validate, positions, show, issues, schema, formats."""

from __future__ import annotations

from typing import Annotated

import typer

from negotiation.cli._common import (
    DEFAULT_FORMAT,
    FormatOption,
    LayoutOption,
    OutputOption,
    WidthOption,
    app,
    emit,
    emit_text,
    output_width,
    shipped_path,
    shipped_paths,
    wants_blocks,
)

# The library is imported inside each command: a cold start pays only for what its command uses.

DossierOption = Annotated[
    str | None,
    typer.Option(
        "--dossier",
        "-d",
        metavar="FOLDER",
        help="Dossier folder to read (default: the bundled dossier).",
        callback=shipped_path,
    ),
]


@app.command()
def validate(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH",
            help="Dossier folders, dossier.yaml files, position or exercise files. Default: the bundled dossier.",
            callback=shipped_paths,
        ),
    ] = None,
    dossier: Annotated[
        str | None,
        typer.Option(
            "--dossier",
            "-d",
            metavar="FOLDER",
            help="Check position files against this dossier folder (for files kept outside it).",
        ),
    ] = None,
) -> int:
    """Check files against schema v1 and the dossier's integrity rules; report every problem at once.

    Exit 0 when all is valid, 1 when a file is invalid, 2 when a file cannot be read.
    """
    from negotiation.errors import InputError, ValidationError
    from negotiation.render import inert_line
    from negotiation.validation import validate_paths

    report = validate_paths(paths or [], dossier=dossier)
    for shown, summary in report.checked:
        typer.echo(inert_line(f"ok {shown}: {summary}"))
    if report.problems:
        raise InputError(report.problems) if report.unreadable else ValidationError(report.problems)
    return 0


@app.command()
def positions(
    dossier: DossierOption = None,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
) -> int:
    """List the positions of a dossier: id, party, kind, date, provisions, share of verbatim text."""
    from negotiation.loading import load_dossier
    from negotiation.views import positions_table

    emit([positions_table(load_dossier(dossier))], format, output, width)
    return 0


@app.command()
def show(
    position: Annotated[str, typer.Argument(metavar="POSITION", help="A position id, or a path to a position file.")],
    dossier: DossierOption = None,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
    layout: LayoutOption = "table",
) -> int:
    """Show one position's provisions: ref, issues, stance, text status, summary and sources.

    With --layout blocks, each provision is a block with its words (or what stands for them).
    """
    from negotiation.loading import load_dossier, resolve_position
    from negotiation.views import show_table

    blocks = wants_blocks(layout, format)
    context = load_dossier(dossier) if dossier else None
    found, _ = resolve_position(position, context)
    if blocks:
        from negotiation.blocks import position_blocks

        emit_text(position_blocks(found, output_width(width, output)), output)
    else:
        emit([show_table(found)], format, output, width)
    return 0


@app.command()
def issues(
    dossier: DossierOption = None,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
) -> int:
    """Show the issue taxonomy of a dossier as a tree."""
    from negotiation.loading import load_dossier
    from negotiation.views import issues_table

    emit([issues_table(load_dossier(dossier))], format, output, width)
    return 0


@app.command()
def schema(
    kind: Annotated[
        str, typer.Argument(metavar="KIND", help="Which file kind: position, dossier, or exercise.")
    ] = "position",
    output: OutputOption = None,
) -> int:
    """Print the JSON Schema of a file kind (the same text as schemas/<kind>-v1.json)."""
    from negotiation.jsonschema import schema_text

    emit_text(schema_text(kind), output)
    return 0


@app.command(name="formats")
def list_formats() -> int:
    """List every output format that --format accepts."""
    from negotiation.render import formats

    for name in formats():
        typer.echo(name)
    return 0


@app.command()
def init(
    folder: Annotated[str, typer.Argument(metavar="DIR", help="The new dossier folder (new or empty).")],
    dossier_id: Annotated[
        str | None, typer.Option("--id", metavar="ID", help="The dossier id (default: the folder's name).")
    ] = None,
) -> int:
    """Start a new dossier: a dossier file with a starter taxonomy and a README saying what to do next.

    The folder validates at once (`negotiation validate DIR`).
    """
    from negotiation.importing import init_dossier
    from negotiation.render import inert_line

    for path in init_dossier(folder, dossier_id):
        typer.echo(inert_line(f"wrote {path}"))
    return 0
