"""Test data for the export tests: a fictional dossier with hostile texts (fixtures/lake-arden), a matrix
and comparisons built by hand from the engine's model types, and tables with hostile cells."""

from __future__ import annotations

from pathlib import Path

from negotiation.engine.model import (
    Comparison,
    DiffItem,
    Evidence,
    Matrix,
    MatrixCell,
    MatrixRow,
    PositionInfo,
)
from negotiation.loading import LoadedDossier
from negotiation.tables import Table, make_table

HERE = Path(__file__).parent
LAKE = HERE / "fixtures" / "lake-arden"

#: Cells that try to escape their format: markup, formulas, TeX, pipes, terminal escapes, bidi overrides.
HOSTILE = (
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    r"\input{/etc/passwd}",
    "| pipe",
    "\x1b[31mred\x1b[0m",
    "\u202eevil",
    "+1+1",
    "-2",
    "@SUM(A1:A9)",
    "a & b % c $d$ #e _f ^g ~h {i} \\ j",
    "[2pt] bracket",
    "line one\nline two",
    "`code` *em* [link](javascript:x)",
    "'quoted' \"double\"",
)

UP, DOWN, OBS = "up-proposal-2030-01-10", "down-response-2030-02-01", "obs-statement-2030-02-05"


def info(record: LoadedDossier, position_id: str) -> PositionInfo:
    """PositionInfo of a position of ``record``."""
    p = record.position(position_id)
    return PositionInfo(p.id, p.party, p.kind, p.title, p.date.isoformat() if p.date else None)


def evidence(record: LoadedDossier, position_id: str, provision_id: str, relation: str | None = None) -> Evidence:
    """A provision of ``record`` cited as evidence."""
    p = record.position(position_id).provision(provision_id)
    assert p is not None
    return Evidence(
        position=position_id,
        provision=p.id,
        ref=p.ref,
        stance=p.stance,
        relation=relation,
        text=p.text,
        text_status=p.text_status,
        summary=p.summary,
        sources=tuple(s.file or s.witness or s.url or "" for s in p.sources),
    )


def lake_comparisons(record: LoadedDossier) -> tuple[Comparison, ...]:
    """What the engine would find between the proposal and each answer (built by hand)."""
    e = lambda pos, prov, rel=None: evidence(record, pos, prov, rel)  # noqa: E731
    down = Comparison(
        left=info(record, UP),
        right=info(record, DOWN),
        items=(
            DiffItem(
                "flows",
                "River flows",
                "rejection",
                "rejected",
                (e(UP, "art-1"), e(UP, "art-2")),
                (e(DOWN, "r-1", "rejects"), e(DOWN, "r-2", "discusses")),
                "rolled up: the most decisive child verdict (flows.minimum: rejected)",
                ("flows.minimum", "flows.dams"),
                "propose",
                "reject",
            ),
            DiffItem(
                "flows.minimum",
                "Minimum flow",
                "rejection",
                "rejected",
                (e(UP, "art-1"),),
                (e(DOWN, "r-1", "rejects"),),
                "propose x reject -> rejected",
                (),
                "propose",
                "reject",
            ),
            DiffItem(
                "flows.dams",
                "New dams",
                "open",
                "negotiable",
                (e(UP, "art-2"),),
                (e(DOWN, "r-2", "discusses"),),
                "propose x discuss -> negotiable",
                (),
                "propose",
                "discuss",
            ),
            DiffItem(
                "data",
                "Data sharing",
                "overlap",
                "agreed",
                (e(UP, "art-3"),),
                (e(DOWN, "r-3", "accepts"),),
                "propose x accept -> agreed",
                (),
                "propose",
                "accept",
            ),
            DiffItem(
                "monitoring",
                "Joint monitoring",
                "open",
                "new-item",
                (),
                (e(DOWN, "r-4"),),
                "silent x propose -> new-item",
                (),
                "silent",
                "propose",
            ),
            DiffItem(
                "form",
                "Form of the agreement",
                "open",
                "unanswered",
                (e(UP, "art-4"),),
                (),
                "propose x silent -> unanswered",
                (),
                "propose",
                "silent",
            ),
        ),
    )
    obs = Comparison(
        left=info(record, UP),
        right=info(record, OBS),
        items=(
            DiffItem(
                "data",
                "Data sharing",
                "open",
                "conditional",
                (e(UP, "art-3"),),
                (e(OBS, "s-1", "accepts-conditionally"),),
                "propose x accept-conditional -> conditional",
                (),
                "propose",
                "accept-conditional",
            ),
        ),
        warnings=("the observer is not a party <to the treaty>",),
    )
    return (down, obs)


def lake_matrix(record: LoadedDossier) -> Matrix:
    """The issues x positions matrix of Lake Arden (built by hand)."""
    none = MatrixCell(None, None, "silent")

    def up(*ids: str) -> MatrixCell:
        return MatrixCell(None, None, "propose", ids)

    rows = (
        (
            "flows",
            "River flows",
            0,
            up("art-1", "art-2"),
            MatrixCell("rejection", "rejected", "reject", ("r-1", "r-2"), (UP,)),
            none,
        ),
        (
            "flows.minimum",
            "Minimum flow",
            1,
            up("art-1"),
            MatrixCell("rejection", "rejected", "reject", ("r-1",), (UP,)),
            none,
        ),
        ("flows.dams", "New dams", 1, up("art-2"), MatrixCell("open", "negotiable", "discuss", ("r-2",), (UP,)), none),
        (
            "data",
            "Data sharing",
            0,
            up("art-3"),
            MatrixCell("overlap", "agreed", "accept", ("r-3",), (UP,)),
            MatrixCell("open", "conditional", "accept-conditional", ("s-1",), (UP,)),
        ),
        ("monitoring", "Joint monitoring", 0, none, MatrixCell("open", "new-item", "propose", ("r-4",), (UP,)), none),
        ("form", "Form of the agreement", 0, up("art-4"), MatrixCell("open", "unanswered", "silent", (), (UP,)), none),
    )
    return Matrix(
        dossier=record.id,
        positions=(info(record, UP), info(record, DOWN), info(record, OBS)),
        rows=tuple(MatrixRow(code, title, depth, cells) for code, title, depth, *cells in rows),
    )


def diff_table(comparison: Comparison) -> Table:
    """A diff table as the CLI shows one (rows with categories, the contract in ``data``)."""
    return make_table(
        "diff",
        f"{comparison.right.id} answering {comparison.left.id}",
        ("issue", "title", "category", "status", "left", "right", "rationale"),
        [
            (i.issue, i.title, i.category, i.status, i.left_stance, i.right_stance, i.rationale)
            for i in comparison.items
        ],
        data=comparison.to_dict(),
        categories=[i.category for i in comparison.items],
        notes=[f"summary: {comparison.summary}"],
        kind="diff",
    )


def hostile_table() -> Table:
    """A table of hostile cells beside numbers, booleans and empty cells, with a hostile title and note."""
    rows = [(i, text, i * 10, i / 4, i % 2 == 0, None) for i, text in enumerate(HOSTILE)]
    return make_table(
        "hostile",
        "<b>Hostile</b> & \\cells",
        ("#", "text", "count", "ratio", "even", "empty"),
        rows,
        notes=["note: =1+1 <i>not markup</i> 100%"],
    )


def fixture_tables(record: LoadedDossier) -> list[Table]:
    """The fixture table set of the golden files: a diff table and the hostile table."""
    return [diff_table(lake_comparisons(record)[0]), hostile_table()]
