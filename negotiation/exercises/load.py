"""Load an exercise folder: ``exercise.yaml``, the private schedules, and team submissions.

Every problem is located (``path:line:col: field: message``) and collected, so one bad file never
hides the others. The structural rules live here (references resolve, every schedule covers every
issue and option); :mod:`negotiation.exercises.lint` adds the pedagogical checks on top.

>>> ex = load_exercise("examples/karst-lake-basin-accord")                     # doctest: +SKIP
>>> [r.id for r in ex.scored_roles]                                            # doctest: +SKIP
['aldoria', 'brevnia', 'castellan', 'ngo']
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from negotiation.engine.decision import most_decisive
from negotiation.errors import InputError, Problem, UsageError, ValidationError, did_you_mean, raise_for
from negotiation.exercises.schema import (
    ANY_PARTY,
    Exercise,
    PackageSubmission,
    Role,
    Schedule,
)
from negotiation.io import DATA_SUFFIXES
from negotiation.loading import LoadedDossier, bundled_dossier_path, load_dossier, load_position_file
from negotiation.loading.parse import Document, parse_file
from negotiation.loading.validate import build, field_path
from negotiation.schema import Party, Position
from negotiation.tables import Table, make_table
from negotiation.words import counted

EXERCISE_FILE_NAMES = ("exercise.yaml", "exercise.yml", "exercise.json")
PRIVATE_FOLDER = "private"
ROUND_FOLDER = re.compile(r"^round-(\d+)$")

#: A package: issue id -> option id, one option for every issue.
Package = dict[str, str]


@dataclass
class LoadedExercise:
    """A validated exercise with its private schedules and, for record scenarios, its dossier."""

    exercise: Exercise
    root: Path
    shown: str
    file: str
    schedules: dict[str, Schedule] = field(default_factory=dict)
    schedule_files: dict[str, str] = field(default_factory=dict)
    docs: dict[str, Document] = field(default_factory=dict)
    record: LoadedDossier | None = None

    @property
    def id(self) -> str:
        """The exercise id."""
        return self.exercise.id

    def role(self, role_id: str) -> Role:
        """The role with ``role_id``; a UsageError naming the known roles otherwise."""
        found = self.exercise.role(role_id)
        if found is None:
            known = [r.id for r in self.exercise.roles]
            hint = did_you_mean(role_id, known)
            raise UsageError(f"no role '{role_id}' in exercise '{self.id}'{hint} (known: {', '.join(known)})")
        return found

    @property
    def scored_roles(self) -> list[Role]:
        """Roles with a private schedule, in file order."""
        return [r for r in self.exercise.roles if r.scored]

    @property
    def voters(self) -> tuple[str, ...]:
        """The roles the exercise's decision rule counts."""
        return voters_of(self.exercise)

    def coalition_of(self, role_id: str) -> Role | None:
        """The coalition ``role_id`` belongs to, if any."""
        return next((r for r in self.exercise.roles if role_id in r.members), None)

    def private_file(self, role_id: str) -> str:
        """The private schedule of a role, relative to the exercise folder (``private/<role>.yaml``)."""
        role = self.role(role_id)
        return role.schedule or f"{PRIVATE_FOLDER}/{role_id}.yaml"

    def options_of(self, issue_id: str) -> list[str]:
        """The option ids of an issue, in file order."""
        issue = self.exercise.issue(issue_id)
        return [] if issue is None else [o.id for o in issue.options]

    def package_space_size(self) -> int:
        """How many packages there are: the product of the option counts."""
        size = 1
        for issue in self.exercise.issues:
            size *= len(issue.options)
        return size


def voters_of(exercise: Exercise) -> tuple[str, ...]:
    """The voting roles: ``voters`` if given, else every party or coalition that is not in a coalition."""
    if exercise.voters:
        return exercise.voters
    members = {m for r in exercise.roles for m in r.members}
    return tuple(r.id for r in exercise.roles if r.kind in ("party", "coalition") and r.id not in members)


