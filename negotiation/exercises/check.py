"""The structural rules of an exercise and its private schedules: every reference resolves, every
schedule covers every issue and option. :mod:`negotiation.exercises.lint` adds the pedagogical checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from negotiation.errors import Problem
from negotiation.exercises.loaded import LoadedExercise, voters_of
from negotiation.exercises.schema import (
    ANY_PARTY,
    Exercise,
    Role,
    Schedule,
)
from negotiation.loading import LoadedDossier
from negotiation.loading.parse import Document
from negotiation.loading.validate import field_path


class Reporter:
    """Collects located problems for one parsed file."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, loc: Sequence[str | int], message: str, *, key: bool = False) -> None:
        line, column = self.doc.locate(loc, key=key)
        self.problems.append(Problem(self.doc.path, line, column, field_path(loc), message))


def check_exercise(loaded: LoadedExercise, doc: Document) -> list[Problem]:
    """Every structural problem of ``exercise.yaml``, located in ``doc``."""
    checks = _ExerciseChecks(loaded, doc)
    checks.ids()
    for i, role in enumerate(loaded.exercise.roles):
        checks.role(i, role)
    checks.voters()
    checks.issues()
    checks.documents()
    checks.rounds_and_injects()
    return checks.rep.problems


class _ExerciseChecks:
    """The checks of one exercise file, sharing what the earlier ones learnt (ids, coalition membership)."""

    def __init__(self, loaded: LoadedExercise, doc: Document) -> None:
        self.loaded = loaded
        self.ex = loaded.exercise
        self.rep = Reporter(doc)
        self.record = loaded.record
        self.party_ids: set[str] = set(self.record.parties) if self.record is not None else set()
        self.roles: dict[str, Role] = {}
        self.issue_ids: set[str] = set()
        self.membership: dict[str, str] = {}

    def ids(self) -> None:
        """Role, issue and option ids are unique."""
        rep = self.rep
        for i, role in enumerate(self.ex.roles):
            if role.id in self.roles:
                rep.add(("roles", i, "id"), f"duplicate role id '{role.id}'")
            self.roles[role.id] = role
        for i, issue in enumerate(self.ex.issues):
            if issue.id in self.issue_ids:
                rep.add(("issues", i, "id"), f"duplicate issue id '{issue.id}'")
            self.issue_ids.add(issue.id)
            seen: set[str] = set()
            for j, option in enumerate(issue.options):
                if option.id in seen:
                    rep.add(
                        ("issues", i, "options", j, "id"), f"duplicate option id '{option.id}' in issue '{issue.id}'"
                    )
                seen.add(option.id)

    def role(self, i: int, role: Role) -> None:
        """A role's members, decision rule, gatekeepers, dossier party and positions resolve."""
        rep, record = self.rep, self.record
        here: tuple[str | int, ...] = ("roles", i)
        for j, member in enumerate(role.members):
            target = self.roles.get(member)
            if target is None:
                rep.add((*here, "members", j), f"unknown role '{member}'")
            elif target.kind != "party":
                rep.add((*here, "members", j), f"'{member}' is a {target.kind}; coalition members are parties")
            elif member in self.membership:
                rep.add((*here, "members", j), f"'{member}' is already a member of '{self.membership[member]}'")
            else:
                self.membership[member] = role.id
        if role.decision_rule is not None:
            _check_rule(rep, (*here, "decision_rule"), role.decision_rule.vetoes, role.decision_rule.k, role.members)
        for j, gate in enumerate(role.gatekeepers):
            if gate.issue not in self.issue_ids:
                rep.add((*here, "gatekeepers", j, "issue"), f"unknown issue '{gate.issue}'")
            for k, gatekeeper in enumerate(gate.roles):
                if gatekeeper not in role.members:
                    rep.add((*here, "gatekeepers", j, "roles", k), f"'{gatekeeper}' is not a member of '{role.id}'")
        if role.party is not None:
            if record is None:
                rep.add((*here, "party"), "the exercise names no dossier, so a role cannot play a dossier party")
            elif role.party not in self.party_ids:
                rep.add((*here, "party"), f"unknown dossier party '{role.party}'")
        for name, ids in (("standing", (role.standing,) if role.standing else ()), ("historical", role.historical)):
            for j, pid in enumerate(ids):
                loc = (*here, name) if name == "standing" else (*here, name, j)
                _check_position_ref(rep, loc, pid, record)

    def voters(self) -> None:
        """Someone votes, every voter is a party or coalition voting in its own name, the rule fits them."""
        rep, ex = self.rep, self.ex
        voters = voters_of(ex)
        if not voters:
            rep.add(("roles",), "no role votes: the decision rule needs at least one party or coalition")
        for i, voter in enumerate(ex.voters):
            target = self.roles.get(voter)
            if target is None:
                rep.add(("voters", i), f"unknown role '{voter}'")
            elif target.kind not in ("party", "coalition"):
                rep.add(("voters", i), f"'{voter}' is a {target.kind}; only parties and coalitions vote")
            elif voter in self.membership:
                rep.add(("voters", i), f"'{voter}' votes through its coalition '{self.membership[voter]}'")
        _check_rule(rep, ("decision_rule",), ex.decision_rule.vetoes, ex.decision_rule.k, voters)

    def issues(self) -> None:
        """Issues map to the dossier's codes; options match stances of known parties."""
        rep, record = self.rep, self.record
        codes = set(record.issues) if record is not None else set()
        match_keys = self.party_ids | set(self.roles) | {ANY_PARTY}
        for i, issue in enumerate(self.ex.issues):
            for j, code in enumerate(issue.codes):
                if record is None:
                    message = "the exercise names no dossier, so issues cannot map to its codes"
                    rep.add(("issues", i, "codes", j), message)
                elif code not in codes:
                    rep.add(("issues", i, "codes", j), f"unknown issue code '{code}' in dossier '{record.id}'")
            for j, option in enumerate(issue.options):
                for key in option.match:
                    if key not in match_keys:
                        rep.add(("issues", i, "options", j, "match", key), f"unknown party '{key}'", key=True)

    def documents(self) -> None:
        """Documents point to positions of the dossier or files inside the folder, for known roles."""
        rep = self.rep
        for i, document in enumerate(self.ex.documents):
            here = ("documents", i)
            if document.position is not None:
                _check_position_ref(rep, (*here, "position"), document.position, self.record)
            if document.file is not None:
                problem = relative_problem(document.file)
                if problem:
                    rep.add((*here, "file"), problem)
                elif not (self.loaded.root / document.file).is_file():
                    rep.add((*here, "file"), f"no file '{document.file}' in the exercise folder")
            for j, rid in enumerate(document.roles):
                if rid not in self.roles:
                    rep.add((*here, "roles", j), f"unknown role '{rid}'")

    def rounds_and_injects(self) -> None:
        """Round numbers and inject ids are unique; they name known roles and rounds."""
        rep, ex = self.rep, self.ex
        numbers: set[int] = set()
        for i, rnd in enumerate(ex.rounds):
            if rnd.number in numbers:
                rep.add(("rounds", i, "number"), f"duplicate round {rnd.number}")
            numbers.add(rnd.number)
            for j, rid in enumerate(rnd.tabling):
                if rid not in self.roles:
                    rep.add(("rounds", i, "tabling", j), f"unknown role '{rid}'")
        inject_ids: set[str] = set()
        for i, inject in enumerate(ex.injects):
            if inject.id in inject_ids:
                rep.add(("injects", i, "id"), f"duplicate inject id '{inject.id}'")
            inject_ids.add(inject.id)
            if ex.rounds and inject.round not in numbers:
                rep.add(("injects", i, "round"), f"no round {inject.round}")
            for j, rid in enumerate(inject.roles):
                if rid not in self.roles:
                    rep.add(("injects", i, "roles", j), f"unknown role '{rid}'")


