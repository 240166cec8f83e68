"""Exercise schema v1: scenarios, roles, issues and options (public) and per-role schedules (private).

An exercise folder holds ``exercise.yaml`` (an :class:`Exercise`: what every participant may read)
and one private schedule per scored role, ``private/<role>.yaml`` (a :class:`Schedule`). Teams hand
in package files (a :class:`PackageSubmission`: one option per issue) or ordinary position files.
Like positions, every file declares ``schema_version: 1`` and unknown fields are errors.

>>> rule = DecisionRule(kind="k-of-n", k=3, vetoes=("aldoria", "brevnia"))
>>> issue = ExerciseIssue(id="a", title="Water allocation",
...                       options=(Option(id="a1", title="60/40"), Option(id="a2", title="50/50")))
>>> [o.id for o in issue.options]
['a1', 'a2']
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from negotiation.schema import STANCES, DecisionRule, Id, IssueCode, Model, ShortText, Text

#: A stance an option is matched on; "silent" is what a position that says nothing on the issue has.
MatchStance = Literal[
    "propose",
    "accept",
    "accept-conditional",
    "discuss",
    "counter",
    "reject",
    "reaffirm",
    "note",
    "silent",
]
MATCH_STANCES: tuple[str, ...] = (*STANCES, "silent")

#: What a role is: a scored party, a coalition of member roles, a mediator or an observer (neither scored).
RoleKind = Literal["party", "coalition", "mediator", "observer"]
#: Whether the scenario is on the real record, a counterfactual built on it, or invented.
ScenarioKind = Literal["record", "counterfactual", "fictional"]

#: Key of :attr:`Option.match` that applies to positions of any party.
ANY_PARTY = "any"


def _number(value: object) -> object:
    # YAML reads "yes" and "true" as booleans and Python counts them as numbers; a schedule must not.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number")
    return value


#: Points, weights and reservation values: an integer or a finite decimal number.
Number = Annotated[int | float, BeforeValidator(_number), Field(allow_inf_nan=False)]


class Option(Model):
    """One option of an issue, e.g. "A2: 50/50 water allocation".

    ``match`` says which positions this option stands for, so a position file can be read as a
    package: keys are dossier parties (or ``any``), values the effective stances (including
    ``silent``) that select this option for a position of that party.
    """

    id: Id
    title: ShortText
    description: Text | None = None
    match: dict[Id, tuple[MatchStance, ...]] = Field(default_factory=dict)


class ExerciseIssue(Model):
    """An issue on the table, its options, and the dossier taxonomy codes it maps to."""

    id: Id
    title: ShortText
    description: Text | None = None
    codes: tuple[IssueCode, ...] = Field(default=(), description="Dossier issue codes (sub-issues included).")
    options: tuple[Option, ...] = Field(min_length=2)

    def option(self, option_id: str) -> Option | None:
        """The option with ``option_id``, or None."""
        return next((o for o in self.options if o.id == option_id), None)


class Gatekeeper(Model):
    """Member roles of a coalition whose consent is needed on one issue, whatever the internal rule."""

    issue: Id
    roles: tuple[Id, ...] = Field(min_length=1)
    note: ShortText | None = None


class Role(Model):
    """A role a team plays: a party (scored by its private schedule), a coalition, a mediator or an observer."""

    id: Id
    name: ShortText
    kind: RoleKind = "party"
    party: Id | None = Field(default=None, description="The dossier party this role plays, for record scenarios.")
    description: Text | None = None
    members: tuple[Id, ...] = Field(default=(), description="Member roles of a coalition.")
    decision_rule: DecisionRule | None = Field(default=None, description="A coalition's internal rule.")
    gatekeepers: tuple[Gatekeeper, ...] = ()
    schedule: ShortText | None = Field(
        default=None, description="Private schedule file, relative to the exercise; default private/<id>.yaml."
    )
    standing: Id | None = Field(default=None, description="The position this role has on the table at the start.")
    historical: tuple[Id, ...] = Field(
        default=(), description="The real documents a team in this role writes instead of (for the debrief)."
    )

    @model_validator(mode="after")
    def _coalition_shape(self) -> Role:
        if self.kind == "coalition":
            if not self.members:
                raise ValueError("a coalition needs members")
            if self.decision_rule is None:
                raise ValueError("a coalition needs a decision_rule")
        else:
            if self.members or self.decision_rule is not None or self.gatekeepers:
                raise ValueError("only a coalition has members, a decision_rule or gatekeepers")
        if self.kind != "party" and self.schedule is not None:
            raise ValueError(f"a {self.kind} has no schedule; only parties are scored")
        return self

    @property
    def scored(self) -> bool:
        """True when the role has a private schedule (parties only)."""
        return self.kind == "party"


class ExerciseDocument(Model):
    """A document roles may read: a position of the dossier, or a file of the exercise folder."""

    position: Id | None = None
    file: ShortText | None = None
    title: ShortText | None = None
    date: dt.date | None = None
    roles: tuple[Id, ...] = Field(default=(), description="Roles that may read it; empty means every role.")
    note: ShortText | None = None

    @model_validator(mode="after")
    def _one_source(self) -> ExerciseDocument:
        if (self.position is None) == (self.file is None):
            raise ValueError("a document is either a dossier position or a file, not both or neither")
        if self.file is not None and (self.title is None or self.date is None):
            raise ValueError("a file document needs a title and a date")
        return self


class Round(Model):
    """One round of negotiation; team files for it go in ``submissions/round-<number>/``."""

    number: int = Field(ge=0)
    title: ShortText
    date: dt.date | None = None
    description: Text | None = None
    tabling: tuple[Id, ...] = Field(default=(), description="Roles that table in this round; empty means all.")


class Inject(Model):
    """A facilitator's event, read out before a round; its effect on schedules is private to each role."""

    id: Id
    round: int = Field(ge=0, description="The round it is read out before; it applies from that round on.")
    title: ShortText
    text: Text
    roles: tuple[Id, ...] = Field(default=(), description="Roles that receive it; empty means every role.")


