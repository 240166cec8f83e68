"""How far a verdict can be trusted: the attestation grade of each provision and of each verdict.

A provision's grade comes from its text status and its sources' tags, strongest first:

- ``own-words``: the document's own words were recovered (``verbatim`` or ``partial``);
- ``several-sources``: reported by several independent sources (a source tagged ``multi-source``);
- ``author-summary``: known from its author's own public account of the document (``public-summary``);
- ``one-source``: reported by one source (``single-source``, or a reported point whose sources carry
  no tag);
- ``other-party``: known only from the other party's characterisation (``party-characterisation``);
- ``unattested``: nothing recovered (``missing``), or only an absence of evidence.

The author's public summary sits below several independent reports and above a single one: it is
first-hand and attributable, but it is one voice describing its own paper for a public audience,
selective by design; several independent reports of the document's content come closer to its
text, one outside report does not.

A verdict's grade is the weaker of the two sides' strongest *deciding* evidence: on each side, the
provisions that carry the side's effective stance (those that count as it); a silent side adds
nothing. A verdict below ``own-words`` is *tentative*.

>>> from negotiation.schema import Provision, SourceRef
>>> p = Provision(id="a", ref="¶1", issues=("x",), stance="reject", text="...", text_status="reported",
...               sources=(SourceRef(url="https://example.org", tag="single-source"),))
>>> provision_grade(p)
'one-source'
>>> weakest(["own-words", "one-source"]), tentative("own-words")
('one-source', False)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from negotiation.schema import Provision

Grade = Literal["own-words", "several-sources", "author-summary", "one-source", "other-party", "unattested"]

#: The grades, strongest first.
GRADES: tuple[Grade, ...] = (
    "own-words",
    "several-sources",
    "author-summary",
    "one-source",
    "other-party",
    "unattested",
)
_RANK = {grade: i for i, grade in enumerate(GRADES)}

#: What each grade means, for legends and the decision table.
MEANINGS: dict[Grade, str] = {
    "own-words": "the document's own words (verbatim or partial text)",
    "several-sources": "reported by several independent sources",
    "author-summary": "its author's public summary of the document",
    "one-source": "reported by one source",
    "other-party": "characterised by the other party",
    "unattested": "no text recovered and no source for its content",
}

#: The marker a tentative verdict carries in tables (a verdict on the document's own words has none).
MARKERS: dict[Grade, str] = {
    "own-words": "",
    "several-sources": "~several",
    "author-summary": "~summary",
    "one-source": "~one",
    "other-party": "~other",
    "unattested": "~none",
}

#: The strongest grade each source tag gives a reported provision.
_TAG_GRADES: dict[str, Grade] = {
    "document": "own-words",
    "multi-source": "several-sources",
    "public-summary": "author-summary",
    "single-source": "one-source",
    "party-characterisation": "other-party",
    "absence-of-evidence": "unattested",
}


def provision_grade(provision: Provision) -> Grade:
    """The grade of one provision's evidence (see the module docstring)."""
    return grade_of(provision.text_status, [source.tag for source in provision.sources])


def grade_of(text_status: str, tags: Iterable[str | None]) -> Grade:
    """The grade of evidence with this text status and these source tags (None, or a value that is no
    tag: an untagged source).

    >>> grade_of("reported", ["multi-source", None]), grade_of("partial", [])
    ('several-sources', 'own-words')
    """
    if text_status in ("verbatim", "partial"):
        return "own-words"
    if text_status == "missing":
        return "unattested"
    tags = list(tags)
    graded = [_TAG_GRADES[tag] for tag in tags if tag in _TAG_GRADES and tag != "document"]
    if any(tag not in _TAG_GRADES for tag in tags):
        # A reported point with an untagged source rests on at least that one named source.
        graded.append("one-source")
    return strongest(graded) if graded else "unattested"


def strongest(grades: Iterable[Grade]) -> Grade:
    """The strongest of ``grades`` (``unattested`` when there are none)."""
    return min(grades, key=_RANK.__getitem__, default="unattested")


def weakest(grades: Iterable[Grade]) -> Grade:
    """The weakest of ``grades`` (``own-words`` when there are none)."""
    return max(grades, key=_RANK.__getitem__, default="own-words")


def at_least(grade: Grade, level: Grade) -> bool:
    """True when ``grade`` is ``level`` or stronger."""
    return _RANK[grade] <= _RANK[level]


def tentative(grade: Grade) -> bool:
    """True when a verdict of this grade rests on less than the document's own words."""
    return grade != "own-words"


def check_grade(value: str) -> Grade:
    """``value`` as a grade, or a ValueError naming the choices (and the closest, for a typo)."""
    from negotiation.errors import did_you_mean

    for grade in GRADES:
        if grade == value:
            return grade
    raise ValueError(
        f"unknown attestation level '{value}'{did_you_mean(value, GRADES)}; choose one of: {', '.join(GRADES)}"
    )


def legend() -> str:
    """One line explaining the markers of tentative verdicts."""
    marks = "; ".join(f"{MARKERS[g]} {MEANINGS[g]}" for g in GRADES if MARKERS[g])
    return f"tentative verdicts (below the document's own words) are marked: {marks}"
