"""Suggested coding for uncoded provisions, from the coded provisions a dossier already has.

Texts are compared as TF-IDF vectors of character n-grams (scikit-learn, the ``coding`` extra):
treaty language repeats stems in many inflections ("deploy", "deploying", "deployment") and across
translations with varying spelling, which character n-grams match and whole words do not; and a
TF-IDF index of 10,000 provisions answers 1,000 queries with one sparse matrix product. Four-character
grams within words were measured against 3-5, 3-4 and 3-3 (docs/performance.md): as accurate or
more on the bundled dossier, and three times faster than 3-5. The issue
codes, stance and links of the nearest coded provisions are voted, weighted by similarity; the
nearest ones are the reason given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from negotiation.errors import DependencyError
from negotiation.schema import Link, Position, Provision, Suggestion
from negotiation.tables import Table, make_table

#: How many nearest coded provisions vote.
NEIGHBOURS = 5
#: Issue codes kept per suggestion.
TOP_ISSUES = 3


@dataclass(frozen=True)
class Ranked:
    """The suggestion for one provision: ranked issue codes with scores, stance, links, and the reason."""

    provision: str
    issues: tuple[tuple[str, float], ...]
    stance: str | None
    stance_score: float
    links: tuple[Link, ...]
    nearest: tuple[tuple[str, float], ...]  # "position#provision" and similarity

    @property
    def score(self) -> float:
        """The score of the top issue code (0 when nothing similar was found)."""
        return self.issues[0][1] if self.issues else 0.0

    def as_suggestion(self) -> Suggestion:
        """The schema's ``suggested`` field for this suggestion."""
        reason = "nearest coded: " + ", ".join(f"{ref} ({s:.2f})" for ref, s in self.nearest[:3])
        return Suggestion.model_validate(
            {
                "issues": [code for code, _ in self.issues],
                "stance": self.stance,
                "responds_to": [link.model_dump() for link in self.links],
                "score": round(min(1.0, self.score), 4),
                "reason": reason[:2000] if self.nearest else None,
            }
        )


def _vectoriser() -> object:
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
    except ModuleNotFoundError:
        raise DependencyError("suggest needs the 'coding' extra: pip install 'negotiation[coding]'") from None
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), sublinear_tf=True, lowercase=True)


def _text(p: Provision) -> str:
    return " ".join(x for x in (p.text, p.summary, p.ref) if x)