def exercise_file(path: str | Path) -> tuple[Path, str]:
    """The exercise file for a folder or file argument, and how to show it in messages."""
    given = Path(path)
    shown = str(path)
    if given.is_dir():
        for name in EXERCISE_FILE_NAMES:
            if (given / name).is_file():
                return given / name, os.path.join(shown, name)
        raise InputError([Problem(shown, 0, 0, "", "unreadable: no exercise.yaml in this folder", unreadable=True)])
    return given, shown


def is_exercise_path(path: Path) -> bool:
    """True for an exercise folder, an exercise file, a private schedule or a package submission."""
    if path.is_dir():
        return any((path / n).is_file() for n in EXERCISE_FILE_NAMES)
    if path.name in EXERCISE_FILE_NAMES:
        return True
    if path.suffix.lower() not in DATA_SUFFIXES or not path.is_file():
        return False
    if path.parent.name == PRIVATE_FOLDER and any((path.parent.parent / n).is_file() for n in EXERCISE_FILE_NAMES):
        return True
    # A team file in submissions/round-<n>/ is read in its exercise, with the rounds before it.
    if ROUND_FOLDER.match(path.parent.name) and any(
        (folder / n).is_file()
        for folder in (path.parent.parent, path.parent.parent.parent)
        for n in EXERCISE_FILE_NAMES
    ):
        return True
    try:
        head = path.read_bytes()[:65536].decode("utf-8", "replace")
    except OSError:
        return False
    # A package submission names its exercise at the top level; a position file never does.
    return (
        re.search(r"^exercise:", head, re.MULTILINE) is not None
        and re.search(r"^options:", head, re.MULTILINE) is not None
    )


