"""Commands of the comparison engine: diff, matrix, changes, balance.

The engine is imported inside each command, so that ``negotiation --help`` and the other commands
never pay for it (and deepdiff is imported only when ``changes`` meets a nested difference).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

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
    wants_blocks,
)
from negotiation.cli.record import DossierOption
from negotiation.errors import UsageError

if TYPE_CHECKING:
    from negotiation.engine.attestation import Grade
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
MinAttestationOption = Annotated[
    str | None,
    typer.Option(
        "--min-attestation",
        help="Set aside evidence graded below LEVEL before deciding (own-words, several-sources, "
        "author-summary, one-source, other-party, unattested); the output says how many provisions.",
        metavar="LEVEL",
    ),
]
ExplainOption = Annotated[
    bool,
    typer.Option("--explain", help="Per verdict: the rule, the deciding provisions and their attestation grades."),
]


def attestation_level(value: str | None) -> Grade | None:
    from negotiation.engine.attestation import check_grade

    if value is None:
        return None
    try:
        return check_grade(value)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _note_uncoded(positions: list[Position]) -> bool:
    """Say on stderr how many uncoded provisions the verdicts leave out; True when there were any."""
    from negotiation.engine.answers import uncoded_counts, uncoded_note
    from negotiation.render import inert_line

    note = uncoded_note(uncoded_counts(positions))
    if note is not None:
        typer.echo(inert_line(f"negotiation: {note}"), err=True)
    return note is not None


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
    min_attestation: MinAttestationOption = None,
    explain: ExplainOption = False,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
    layout: LayoutOption = "table",
) -> int:
    """Compare two positions issue by issue, with the evidence, the rule and its attestation grade.

    The mode comes from the data and is printed: an answer (overlap, rejection or open), two versions
    of one party (kept, concession, hardening, added, dropped) or an alignment of two papers that do
    not answer each other (same-line, different-lines, only-left, only-right). Swapping LEFT and
    RIGHT never changes a category. With --exit-code, exit 1 when some issue shown differs. With
    --layout blocks, each issue is a block: the verdict, the rule, its attestation grade, and both
    sides' provisions with their words and grades.
    """
    from negotiation.engine.compare import Taxonomy, check_categories, compare, differs, filter_comparison
    from negotiation.engine.views import diff_explain_table, diff_table

    check_categories(category or ())
    blocks = wants_blocks(layout, format)
    if blocks and explain:
        raise UsageError("--explain is a table; it does not combine with --layout blocks")
    level = attestation_level(min_attestation)
    one, two, record = _positions(left, right, dossier)
    _note_uncoded([one, two])
    result = filter_comparison(
        compare(one, two, record, min_attestation=level), Taxonomy.of(record), categories=category or (), issue=issue
    )
    if blocks:
        from negotiation.blocks import diff_blocks

        emit_text(diff_blocks(result, output_width(width, output)), output)
    else:
        emit([diff_explain_table(result) if explain else diff_table(result)], format, output, width)
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
    min_attestation: MinAttestationOption = None,
    sensitivity: Annotated[
        bool,
        typer.Option(
            "--sensitivity",
            help="List the cells whose verdict changes when evidence below the document's own words (or below "
            "--min-attestation LEVEL) is set aside: old → new, with the provisions responsible.",
        ),
    ] = False,
    explain: ExplainOption = False,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
) -> int:
    """Issues × positions: each answer's category against what it answers (the four-column document)."""
    key = None
    if not category and not issue and min_attestation is None and not sensitivity and not explain and format != "html":
        # Only the plain whole matrix is remembered: an option that changes the answer is never served
        # from memory. The whole matrix of an unchanged dossier is remembered from an earlier run: such a run
        # never imports the models, the loader or the engine (see negotiation.remembered).
        from negotiation.remembered import answer_key, recall

        key = answer_key("matrix", dossier, ids or [])
        remembered = recall(key) if key is not None else None
        if remembered is not None:
            emit([remembered], format, output, width)
            return 0
    from negotiation.engine.compare import Taxonomy, check_categories
    from negotiation.engine.matrix import build_matrix, filter_matrix
    from negotiation.engine.matrix import sensitivity as find_sensitive
    from negotiation.engine.views import matrix_explain_table, matrix_table, sensitivity_table
    from negotiation.loading import load_dossier

    check_categories(category or ())
    level = attestation_level(min_attestation)
    record = load_dossier(dossier)
    if _note_uncoded([record.position(pid) for pid in ids] if ids else list(record.positions.values())):
        key = None  # an answer with a note is not remembered: the recalled one would lose the note
    if sensitivity:
        taxonomy = Taxonomy.of(record)
        if issue is not None:
            taxonomy.check(issue)
        _, cells = find_sensitive(record, ids, level or "own-words")
        kept = [c for c in cells if issue is None or c.issue == issue or c.issue.startswith(issue + ".")]
        emit([sensitivity_table(kept, level or "own-words")], format, output, width)
        return 0
    result = filter_matrix(
        build_matrix(record, ids, min_attestation=level), Taxonomy.of(record), categories=category or (), issue=issue
    )
    if explain:
        emit([matrix_explain_table(result)], format, output, width)
        return 0
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
