"""`import negotiation` is cheap and silent (the direction of imports is tests/test_architecture.py's)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "negotiation"
HEAVY = ("deepdiff", "openpyxl", "docx", "jsonschema", "hypothesis", "rich")


@pytest.mark.parametrize("module", ["negotiation", "negotiation.loading", "negotiation.render", "negotiation.cli"])
def test_import_is_silent_and_light(module: str, tmp_path: Path) -> None:
    """Importing writes nothing, creates no file, and loads none of the heavy optional libraries."""
    probe = f"import sys, {module}; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "[]\n", "")
    assert list(tmp_path.iterdir()) == []