class Exercise(Model):
    """The public part of an exercise: everything the general brief may say."""

    schema_version: int
    id: Id
    title: ShortText
    kind: ScenarioKind
    dossier: Id | None = Field(default=None, description="Bundled dossier the scenario draws on.")
    scenario: Text
    cutoff: dt.date | None = Field(default=None, description="Information cut-off: no document after this date.")
    roles: tuple[Role, ...] = Field(min_length=2)
    issues: tuple[ExerciseIssue, ...] = Field(min_length=1)
    documents: tuple[ExerciseDocument, ...] = ()
    rounds: tuple[Round, ...] = ()
    injects: tuple[Inject, ...] = ()
    decision_rule: DecisionRule
    voters: tuple[Id, ...] = Field(
        default=(), description="Roles the decision rule counts; empty means every party or coalition not in one."
    )
    coaching: bool = Field(default=True, description="Allow the coaching hint (space --nearest).")
    notes: Text | None = None

    def role(self, role_id: str) -> Role | None:
        """The role with ``role_id``, or None."""
        return next((r for r in self.roles if r.id == role_id), None)

    def issue(self, issue_id: str) -> ExerciseIssue | None:
        """The issue with ``issue_id``, or None."""
        return next((i for i in self.issues if i.id == issue_id), None)


class IssueSchedule(Model):
    """A role's points for the options of one issue; the score of an option is ``weight * points``."""

    weight: Number = Field(default=1.0, ge=0)
    points: dict[Id, Number]


class Linkage(Model):
    """Points added (or, when negative, taken away) when a package holds all the listed options."""

    options: dict[Id, Id] = Field(description="Issue id -> option id; at least two.")
    points: Number
    description: ShortText | None = None

    @model_validator(mode="after")
    def _two_issues(self) -> Linkage:
        if len(self.options) < 2:
            raise ValueError("a linkage ties options of at least two issues")
        return self


class Adjustment(Model):
    """What an inject changes in this role's schedule, from the inject's round on."""

    inject: Id
    issue: Id | None = None
    weight: Number | None = Field(default=None, ge=0)
    points: dict[Id, Number] | None = None
    reservation_value: Number | None = None
    description: ShortText | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> Adjustment:
        if self.weight is None and self.points is None and self.reservation_value is None:
            raise ValueError("an adjustment changes a weight, points or the reservation value")
        if (self.weight is not None or self.points is not None) and self.issue is None:
            raise ValueError("a weight or points adjustment names its issue")
        return self


class Schedule(Model):
    """A role's private schedule: points per option, reservation value, red lines, linkages, inject effects."""

    schema_version: int
    exercise: Id
    role: Id
    instructions: Text | None = Field(default=None, description="Confidential instructions: interests, priorities.")
    reservation_value: Number
    issues: dict[Id, IssueSchedule]
    red_lines: dict[Id, tuple[Id, ...]] = Field(
        default_factory=dict, description="Issue id -> options this role never accepts."
    )
    linkages: tuple[Linkage, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    notes: Text | None = None


class PackageSubmission(Model):
    """A team's package: one option per issue, tabled in a round."""

    schema_version: int
    exercise: Id
    team: Id | None = Field(default=None, description="The team; default the file name without extension.")
    role: Id | None = Field(default=None, description="The role the team plays; default the team id.")
    round: int | None = Field(default=None, ge=0)
    title: ShortText | None = None
    options: dict[Id, Id] = Field(description="Issue id -> option id, one per issue.")
    notes: Text | None = None
