"""Tables for the record itself: positions, one position's provisions, the issue taxonomy.

>>> from negotiation.loading import load_dossier
>>> t = positions_table(load_dossier())
>>> t.columns[:3]
('id', 'party', 'kind')
"""

from __future__ import annotations

from typing import Any

from negotiation.loading import LoadedDossier, issue_tree
from negotiation.schema import Position
from negotiation.tables import Table, make_table


def verbatim_share(position: Position) -> float:
    """Share of provisions whose text is verbatim (0.0 for a position with no provisions)."""
    if not position.provisions:
        return 0.0
    return sum(p.text_status == "verbatim" for p in position.provisions) / len(position.provisions)


def position_summary(position: Position) -> dict[str, Any]:
    """One position as a JSON-ready summary (the ``positions`` contract)."""
    return {
        "id": position.id,
        "party": position.party,
        "kind": position.kind,
        "date": position.date.isoformat() if position.date else None,
        "provisions": len(position.provisions),
        "verbatim_share": round(verbatim_share(position), 4),
        "title": position.title,
    }


def positions_table(record: LoadedDossier) -> Table:
    """Every position of a dossier: id, party, kind, date, provision count, share of verbatim text."""
    summaries = [position_summary(p) for p in record.positions.values()]
    rows = [
        (
            s["id"],
            s["party"],
            s["kind"],
            s["date"] or "",
            s["provisions"],
            f"{100 * s['verbatim_share']:.0f}%",
        )
        for s in summaries
    ]
    return make_table(
        "positions",
        f"Positions in {record.id}",
        ("id", "party", "kind", "date", "provisions", "verbatim"),
        rows,
        data={"dossier": record.id, "positions": summaries},
    )


def show_table(position: Position) -> Table:
    """One position's provisions: ref, issues, stance, text status, summary, sources."""
    rows = []
    for p in position.provisions:
        sources = "; ".join(s.witness or s.url or s.file or "" for s in p.sources)
        rows.append((p.id, p.ref, ", ".join(p.issues), p.stance, p.text_status, p.summary or "", sources))
    data = position.model_dump(mode="json", exclude_none=True)
    return make_table(
        "provisions",
        f"{position.id}: {position.title}",
        ("id", "ref", "issues", "stance", "text_status", "summary", "sources"),
        rows,
        data=data,
    )


def issues_table(record: LoadedDossier) -> Table:
    """The issue taxonomy as an indented tree."""
    tree = issue_tree(record.dossier.issues)
    rows = [("  " * depth + issue.code, issue.title) for depth, issue in tree]
    data = {
        "dossier": record.id,
        "issues": [
            {"code": i.code, "title": i.title, "description": i.description, "parent": i.parent, "depth": d}
            for d, i in tree
        ],
    }
    return make_table("issues", f"Issues in {record.id}", ("code", "title"), rows, data=data)
