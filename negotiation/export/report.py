"""The four-column report as neutral data: one row per issue, one column per position, every cell with its
evidence (the provisions' words, refs and sources looked up in the dossier).

The HTML and Word writers both render a :class:`Report`; building it is the only place that reads the
dossier, so the writers stay pure: ``report_html(build_report(record, matrix, comparisons))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from negotiation.engine.model import Comparison, Matrix, MatrixCell, breakdown_text
from negotiation.loading import LoadedDossier
from negotiation.schema import Position, Provision, SourceRef


@dataclass(frozen=True)
class ProvisionView:
    """One provision as evidence: where it stands, what it says and where the words come from."""

    position: str
    provision: str
    ref: str
    stance: str
    text: str | None
    text_status: str
    summary: str | None
    notes: str | None
    sources: tuple[str, ...]
    responds_to: tuple[str, ...]
    found: bool = True


@dataclass(frozen=True)
class CellView:
    """One position's standing on one issue, with the provisions behind it."""

    position: str
    party: str
    category: str | None
    status: str | None
    stance: str
    provisions: tuple[ProvisionView, ...]
    against: tuple[str, ...]
    rationale: str | None
    #: The verdict's attestation grade and how a parent's sub-issues divide (empty for a leaf).
    attestation: str | None = None
    breakdown: str = ""

    @property
    def tentative(self) -> str | None:
        """Why the verdict is tentative (it rests on less than the document's own words), or None."""
        from negotiation.engine.attestation import MEANINGS

        if self.attestation is None or self.attestation == "own-words":
            return None
        return f"tentative: the deciding evidence is {MEANINGS[self.attestation]}"  # type: ignore[index]

    @property
    def category_key(self) -> str:
        """The category, or ``none`` for a cell without a verdict (a proposal, or silence)."""
        return self.category or "none"


@dataclass(frozen=True)
class RowView:
    """One issue across every position."""

    issue: str
    title: str
    depth: int
    cells: tuple[CellView, ...]


@dataclass(frozen=True)
class ColumnView:
    """One position as a column heading."""

    id: str
    party: str
    party_name: str
    kind: str
    title: str
    date: str | None


@dataclass(frozen=True)
class Report:
    """The four-column document of a dossier, ready to write."""

    dossier: str
    title: str
    columns: tuple[ColumnView, ...]
    rows: tuple[RowView, ...]
    comparisons: tuple[Comparison, ...]
    #: Parties that have a column, as (id, name), in column order.
    parties: tuple[tuple[str, str], ...]


def describe_source(source: SourceRef) -> str:
    """A source citation on one line: file and place, who reported it, the URL, how well attested.

    >>> describe_source(SourceRef(file="sources/a.md", locator="Article 4"))
    'sources/a.md, Article 4'
    >>> describe_source(SourceRef(witness="TASS", url="https://example.org/x", tag="single-source"))
    'TASS; https://example.org/x; [single-source]'
    """
    parts = []
    if source.file:
        parts.append(source.file + (f", {source.locator}" if source.locator else ""))
    elif source.locator:
        parts.append(source.locator)
    if source.witness:
        parts.append(source.witness)
    if source.url:
        parts.append(source.url)
    if source.tag:
        parts.append(f"[{source.tag}]")
    if source.note:
        parts.append(source.note)
    return "; ".join(parts)


def provision_view(position_id: str, provision: Provision) -> ProvisionView:
    """A provision of ``position_id`` as evidence."""
    return ProvisionView(
        position=position_id,
        provision=provision.id,
        ref=provision.ref,
        stance=provision.stance_shown,
        text=provision.text,
        text_status=provision.text_status,
        summary=provision.summary,
        notes=provision.notes,
        sources=tuple(describe_source(s) for s in provision.sources),
        responds_to=tuple(f"{link.relation} {link.to}" for link in provision.responds_to),
    )


def _lookup(record: LoadedDossier, position_id: str, reference: str) -> ProvisionView:
    # A matrix cell names provisions of its own position by id; "position#provision" is accepted too.
    owner, _, provision_id = reference.rpartition("#")
    owner = owner or position_id
    position: Position | None = record.positions.get(owner)
    provision = position.provision(provision_id) if position is not None else None
    if provision is None:
        return ProvisionView(owner, provision_id, provision_id, "", None, "missing", None, None, (), (), found=False)
    return provision_view(owner, provision)


def build_report(record: LoadedDossier, matrix: Matrix, comparisons: Sequence[Comparison]) -> Report:
    """Join a matrix with the dossier's provisions and the comparisons' rationales."""
    parties = record.parties
    columns = tuple(
        ColumnView(
            id=p.id,
            party=p.party,
            party_name=parties[p.party].name if p.party in parties else p.party,
            kind=p.kind,
            title=p.title,
            date=p.date,
        )
        for p in matrix.positions
    )
    # A cell's rationale is the rule that fired in the comparison of its position with what it answers
    # (each position named in ``against``, the ones that decided the cell's category).
    rationales: dict[tuple[str, str, str], str] = {}
    for comparison in comparisons:
        for item in comparison.items:
            rationales.setdefault((comparison.right.id, comparison.left.id, item.issue), item.rationale)

    def rationale(position: str, issue: str, against: tuple[str, ...]) -> str | None:
        found = [(a, rationales[(position, a, issue)]) for a in against if (position, a, issue) in rationales]
        if len(found) == 1:
            return found[0][1]
        return "\n".join(f"against {a}: {r}" for a, r in found) or None

    def cell(column: ColumnView, issue: str, value: MatrixCell) -> CellView:
        return CellView(
            position=column.id,
            party=column.party,
            category=value.category,
            status=value.status,
            stance=value.stance,
            provisions=tuple(_lookup(record, column.id, ref) for ref in value.provisions),
            against=value.against,
            rationale=rationale(column.id, issue, value.against) if value.category else None,
            attestation=value.attestation,
            breakdown=breakdown_text(value.breakdown),
        )

    rows = tuple(
        RowView(
            issue=row.issue,
            title=row.title,
            depth=row.depth,
            cells=tuple(cell(c, row.issue, v) for c, v in zip(columns, row.cells, strict=True)),
        )
        for row in matrix.rows
    )
    seen: dict[str, str] = {}
    for column in columns:
        seen.setdefault(column.party, column.party_name)
    return Report(
        dossier=matrix.dossier,
        title=record.dossier.title if record.id == matrix.dossier else matrix.dossier,
        columns=columns,
        rows=rows,
        comparisons=tuple(comparisons),
        parties=tuple(seen.items()),
    )