class _Reporter:
    """Collects located problems for one parsed file."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, loc: Sequence[str | int], message: str, *, key: bool = False) -> None:
        line, column = self.doc.locate(loc, key=key)
        self.problems.append(Problem(self.doc.path, line, column, field_path(loc), message))


def read_exercise(path: str | Path) -> tuple[LoadedExercise | None, list[Problem]]:
    """Load an exercise folder (or its exercise.yaml); return it (None if unusable) and every problem."""
    file, shown_file = exercise_file(path)
    root = file.parent
    shown_root = os.path.dirname(shown_file) or "."
    try:
        doc = parse_file(file, shown_file)
    except InputError as err:
        return None, list(err.problems)
    exercise, problems = build(Exercise, doc)
    if exercise is None:
        return None, problems
    loaded = LoadedExercise(exercise, root, shown_root, shown_file, docs={shown_file: doc})
    record: LoadedDossier | None = None
    if exercise.dossier is not None:
        folder = bundled_dossier_path(exercise.dossier)
        if not folder.is_dir():
            line, column = doc.locate(("dossier",))
            problems.append(Problem(shown_file, line, column, "dossier", f"no bundled dossier '{exercise.dossier}'"))
        else:
            try:
                record = exercise_record(exercise, load_dossier(folder))
            except InputError as err:
                problems += err.problems
    loaded.record = record
    problems += _check_exercise(loaded, doc)
    problems += _load_schedules(loaded, doc)
    return loaded, problems


def load_exercise(path: str | Path) -> LoadedExercise:
    """Load an exercise and raise with every problem found (see :func:`read_exercise`)."""
    loaded, problems = read_exercise(path)
    raise_for(problems)
    assert loaded is not None
    return loaded


def exercise_record(exercise: Exercise, record: LoadedDossier) -> LoadedDossier:
    """The dossier as an exercise sees it: roles that play no dossier party become parties (kind team).

    The copy lists no position order, so team submissions load beside the record without being
    "not listed in the dossier's positions".
    """
    known = {p.id for p in record.dossier.parties}
    extra = [Party(id=r.id, name=r.name, kind="team") for r in exercise.roles if r.party is None and r.id not in known]
    dossier = record.dossier.model_copy(update={"parties": (*record.dossier.parties, *extra), "positions": ()})
    return LoadedDossier(dossier, dict(record.positions), record.root, dict(record.files))


def _check_exercise(loaded: LoadedExercise, doc: Document) -> list[Problem]:
    ex = loaded.exercise
    rep = _Reporter(doc)
    roles = {}
    for i, role in enumerate(ex.roles):
        if role.id in roles:
            rep.add(("roles", i, "id"), f"duplicate role id '{role.id}'")
        roles[role.id] = role
    issues: dict[str, Any] = {}
    for i, issue in enumerate(ex.issues):
        if issue.id in issues:
            rep.add(("issues", i, "id"), f"duplicate issue id '{issue.id}'")
        issues[issue.id] = issue
        seen: set[str] = set()
        for j, option in enumerate(issue.options):
            if option.id in seen:
                rep.add(("issues", i, "options", j, "id"), f"duplicate option id '{option.id}' in issue '{issue.id}'")
            seen.add(option.id)
    record = loaded.record
    party_ids = set(record.parties) if record is not None else set()
    membership: dict[str, str] = {}
    for i, role in enumerate(ex.roles):
        here: tuple[str | int, ...] = ("roles", i)
        for j, member in enumerate(role.members):
            target = roles.get(member)
            if target is None:
                rep.add((*here, "members", j), f"unknown role '{member}'")
            elif target.kind != "party":
                rep.add((*here, "members", j), f"'{member}' is a {target.kind}; coalition members are parties")
            elif member in membership:
                rep.add((*here, "members", j), f"'{member}' is already a member of '{membership[member]}'")
            else:
                membership[member] = role.id
        if role.decision_rule is not None:
            _check_rule(rep, (*here, "decision_rule"), role.decision_rule.vetoes, role.decision_rule.k, role.members)
        for j, gate in enumerate(role.gatekeepers):
            if gate.issue not in issues:
                rep.add((*here, "gatekeepers", j, "issue"), f"unknown issue '{gate.issue}'")
            for k, gatekeeper in enumerate(gate.roles):
                if gatekeeper not in role.members:
                    rep.add((*here, "gatekeepers", j, "roles", k), f"'{gatekeeper}' is not a member of '{role.id}'")
        if role.party is not None:
            if record is None:
                rep.add((*here, "party"), "the exercise names no dossier, so a role cannot play a dossier party")
            elif role.party not in party_ids:
                rep.add((*here, "party"), f"unknown dossier party '{role.party}'")
        for name, ids in (("standing", (role.standing,) if role.standing else ()), ("historical", role.historical)):
            for j, pid in enumerate(ids):
                loc = (*here, name) if name == "standing" else (*here, name, j)
                _check_position_ref(rep, loc, pid, record)
    voters = voters_of(ex)
    if not voters:
        rep.add(("roles",), "no role votes: the decision rule needs at least one party or coalition")
    for i, voter in enumerate(ex.voters):
        target = roles.get(voter)
        if target is None:
            rep.add(("voters", i), f"unknown role '{voter}'")
        elif target.kind not in ("party", "coalition"):
            rep.add(("voters", i), f"'{voter}' is a {target.kind}; only parties and coalitions vote")
        elif voter in membership:
            rep.add(("voters", i), f"'{voter}' votes through its coalition '{membership[voter]}'")
    _check_rule(rep, ("decision_rule",), ex.decision_rule.vetoes, ex.decision_rule.k, voters)
    codes = set(record.issues) if record is not None else set()
    match_keys = party_ids | set(roles) | {ANY_PARTY}
    for i, issue in enumerate(ex.issues):
        for j, code in enumerate(issue.codes):
            if record is None:
                rep.add(("issues", i, "codes", j), "the exercise names no dossier, so issues cannot map to its codes")
            elif code not in codes:
                rep.add(("issues", i, "codes", j), f"unknown issue code '{code}' in dossier '{record.id}'")
        for j, option in enumerate(issue.options):
            for key in option.match:
                if key not in match_keys:
                    rep.add(("issues", i, "options", j, "match", key), f"unknown party '{key}'", key=True)
    for i, document in enumerate(ex.documents):
        here = ("documents", i)
        if document.position is not None:
            _check_position_ref(rep, (*here, "position"), document.position, record)
        if document.file is not None:
            problem = _relative_problem(document.file)
            if problem:
                rep.add((*here, "file"), problem)
            elif not (loaded.root / document.file).is_file():
                rep.add((*here, "file"), f"no file '{document.file}' in the exercise folder")
        for j, rid in enumerate(document.roles):
            if rid not in roles:
                rep.add((*here, "roles", j), f"unknown role '{rid}'")
    numbers: set[int] = set()
    for i, rnd in enumerate(ex.rounds):
        if rnd.number in numbers:
            rep.add(("rounds", i, "number"), f"duplicate round {rnd.number}")
        numbers.add(rnd.number)
        for j, rid in enumerate(rnd.tabling):
            if rid not in roles:
                rep.add(("rounds", i, "tabling", j), f"unknown role '{rid}'")
    inject_ids: set[str] = set()
    for i, inject in enumerate(ex.injects):
        if inject.id in inject_ids:
            rep.add(("injects", i, "id"), f"duplicate inject id '{inject.id}'")
        inject_ids.add(inject.id)
        if ex.rounds and inject.round not in numbers:
            rep.add(("injects", i, "round"), f"no round {inject.round}")
        for j, rid in enumerate(inject.roles):
            if rid not in roles:
                rep.add(("injects", i, "roles", j), f"unknown role '{rid}'")
    return rep.problems


def _check_rule(
    rep: _Reporter, loc: tuple[str | int, ...], vetoes: Iterable[str], k: int | None, among: Sequence[str]
) -> None:
    for j, veto in enumerate(vetoes):
        if veto not in among:
            rep.add((*loc, "vetoes", j), f"'{veto}' does not vote here (voters: {', '.join(among) or 'none'})")
    if k is not None and k > len(among):
        rep.add((*loc, "k"), f"k is {k} but only {len(among)} vote")


def _check_position_ref(rep: _Reporter, loc: Sequence[str | int], pid: str, record: LoadedDossier | None) -> None:
    if record is None:
        rep.add(loc, "the exercise names no dossier, so it cannot refer to positions")
    elif pid not in record.positions:
        rep.add(loc, f"no position '{pid}' in dossier '{record.id}'")


def _relative_problem(name: str) -> str | None:
    parts = Path(name).parts
    if Path(name).is_absolute() or ".." in parts:
        return f"'{name}' must be a path inside the exercise folder"
    return None


def _load_schedules(loaded: LoadedExercise, doc: Document) -> list[Problem]:
    ex = loaded.exercise
    problems: list[Problem] = []
    expected: dict[str, str] = {}
    for i, role in enumerate(ex.roles):
        if not role.scored:
            continue
        relative = role.schedule or f"{PRIVATE_FOLDER}/{role.id}.yaml"
        bad = _relative_problem(relative)
        if bad:
            line, column = doc.locate(("roles", i, "schedule"))
            problems.append(Problem(doc.path, line, column, f"roles[{i}].schedule", bad))
            continue
        expected[os.path.normpath(relative)] = role.id
        file = loaded.root / relative
        shown = os.path.join(loaded.shown, relative)
        if not file.is_file():
            line, column = doc.locate(("roles", i, "id"))
            problems.append(
                Problem(doc.path, line, column, f"roles[{i}]", f"no private schedule: {relative} does not exist")
            )
            continue
        try:
            sdoc = parse_file(file, shown)
        except InputError as err:
            problems += err.problems
            continue
        schedule, found = build(Schedule, sdoc)
        problems += found
        if schedule is None:
            continue
        loaded.docs[shown] = sdoc
        loaded.schedules[role.id] = schedule
        loaded.schedule_files[role.id] = relative
        problems += _check_schedule(loaded, role, schedule, sdoc)
    folder = loaded.root / PRIVATE_FOLDER
    if folder.is_dir():
        for file in sorted(folder.iterdir()):
            relative = os.path.join(PRIVATE_FOLDER, file.name)
            if file.suffix.lower() in DATA_SUFFIXES and relative not in expected:
                problems.append(
                    Problem(
                        os.path.join(loaded.shown, relative),
                        0,
                        0,
                        "",
                        "a private file that no scored role of the exercise uses",
                    )
                )
    return problems


def _check_schedule(loaded: LoadedExercise, role: Role, schedule: Schedule, doc: Document) -> list[Problem]:
    ex = loaded.exercise
    rep = _Reporter(doc)
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


def _check_options(rep: _Reporter, ex: Exercise, loc: tuple[str | int, ...], chosen: dict[str, list[str]]) -> None:
    for issue_id, options in chosen.items():
        issue = ex.issue(issue_id)
        if issue is None:
            rep.add((*loc, issue_id), f"unknown issue '{issue_id}'", key=True)
            continue
        for j, option_id in enumerate(options):
            if issue.option(option_id) is None:
                where = (*loc, issue_id, j) if loc[0] == "red_lines" else (*loc, issue_id)
                rep.add(where, f"issue '{issue_id}' has no option '{option_id}'")


# --- submissions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueReading:
    """How a position file was read on one issue: its effective stance and the option that stands for it."""

    issue: str
    stance: str
    option: str
    provisions: tuple[str, ...]
    matched_on: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "issue": self.issue,
            "stance": self.stance,
            "option": self.option,
            "provisions": list(self.provisions),
            "matched_on": self.matched_on,
        }


@dataclass(frozen=True)
class Submission:
    """A team's file for a round: a package, or a position file read as a package."""

    path: str
    team: str
    role: str
    round: int | None
    options: Package
    title: str
    position: Position | None = None
    readings: tuple[IssueReading, ...] = ()

    @property
    def kind(self) -> str:
        """``package`` or ``position``."""
        return "package" if self.position is None else "position"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "path": self.path,
            "team": self.team,
            "role": self.role,
            "round": self.round,
            "kind": self.kind,
            "title": self.title,
            "position": self.position.id if self.position is not None else None,
            "options": dict(self.options),
            "readings": [r.to_dict() for r in self.readings],
        }


