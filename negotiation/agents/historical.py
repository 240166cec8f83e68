"""The historical agent: on a record scenario, a role tables what its party actually tabled.

Its packages are the role's ``standing`` position and then its ``historical`` positions, each read
as a package by the exercise model (:func:`negotiation.exercises.submissions.read_position`), in
that order, one per offer (the last repeated). It accepts only the package it is tabling at the
time: the record shows no concession beyond it.
"""

from __future__ import annotations

from typing import Any

from negmas.sao import ResponseType, SAONegotiator

from negotiation.errors import UsageError, raise_for
from negotiation.exercises.loaded import LoadedExercise, Package
from negotiation.exercises.submissions import read_position


def historical_packages(loaded: LoadedExercise, role_id: str) -> list[Package]:
    """The packages ``role_id`` tabled on the record: its standing position, then its historical ones."""
    role = loaded.role(role_id)
    ids = list(dict.fromkeys([*([role.standing] if role.standing else []), *role.historical]))
    if loaded.record is None or not ids:
        raise UsageError(f"role '{role_id}' of '{loaded.id}' has no positions on the record for a historical agent")
    packages = []
    for position_id in ids:
        package, _, problems = read_position(loaded, loaded.record.position(position_id), position_id)
        raise_for(problems)
        packages.append(package)
    return packages


class HistoricalNegotiator(SAONegotiator):  # type: ignore[misc]
    """Tables the record's packages in order (the last repeated); accepts only the one it is tabling."""

    def __init__(self, outcomes: list[tuple[str, ...]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.outcomes = outcomes
        self.made = 0

    def _current(self) -> tuple[str, ...]:
        return self.outcomes[min(max(self.made - 1, 0), len(self.outcomes) - 1)]

    def propose(self, state: Any, dest: str | None = None) -> tuple[str, ...]:
        offer = self.outcomes[min(self.made, len(self.outcomes) - 1)]
        self.made += 1
        return offer

    def respond(self, state: Any, source: str | None = None) -> ResponseType:
        if tuple(state.current_offer) == self._current():
            return ResponseType.ACCEPT_OFFER
        return ResponseType.REJECT_OFFER
