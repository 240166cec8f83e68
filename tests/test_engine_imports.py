"""The engine is light: deepdiff is loaded only when changes needs it (its floor is tests/test_architecture.py's)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules_after(code: str) -> list[str]:
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(m for m in ('deepdiff',) if m in sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=60,
        check=True,
    )
    return list(json.loads(done.stdout))


def test_deepdiff_is_imported_only_for_a_nested_difference() -> None:
    """Importing every engine module, and a changes run without nested differences, leave deepdiff unloaded."""
    importing = (
        "import negotiation.engine.changes, negotiation.engine.matrix, negotiation.engine.views, negotiation.cli"
    )
    assert "deepdiff" not in _modules_after(importing)
    flat = (
        "from tests.engine_fixtures import water\n"
        "from negotiation.engine.changes import changes\n"
        "r = water(); changes(r.position('north-proposal'), r.position('south-response'))"
    )
    assert "deepdiff" not in _modules_after(flat)
    nested = (
        "from tests.engine_fixtures import draft_versions\n"
        "from negotiation.engine.changes import changes\n"
        "changes(*draft_versions())"
    )
    assert "deepdiff" in _modules_after(nested)
