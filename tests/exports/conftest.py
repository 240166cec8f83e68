"""Fixtures for the export tests: the Lake Arden dossier, its matrix and comparisons, and golden files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from negotiation.engine.model import Comparison, Matrix
from negotiation.loading import LoadedDossier, load_dossier
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
def golden(request: pytest.FixtureRequest) -> Callable[[str, str | bytes], None]:
    """Compare output with ``tests/golden/exports/<name>``, or rewrite it under ``--update-golden``."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, content: str | bytes) -> None:
        path = GOLDEN / name
        data = content.encode("utf-8") if isinstance(content, str) else content
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        if not path.is_file():
            pytest.fail(f"no golden file {name}; run pytest --update-golden and review the new file")
        assert data == path.read_bytes(), f"{name} differs from its golden file (pytest --update-golden to accept)"

    return check