def parse_package(loaded: LoadedExercise, text: str) -> Package:
    """A package written inline: ``a=a2,b=b1,...`` or option ids alone when they are unique.

    >>> # parse_package(ex, "a=a2,b=b2,c=c2,d=d2,e=e2")  ->  {'a': 'a2', 'b': 'b2', ...}
    >>> # parse_package(ex, "a2,b2,c2,d2,e2")            ->  the same, when option ids are unique
    """
    ex = loaded.exercise
    owners: dict[str, list[str]] = {}
    for each in ex.issues:
        for option in each.options:
            owners.setdefault(option.id, []).append(each.id)
    chosen: Package = {}
    for part in [p.strip() for p in text.split(",") if p.strip()]:
        if "=" in part:
            issue_id, _, option_id = (s.strip() for s in part.partition("="))
        else:
            option_id = part
            found = owners.get(option_id, [])
            if len(found) != 1:
                what = "no issue" if not found else f"issues {', '.join(found)}"
                raise UsageError(f"option '{option_id}' belongs to {what}; write ISSUE=OPTION")
            issue_id = found[0]
        issue = ex.issue(issue_id)
        if issue is None:
            ids = [i.id for i in ex.issues]
            raise UsageError(f"unknown issue '{issue_id}'{did_you_mean(issue_id, ids)} (issues: {', '.join(ids)})")
        if issue.option(option_id) is None:
            ids = [o.id for o in issue.options]
            hint = did_you_mean(option_id, ids)
            raise UsageError(f"issue '{issue_id}' has no option '{option_id}'{hint} (options: {', '.join(ids)})")
        if issue_id in chosen:
            raise UsageError(f"issue '{issue_id}' is given twice")
        chosen[issue_id] = option_id
    missing = [i.id for i in ex.issues if i.id not in chosen]
    if missing:
        raise UsageError(f"a package names one option for every issue; missing: {', '.join(missing)}")
    return {i.id: chosen[i.id] for i in ex.issues}


