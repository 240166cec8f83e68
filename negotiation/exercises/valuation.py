"""A role's private schedule as it stands in one round: weights and inject adjustments applied."""

from __future__ import annotations

from dataclasses import dataclass

from negotiation.exercises.loaded import LoadedExercise, Package
from negotiation.exercises.schema import Linkage, Schedule
from negotiation.exercises.wording import PRECISION


@dataclass(frozen=True)
class Valuation:
    """A role's schedule as it stands in one round (weights and inject adjustments applied)."""

    role: str
    points: dict[str, dict[str, float]]
    weights: dict[str, float]
    reservation_value: float
    red_lines: dict[str, frozenset[str]]
    linkages: tuple[Linkage, ...]
    adjustments: tuple[str, ...]

    def total(self, package: Package) -> float:
        """Points for ``package`` (issues, then linkages)."""
        total = sum(self.points[i][o] for i, o in package.items())
        for linkage in self.linkages:
            if all(package.get(i) == o for i, o in linkage.options.items()):
                total += linkage.points
        return round(total, PRECISION)

    def crossed(self, package: Package) -> list[tuple[str, str]]:
        """The (issue, option) red lines ``package`` crosses."""
        return [(i, o) for i, o in package.items() if o in self.red_lines.get(i, frozenset())]


def valuation(loaded: LoadedExercise, schedule: Schedule, round_number: int | None = None) -> Valuation:
    """The schedule of one role as it stands in ``round_number`` (None: before any inject)."""
    injects = {i.id: i for i in loaded.exercise.injects}
    weights = {issue_id: float(entry.weight) for issue_id, entry in schedule.issues.items()}
    raw = {issue_id: {o: float(p) for o, p in entry.points.items()} for issue_id, entry in schedule.issues.items()}
    reservation = float(schedule.reservation_value)
    applied: list[str] = []
    for adjustment in schedule.adjustments:
        inject = injects.get(adjustment.inject)
        if inject is None or round_number is None or inject.round > round_number:
            continue
        applied.append(adjustment.inject)
        if adjustment.issue is not None and adjustment.weight is not None:
            weights[adjustment.issue] = float(adjustment.weight)
        if adjustment.issue is not None and adjustment.points is not None:
            raw[adjustment.issue] = {**raw[adjustment.issue], **{o: float(p) for o, p in adjustment.points.items()}}
        if adjustment.reservation_value is not None:
            reservation = float(adjustment.reservation_value)
    points = {i: {o: round(weights[i] * p, PRECISION) for o, p in options.items()} for i, options in raw.items()}
    return Valuation(
        role=schedule.role,
        points=points,
        weights=weights,
        reservation_value=reservation,
        red_lines={i: frozenset(o) for i, o in schedule.red_lines.items()},
        linkages=schedule.linkages,
        adjustments=tuple(dict.fromkeys(applied)),
    )
