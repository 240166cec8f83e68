"""Compare two positions issue by issue: a category, a status, the evidence and the rule that fired.

For every issue either side addresses (a provision coded on it or on one of its sub-issues):

1. each provision counts as a stance: its own; raised by a link it has to the other side (a
   ``rejects`` link counts as reject, ``contests`` as reaffirm, ...) on the issues of the provision
   that link answers (the same issue, or one above or below it); and ``propose`` when the other side
   accepted it (an accepted counter-proposal is agreed, no longer countered);
2. each side's effective stance is the most decisive stance of its provisions on the issue and its
   sub-issues (``silent`` if it has none);
3. the pair of effective stances goes through the decision table (negotiation.engine.decision),
   except that an issue on which both sides hold the very same provisions is agreed (rule R0);
4. a parent issue takes the most severe category of its own verdict and its sub-issues'
   (rejection > open > overlap); the rationale then says which sub-issue it rolled up from.

>>> from negotiation.loading import load_dossier                               # doctest: +SKIP
>>> record = load_dossier("tests/data/engine/water")                           # doctest: +SKIP
>>> result = compare(record.position("north-proposal"), record.position("south-response"), record)  # doctest: +SKIP
>>> result.items[0].category                                                   # doctest: +SKIP
'open'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from negotiation.engine.decision import (
    RELATION_STANCES,
    SETTLING_RELATIONS,
    Verdict,
    decide,
    identical,
    most_decisive,
    severity,
)
from negotiation.engine.model import Category, Comparison, DiffItem, Evidence, PositionInfo, Status
from negotiation.engine.packages import package_warnings
from negotiation.errors import UsageError, did_you_mean
from negotiation.loading import LoadedDossier, issue_tree
from negotiation.schema import Issue, Position, Provision, SourceRef, issue_ancestors


def position_info(position: Position) -> PositionInfo:
    """The identity of ``position`` as shown in results."""
    date = position.date
    return PositionInfo(
        id=position.id,
        party=position.party,
        kind=position.kind,
        title=position.title,
        date=date.isoformat() if date is not None else None,
    )


def source_text(source: SourceRef) -> str:
    """A source citation as one short line: file and place, witness, URL, tag.

    >>> source_text(SourceRef(file="sources/a.md", locator="Art. 4", tag="document"))
    'sources/a.md, Art. 4 [document]'
    """
    parts = []
    if source.file:
        parts.append(f"{source.file}, {source.locator}" if source.locator else source.file)
    elif source.locator:
        parts.append(source.locator)
    if source.witness:
        parts.append(source.witness)
    if source.url:
        parts.append(source.url)
    text = "; ".join(parts)
    return f"{text} [{source.tag}]" if source.tag else text


class Taxonomy:
    """Issue codes in tree order with their parents, titles and depths.

    Codes used by provisions but missing from the taxonomy (possible only outside a validated
    dossier) are kept, after the known ones, so that nothing a side said is dropped.
    """

    def __init__(self, issues: Iterable[Issue], dossier: str | None = None) -> None:
        self.dossier = dossier
        tree = issue_tree(issues)
        self.order: dict[str, int] = {issue.code: i for i, (_, issue) in enumerate(tree)}
        self.titles: dict[str, str] = {issue.code: issue.title for _, issue in tree}

    @classmethod
    def of(cls, record: LoadedDossier) -> Taxonomy:
        """The taxonomy of ``record``."""
        return cls(record.dossier.issues, record.id)

    def sort(self, codes: Iterable[str]) -> list[str]:
        """``codes`` in tree order (unknown codes last, alphabetically)."""
        known = len(self.order)
        return sorted(codes, key=lambda c: (self.order.get(c, known), c))

    def title(self, code: str) -> str:
        """The title of ``code`` (the code itself when unknown)."""
        return self.titles.get(code, code)

    def parent(self, code: str) -> str | None:
        """The parent of ``code``, or None at the top."""
        return code.rpartition(".")[0] or None

    def check(self, code: str) -> None:
        """Raise a UsageError if ``code`` is not in the taxonomy."""
        if code not in self.order:
            where = f" of dossier '{self.dossier}'" if self.dossier else ""
            raise UsageError(f"no issue '{code}' in the taxonomy{where}{did_you_mean(code, self.order)}")


@dataclass
class SideIndex:
    """One position indexed for comparison: its provisions by issue (and every ancestor issue)."""

    position: Position
    #: Issue code → provisions coded on it or on a sub-issue, in document order, each once.
    subtree: dict[str, list[Provision]]
    #: Issue code → provisions coded directly on it.
    direct: dict[str, list[Provision]]
    #: Target position id → (own provision id, relation, target provision id) for every link.
    links: dict[str, list[tuple[str, str, str]]]
    _keys: dict[str, Hashable] = field(default_factory=dict)

    def content_key(self, provision: Provision) -> Hashable:
        """What a provision says, without its id, ref and same-position links (for rule R0)."""
        key = self._keys.get(provision.id)
        if key is None:
            key = (
                provision.issues,
                provision.stance,
                provision.obligations,
                provision.responds_to,
                provision.conditions,
                provision.text,
                provision.text_status,
                provision.sources,
                provision.summary,
                provision.notes,
            )
            self._keys[provision.id] = key
        return key


def index_position(position: Position) -> SideIndex:
    """Index ``position`` for comparison (linear in its size; reusable across comparisons)."""
    subtree: dict[str, list[Provision]] = {}
    direct: dict[str, list[Provision]] = {}
    links: dict[str, list[tuple[str, str, str]]] = {}
    for provision in position.provisions:
        seen: set[str] = set()
        for code in provision.issues:
            direct.setdefault(code, []).append(provision)
            for node in (code, *issue_ancestors(code)):
                if node not in seen:
                    seen.add(node)
                    subtree.setdefault(node, []).append(provision)
        for link in provision.responds_to:
            links.setdefault(link.position, []).append((provision.id, link.relation, link.provision))
    return SideIndex(position, subtree, direct, links)


class _Pair:
    """What one side's provisions count as against the other side: link stances and settled items."""

    def __init__(self, own: SideIndex, other: SideIndex) -> None:
        self.own = own
        self.other = other
        # Own provision id → (stance, issues of the provision it answers) for each link to the other
        # side; → relations and ids it answers there.
        self.link_stances: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self.relations: dict[str, list[str]] = {}
        self.answers: dict[str, list[str]] = {}
        for pid, relation, target in own.links.get(other.position.id, ()):
            self.relations.setdefault(pid, []).append(relation)
            self.answers.setdefault(pid, []).append(target)
            stance = RELATION_STANCES.get(relation)
            if stance is not None:
                answered = other.position.provision(target)
                self.link_stances.setdefault(pid, []).append((stance, answered.issues if answered else ()))
        # Own provisions the other side accepted: they count as tabled (propose).
        self.settled: set[str] = {
            target for _, relation, target in other.links.get(own.position.id, ()) if relation in SETTLING_RELATIONS
        }
        self._counts: dict[tuple[str, str], str] = {}

    def counts_as(self, provision: Provision, code: str) -> str:
        """The stance ``provision`` counts as on issue ``code`` in this comparison.

        A link answers the other side's provision on that provision's issues: its relation counts
        only on an issue related to them (the same, an ancestor or a descendant). A provision that
        counters an article on one issue and contests another on a second issue is a counter on the
        first and a contest on the second, not a contest on both.
        """
        key = (provision.id, code)
        found = self._counts.get(key)
        if found is None:
            base = "propose" if provision.id in self.settled else provision.stance
            raised = [
                stance
                for stance, issues in self.link_stances.get(provision.id, ())
                if any(_related(code, answered) for answered in issues)
            ]
            found = most_decisive([base, *raised])
            self._counts[key] = found
        return found

    def effective(self, code: str) -> str:
        """The side's effective stance on ``code`` (its sub-issues included)."""
        return most_decisive(self.counts_as(p, code) for p in self.own.subtree.get(code, ()))


