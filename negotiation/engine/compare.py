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

from negotiation.engine.answers import diff_mode
from negotiation.engine.attestation import (
    Grade,
    at_least,
    provision_grade,
    strongest,
    tentative,
    weakest,
)
from negotiation.engine.decision import (
    DIVIDED,
    MODE_CATEGORIES,
    RELATION_STANCES,
    RULES,
    SETTLING_RELATIONS,
    SILENT,
    Mode,
    Side,
    Verdict,
    decide,
    identical,
    most_decisive,
)
from negotiation.engine.model import Category, Comparison, DiffItem, Evidence, PositionInfo, Status, breakdown_text
from negotiation.engine.packages import package_warnings
from negotiation.errors import UsageError, did_you_mean
from negotiation.loading import LoadedDossier, issue_tree
from negotiation.schema import Issue, Position, Provision, SourceRef, in_subtree, issue_ancestors

#: Rules that read one side only; a parent's unanimous parts prefer a two-sided verdict's status.
ONE_SIDED_RULES = frozenset({"R1", "A1", "V1", "V2"})
#: Order of the rules, for picking the status of a parent whose parts agree.
RULE_ORDER = {rule: i for i, rule in enumerate(RULES)}


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
        if not provision.coded:
            continue  # left out of every verdict; the clients say how many (uncoded_counts)
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
        self._grades: dict[str, Grade] = {}

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
            base = "propose" if provision.id in self.settled else provision.stance_shown
            raised = [
                stance
                for stance, issues in self.link_stances.get(provision.id, ())
                if any(_related(code, answered) for answered in issues)
            ]
            found = most_decisive([base, *raised])
            self._counts[key] = found
        return found

    def effective(self, code: str, provisions: Iterable[Provision]) -> str:
        """The side's effective stance on ``code`` from ``provisions`` (``silent`` when none)."""
        return most_decisive(self.counts_as(p, code) for p in provisions)

    def grade(self, provision_id: str) -> Grade:
        """The attestation grade of one of the side's provisions."""
        found = self._grades.get(provision_id)
        if found is None:
            provision = self.own.position.provision(provision_id)
            found = self._grades[provision_id] = provision_grade(provision) if provision else "unattested"
        return found


@dataclass(frozen=True)
class IssueVerdict:
    """The verdict on one issue, before evidence is attached.

    ``own`` is the verdict at the issue's own level (provisions coded directly on it), None when
    neither side codes a provision there (a parent decided by its sub-issues alone). ``breakdown``
    counts the categories of its sub-issues' verdicts.
    """

    issue: str
    own: Verdict | None
    category: Category
    status: Status
    rationale: str
    rule: str
    children: tuple[str, ...]
    breakdown: tuple[tuple[Category, int], ...]
    grade: Grade
    left_stance: str
    right_stance: str
    #: Provision ids of each side that decided the verdict (carry the side's effective stance).
    left_deciding: tuple[str, ...]
    right_deciding: tuple[str, ...]

    @property
    def tentative(self) -> bool:
        """True when the verdict rests on less than the document's own words."""
        return tentative(self.grade)


def _identical(left: SideIndex, right: SideIndex, lprov: Sequence[Provision], rprov: Sequence[Provision]) -> bool:
    if len(lprov) != len(rprov):
        return False
    return Counter(left.content_key(p) for p in lprov) == Counter(right.content_key(p) for p in rprov)


def issue_verdicts(
    left: SideIndex,
    right: SideIndex,
    taxonomy: Taxonomy,
    mode: Mode = "answer",
    respondent: Side | None = "right",
) -> dict[str, IssueVerdict]:
    """The verdict on every issue either side addresses, keyed by code, in tree order.

    Linear in the two positions' sizes (times the depth of the taxonomy).
    """
    return _verdicts(_Pair(left, right), _Pair(right, left), taxonomy, mode, respondent)


def _deciding(pair: _Pair, provisions: Iterable[Provision], code: str, stance: str) -> tuple[str, ...]:
    if stance == SILENT:
        return ()
    return tuple(p.id for p in provisions if pair.counts_as(p, code) == stance)


def _grade_of(pair: _Pair, ids: Iterable[str]) -> Grade | None:
    grades = [pair.grade(pid) for pid in ids]
    return strongest(grades) if grades else None


