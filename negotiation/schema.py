"""Schema v1: the data model of dossiers, parties, issues, positions and provisions.

Pure models, no I/O. Every model rejects unknown fields and is immutable once built.

>>> p = Provision(id="art-6", ref="Art. 6", issues=("missiles.intermediate-range",), stance="propose",
...               text="The Parties shall undertake not to deploy ...", text_status="partial",
...               sources=(SourceRef(file="sources/treaty.md", locator="Article 6"),))
>>> p.stance
'propose'
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

#: Schema versions this release reads. A file declaring another version is refused by the loader.
SUPPORTED_SCHEMA_VERSIONS: tuple[int, ...] = (1,)
SCHEMA_VERSION = 1

#: What a party does on an issue in one provision. "silent" is never coded: the engine finds it.
Stance = Literal[
    "propose",  # tables a commitment or demand
    "accept",  # accepts what the other side tabled
    "accept-conditional",  # accepts under a condition
    "discuss",  # willing to negotiate it
    "counter",  # tables a different arrangement on the same issue
    "reject",  # refuses it
    "reaffirm",  # restates its own principle or standing policy
    "note",  # takes note, no commitment either way
]
STANCES: tuple[str, ...] = Stance.__args__  # type: ignore[attr-defined]
#: How an uncoded provision's stance is shown; never a stance of the schema.
UNCODED = "uncoded"

#: How a provision answers a provision of another position.
Relation = Literal[
    "accepts",
    "accepts-conditionally",
    "discusses",
    "counters",
    "rejects",
    "contests",  # answers with an opposing principle of its own
    "notes",
    "reaffirms",  # restates an earlier provision of the same party
    "ignores",  # a later document says this item went unanswered (a characterisation)
]
RELATIONS: tuple[str, ...] = Relation.__args__  # type: ignore[attr-defined]

TextStatus = Literal["verbatim", "partial", "reported", "missing"]
TEXT_STATUSES: tuple[str, ...] = TextStatus.__args__  # type: ignore[attr-defined]

PartyKind = Literal["state", "alliance", "organisation", "team", "other"]
PositionKind = Literal[
    "draft-treaty",
    "draft-agreement",
    "written-response",
    "reply",
    "statement",
    "non-paper",
    "counter-proposal",
    "package",
    "other",
]
Translation = Literal[
    "original", "official-translation", "unofficial-translation", "agency-translation", "machine-translation"
]
Authenticity = Literal["published", "leaked", "leaked-authenticated", "reported", "fictional"]
ConditionKind = Literal["reciprocity", "consultation", "de-escalation", "package", "other"]
SourceTag = Literal[
    "document",  # the bundled source's own recovered text
    "multi-source",
    "single-source",
    "public-summary",  # the author's own public description of the document
    "party-characterisation",  # the other party's claim about the document
    "absence-of-evidence",
]
DecisionRuleKind = Literal["consensus", "unanimity", "majority", "k-of-n"]

_ID = r"^[a-z0-9][a-z0-9._-]*$"
Id = Annotated[str, StringConstraints(pattern=_ID, min_length=1, max_length=120)]
IssueCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)*$", max_length=200)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=100_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=2_000)]
#: A link target: ``position-id#provision-id``.
ProvisionRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*#[a-z0-9][a-z0-9._-]*$", max_length=241)]


class Model(BaseModel):
    """Base of every schema model: unknown fields are errors, values are immutable."""

    # defer_build: a cached dossier is unpickled without validation, so a cold start need not build
    # the validators it will not use.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True)


class DecisionRule(Model):
    """How a coalition (or an exercise) decides: e.g. NATO's consensus of all members."""

    kind: DecisionRuleKind
    k: int | None = Field(default=None, ge=1, description="Members needed, for k-of-n.")
    vetoes: tuple[Id, ...] = Field(default=(), description="Members whose assent is always needed.")
    description: ShortText | None = None

    @model_validator(mode="after")
    def _k_only_for_k_of_n(self) -> DecisionRule:
        if self.kind == "k-of-n" and self.k is None:
            raise ValueError("k-of-n needs k")
        if self.kind != "k-of-n" and self.k is not None:
            raise ValueError(f"k applies only to k-of-n, not {self.kind}")
        return self