def load_submission(
    loaded: LoadedExercise,
    path: str | Path,
    *,
    context: LoadedDossier | None = None,
    round_number: int | None = None,
) -> tuple[Submission, LoadedDossier | None]:
    """Load one team file (package or position) and read it as a package.

    ``context`` is the record the position is checked against (default: the exercise's record);
    the returned record includes the position, so later rounds may supersede it.
    """
    file = Path(path)
    shown = str(path)
    doc = parse_file(file, shown)
    if isinstance(doc.data, dict) and "exercise" in doc.data:
        return _package_submission(loaded, file, doc, round_number), context or loaded.record
    base = context or loaded.record
    if base is None:
        raise UsageError(f"{shown}: exercise '{loaded.id}' has no dossier, so submissions must be package files")
    position, record = load_position_file(file, base)
    role = _role_for_position(loaded, file, position)
    options, readings, problems = read_position(loaded, position, shown)
    raise_for(problems)
    submission = Submission(
        path=shown,
        team=file.stem,
        role=role,
        round=round_number,
        options=options,
        title=position.title,
        position=position,
        readings=tuple(readings),
    )
    return submission, record


def _package_submission(loaded: LoadedExercise, file: Path, doc: Document, round_number: int | None) -> Submission:
    package, problems = build(PackageSubmission, doc)
    raise_for(problems)
    assert package is not None
    rep = _Reporter(doc)
    ex = loaded.exercise
    if package.exercise != ex.id:
        rep.add(("exercise",), f"names exercise '{package.exercise}', not '{ex.id}'")
    team = package.team or file.stem
    role = package.role or team
    if ex.role(role) is None:
        roles = [r.id for r in ex.roles]
        rep.add(
            ("role",) if package.role else ("team",) if package.team else (),
            f"no role '{role}'{did_you_mean(role, roles)} (roles: {', '.join(roles)})",
        )
    for issue in ex.issues:
        if issue.id not in package.options:
            rep.add(("options",), f"no option for issue '{issue.id}'; a package names one option per issue")
    for issue_id, option_id in package.options.items():
        target = ex.issue(issue_id)
        if target is None:
            hint = did_you_mean(issue_id, [i.id for i in ex.issues])
            rep.add(("options", issue_id), f"unknown issue '{issue_id}'{hint}", key=True)
        elif target.option(option_id) is None:
            known = [o.id for o in target.options]
            hint = did_you_mean(option_id, known)
            rep.add(
                ("options", issue_id),
                f"issue '{issue_id}' has no option '{option_id}'{hint} (options: {', '.join(known)})",
            )
    if round_number is not None and package.round is not None and package.round != round_number:
        rep.add(("round",), f"says round {package.round} but is filed under round {round_number}")
    raise_for(rep.problems)
    options = {i.id: package.options[i.id] for i in ex.issues}
    number = package.round if package.round is not None else round_number
    title = package.title or f"package of {team}"
    return Submission(path=doc.path, team=team, role=role, round=number, options=options, title=title)


