"""`import negotiation` is cheap and silent, and imports point one way along the layers."""

from __future__ import annotations

import ast
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


def _imports(path: Path) -> set[str]:
    """Every negotiation.* module that ``path`` imports (at any depth of the file)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name for name in found if name.split(".")[0] == "negotiation"}


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        (["errors.py", "schema.py", "tables.py"], ("loading", "engine", "render", "export", "exercises", "cli")),
        (["loading"], ("engine", "render", "export", "exercises", "cli", "views", "validation")),
        (["render.py", "io.py"], ("loading", "engine", "exercises", "cli")),
    ],
)
def test_imports_point_one_way(layer: list[str], forbidden: tuple[str, ...]) -> None:
    """Models, loading and rendering never import the layers built on top of them."""
    files = [PACKAGE / name for name in layer if (PACKAGE / name).is_file()]
    files += [p for name in layer if (PACKAGE / name).is_dir() for p in sorted((PACKAGE / name).rglob("*.py"))]
    assert files
    bad = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in _imports(path)
        if name.split(".")[1:2] and name.split(".")[1] in forbidden
    }
    assert bad == set()


def test_only_the_cli_imports_the_cli() -> None:
    """No module outside negotiation/cli imports negotiation.cli (the library never prints or exits)."""
    outside = [p for p in sorted(PACKAGE.rglob("*.py")) if "cli" not in p.relative_to(PACKAGE).parts]
    bad = {
        f"{p.relative_to(ROOT)}"
        for p in outside
        if any(n == "negotiation.cli" or n.startswith("negotiation.cli.") for n in _imports(p))
        and p.name != "__main__.py"
    }
    assert bad == set()
