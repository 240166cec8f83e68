"""An exercise as NegMAS sees it: an outcome space of packages and one utility function per scored role.

Every issue becomes a categorical NegMAS issue whose values are the option ids, in file order, so an
outcome is the tuple of chosen option ids and :func:`package_of` turns it back into a package. A
role's utility is its schedule's points for the package (weights, linkages and the round's injects
applied, exactly as :class:`negotiation.exercises.valuation.Valuation` totals them); a package that
crosses one of its red lines is worth less than its reservation value, so no negotiator of NegMAS
ever accepts it (they accept only at or above ``reserved_value``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from negmas import make_issue
from negmas.outcomes import make_os
from negmas.preferences import MappingUtilityFunction

from negotiation.exercises.loaded import LoadedExercise, Package
from negotiation.exercises.valuation import Valuation, valuation

#: How far below the lowest package a red-line package is placed: one point, so it stays a finite,
#: ordinary number for NegMAS's utility inversion while sitting below every reservation value.
RED_LINE_DROP = 1.0


@dataclass(frozen=True)
class Adapted:
    """The NegMAS view of one exercise in one round."""

    issues: tuple[str, ...]
    outcome_space: Any
    utilities: dict[str, Any]
    valuations: dict[str, Valuation]

    def package_of(self, outcome: tuple[str, ...]) -> Package:
        """The package an outcome tuple stands for."""
        return dict(zip(self.issues, outcome, strict=True))

    def outcome_of(self, package: Package) -> tuple[str, ...]:
        """The outcome tuple of a package."""
        return tuple(package[i] for i in self.issues)


def role_utility(
    v: Valuation, outcomes: list[tuple[str, ...]], issues: tuple[str, ...]
) -> dict[tuple[str, ...], float]:
    """Points of every outcome for one role; red-line packages below the lowest package and the reservation.

    >>> v = Valuation("r", {"a": {"x": 5.0, "y": 1.0}}, {"a": 1.0}, 2.0, {"a": frozenset({"y"})}, (), ())
    >>> role_utility(v, [("x",), ("y",)], ("a",))
    {('x',): 5.0, ('y',): 0.0}
    """
    totals = {o: v.total(dict(zip(issues, o, strict=True))) for o in outcomes}
    floor = min([*totals.values(), v.reservation_value]) - RED_LINE_DROP
    return {o: (floor if v.crossed(dict(zip(issues, o, strict=True))) else t) for o, t in totals.items()}


def adapt(loaded: LoadedExercise, round_number: int | None = None) -> Adapted:
    """The outcome space and the scored roles' utility functions of ``loaded`` in ``round_number``."""
    exercise = loaded.exercise
    issues = tuple(i.id for i in exercise.issues)
    space = make_os([make_issue([o.id for o in i.options], name=i.id) for i in exercise.issues])
    outcomes = list(itertools.product(*([o.id for o in i.options] for i in exercise.issues)))
    valuations = {r.id: valuation(loaded, loaded.schedules[r.id], round_number) for r in loaded.scored_roles}
    utilities = {
        role: MappingUtilityFunction(
            role_utility(v, outcomes, issues), outcome_space=space, reserved_value=v.reservation_value, name=role
        )
        for role, v in valuations.items()
    }
    return Adapted(issues, space, utilities, valuations)