class Suggester:
    """An index of coded provisions that ranks issue codes, stance and links for new texts.

    >>> # (built from positions; see suggest_for)
    """

    def __init__(self, coded: Sequence[tuple[str, Provision]]) -> None:
        self.coded = [(pid, p) for pid, p in coded if p.coded]
        self.vectoriser = _vectoriser()
        texts = [_text(p) for _, p in self.coded] or [""]
        self.matrix = self.vectoriser.fit_transform(texts)  # type: ignore[attr-defined]

    def rank(self, provisions: Sequence[Provision]) -> list[Ranked]:
        """One suggestion per provision, in order (ties broken by code, so the output is stable)."""
        if not provisions:
            return []
        queries = self.vectoriser.transform([_text(p) for p in provisions])  # type: ignore[attr-defined]
        similarity = (queries @ self.matrix.T).toarray() if self.coded else None
        return [self._one(p, similarity[i] if similarity is not None else None) for i, p in enumerate(provisions)]

    def _one(self, provision: Provision, row: object) -> Ranked:
        if row is None:
            return Ranked(provision.id, (), None, 0.0, (), ())
        import numpy as np

        scores = np.asarray(row)
        # The k best by partition (linear), then those few sorted by score and index: stable output
        # without sorting every coded provision for every query.
        k = min(NEIGHBOURS, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        order = sorted((int(i) for i in best), key=lambda i: (-scores[i], i))
        near = [(k, float(scores[k])) for k in order if scores[k] > 0]
        total = sum(s for _, s in near) or 1.0
        issue_votes: dict[str, float] = {}
        stance_votes: dict[str, float] = {}
        link_votes: dict[tuple[str, str], float] = {}
        for k, s in near:
            _, coded = self.coded[k]
            for code in coded.issues:
                issue_votes[code] = issue_votes.get(code, 0.0) + s / total
            if coded.stance is not None:
                stance_votes[coded.stance] = stance_votes.get(coded.stance, 0.0) + s / total
            for link in coded.responds_to:
                link_votes[(link.to, link.relation)] = link_votes.get((link.to, link.relation), 0.0) + s / total
        issues = sorted(issue_votes.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_ISSUES]
        stance = min(stance_votes.items(), key=lambda kv: (-kv[1], kv[0]), default=(None, 0.0))
        links = [Link(to=to, relation=rel) for (to, rel), v in sorted(link_votes.items()) if v >= 0.5]
        nearest = tuple((f"{self.coded[k][0]}#{self.coded[k][1].id}", round(s, 4)) for k, s in near)
        return Ranked(
            provision.id,
            tuple((c, round(v, 4)) for c, v in issues),
            stance[0],
            round(stance[1], 4),
            tuple(links),
            nearest,
        )


def suggest_for(position: Position, others: Sequence[Position]) -> list[Ranked]:
    """Suggestions for the uncoded provisions of ``position``, learned from the coded ones of ``others``."""
    coded = [(o.id, p) for o in others if o.id != position.id for p in o.provisions]
    uncoded = [p for p in position.provisions if not p.coded]
    return Suggester(coded).rank(uncoded)


def apply_suggestions(position: Position, ranked: Sequence[Ranked], min_score: float) -> tuple[Position, int]:
    """``position`` with each suggestion scoring at least ``min_score`` stored as ``suggested``
    (never as coding); and how many were stored."""
    by_id = {r.provision: r for r in ranked if r.issues and r.score >= min_score}
    provisions = tuple(
        p.model_copy(update={"suggested": by_id[p.id].as_suggestion()}) if p.id in by_id else p
        for p in position.provisions
    )
    return position.model_copy(update={"provisions": provisions}), len(by_id)


@dataclass(frozen=True)
class Accuracy:
    """Leave-one-position-out accuracy on a dossier's coded provisions."""

    provisions: int
    top1: float
    top3: float
    stance: float


def leave_one_position_out(positions: Sequence[Position]) -> Accuracy:
    """Hide each position's coding in turn, suggest it from the others, and count the hits:
    top-1 (the first code is one of the coded issues), top-3 (any of the first three), stance."""
    n = hit1 = hit3 = stance_hits = 0
    for position in positions:
        coded = [p for p in position.provisions if p.coded]
        if not coded:
            continue
        index = Suggester([(o.id, p) for o in positions if o.id != position.id for p in o.provisions])
        for truth, ranked in zip(coded, index.rank(coded), strict=True):
            codes = [c for c, _ in ranked.issues]
            n += 1
            hit1 += bool(codes[:1]) and codes[0] in truth.issues
            hit3 += any(c in truth.issues for c in codes[:3])
            stance_hits += ranked.stance == truth.stance
    return Accuracy(n, hit1 / n if n else 0.0, hit3 / n if n else 0.0, stance_hits / n if n else 0.0)


def suggestion_table(position_id: str, ranked: Sequence[Ranked]) -> Table:
    """The ``suggest`` table: per uncoded provision, ranked issue codes, stance, links and the reason."""
    rows = [
        (
            r.provision,
            ", ".join(f"{code} {score:.2f}" for code, score in r.issues) or "(nothing similar)",
            f"{r.stance} {r.stance_score:.2f}" if r.stance else "",
            ", ".join(f"{link.relation} {link.to}" for link in r.links),
            ", ".join(f"{ref} {s:.2f}" for ref, s in r.nearest[:3]),
        )
        for r in ranked
    ]
    data = {
        "position": position_id,
        "suggestions": [
            {
                "provision": r.provision,
                "issues": [{"code": c, "score": s} for c, s in r.issues],
                "stance": r.stance,
                "stance_score": r.stance_score,
                "responds_to": [link.model_dump(exclude_none=True) for link in r.links],
                "nearest": [{"provision": ref, "similarity": s} for ref, s in r.nearest],
            }
            for r in ranked
        ],
    }
    return make_table(
        "suggest",
        f"Suggested coding for {position_id}",
        ("provision", "issues (score)", "stance", "links", "nearest coded"),
        rows,
        data=data,
        empty="no uncoded provisions",
    )
