"""Commands of the comparison engine: diff, matrix, changes, balance.

The engine is imported inside each command, so that ``negotiation --help`` and the other commands
never pay for it (and deepdiff is imported only when ``changes`` meets a nested difference).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from negotiation.cli import app
from negotiation.cli._common import (
    DEFAULT_FORMAT,
    FormatOption,
    LayoutOption,
    OutputOption,
    WidthOption,
    emit,
    emit_text,
    output_width,
    wants_blocks,
)
from negotiation.cli.record import DossierOption

if TYPE_CHECKING:
    from negotiation.loading import LoadedDossier
    from negotiation.schema import Position

CategoryOption = Annotated[
    list[str] | None,
    typer.Option(
        "--category",
        "-c",
        metavar="CATEGORY",
        help="Show only this category: overlap, rejection or open (repeat the option for several).",
    ),
]
IssueOption = Annotated[
    str | None,
    typer.Option("--issue", "-i", metavar="CODE", help="Show only this issue code and its sub-issues."),
]
ExitCodeOption = Annotated[
    bool,
    typer.Option("--exit-code", help="Exit 1 when something differs, 0 when nothing does."),
]
PositionArgument = Annotated[
    str, typer.Argument(metavar="POSITION", help="A position id, or a path to a position file.")
]


def _positions(first: str, second: str, dossier: str | None) -> tuple[Position, Position, LoadedDossier]:
    from negotiation.loading import load_dossier, resolve_position

    context = load_dossier(dossier) if dossier else None
    one, record = resolve_position(first, context)
    # The second is read in the first one's dossier, so that a loose file can answer the other.
    two, record = resolve_position(second, record)
    return one, two, record


@app.command()
def diff(
    left: Annotated[str, typer.Argument(metavar="LEFT", help="A position id, or a path to a position file.")],
    right: Annotated[str, typer.Argument(metavar="RIGHT", help="Another position id, or a path to a position file.")],
    dossier: DossierOption = None,
    category: CategoryOption = None,
    issue: IssueOption = None,
    exit_code: ExitCodeOption = False,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
    layout: LayoutOption = "table",
) -> int:
    """Compare two positions issue by issue: overlap, rejection or open, with the evidence and the rule.

    Swapping LEFT and RIGHT never changes a category. With --exit-code, exit 1 when some issue shown
    is not an overlap. With --layout blocks, each issue is a block: the verdict, the rule, and both
    sides' provisions with their words.
    """
    from negotiation.engine.compare import Taxonomy, check_categories, compare, differs, filter_comparison
    from negotiation.engine.views import diff_table

    check_categories(category or ())
    blocks = wants_blocks(layout, format)
    one, two, record = _positions(left, right, dossier)
    result = filter_comparison(compare(one, two, record), Taxonomy.of(record), categories=category or (), issue=issue)
    if blocks:
        from negotiation.blocks import diff_blocks

        emit_text(diff_blocks(result, output_width(width, output)), output)
    else:
        emit([diff_table(result)], format, output, width)
    return 1 if exit_code and differs(result) else 0


@app.command()
def matrix(
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="POSITION...",
            help="Position ids, in the order of the columns. Default: every position of the dossier.",
        ),
    ] = None,
    dossier: DossierOption = None,
    category: CategoryOption = None,
    issue: IssueOption = None,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
) -> int:
    """Issues × positions: each answer's category against what it answers (the four-column document)."""
    key = None
    if not category and not issue and format != "html":
        # The whole matrix of an unchanged dossier is remembered from an earlier run: such a run
        # never imports the models, the loader or the engine (see negotiation.remembered).
        from negotiation.remembered import answer_key, recall

        key = answer_key("matrix", dossier, ids or [])
        remembered = recall(key) if key is not None else None
        if remembered is not None:
            emit([remembered], format, output, width)
            return 0
    from negotiation.engine.compare import Taxonomy, check_categories
    from negotiation.engine.matrix import build_matrix, filter_matrix
    from negotiation.engine.views import matrix_table
    from negotiation.loading import load_dossier

    check_categories(category or ())
    record = load_dossier(dossier)
    result = filter_matrix(build_matrix(record, ids), Taxonomy.of(record), categories=category or (), issue=issue)
    if format == "html":
        # The HTML matrix is the four-column report: each cell opens onto the provisions' words.
        from negotiation.export.html import matrix_report
        from negotiation.export.pack import response_comparisons

        emit_text(matrix_report(record, result, response_comparisons(record)), output)
        return 0
    table = matrix_table(result)
    if key is not None:
        from negotiation.remembered import remember

        remember(key, table)
    emit([table], format, output, width)
    return 0


@app.command()
def changes(
    old: Annotated[
        str, typer.Argument(metavar="OLD", help="The earlier position: an id, or a path to a position file.")
    ],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The later position: an id, or a path to a position file.")],
    dossier: DossierOption = None,
    exit_code: ExitCodeOption = False,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
) -> int:
    """What changed between two positions: provisions added, removed, changed, renumbered and moved.

    Provisions are matched by id, then by their words or ref, never by their place. Changed text is
    shown as a redline ([-struck-] {+added+}); a changed stance as a concession or a hardening.
    """
    from negotiation.engine.changes import changes as compute_changes
    from negotiation.engine.views import changes_table

    before, after, _ = _positions(old, new, dossier)
    result = compute_changes(before, after)
    emit([changes_table(result)], format, output, width)
    return 1 if exit_code and not result.empty else 0


@app.command()
def balance(
    position: PositionArgument,
    dossier: DossierOption = None,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
) -> int:
    """Count, per party, the commitments of a position that would bind it and how many are reciprocal."""
    from negotiation.engine.balance import balance as compute_balance
    from negotiation.engine.views import balance_table
    from negotiation.loading import load_dossier, resolve_position

    context = load_dossier(dossier) if dossier else None
    found, record = resolve_position(position, context)
    emit([balance_table(compute_balance(found, record))], format, output, width)
    return 0
