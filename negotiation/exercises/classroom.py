"""The exercise rules a live classroom needs, for any client: package files, a team's preview, the
group matrix the instructor watches, and the export of a run as an exercise folder.

A team's submission is the same package file a team would hand in on paper
(``submissions/round-<n>/<team>.yaml``), so ``negotiation exercise rounds|debrief`` read an exported
run unchanged.

>>> # content = package_file(loaded, "g1-aldoria", "aldoria", 1, {"a": "a2", ...})
>>> # read_package(loaded, content)  ->  {"a": "a2", ...}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from negotiation.errors import UsageError
from negotiation.exercises.loaded import LoadedExercise, Package
from negotiation.exercises.rules import PartyScore, Verdict
from negotiation.exercises.score import Scorer
from negotiation.exercises.submissions import parse_package
from negotiation.io import read_file, write_files


def package_from_form(loaded: LoadedExercise, chosen: Mapping[str, str]) -> Package:
    """A package from one chosen option per issue (a form); a UsageError naming what is wrong."""
    return parse_package(loaded, ",".join(f"{issue.id}={chosen.get(issue.id, '')}" for issue in loaded.exercise.issues))


def package_file(loaded: LoadedExercise, team: str, role: str, round_number: int, package: Package) -> str:
    """The package file (YAML) of ``team`` playing ``role`` in ``round_number``: same input, same bytes."""
    doc = {
        "schema_version": 1,
        "exercise": loaded.id,
        "team": team,
        "role": role,
        "round": round_number,
        "title": f"{team}'s package, round {round_number}",
        "options": {issue.id: package[issue.id] for issue in loaded.exercise.issues},
    }
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def read_package(loaded: LoadedExercise, content: str) -> Package:
    """The package of a package file written by :func:`package_file`."""
    data = yaml.safe_load(content)
    if not isinstance(data, dict) or not isinstance(data.get("options"), dict):
        raise UsageError("not a package file")
    return package_from_form(loaded, {str(k): str(v) for k, v in data["options"].items()})


@dataclass(frozen=True)
class IssueChange:
    """How one issue of a team's draft stands against another party's latest tabled package."""

    issue: str
    party: str
    theirs: str
    before: str  # "agreed" | "apart" | "untabled"
    after: str


@dataclass(frozen=True)
class Preview:
    """What a draft package changes: the team's own score, and per issue against every other party."""

    own: PartyScore | None  # None for a role with no schedule (a mediator, an observer)
    changes: tuple[IssueChange, ...]


def _standing(mine: str | None, theirs: str | None) -> str:
    if mine is None or theirs is None:
        return "untabled"
    return "agreed" if mine == theirs else "apart"


def preview(
    scorer: Scorer, role: str, draft: Package, previous: Package | None, others: Mapping[str, Package]
) -> Preview:
    """Score ``draft`` against ``role``'s own schedule and compare it, issue by issue, with the other
    parties' latest packages, before (``previous``, the team's last tabled package) and after."""
    changes = [
        IssueChange(
            issue,
            party,
            theirs[issue],
            _standing(previous.get(issue) if previous else None, theirs[issue]),
            _standing(draft[issue], theirs[issue]),
        )
        for party, theirs in sorted(others.items())
        for issue in scorer.issues
    ]
    return Preview(own_score(scorer, role, draft), tuple(changes))


def own_score(scorer: Scorer, role: str, package: Package) -> PartyScore | None:
    """``role``'s score of ``package`` against its own schedule; None for a role with no schedule."""
    return scorer.party_score(role, package) if role in scorer.valuations else None


@dataclass(frozen=True)
class GroupRow:
    """One team's latest package in the instructor's matrix, scored against every schedule."""

    team: str
    role: str
    round: int
    package: Package
    verdict: Verdict


def group_rows(scorer: Scorer, latest: Sequence[tuple[str, str, int, Package]]) -> list[GroupRow]:
    """The instructor's matrix of a group: (team, role, round, package) scored against every schedule."""
    return [GroupRow(team, role, number, package, scorer.verdict(package)) for team, role, number, package in latest]


def export_run(
    loaded: LoadedExercise, target: str | Path, runs: Mapping[str, Sequence[tuple[str, int, str]]]
) -> list[Path]:
    """Write the exercise and each group's run as ``runs/<group>/round-<n>/<role>.yaml`` into ``target``.

    ``runs`` maps group -> (role, round, package file content) in order; the last file of a role in a
    round is its tabled package. Returns the run folders; ``negotiation exercise debrief TARGET
    TARGET/runs/<group>`` reads each. The exercise's own sample submissions are left out.
    """
    root = Path(target)
    if root.exists():
        raise UsageError(f"{target}: already exists; export into a new folder")
    files: dict[Path, str | bytes] = {}
    for path in sorted(loaded.root.rglob("*")):
        inside = path.relative_to(loaded.root)
        if path.is_file() and inside.parts[0] not in ("submissions", "runs"):
            files[root / inside] = read_file(path)
    folders = []
    for group, tabled in sorted(runs.items()):
        folder = root / "runs" / group
        for role, number, content in tabled:
            data = yaml.safe_load(content)
            data.pop("team", None)  # in a group's own folder the team is the role, as on paper
            data["role"] = role
            files[folder / f"round-{number}" / f"{role}.yaml"] = yaml.safe_dump(
                data, sort_keys=False, allow_unicode=True
            )
        folders.append(folder)
    for parent in sorted({path.parent for path in files}):
        parent.mkdir(parents=True, exist_ok=True)
    write_files(files)
    return folders