class Party(Model):
    """A negotiating party; an alliance is a coalition of ``members`` with a ``decision_rule``."""

    id: Id
    name: ShortText
    kind: PartyKind
    members: tuple[Id, ...] = ()
    decision_rule: DecisionRule | None = None
    notes: Text | None = None


class Issue(Model):
    """One node of the issue taxonomy. ``a.b`` is a child of ``a``."""

    code: IssueCode
    title: ShortText
    description: Text | None = None

    @property
    def parent(self) -> str | None:
        """The parent code, or None for a top-level issue."""
        return self.code.rpartition(".")[0] or None


class SourceRef(Model):
    """Where a provision's words or content come from.

    ``file`` is the bundled source (relative to the dossier folder); ``url`` a secondary source;
    ``witness`` who quoted or reported it (e.g. "TASS"); ``tag`` how well the point is attested.
    """

    file: ShortText | None = None
    locator: ShortText | None = None
    url: ShortText | None = None
    witness: ShortText | None = None
    tag: SourceTag | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _names_something(self) -> SourceRef:
        if not (self.file or self.url or self.witness):
            raise ValueError("a source needs at least one of file, url or witness")
        return self


class Obligation(Model):
    """Who would be bound by a commitment, for whose benefit, and whether it binds both ways."""

    obligors: tuple[Id, ...] = Field(min_length=1)
    beneficiaries: tuple[Id, ...] = ()
    reciprocal: bool = False
    description: ShortText | None = None


class Link(Model):
    """A link from a provision to the provision of another position that it answers."""

    to: ProvisionRef
    relation: Relation
    note: Text | None = None

    @property
    def position(self) -> str:
        """The id of the position linked to."""
        return self.to.split("#", 1)[0]

    @property
    def provision(self) -> str:
        """The id of the provision linked to."""
        return self.to.split("#", 1)[1]


class Condition(Model):
    """A condition attached to a provision ("provided Russia offers reciprocal measures")."""

    kind: ConditionKind
    description: ShortText
    party: Id | None = Field(default=None, description="The party that must act for the condition to hold.")


class Suggestion(Model):
    """Coding a tool proposed for a provision (``negotiation suggest --apply``), kept apart from the
    provision's own coding until a coder confirms it by moving it into ``issues``, ``stance`` and
    ``responds_to`` and deleting the suggestion."""

    issues: tuple[IssueCode, ...] = ()
    stance: Stance | None = None
    responds_to: tuple[Link, ...] = ()
    score: float = Field(ge=0, le=1, description="The suggester's confidence in the issue codes (0 to 1).")
    reason: ShortText | None = Field(default=None, description="The nearest coded provisions it was drawn from.")


class Provision(Model):
    """The unit that is compared: one article, paragraph, passage or reported point of a position.

    A provision with no issue codes or no stance is *uncoded* (as imported from a document): it is
    valid data, counted by ``validate`` and ``coverage``, and left out of every verdict.
    """

    id: Id
    ref: ShortText
    issues: tuple[IssueCode, ...] = ()
    stance: Stance | None = None
    suggested: Suggestion | None = None
    obligations: tuple[Obligation, ...] = ()
    responds_to: tuple[Link, ...] = ()
    conditions: tuple[Condition, ...] = ()
    linked_to: tuple[Id, ...] = Field(default=(), description="Provisions of the same position it stands with.")
    text: Text | None = None
    text_status: TextStatus
    sources: tuple[SourceRef, ...] = ()
    summary: ShortText | None = None
    notes: Text | None = None

    @property
    def coded(self) -> bool:
        """True when a coder gave the provision its issue codes and stance (suggestions do not count)."""
        return self.stance is not None

    @property
    def stance_shown(self) -> str:
        """The stance, or ``uncoded`` (the engine reads coded provisions only, so never sees that)."""
        return self.stance or UNCODED

    @model_validator(mode="after")
    def _text_matches_status(self) -> Provision:
        if self.text_status == "missing":
            if self.text is not None:
                raise ValueError("text_status 'missing' must not carry text; put what is known in notes")
        elif self.text is None:
            raise ValueError(f"text_status '{self.text_status}' needs text")
        if self.text_status in ("verbatim", "partial") and not any(s.file for s in self.sources):
            raise ValueError(f"text_status '{self.text_status}' needs a source with the file its words are in")
        if self.text_status == "reported" and not any(s.url or s.witness for s in self.sources):
            raise ValueError("text_status 'reported' needs a source naming who reported it (url or witness)")
        if len(set(self.issues)) != len(self.issues):
            raise ValueError("issues are listed twice")
        if bool(self.issues) != (self.stance is not None):
            # Half-coded data would enter some verdicts and not others; a provision is coded or not.
            raise ValueError("code both issues and stance, or neither (an uncoded provision)")
        if self.stance is None and (self.responds_to or self.obligations or self.conditions or self.linked_to):
            raise ValueError(
                "an uncoded provision (no issues, no stance) cannot carry links, obligations or conditions"
            )
        return self


