"""The four-column report as neutral data: one row per issue, one column per position, every cell with its
evidence (the provisions' words, refs and sources looked up in the dossier).

A report has two layers. The *summary* is what a reader takes in at once: each cell's verdict (category
and status), its attestation marker when it is tentative (:attr:`CellView.marker`), and at most one short
line of the deciding words (:attr:`CellView.line`). The *annex* holds everything behind it: per issue,
every cell's rule and the full texts with refs and sources; each summary cell names its annex entry by
:attr:`CellView.anchor`.

The HTML, Word, workbook and PDF writers all render a :class:`Report`; building it is the only place that
reads the dossier, so the writers stay pure: ``report_html(build_report(record, matrix, comparisons))``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from negotiation.engine.model import Comparison, Matrix, MatrixCell, PositionInfo, breakdown_text
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
    #: The issues the provision is coded on.
    issues: tuple[str, ...] = ()

    def coded_on(self, issue: str) -> bool:
        """True when the provision is coded on ``issue`` itself, not only on one of its sub-issues.

        >>> view = ProvisionView("p", "a", "Art. 1", "propose", None, "missing", None, None, (), (), issues=("x.y",))
        >>> view.coded_on("x"), view.coded_on("x.y")
        (False, True)
        """
        return not self.found or issue in self.issues

    def sub_issue(self, issue: str) -> str | None:
        """The first sub-issue of ``issue`` the provision is coded on, if any."""
        return next((code for code in self.issues if code.startswith(issue + ".")), None)


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
    #: The verdict's attestation grade (``one-source``, …) and how a parent's sub-issues divide (empty
    #: for a leaf).
    attestation: str | None = None
    breakdown: str = ""
    #: Where the cell's evidence sits in the annex (``issue--position``); writers turn it into an anchor,
    #: a bookmark or a cell reference.
    anchor: str = ""

    @property
    def marker(self) -> str:
        """The attestation marker the summary shows after the verdict (``~one``), ``""`` for own words.

        >>> CellView("p", "a", "open", "countered", "counter", (), (), None, attestation="one-source").marker
        '~one'
        """
        from negotiation.engine.attestation import MARKERS

        return MARKERS.get(self.attestation, "") if self.attestation else ""  # type: ignore[call-overload]

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

    @property
    def verdict(self) -> str:
        """The verdict in a few words: ``rejection: contested``, the stance of a cell without one, or ``""``.

        >>> CellView("p", "a", "open", "countered", "counter", (), (), None).verdict
        'open: countered'
        """
        if self.category:
            return f"{self.category}: {self.status}" if self.status else self.category
        return self.stance if self.provisions else ""

    @property
    def line(self) -> DecidingLine | None:
        """At most one short line of the deciding words (see :func:`deciding_line`)."""
        return deciding_line(self.provisions)


@dataclass(frozen=True)
class DecidingLine:
    """One short line standing for a cell's evidence in the summary.

    ``quoted`` is true when ``text`` is the start of the document's own words (verbatim or partial text),
    false when it is reported content or the analyst's one-line summary: a paraphrase is never shown as a
    quotation.
    """

    text: str
    quoted: bool


#: The longest deciding line, in characters: one line of a summary cell on a landscape A4 page.
LINE_LENGTH = 36


def shorten(text: str, limit: int = LINE_LENGTH) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters with an ellipsis.

    >>> shorten("The Parties shall not deploy ground-launched missiles", 30)
    'The Parties shall not deploy…'
    >>> shorten("Short.")
    'Short.'
    """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def deciding_line(provisions: Sequence[ProvisionView]) -> DecidingLine | None:
    """The deciding words of a cell: the start of the first provision's recovered text, else its summary.

    A rolled-up parent cell has several provisions; the first one with words speaks for it (its annex
    entry lists all of them).
    """
    for view in provisions:
        if view.found and view.text:
            return DecidingLine(shorten(view.text), quoted=view.text_status in ("verbatim", "partial"))
    for view in provisions:
        if view.found and view.summary:
            return DecidingLine(shorten(view.summary), quoted=False)
    return None


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
    #: A column heading of a few words (party, kind, addressees); the full title goes on hover.
    short_title: str = ""
    #: True when ``date`` is the publication date because the delivery date is not known.
    date_published: bool = False


def short_title(party: str, kind: str, addressees: Sequence[str]) -> str:
    """A position's heading of a few words: party, kind and addressees, ids upper-cased.

    Position titles are whole document titles (a sentence each); a column needs a handful of words.

    >>> short_title("rus", "draft-treaty", ["usa"])
    'RUS draft-treaty → USA'
    """
    head = f"{party.upper()} {kind}"
    return f"{head} → {', '.join(a.upper() for a in addressees)}" if addressees else head


def long_date(value: str | None) -> str:
    """An ISO date as people write it in a briefing, or ``undated``.

    >>> long_date("2022-01-26"), long_date(None)
    ('26 Jan 2022', 'undated')
    """
    if not value:
        return "undated"
    day = dt.date.fromisoformat(value)
    return f"{day.day} {day:%b %Y}"


#: How the dates in column headings are chosen, said once in every summary.
DATE_NOTE = (
    "Dates are delivery dates (when the document reached its addressees); a date marked “publ.” is the "
    "publication date, for a document whose delivery date is not known."
)


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

    @property
    def period(self) -> str:
        """The span of the positions' dates, for the title block: ``17 Dec 2021 – 17 Feb 2022``."""
        dates = sorted(c.date for c in self.columns if c.date)
        if not dates:
            return "undated"
        first, last = long_date(dates[0]), long_date(dates[-1])
        return first if first == last else f"{first} – {last}"

    def column_date(self, column: ColumnView) -> str:
        """A column's date as shown in its heading, marked ``publ.`` when it is a publication date."""
        return long_date(column.date) + (" (publ.)" if column.date_published else "")


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
        issues=tuple(provision.issues),
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

    def heading(info: PositionInfo) -> ColumnView:
        position = record.positions.get(info.id)
        return ColumnView(
            id=info.id,
            party=info.party,
            party_name=parties[info.party].name if info.party in parties else info.party,
            kind=info.kind,
            title=info.title,
            date=info.date,
            short_title=short_title(info.party, info.kind, position.addressees if position else ()),
            date_published=position is not None and position.delivered is None and position.published is not None,
        )

    columns = tuple(heading(p) for p in matrix.positions)
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
            anchor=f"{issue}--{column.id}",
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