def _role_for_position(loaded: LoadedExercise, file: Path, position: Position) -> str:
    ex = loaded.exercise
    if ex.role(file.stem) is not None:
        return file.stem
    playing = [r.id for r in ex.roles if r.party == position.party or (r.party is None and r.id == position.party)]
    if len(playing) == 1:
        return playing[0]
    which = "no role" if not playing else f"roles {', '.join(playing)}"
    raise UsageError(
        f"{file}: {which} play party '{position.party}'; name the file after its role (e.g. {ex.roles[0].id}.yaml)"
    )


def covers(code: str, codes: Iterable[str]) -> bool:
    """True when taxonomy ``code`` is one of ``codes`` or below one of them.

    >>> covers("missiles.intermediate-range", ["missiles"])
    True
    """
    return any(code == c or code.startswith(c + ".") for c in codes)


def effective_stance(stances: Iterable[str]) -> str:
    """The most decisive of ``stances`` by the engine's order, or ``silent`` when there are none.

    >>> effective_stance(["propose", "discuss"])
    'discuss'
    """
    return most_decisive(stances)


def read_position(
    loaded: LoadedExercise, position: Position, shown: str
) -> tuple[Package, list[IssueReading], list[Problem]]:
    """Read a position as a package: on each issue, its effective stance selects an option.

    The provisions on an issue are those coded with one of the issue's ``codes`` (or a sub-issue);
    their most decisive stance (``silent`` if none) is looked up in each option's ``match`` under the
    position's party, then under ``any``; the first option listing it is chosen.
    """
    options: Package = {}
    readings: list[IssueReading] = []
    problems: list[Problem] = []
    for issue in loaded.exercise.issues:
        provisions = [p for p in position.provisions if any(covers(c, issue.codes) for c in p.issues)]
        stance = effective_stance(p.stance for p in provisions)
        chosen = None
        for key in (position.party, ANY_PARTY):
            chosen = next((o for o in issue.options if stance in o.match.get(key, ())), None)
            if chosen is not None:
                readings.append(
                    IssueReading(
                        issue.id, stance, chosen.id, tuple(p.id for p in provisions if p.stance == stance), key
                    )
                )
                options[issue.id] = chosen.id
                break
        if chosen is None:
            problems.append(
                Problem(
                    shown,
                    0,
                    0,
                    "",
                    f"issue '{issue.id}': no option matches stance '{stance}' of party '{position.party}'"
                    f" (add it to an option's match in {loaded.file})",
                )
            )
    return options, readings, problems