def _verdict_grade(lpair: _Pair, rpair: _Pair, lids: Iterable[str], rids: Iterable[str]) -> Grade:
    """The weaker of the two sides' strongest deciding evidence (a silent side adds nothing)."""
    return weakest(g for g in (_grade_of(lpair, lids), _grade_of(rpair, rids)) if g is not None)


def _verdicts(
    lpair: _Pair, rpair: _Pair, taxonomy: Taxonomy, mode: Mode, respondent: Side | None
) -> dict[str, IssueVerdict]:
    left, right = lpair.own, rpair.own
    codes = taxonomy.sort(set(left.subtree) | set(right.subtree))
    children: dict[str, list[str]] = {}
    for code in codes:
        parent = taxonomy.parent(code)
        if parent is not None:
            children.setdefault(parent, []).append(code)
    categories = MODE_CATEGORIES[mode]
    results: dict[str, IssueVerdict] = {}
    # Children come after their parent in tree order, so walking backwards settles them first.
    for code in reversed(codes):
        kids = tuple(children.get(code, ()))
        parts = [results[kid] for kid in kids]
        breakdown = tuple((c, n) for c in categories if (n := sum(part.category == c for part in parts)))
        # The issue's own level: only provisions coded on it, so that one side's provision on one
        # sub-issue never meets the other side's on another.
        lprov, rprov = left.direct.get(code, ()), right.direct.get(code, ())
        own: Verdict | None = None
        lids: tuple[str, ...] = ()
        rids: tuple[str, ...] = ()
        if lprov or rprov:
            lstance, rstance = lpair.effective(code, lprov), rpair.effective(code, rprov)
            own = decide(lstance, rstance, mode, respondent=respondent or "right")
            assert own is not None  # one side codes a provision on the issue
            if lstance == rstance and _identical(left, right, lprov, rprov):
                own = identical(lstance, rstance, mode)
            lids, rids = _deciding(lpair, lprov, code, lstance), _deciding(rpair, rprov, code, rstance)
        split = breakdown_text(breakdown)
        if own is not None and (not parts or SILENT not in (own.left, own.right)):
            # A leaf, or a parent on which both sides speak at its own level: that verdict decides.
            grade = _verdict_grade(lpair, rpair, lids, rids)
            category, status, rule = own.category, own.status, own.rule.id
            rationale = own.rationale + (f"; sub-issues: {split}" if parts else "")
        else:
            decided = sorted(parts, key=lambda part: (part.rule in ONE_SIDED_RULES, RULE_ORDER[part.rule]))
            grades = [part.grade for part in parts]
            pieces = []
            if own is not None:
                # One side speaks on the parent itself, the other only on sub-issues (or not at all).
                decided.append(_part(code, own, lpair, rpair, lids, rids))
                grades.append(decided[-1].grade)
                pieces.append(f"on {code} itself: {own.rationale}")
            lids = tuple(dict.fromkeys(pid for part in decided for pid in part.left_deciding))
            rids = tuple(dict.fromkeys(pid for part in decided for pid in part.right_deciding))
            grade = weakest(grades)
            if len({part.category for part in decided}) == 1:
                first = decided[0]
                category, status, rule = first.category, first.status, first.rule
                pieces.insert(0, f"sub-issues: {split}; as on {first.issue}: {first.rationale}")
            else:
                category, status = DIVIDED[mode]
                rule = "D1"
                pieces.insert(0, f"sub-issues divide: {split} (rule D1: {RULES['D1'].reason})")
            rationale = "; ".join(pieces)
        results[code] = IssueVerdict(
            issue=code,
            own=own,
            category=category,
            status=status,
            rationale=rationale,
            rule=rule,
            children=kids,
            breakdown=breakdown,
            grade=grade,
            left_stance=lpair.effective(code, left.subtree.get(code, ())),
            right_stance=rpair.effective(code, right.subtree.get(code, ())),
            left_deciding=lids,
            right_deciding=rids,
        )
    return {code: results[code] for code in codes}


def _part(
    code: str, own: Verdict, lpair: _Pair, rpair: _Pair, lids: tuple[str, ...], rids: tuple[str, ...]
) -> IssueVerdict:
    """The one-sided verdict at a parent's own level, as one more part of its division."""
    return IssueVerdict(
        issue=code,
        own=own,
        category=own.category,
        status=own.status,
        rationale=own.rationale,
        rule=own.rule.id,
        children=(),
        breakdown=(),
        grade=_verdict_grade(lpair, rpair, lids, rids),
        left_stance=own.left,
        right_stance=own.right,
        left_deciding=lids,
        right_deciding=rids,
    )


