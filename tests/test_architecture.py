"""The house keeps its shape: imports point down the floors of docs/architecture.md, and none form a circle.

The floors are read from the doc itself, so the picture and the rule cannot drift apart. Imports are
read with ``ast`` (nothing is executed): every ``import`` anywhere in a module counts, lazy ones and
those under ``TYPE_CHECKING`` too, since a lazy import only hides a circle, it does not remove it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "negotiation"
DOC = ROOT / "docs" / "architecture.md"


def floors() -> list[tuple[str, list[str]]]:
    """(floor, module names) from the table between the ``floors`` markers of the doc, bottom up."""
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- floors -->", 1)[1].split("<!-- /floors -->", 1)[0]
    rows = [line.split("|") for line in block.splitlines() if line.startswith("|") and "`" in line]
    return [(cells[1].strip(), re.findall(r"`([\w.]+)`", cells[2])) for cells in rows]


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = modules()


def floor_of(module: str) -> int | None:
    """The index of the floor whose longest-matching name covers ``module`` (None if no row names it)."""
    best: tuple[int, int] | None = None
    for index, (_, names) in enumerate(floors()):
        for name in names:
            # The package root names only its own __init__; every other name covers its subpackage.
            covers = module == name or (name != "negotiation" and module.startswith(name + "."))
            if covers and (best is None or len(name) > best[0]):
                best = (len(name), index)
    return None if best is None else best[1]


def imports_of(module: str) -> set[str]:
    """The package's modules that ``module`` imports anywhere in its file (``from a import b`` is the
    module ``a.b`` when that is a module, else ``a``)."""
    found: set[str] = set()
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in MODULES else node.module)
    return {name for name in found if name in MODULES and name != module}


def test_the_doc_names_every_floor_in_order() -> None:
    """The doc's table lists the floors the style guide names, bottom up, each with modules."""
    assert [floor for floor, _ in floors()] == [
        "base",
        "schema",
        "loading",
        "engine",
        "render/export",
        "exercises",
        "agents",
        "clients",
    ]
    named = [name for _, names in floors() for name in names]
    assert all(names for _, names in floors())
    assert len(named) == len(set(named))
    assert sorted(n for n in named if n not in MODULES) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_imports_only_its_floor_and_below(module: str) -> None:
    """Every module is on a floor, and imports nothing from a floor above its own."""
    own = floor_of(module)
    assert own is not None, f"{module} is on no floor of docs/architecture.md"
    names = [floor for floor, _ in floors()]
    upward = sorted(
        f"{module} ({names[own]}) imports {target} ({names[floor]})"
        for target in imports_of(module)
        if (floor := floor_of(target)) is not None and floor > own
    )
    assert upward == []


def test_no_import_circle() -> None:
    """No module reaches itself again by following imports (lazy and type-only ones included)."""
    graph = {module: imports_of(module) for module in MODULES}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert [" -> ".join(cycle) for cycle in cycles] == []


def test_the_circle_check_can_fail() -> None:
    """The import reader sees a lazy import inside a function, so a hidden circle would be found."""
    assert "negotiation.export.html" in imports_of("negotiation.cli.compare")
    assert floor_of("negotiation.export.html") == floor_of("negotiation.render")
    assert floor_of("negotiation") == 0 and floor_of("negotiation.loading.record") == 2


def test_the_server_is_a_client_of_the_library_never_of_the_cli() -> None:
    """The classroom server imports the library and nothing of the CLI; the library imports neither client."""
    server = [m for m in MODULES if m.startswith("negotiation.server")]
    assert "negotiation.server.teams" in server and "negotiation.exercises.classroom" in imports_of(
        "negotiation.server.teams"
    )
    into_cli = sorted(f"{m} -> {t}" for m in server for t in imports_of(m) if t.startswith("negotiation.cli"))
    library = [
        m for m in MODULES if not m.startswith(("negotiation.cli", "negotiation.server", "negotiation.__main__"))
    ]
    into_server = sorted(f"{m} -> {t}" for m in library for t in imports_of(m) if t.startswith("negotiation.server"))
    assert (into_cli, into_server) == ([], [])


#: Rooms stay small enough to read at once; ruff's C901, PLR0912 and PLR0915 (pyproject.toml) bound
#: a function's decisions and statements, these bound its length and a module's.
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def test_modules_and_functions_stay_small() -> None:
    """No module of the package is over 600 lines and no function (or method) over 80."""
    long_modules = []
    long_functions = []
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_MODULE_LINES:
            long_modules.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long_functions.append(f"{name}.{node.name}: {length} lines")
    assert (long_modules, long_functions) == ([], [])


def third_party_imports(module: str) -> set[str]:
    """Top-level names of everything ``module`` imports (lazy imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_only_the_agents_room_imports_negmas() -> None:
    """NegMAS (the agents extra) is imported by negotiation.agents and by nothing else of the package."""
    importers = sorted(m for m in MODULES if "negmas" in third_party_imports(m))
    assert importers and all(m.startswith("negotiation.agents") for m in importers), importers
    assert not [m for m in MODULES if m.startswith("negotiation.exercises") and "negmas" in third_party_imports(m)]