@dataclass(frozen=True)
class RoundFiles:
    """The submissions of one round, by team, and the record with every position filed so far."""

    number: int
    submissions: dict[str, Submission]
    record: LoadedDossier | None = None


def load_rounds(loaded: LoadedExercise, folder: str | Path, *, before: int | None = None) -> list[RoundFiles]:
    """Load ``folder/round-<n>/*`` in round order; position files may supersede earlier rounds' files.

    With ``before``, only the rounds numbered below it (an empty list is then allowed).
    """
    base = Path(folder)
    shown = str(folder)
    if not base.is_dir():
        what = "no such folder" if not base.exists() else "not a folder"
        raise InputError([Problem(shown, 0, 0, "", f"unreadable: {what}", unreadable=True)])
    problems: list[Problem] = []
    rounds: list[tuple[int, Path, str]] = []
    for entry in sorted(base.iterdir()):
        if entry.name.startswith("."):
            continue
        m = ROUND_FOLDER.match(entry.name)
        if not entry.is_dir() or m is None:
            problems.append(
                Problem(os.path.join(shown, entry.name), 0, 0, "", "not a round folder (expected round-<number>/)")
            )
            continue
        rounds.append((int(m.group(1)), entry, os.path.join(shown, entry.name)))
    known_rounds = {r.number for r in loaded.exercise.rounds}
    result: list[RoundFiles] = []
    record = loaded.record
    for number, entry, entry_shown in sorted(rounds):
        if before is not None and number >= before:
            continue
        if known_rounds and number not in known_rounds:
            problems.append(Problem(entry_shown, 0, 0, "", f"the exercise has no round {number}"))
            continue
        submissions: dict[str, Submission] = {}
        for file in sorted(entry.iterdir()):
            if file.suffix.lower() not in DATA_SUFFIXES:
                continue
            file_shown = os.path.join(entry_shown, file.name)
            try:
                submission, record = load_submission(loaded, file_shown, context=record, round_number=number)
            except InputError as err:
                problems += err.problems
                continue
            except UsageError as err:
                problems.append(Problem(file_shown, 0, 0, "", str(err).removeprefix(f"{file_shown}: ")))
                continue
            if submission.team in submissions:
                problems.append(
                    Problem(
                        file_shown,
                        0,
                        0,
                        "",
                        f"team '{submission.team}' already tabled {submissions[submission.team].path}",
                    )
                )
                continue
            submissions[submission.team] = submission
        result.append(RoundFiles(number, submissions, record))
    raise_for(problems)
    if not result and before is None:
        raise UsageError(f"{shown}: no round-<number> folders with submissions")
    return result