@dataclass(frozen=True)
class IssueVerdict:
    """The rolled-up verdict on one issue, before evidence is attached."""

    issue: str
    own: Verdict
    category: Category
    status: Status
    rationale: str
    #: Where the winning verdict came from: this issue, or the sub-issue it rolled up from.
    origin: str
    origin_verdict: Verdict
    children: tuple[str, ...]

    @property
    def left_stance(self) -> str:
        """The left side's effective stance on this issue."""
        return self.own.left

    @property
    def right_stance(self) -> str:
        """The right side's effective stance on this issue."""
        return self.own.right


def _identical(left: SideIndex, right: SideIndex, lprov: Sequence[Provision], rprov: Sequence[Provision]) -> bool:
    if len(lprov) != len(rprov):
        return False
    return Counter(left.content_key(p) for p in lprov) == Counter(right.content_key(p) for p in rprov)


def issue_verdicts(left: SideIndex, right: SideIndex, taxonomy: Taxonomy) -> dict[str, IssueVerdict]:
    """The verdict on every issue either side addresses, keyed by code, in tree order.

    Linear in the two positions' sizes (times the depth of the taxonomy).
    """
    return _verdicts(_Pair(left, right), _Pair(right, left), taxonomy)


def _verdicts(lpair: _Pair, rpair: _Pair, taxonomy: Taxonomy) -> dict[str, IssueVerdict]:
    left, right = lpair.own, rpair.own
    codes = taxonomy.sort(set(left.subtree) | set(right.subtree))
    children: dict[str, list[str]] = {}
    for code in codes:
        parent = taxonomy.parent(code)
        if parent is not None:
            children.setdefault(parent, []).append(code)
    results: dict[str, IssueVerdict] = {}
    # Children come after their parent in tree order, so walking backwards settles them first.
    for code in reversed(codes):
        lprov, rprov = left.subtree.get(code, ()), right.subtree.get(code, ())
        lstance, rstance = lpair.effective(code), rpair.effective(code)
        own = decide(lstance, rstance)
        assert own is not None  # the code is addressed by at least one side
        if lstance == rstance and _identical(left, right, lprov, rprov):
            own = identical(lstance, rstance)
        kids = tuple(children.get(code, ()))
        category, status, rationale, origin, origin_verdict = own.category, own.status, own.rationale, code, own
        for kid in kids:
            sub = results[kid]
            if severity(sub.category) < severity(category):
                category, status = sub.category, sub.status
                origin, origin_verdict = sub.origin, sub.origin_verdict
                rationale = f"rolled up from {origin}: {origin_verdict.rationale}"
        results[code] = IssueVerdict(code, own, category, status, rationale, origin, origin_verdict, kids)
    return {code: results[code] for code in codes}


