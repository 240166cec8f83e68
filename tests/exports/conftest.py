"""Fixtures for the export tests: the Lake Arden dossier, its matrix and comparisons, and golden files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from negotiation.engine.model import Comparison, Matrix
from negotiation.loading import LoadedDossier, load_dossier
from tests.conftest import GoldenFile
from tests.exports.lake import LAKE, lake_comparisons, lake_matrix

GOLDEN = Path(__file__).parent.parent / "golden" / "exports"


@pytest.fixture(scope="session")
def lake() -> LoadedDossier:
    """The fictional Lake Arden dossier."""
    return load_dossier(LAKE)


@pytest.fixture(scope="session")
def matrix(lake: LoadedDossier) -> Matrix:
    """The hand-built Lake Arden matrix."""
    return lake_matrix(lake)


@pytest.fixture(scope="session")
def comparisons(lake: LoadedDossier) -> tuple[Comparison, ...]:
    """The hand-built Lake Arden comparisons."""
    return lake_comparisons(lake)


@pytest.fixture
def golden(golden_file: GoldenFile) -> Callable[[str, str | bytes], None]:
    """Compare output with ``tests/golden/exports/<name>`` through the shared ``golden_file`` fixture."""

    def check(name: str, content: str | bytes) -> None:
        golden_file(GOLDEN / name, content)

    return check