class Package(Model):
    """Provisions a party declared to stand or fall together."""

    id: Id
    title: ShortText
    provisions: tuple[Id, ...] = Field(default=(), description="Members; empty means every provision.")
    indivisible: bool = True
    notes: Text | None = None


class Provenance(Model):
    """Where a position's text comes from and how far it can be trusted."""

    publisher: ShortText | None = None
    urls: tuple[ShortText, ...] = ()
    language: ShortText | None = None
    translation: Translation = "original"
    authenticity: Authenticity
    authenticated_by: ShortText | None = None
    source_file: ShortText | None = Field(default=None, description="Bundled source text, relative to the dossier.")
    completeness: ShortText | None = None
    notes: Text | None = None


class Position(Model):
    """One document of one party at one point in time."""

    schema_version: int
    id: Id
    dossier: Id | None = None
    party: Id
    addressees: tuple[Id, ...] = ()
    kind: PositionKind
    title: ShortText
    version: int = Field(default=1, ge=1)
    supersedes: Id | None = None
    responds_to: tuple[Id, ...] = ()
    delivered: dt.date | None = None
    published: dt.date | None = None
    provenance: Provenance
    packages: tuple[Package, ...] = ()
    provisions: tuple[Provision, ...] = ()
    notes: Text | None = None

    @property
    def date(self) -> dt.date | None:
        """The date that orders positions: delivery, else publication."""
        return self.delivered or self.published

    @property
    def provisions_by_id(self) -> dict[str, Provision]:
        """The provisions keyed by id (the first one wins if an id repeats; integrity reports that)."""
        # Kept beside the fields, and rebuilt when the provisions tuple is not the one it was built
        # from: model_copy(update=...) copies instance state, which would otherwise go stale.
        cached = self.__dict__.get("_provisions_index")
        if cached is not None and cached[0] is self.provisions:
            return cached[1]  # type: ignore[no-any-return]
        index: dict[str, Provision] = {}
        for p in self.provisions:
            index.setdefault(p.id, p)
        self.__dict__["_provisions_index"] = (self.provisions, index)
        return index

    def provision(self, provision_id: str) -> Provision | None:
        """The provision with ``provision_id``, or None."""
        return self.provisions_by_id.get(provision_id)


class Event(Model):
    """Something that happened between rounds (a meeting, a leak, a statement)."""

    date: dt.date
    title: ShortText
    description: Text | None = None
    sources: tuple[SourceRef, ...] = ()
    uncertain: bool = False


class Dossier(Model):
    """One negotiation: parties, issue taxonomy, the order of its positions, and the events between."""

    schema_version: int
    id: Id
    title: ShortText
    description: Text | None = None
    parties: tuple[Party, ...] = Field(min_length=1)
    issues: tuple[Issue, ...] = Field(min_length=1)
    positions: tuple[Id, ...] = Field(default=(), description="Position ids in timeline order.")
    events: tuple[Event, ...] = ()
    notes: Text | None = None


def issue_ancestors(code: str) -> list[str]:
    """The codes above ``code``, nearest first.

    >>> issue_ancestors("missiles.intermediate-range.europe")
    ['missiles.intermediate-range', 'missiles']
    """
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


def in_subtree(code: str, root: str) -> bool:
    """True when ``code`` is ``root`` or one of its descendants.

    >>> in_subtree("missiles.intermediate-range", "missiles"), in_subtree("missiles-x", "missiles")
    (True, False)
    """
    return code == root or code.startswith(root + ".")