def _related(code: str, other: str) -> bool:
    """True when two issue codes are the same or one lies under the other."""
    return code == other or code.startswith(other + ".") or other.startswith(code + ".")


def _evidence(pair: _Pair, provision: Provision, code: str) -> Evidence:
    relations = pair.relations.get(provision.id)
    return Evidence(
        position=pair.own.position.id,
        provision=provision.id,
        ref=provision.ref,
        stance=provision.stance,
        relation=", ".join(dict.fromkeys(relations)) if relations else None,
        text=provision.text,
        text_status=provision.text_status,
        summary=provision.summary,
        sources=tuple(source_text(s) for s in provision.sources),
        answers=tuple(pair.answers.get(provision.id, ())),
        counts_as=pair.counts_as(provision, code),
    )


def compare_indexed(left: SideIndex, right: SideIndex, taxonomy: Taxonomy) -> Comparison:
    """:func:`compare` on positions already indexed (the matrix reuses indexes across pairs)."""
    lpair, rpair = _Pair(left, right), _Pair(right, left)
    verdicts = _verdicts(lpair, rpair, taxonomy)

    def evidence(pair: _Pair, provisions: Iterable[Provision], code: str) -> tuple[Evidence, ...]:
        return tuple(_evidence(pair, p, code) for p in provisions)

    items = tuple(
        DiffItem(
            issue=code,
            title=taxonomy.title(code),
            category=v.category,
            status=v.status,
            left=evidence(lpair, left.subtree.get(code, ()), code),
            right=evidence(rpair, right.subtree.get(code, ()), code),
            rationale=v.rationale,
            rolled_up_from=v.children,
            left_stance=v.left_stance,
            right_stance=v.right_stance,
        )
        for code, v in verdicts.items()
    )
    warnings = [
        w.message
        for w in (
            *package_warnings(left.position, right.position),
            *package_warnings(right.position, left.position),
        )
    ]
    return Comparison(position_info(left.position), position_info(right.position), items, tuple(warnings))


def compare(left: Position, right: Position, record: LoadedDossier) -> Comparison:
    """Compare ``left`` with ``right`` issue by issue, using ``record``'s issue taxonomy.

    Every issue either side addresses gets a category (overlap, rejection, open), a status, the
    provisions of both sides as evidence and a rationale naming the rule that fired. Swapping the
    sides never changes a category.
    """
    return compare_indexed(index_position(left), index_position(right), Taxonomy.of(record))


def filter_comparison(
    comparison: Comparison,
    taxonomy: Taxonomy,
    *,
    categories: Sequence[str] = (),
    issue: str | None = None,
) -> Comparison:
    """Keep the items in ``categories`` (all if empty) and under ``issue`` (the issue and its children)."""
    check_categories(categories)
    if issue is not None:
        taxonomy.check(issue)
    items = tuple(
        item
        for item in comparison.items
        if (not categories or item.category in categories) and (issue is None or in_subtree(item.issue, issue))
    )
    return replace(comparison, items=items)


def in_subtree(code: str, root: str) -> bool:
    """True when ``code`` is ``root`` or one of its descendants.

    >>> in_subtree("missiles.intermediate-range", "missiles"), in_subtree("missiles-x", "missiles")
    (True, False)
    """
    return code == root or code.startswith(root + ".")


def check_categories(categories: Iterable[str]) -> None:
    """Raise a UsageError for any value that is not a category."""
    from negotiation.engine.model import CATEGORIES

    for category in categories:
        if category not in CATEGORIES:
            raise UsageError(f"unknown category '{category}'; choose one of: {', '.join(CATEGORIES)}")


def differs(comparison: Comparison) -> bool:
    """True when some item is not an overlap (what ``diff --exit-code`` reports with exit 1)."""
    return any(item.category != "overlap" for item in comparison.items)


__all__ = [
    "IssueVerdict",
    "SideIndex",
    "Taxonomy",
    "check_categories",
    "compare",
    "compare_indexed",
    "differs",
    "filter_comparison",
    "in_subtree",
    "index_position",
    "issue_verdicts",
    "position_info",
    "source_text",
]
