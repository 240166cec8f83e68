"""Agreement between two codings as neutral tables: alpha per field, then every disagreement.

The first table's ``data`` is the ``negotiation.agreement/1`` JSON contract (docs/json-contracts.md).
"""

from __future__ import annotations

from typing import Any

from negotiation.coding.agreement import Agreement, rounded
from negotiation.tables import Table, make_table

CONTRACT = "negotiation.agreement/1"


def agreement_tables(result: Agreement, first: str, second: str) -> list[Table]:
    """Alpha and percent agreement per field; then, if any, the disagreements with both codings."""
    rows = [
        (
            f.field,
            f.metric,
            "n/a" if rounded(f.alpha) is None else f"{rounded(f.alpha):.3f}",
            f"{100 * f.percent:.1f}%",
            f.units,
            f.disagreements,
        )
        for f in result.fields
    ]
    notes = [f"A: {first}", f"B: {second}", f"{result.units} provisions coded in both"]
    if result.only_first:
        notes.append(f"{len(result.only_first)} provisions only in A: {', '.join(result.only_first)}")
    if result.only_second:
        notes.append(f"{len(result.only_second)} provisions only in B: {', '.join(result.only_second)}")
    if any(f.alpha is None for f in result.fields):
        notes.append("n/a: both coders gave every unit the same value, so alpha is undefined (agreement is total)")
    if not result.disagreements:
        notes.append("no disagreements: the two codings agree on every field shown")
    summary = make_table(
        "agreement",
        "Agreement between two codings (Krippendorff's alpha)",
        ("field", "metric", "alpha", "agreement", "units", "disagreements"),
        rows,
        data=_contract(result, first, second),
        notes=notes,
    )
    if not result.disagreements:
        return [summary]
    detail = make_table(
        "disagreements",
        "Disagreements",
        ("position", "provision", "ref", "field", "A", "B"),
        [(d.position, d.provision, d.ref, d.field, d.first, d.second) for d in result.disagreements],
    )
    return [summary, detail]


def _contract(result: Agreement, first: str, second: str) -> dict[str, Any]:
    return {
        "contract": CONTRACT,
        "codings": {"A": first, "B": second},
        "units": result.units,
        "only_in_A": list(result.only_first),
        "only_in_B": list(result.only_second),
        "fields": [
            {
                "field": f.field,
                "metric": f.metric,
                "alpha": f.alpha,
                "percent_agreement": f.percent,
                "units": f.units,
                "disagreements": f.disagreements,
            }
            for f in result.fields
        ],
        "disagreements": [
            {
                "position": d.position,
                "provision": d.provision,
                "ref": d.ref,
                "field": d.field,
                "A": d.first,
                "B": d.second,
            }
            for d in result.disagreements
        ],
    }
