"""The ``export`` command: a briefing pack of a dossier in the formats asked for."""

from __future__ import annotations

from typing import Annotated

import typer

from negotiation.cli._common import app
from negotiation.words import counted

PackFormatsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="A format of the pack (repeat for several): any of 'negotiation formats', e.g. markdown, html, csv, "
        "json, latex_booktabs, xlsx, docx, sqlite, pdf. Default: markdown, html, csv and json.",
    ),
]


@app.command()
def export(
    dossier: Annotated[
        str | None, typer.Argument(metavar="DOSSIER", help="Dossier folder to export (default: the bundled dossier).")
    ] = None,
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="FOLDER", help="Folder to write the pack into (created if needed).")
    ] = (""),
    format: PackFormatsOption = None,
    min_attestation: Annotated[
        str | None,
        typer.Option(
            "--min-attestation",
            help="Set aside evidence graded below LEVEL before every verdict (own-words, several-sources, "
            "author-summary, one-source, other-party, unattested); the index says how many provisions.",
            metavar="LEVEL",
        ),
    ] = None,
    annex: Annotated[bool, typer.Option("--annex", help="pdf: print the evidence annex after the summary.")] = False,
) -> int:
    """Write a briefing pack: the matrix (in html, docx, xlsx and pdf a summary of a page or two, then the
    evidence as an annex), each response's diff, each version's changes, coverage and the positions, in
    every format asked for, with an index.

    Files are written atomically; a folder inside a dossier is refused. docs/exports.md describes the layout.
    """
    from negotiation.cli.compare import attestation_level
    from negotiation.errors import UsageError
    from negotiation.export.pack import build_pack, write_pack
    from negotiation.loading import load_dossier

    if not output:
        raise UsageError("give the folder to write the pack into: --output DIR")
    record = load_dossier(dossier)
    pack = build_pack(record, format or (), attestation_level(min_attestation), annex=annex)
    written = write_pack(pack, output, record)
    index = next(p for p in written if p.name == "index.md")
    typer.echo(f"wrote {counted(len(written), 'file')} to {output} (index: {index})")
    for note in pack.notes if min_attestation else ():
        if note.startswith("Evidence below"):
            typer.echo(note)
    return 0
