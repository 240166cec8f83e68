"""The loaded-dossier record: a validated dossier, its positions in timeline order, and their files.

It has a module of its own, importing nothing else of the loading floor, so that the loader, the
integrity rules and the cache can all name it without importing one another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from negotiation.errors import UsageError, did_you_mean

if TYPE_CHECKING:
    from negotiation.schema import Dossier, Issue, Party, Position


@dataclass
class LoadedDossier:
    """A validated dossier with its positions, in timeline order, and where each came from."""

    dossier: Dossier
    positions: dict[str, Position]
    root: Path | None = None
    files: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The dossier id."""
        return self.dossier.id

    def position(self, position_id: str) -> Position:
        """The position with ``position_id``; a UsageError naming the known ids otherwise."""
        try:
            return self.positions[position_id]
        except KeyError:
            known = ", ".join(self.positions) or "none"
            hint = did_you_mean(position_id, self.positions)
            raise UsageError(f"no position '{position_id}' in dossier '{self.id}'{hint} (known: {known})") from None

    @cached_property
    def issues(self) -> dict[str, Issue]:
        """The taxonomy by code, in file order."""
        return {issue.code: issue for issue in self.dossier.issues}

    @cached_property
    def parties(self) -> dict[str, Party]:
        """The parties by id."""
        return {party.id: party for party in self.dossier.parties}

    def with_positions(self, extra: Iterable[tuple[Position, str]]) -> LoadedDossier:
        """A copy with more positions (e.g. a trainee's counter-proposal), not checked again.

        For a checked merge of a position file, use :func:`load_position_file`.
        """
        positions = dict(self.positions)
        files = dict(self.files)
        for position, shown in extra:
            positions[position.id] = position
            files[position.id] = shown
        return LoadedDossier(self.dossier, positions, self.root, files)
