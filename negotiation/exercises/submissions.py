"""Team submissions: package files, position files read as packages, and the rounds they are tabled in.

>>> # parse_package(ex, "a=a2,b=b2,c=c2,d=d2,e=e2")  ->  {'a': 'a2', 'b': 'b2', ...}
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from negotiation.engine.decision import most_decisive
from negotiation.errors import InputError, Problem, UsageError, did_you_mean, raise_for
from negotiation.exercises.check import Reporter
from negotiation.exercises.load import ROUND_FOLDER, confine
from negotiation.exercises.loaded import LoadedExercise, Package
from negotiation.exercises.schema import (
    ANY_PARTY,
    PackageSubmission,
)
from negotiation.io import DATA_SUFFIXES
from negotiation.loading import LoadedDossier, load_position_file
from negotiation.loading.parse import Document, parse_file
from negotiation.loading.validate import build
from negotiation.schema import Position, in_subtree


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
    rep = Reporter(doc)
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
    return any(in_subtree(code, c) for c in codes)


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
        stance = most_decisive(p.stance_shown for p in provisions)
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
                confine(loaded.root, file, file_shown)
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