def _related(code: str, other: str) -> bool:
    """True when two issue codes are the same or one lies under the other."""
    return in_subtree(code, other) or in_subtree(other, code)


def _evidence(pair: _Pair, provision: Provision, code: str) -> Evidence:
    relations = pair.relations.get(provision.id)
    return Evidence(
        position=pair.own.position.id,
        provision=provision.id,
        ref=provision.ref,
        stance=provision.stance_shown,
        relation=", ".join(dict.fromkeys(relations)) if relations else None,
        text=provision.text,
        text_status=provision.text_status,
        summary=provision.summary,
        sources=tuple(source_text(s) for s in provision.sources),
        answers=tuple(pair.answers.get(provision.id, ())),
        counts_as=pair.counts_as(provision, code),
        grade=pair.grade(provision.id),
    )


def compare_indexed(
    left: SideIndex,
    right: SideIndex,
    taxonomy: Taxonomy,
    mode: Mode = "answer",
    respondent: Side | None = "right",
) -> Comparison:
    """:func:`compare` on positions already indexed (the matrix reuses indexes across pairs)."""
    lpair, rpair = _Pair(left, right), _Pair(right, left)
    verdicts = _verdicts(lpair, rpair, taxonomy, mode, respondent)

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
            rule=v.rule,
            breakdown=v.breakdown,
            attestation=v.grade,
            left_deciding=v.left_deciding,
            right_deciding=v.right_deciding,
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
    return Comparison(
        position_info(left.position),
        position_info(right.position),
        items,
        tuple(warnings),
        mode=mode,
        respondent=respondent,
    )


def keep_attested(position: Position, level: Grade) -> tuple[Position, tuple[str, ...]]:
    """``position`` without the provisions graded below ``level``, and the ids set aside.

    Links to a provision set aside then answer nothing: its evidence is treated as absent.
    """
    kept = tuple(p for p in position.provisions if at_least(provision_grade(p), level))
    if len(kept) == len(position.provisions):
        return position, ()
    dropped = tuple(p.id for p in position.provisions if not at_least(provision_grade(p), level))
    return position.model_copy(update={"provisions": kept}), dropped


def compare(
    left: Position,
    right: Position,
    record: LoadedDossier,
    *,
    min_attestation: Grade | None = None,
) -> Comparison:
    """Compare ``left`` with ``right`` issue by issue, using ``record``'s issue taxonomy.

    The mode comes from the data (:func:`~negotiation.engine.answers.diff_mode`): an *answer* gives
    every issue either side addresses a category (overlap, rejection, open); two positions of the
    same party are *versions* (kept, concession, hardening, added, dropped); two that do not answer
    each other are an *alignment* (same-line, different-lines, only-left, only-right). Every verdict
    carries a status, the provisions of both sides as evidence, a rationale naming the rule that
    fired and the attestation grade of the evidence that decided it. With ``min_attestation``,
    provisions graded below it are set aside first (counted in ``set_aside``).
    """
    mode, respondent = diff_mode(left, right, record.positions)
    set_aside: tuple[str, ...] = ()
    if min_attestation is not None:
        left, ldropped = keep_attested(left, min_attestation)
        right, rdropped = keep_attested(right, min_attestation)
        set_aside = (*(f"{left.id}#{pid}" for pid in ldropped), *(f"{right.id}#{pid}" for pid in rdropped))
    result = compare_indexed(index_position(left), index_position(right), Taxonomy.of(record), mode, respondent)
    return replace(result, min_attestation=min_attestation, set_aside=set_aside)


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


def check_categories(categories: Iterable[str]) -> None:
    """Raise a UsageError for any value that is not a category of some mode."""
    from negotiation.engine.model import MODE_CATEGORY_ORDER

    known = tuple(dict.fromkeys(c for order in MODE_CATEGORY_ORDER.values() for c in order))
    for category in categories:
        if category not in known:
            raise UsageError(f"unknown category '{category}'; choose one of: {', '.join(known)}")


#: The category that means "nothing differs" in each mode.
_SAME: dict[str, str] = {"answer": "overlap", "versions": "kept", "alignment": "same-line"}


def differs(comparison: Comparison) -> bool:
    """True when some item is not an overlap (in an answer), not kept (versions) or not on the same
    line (alignment): what ``diff --exit-code`` reports with exit 1."""
    same = _SAME[comparison.mode]
    return any(item.category != same for item in comparison.items)


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