def load_in_context(
    loaded: LoadedExercise, path: str | Path
) -> tuple[Submission, LoadedDossier | None, Submission | None]:
    """Load one team file with the rounds it belongs to (when it sits in ``round-<n>/``).

    The earlier rounds and the other files of its round are loaded first, in the order ``rounds``
    uses, so ``supersedes`` and ``responds_to`` resolve. Returns the submission, the record holding
    every position filed so far, and the same team's submission in an earlier round, if any.
    """
    file = Path(path)
    shown = str(path)
    match = ROUND_FOLDER.match(file.parent.name)
    if match is None:
        submission, record = load_submission(loaded, shown)
        return submission, record, None
    number = int(match.group(1))
    folder = os.path.dirname(os.path.dirname(shown)) or "."
    loaded_rounds = load_rounds(loaded, folder, before=number + 1)
    current = loaded_rounds[-1] if loaded_rounds and loaded_rounds[-1].number == number else None
    target = file.resolve()
    found: Submission | None = None
    if current is not None:
        found = next((s for s in current.submissions.values() if Path(s.path).resolve() == target), None)
    if found is None or current is None:
        raise UsageError(f"{shown}: not a team file of round {number} (only .yaml, .yml and .json files are)")
    submission = found
    previous = next(
        (r.submissions[submission.team] for r in reversed(loaded_rounds[:-1]) if submission.team in r.submissions),
        None,
    )
    return submission, current.record, previous


def exercises_table(folder: str | Path) -> Table:
    """The exercises in ``folder`` (each sub-folder with an exercise.yaml): id, title, kind, size, problems."""
    base = Path(folder)
    if not base.is_dir():
        what = "no such folder" if not base.exists() else "not a folder"
        raise InputError([Problem(str(folder), 0, 0, "", f"unreadable: {what}", unreadable=True)])
    rows: list[tuple[str | int, ...]] = []
    data: list[dict[str, Any]] = []
    for entry in sorted(base.iterdir()):
        if not entry.is_dir() or not any((entry / n).is_file() for n in EXERCISE_FILE_NAMES):
            continue
        shown = os.path.join(str(folder), entry.name)
        loaded, problems = read_exercise(shown)
        if loaded is None:
            rows.append(("", "", "", "", "", "", "", shown, counted(len(problems), "problem")))
            data.append({"folder": shown, "problems": len(problems)})
            continue
        ex = loaded.exercise
        status = counted(len(problems), "problem") if problems else "ok"
        rows.append(
            (
                ex.id,
                ex.title,
                ex.kind,
                len(ex.roles),
                len(ex.issues),
                loaded.package_space_size(),
                len(ex.rounds),
                shown,
                status,
            )
        )
        data.append(
            {
                "id": ex.id,
                "title": ex.title,
                "kind": ex.kind,
                "roles": len(ex.roles),
                "issues": len(ex.issues),
                "packages": loaded.package_space_size(),
                "rounds": len(ex.rounds),
                "folder": shown,
                "problems": len(problems),
            }
        )
    return make_table(
        "exercises",
        f"Exercises in {folder}",
        ("id", "title", "kind", "roles", "issues", "packages", "rounds", "folder", "status"),
        rows,
        data={"contract": "negotiation.exercise-list/1", "exercises": data},
    )


__all__ = [
    "EXERCISE_FILE_NAMES",
    "IssueReading",
    "LoadedExercise",
    "Package",
    "RoundFiles",
    "Submission",
    "ValidationError",
    "covers",
    "effective_stance",
    "exercise_file",
    "exercise_record",
    "exercises_table",
    "is_exercise_path",
    "load_exercise",
    "load_in_context",
    "load_rounds",
    "load_submission",
    "parse_package",
    "read_exercise",
    "read_position",
    "voters_of",
]
