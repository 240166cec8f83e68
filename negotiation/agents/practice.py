"""Practice against agents: the trainee plays one role, NegMAS negotiators play every other scored role.

The trainee sits inside NegMAS's ``SAOMechanism`` as a negotiator whose moves come from ``ask``:
``ISSUE=OPTION,...`` (or option ids alone) tables a package, ``accept`` accepts the package on the
table, ``walk`` walks away. Each agent move is told with a one-line reason. The library function
:func:`practice` is what the command line (and later the classroom server) calls; it never prints.
The transcript is a submissions folder (``round-<n>/<role>.yaml``, one round per trainee turn) that
``exercise score`` and ``exercise debrief`` read.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from negmas import SAOMechanism
from negmas.sao import ResponseType, SAONegotiator

from negotiation.agents.adapter import Adapted, adapt
from negotiation.agents.session import DEFAULT_STEPS, negotiator
from negotiation.errors import UsageError
from negotiation.exercises.loaded import LoadedExercise, Package
from negotiation.exercises.submissions import parse_package
from negotiation.exercises.wording import fmt, package_text
from negotiation.io import write_files

Ask = Callable[[str], str]
Tell = Callable[[str], None]


@dataclass
class Practice:
    """What happened: every package tabled, by turn and role, and how it ended."""

    role: str
    against: str
    tabled: list[tuple[int, str, Package]] = field(default_factory=list)
    agreement: Package | None = None
    ended: str = ""


class _Trainee(SAONegotiator):  # type: ignore[misc]
    """The trainee as a NegMAS negotiator: each move is read from ``ask``."""

    def __init__(self, loaded: LoadedExercise, adapted: Adapted, ask: Ask, tell: Tell, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.loaded, self.adapted, self.ask, self.tell = loaded, adapted, ask, tell
        self.pending: tuple[str, ...] | None = None
        self.walked = False

    def _move(self, prompt: str) -> str:
        while True:
            answer = self.ask(prompt).strip()
            if answer in ("accept", "walk"):
                return answer
            try:
                self.pending = self.adapted.outcome_of(parse_package(self.loaded, answer))
                return "table"
            except UsageError as error:
                self.tell(f"  {error}")

    def respond(self, state: Any, source: str | None = None) -> ResponseType:
        move = self._move(
            f"{source} offers {package_text(self.adapted.package_of(tuple(state.current_offer)))}; "
            "accept, walk, or table a package: "
        )
        if move == "accept":
            return ResponseType.ACCEPT_OFFER
        if move == "walk":
            self.walked = True
            return ResponseType.END_NEGOTIATION
        return ResponseType.REJECT_OFFER

    def propose(self, state: Any, dest: str | None = None) -> tuple[str, ...] | None:
        if self.pending is None and self._move("table a package (ISSUE=OPTION,...), or walk: ") == "walk":
            self.walked = True
            return None
        offer, self.pending = self.pending, None
        return offer


def reason(adapted: Adapted, role: str, offered: Package, counter: Package) -> str:
    """Why ``role`` counters ``offered`` with ``counter``: the red line crossed or the points short."""
    v = adapted.valuations[role]
    crossed = v.crossed(offered)
    if crossed:
        return f"your package crosses its red line {', '.join(f'{i}={o}' for i, o in crossed)}"
    got, asks = v.total(offered), v.total(counter)
    if got < v.reservation_value:
        return f"your package gives it {fmt(got)} points, below its reservation value {fmt(v.reservation_value)}"
    return f"your package gives it {fmt(got)} points; it still asks for {fmt(asks)}"


def practice(
    loaded: LoadedExercise, role: str, against: str, ask: Ask, tell: Tell, *, steps: int = DEFAULT_STEPS, seed: int = 0
) -> Practice:
    """Play ``role`` against ``against`` agents in every other scored role, turn by turn."""
    import random

    adapted = adapt(loaded)
    if role not in adapted.utilities:
        raise UsageError(f"'{role}' is not a scored role of '{loaded.id}' (scored: {', '.join(adapted.utilities)})")
    random.seed(seed)
    mechanism = SAOMechanism(outcome_space=adapted.outcome_space, n_steps=steps)
    trainee = _Trainee(loaded, adapted, ask, tell, name=role, id=role)
    mechanism.add(trainee, preferences=adapted.utilities[role])
    for other, utility in adapted.utilities.items():
        if other != role:
            mechanism.add(negotiator(against, loaded, adapted, other), preferences=utility)
    result = Practice(role, against)
    seen = 0
    last_trainee: Package | None = None
    turn = 0
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".* is negative or above 1")
        while mechanism.step().running:
            for _, who, offer in mechanism.extended_trace[seen:]:
                package = adapted.package_of(tuple(offer))
                if who == role:
                    turn += 1
                    last_trainee = package
                    tell(f"turn {turn}: you table {package_text(package)}")
                elif last_trainee is not None:
                    tell(f"  {who} counters {package_text(package)}: {reason(adapted, who, last_trainee, package)}")
                else:
                    tell(f"  {who} opens with {package_text(package)}")
                result.tabled.append((max(turn, 1), who, package))
            seen = len(mechanism.extended_trace)
    state = mechanism.state
    if state.agreement is not None:
        result.agreement = adapted.package_of(tuple(state.agreement))
        result.ended = f"agreement: {package_text(result.agreement)}; every role accepts it"
    elif trainee.walked:
        result.ended = "you walked away"
    else:
        result.ended = "the agents walk away: time ran out without a package every role accepts"
    tell(result.ended)
    return result


def write_transcript(loaded: LoadedExercise, result: Practice, folder: str) -> list[str]:
    """Write the transcript as a submissions folder: each role's last package of each turn. Returns the files."""
    last: dict[tuple[int, str], Package] = {}
    for turn, who, package in result.tabled:
        last[(turn, who)] = package
    if result.agreement is not None:
        # The agreed package closes the transcript as a round every role tables, so the debrief
        # finds the common package.
        final = max((turn for turn, _, _ in result.tabled), default=0) + 1
        for who in dict.fromkeys(w for _, w, _ in result.tabled):
            last[(final, who)] = result.agreement
    # The exercise's rounds hold the transcript: with more turns than rounds, the last turns are kept
    # (the first turns are openings; the debrief reads how the session ended).
    numbers = sorted(r.number for r in loaded.exercise.rounds) or [1]
    turns = sorted({turn for turn, _ in last})[-len(numbers) :]
    round_of = dict(zip(turns, numbers, strict=False))
    files: dict[Path, str] = {}
    for (turn, who), package in sorted(last.items()):
        if turn not in round_of:
            continue
        number = round_of[turn]
        body = {
            "schema_version": 1,
            "exercise": loaded.id,
            "round": number,
            "title": f"{who}, turn {turn} ({'trainee' if who == result.role else result.against})",
            "options": package,
        }
        files[Path(folder) / f"round-{number}" / f"{who}.yaml"] = yaml.safe_dump(body, sort_keys=False)
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
    write_files(files)
    return sorted(str(p) for p in files)
