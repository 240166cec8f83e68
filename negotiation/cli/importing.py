"""The ``import`` command: documents into a position file of uncoded provisions."""

from __future__ import annotations

from typing import Annotated

import typer

from negotiation.cli._common import app


@app.command("import")
def import_(
    files: Annotated[list[str], typer.Argument(metavar="FILE...", help="Documents: .txt .md .html .docx .pdf.")],
    party: Annotated[str, typer.Option("--party", metavar="PARTY", help="The party whose position it is.")],
    date: Annotated[str, typer.Option("--date", metavar="YYYY-MM-DD", help="Delivery date.")],
    output: Annotated[str, typer.Option("--output", "-o", metavar="POSITION", help="The position file to write.")],
    kind: Annotated[str, typer.Option("--kind", metavar="KIND", help="Position kind.")] = "other",
    position_id: Annotated[
        str | None, typer.Option("--id", metavar="ID", help="Position id (default: the output file's name).")
    ] = None,
    start_after: Annotated[
        str | None,
        typer.Option("--start-after", metavar="TEXT", help="Skip everything up to the paragraph that is exactly TEXT."),
    ] = None,
) -> int:
    """Split documents into provisions by their own structure and write them, uncoded, as a position.

    Each provision keeps its exact words as verbatim text, its reference (Art. 3 ¶2) and a citation
    to the file with paragraph (and page, for PDF). Re-importing into a coded position keeps the
    coding of unchanged provisions and lists what changed.
    """
    from negotiation.importing.position import import_documents, position_yaml
    from negotiation.io import write_atomic
    from negotiation.render import inert_line

    report = import_documents(
        files, party=party, date=date, output=output, kind=kind, position_id=position_id, start_after=start_after
    )
    if not report.structured:
        typer.echo(
            "negotiation: warning: no article or paragraph structure recognised; one provision per paragraph",
            err=True,
        )
    write_atomic(output, position_yaml(report.position), allow_data_overwrite=True, into_data_folder=True)
    from negotiation.words import counted

    provisions = report.position.provisions
    uncoded = sum(not p.coded for p in provisions)
    typer.echo(inert_line(f"wrote {output}: {counted(len(provisions), 'provision')} ({uncoded} uncoded)"))
    for label, ids in (("kept coding", report.kept), ("changed", report.changed), ("added", report.added)):
        if ids and (label != "added" or report.kept or report.changed or report.removed):
            typer.echo(inert_line(f"{label}: {', '.join(ids)}"))
    if report.removed:
        typer.echo(inert_line(f"removed: {', '.join(report.removed)}"))
    return 0
