"""One negotiation played by NegMAS negotiators, and a tournament of them, judged by our own rules.

NegMAS's stacked alternating-offers mechanism (``SAOMechanism``) closes only on a package every
negotiator accepts: unanimity among the scored roles. Our exercises decide by their own rule
(unanimity, consensus, k-of-n with vetoes, coalitions deciding first), so that difference is ours
to apply: a package NegMAS agrees on is then scored with :class:`negotiation.exercises.score.Scorer`
and counts as an agreement only if the exercise's decision rule accepts it (``Session.adopted``).
Since every scored role accepted it, a rule that needs a subset of them never rejects it; a role
without a schedule (an observer) takes no part in the negotiation.
"""

from __future__ import annotations

import random
import warnings
from dataclasses import dataclass
from typing import Any

from negmas import (
    BoulwareTBNegotiator,
    ConcederTBNegotiator,
    LinearTBNegotiator,
    NaiveTitForTatNegotiator,
    SAOMechanism,
)

from negotiation.agents.adapter import Adapted, adapt
from negotiation.errors import UsageError, did_you_mean
from negotiation.exercises.loaded import LoadedExercise, Package
from negotiation.exercises.score import Scorer

#: The strategies by the name the command line takes: NegMAS's own negotiators.
STRATEGIES: dict[str, Any] = {
    "boulware": BoulwareTBNegotiator,
    "conceder": ConcederTBNegotiator,
    "linear": LinearTBNegotiator,
    "tit-for-tat": NaiveTitForTatNegotiator,
}

#: Offers each negotiator may make before time runs out.
DEFAULT_STEPS = 20


#: The agent that replays the record (roles with positions on it only).
HISTORICAL = "historical"


def strategy(name: str) -> Any:
    """The NegMAS negotiator class for ``name``; a UsageError naming the known ones otherwise."""
    known = [*STRATEGIES, HISTORICAL]
    if name not in known:
        raise UsageError(f"no agent '{name}'{did_you_mean(name, known)} (known: {', '.join(known)})")
    return STRATEGIES.get(name)


def negotiator(name: str, loaded: LoadedExercise, adapted: Adapted, role: str) -> Any:
    """A negotiator of strategy ``name`` for ``role``."""
    agent_class = strategy(name)
    if agent_class is None:
        from negotiation.agents.historical import HistoricalNegotiator, historical_packages

        outcomes = [adapted.outcome_of(p) for p in historical_packages(loaded, role)]
        return HistoricalNegotiator(outcomes, name=role, id=role)
    return agent_class(name=role, id=role)


@dataclass(frozen=True)
class Session:
    """One negotiation: who played which strategy, what was offered, what was agreed."""

    strategies: dict[str, str]
    offers: tuple[tuple[int, str, Package], ...]
    agreement: Package | None
    steps: int
    adopted: bool
    points: dict[str, float]


def play(
    loaded: LoadedExercise,
    strategies: dict[str, str],
    *,
    seed: int = 0,
    steps: int = DEFAULT_STEPS,
    adapted: Adapted | None = None,
    scorer: Scorer | None = None,
) -> Session:
    """Play one negotiation, ``strategies`` naming the strategy of every scored role."""
    adapted = adapted or adapt(loaded)
    scorer = scorer or Scorer(loaded)
    missing = sorted(set(adapted.utilities) - set(strategies))
    if missing:
        raise UsageError(f"no agent for {', '.join(missing)}")
    # NegMAS draws from the global generators; seeding them is what makes a run repeatable.
    random.seed(seed)
    _seed_numpy(seed)
    mechanism = SAOMechanism(outcome_space=adapted.outcome_space, n_steps=steps)
    for role, utility in adapted.utilities.items():
        mechanism.add(negotiator(strategies[role], loaded, adapted, role), preferences=utility)
    with warnings.catch_warnings():
        # NegMAS's tit-for-tat warns when the opponent's move implies a concession outside [0, 1];
        # it clamps the value itself, and the warning would reach the user's terminal on every run.
        warnings.filterwarnings("ignore", message=r".* is negative or above 1")
        state = mechanism.run()
    offers = tuple(
        (int(step), str(role), adapted.package_of(tuple(offer)))
        for step, role, offer in mechanism.extended_trace
        if offer is not None
    )
    agreement = None if state.agreement is None else adapted.package_of(tuple(state.agreement))
    adopted = agreement is not None and scorer.verdict(agreement).met
    points = {r: v.total(agreement) for r, v in adapted.valuations.items()} if agreement else {}
    return Session(dict(strategies), offers, agreement, int(state.step), adopted, points)


def _seed_numpy(seed: int) -> None:
    import numpy

    numpy.random.seed(seed)