def _check_rule(
    rep: Reporter, loc: tuple[str | int, ...], vetoes: Iterable[str], k: int | None, among: Sequence[str]
) -> None:
    for j, veto in enumerate(vetoes):
        if veto not in among:
            rep.add((*loc, "vetoes", j), f"'{veto}' does not vote here (voters: {', '.join(among) or 'none'})")
    if k is not None and k > len(among):
        rep.add((*loc, "k"), f"k is {k} but only {len(among)} vote")


def _check_position_ref(rep: Reporter, loc: Sequence[str | int], pid: str, record: LoadedDossier | None) -> None:
    if record is None:
        rep.add(loc, "the exercise names no dossier, so it cannot refer to positions")
    elif pid not in record.positions:
        rep.add(loc, f"no position '{pid}' in dossier '{record.id}'")


def relative_problem(name: str) -> str | None:
    parts = Path(name).parts
    if Path(name).is_absolute() or ".." in parts:
        return f"'{name}' must be a path inside the exercise folder"
    return None


def check_schedule(loaded: LoadedExercise, role: Role, schedule: Schedule, doc: Document) -> list[Problem]:
    ex = loaded.exercise
    rep = Reporter(doc)
    if schedule.exercise != ex.id:
        rep.add(("exercise",), f"names exercise '{schedule.exercise}' but belongs to '{ex.id}'")
    if schedule.role != role.id:
        rep.add(("role",), f"names role '{schedule.role}' but is the schedule of '{role.id}'")
    issue_ids = [i.id for i in ex.issues]
    for issue in ex.issues:
        entry = schedule.issues.get(issue.id)
        if entry is None:
            rep.add(("issues",), f"no points for issue '{issue.id}'")
            continue
        for option in issue.options:
            if option.id not in entry.points:
                rep.add(("issues", issue.id, "points"), f"no points for option '{option.id}'")
        for option_id in entry.points:
            if issue.option(option_id) is None:
                rep.add(
                    ("issues", issue.id, "points", option_id),
                    f"issue '{issue.id}' has no option '{option_id}'",
                    key=True,
                )
    for issue_id in schedule.issues:
        if issue_id not in issue_ids:
            rep.add(("issues", issue_id), f"unknown issue '{issue_id}'", key=True)
    _check_options(rep, ex, ("red_lines",), {k: list(v) for k, v in schedule.red_lines.items()})
    for i, linkage in enumerate(schedule.linkages):
        _check_options(rep, ex, ("linkages", i, "options"), {k: [v] for k, v in linkage.options.items()})
    injects = {inj.id: inj for inj in ex.injects}
    for i, adjustment in enumerate(schedule.adjustments):
        inject = injects.get(adjustment.inject)
        if inject is None:
            rep.add(("adjustments", i, "inject"), f"unknown inject '{adjustment.inject}'")
        elif inject.roles and role.id not in inject.roles:
            rep.add(("adjustments", i, "inject"), f"inject '{inject.id}' does not reach role '{role.id}'")
        if adjustment.issue is not None:
            adjusted = ex.issue(adjustment.issue)
            if adjusted is None:
                rep.add(("adjustments", i, "issue"), f"unknown issue '{adjustment.issue}'")
            elif adjustment.points:
                for option_id in adjustment.points:
                    if adjusted.option(option_id) is None:
                        rep.add(
                            ("adjustments", i, "points", option_id),
                            f"issue '{adjusted.id}' has no option '{option_id}'",
                            key=True,
                        )
    return rep.problems


def _check_options(rep: Reporter, ex: Exercise, loc: tuple[str | int, ...], chosen: dict[str, list[str]]) -> None:
    for issue_id, options in chosen.items():
        issue = ex.issue(issue_id)
        if issue is None:
            rep.add((*loc, issue_id), f"unknown issue '{issue_id}'", key=True)
            continue
        for j, option_id in enumerate(options):
            if issue.option(option_id) is None:
                where = (*loc, issue_id, j) if loc[0] == "red_lines" else (*loc, issue_id)
                rep.add(where, f"issue '{issue_id}' has no option '{option_id}'")
