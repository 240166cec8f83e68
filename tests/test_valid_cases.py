"""The valid fixtures under tests/data/valid/ load cleanly and use every field of schema v1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from negotiation import schema
from negotiation.loading import load_dossier, load_position_file
from tests.conftest import Run

VALID = Path(__file__).parent / "data" / "valid"
DOSSIER_FILES = sorted(p.name for p in (VALID / "lake-varna").iterdir() if p.suffix in (".yaml", ".json"))
POSITION_FILES = [name for name in DOSSIER_FILES if name != "dossier.yaml"]


def test_dossier_validates(cli: Run) -> None:
    """The fictional dossier validates with exit 0 and a one-line summary."""
    result = cli("validate", "lake-varna", cwd=VALID)
    assert result.code == 0
    assert result.stdout == "ok lake-varna: dossier 'lake-varna': 4 positions, 11 provisions\n"
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("name", "summary"),
    [
        ("ald-proposal-2031-03-01.yaml", "position 'ald-proposal-2031-03-01': 3 provisions"),
        ("ald-proposal-2031-05-10.yaml", "position 'ald-proposal-2031-05-10': 3 provisions"),
        ("brv-response-2031-04-15.yaml", "position 'brv-response-2031-04-15': 4 provisions"),
        ("lvc-statement-2031-04-20.json", "position 'lvc-statement-2031-04-20': 1 provision"),
        ("dossier.yaml", "dossier 'lake-varna': 4 positions, 11 provisions"),
    ],
)
def test_each_file_validates_on_its_own(cli: Run, name: str, summary: str) -> None:
    """Each file of the dossier, named alone, validates against the dossier beside it."""
    assert sorted([*POSITION_FILES, "dossier.yaml"]) == DOSSIER_FILES
    result = cli("validate", f"lake-varna/{name}", cwd=VALID)
    assert (result.code, result.stdout, result.stderr) == (0, f"ok lake-varna/{name}: {summary}\n", "")


def test_standalone_files_validate_against_a_named_dossier(cli: Run) -> None:
    """Position files outside the dossier folder validate with --dossier, and need not be listed in it."""
    result = cli(
        "validate",
        "--dossier",
        "lake-varna",
        "standalone/trainee-counter.yaml",
        "standalone/trainee-counter.json",
        cwd=VALID,
    )
    assert result.code == 0
    assert result.stdout == (
        "ok lake-varna: dossier 'lake-varna': 4 positions, 11 provisions\n"
        "ok standalone/trainee-counter.yaml: position 'trainee-counter-2031-05-20': 1 provision\n"
        "ok standalone/trainee-counter.json: position 'trainee-data-2031-05-21': 2 provisions (1 uncoded)\n"
    )
    assert result.stderr == ""


def test_standalone_file_without_its_dossier_is_refused(cli: Run) -> None:
    """Without --dossier a loose file naming an unbundled dossier gets one located message and exit 1."""
    result = cli("validate", "standalone/trainee-counter.yaml", cwd=VALID)
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "standalone/trainee-counter.yaml:5:10: dossier: no dossier 'lake-varna' next to the file or bundled\n"
    )


def test_broken_context_dossier_stops_before_the_files(cli: Run, tmp_path: Path) -> None:
    """When the --dossier folder itself is unreadable, its problem is reported and exit is 2."""
    result = cli("validate", "--dossier", str(tmp_path / "nowhere"), "standalone/trainee-counter.yaml", cwd=VALID)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == f"{tmp_path / 'nowhere'}:0:0: (file): unreadable: no such folder\n"


def _fields_set(value: Any) -> set[str]:
    """``Model.field`` for every field given explicitly anywhere inside ``value``."""
    if isinstance(value, BaseModel):
        found = {f"{type(value).__name__}.{name}" for name in value.model_fields_set}
        return found.union(*(_fields_set(getattr(value, name)) for name in type(value).model_fields))
    if isinstance(value, tuple):
        return set().union(*(_fields_set(v) for v in value))
    return set()


def test_fixtures_use_every_field_of_schema_v1() -> None:
    """Every field of every schema v1 model is given explicitly somewhere in the valid fixtures."""
    record = load_dossier(VALID / "lake-varna")
    loose = [load_position_file(p, record)[0] for p in sorted((VALID / "standalone").iterdir())]
    used = _fields_set(record.dossier).union(*(_fields_set(p) for p in [*record.positions.values(), *loose]))
    models = [
        schema.Dossier,
        schema.Party,
        schema.DecisionRule,
        schema.Issue,
        schema.Event,
        schema.Position,
        schema.Provenance,
        schema.Package,
        schema.Provision,
        schema.Suggestion,
        schema.Obligation,
        schema.Link,
        schema.Condition,
        schema.SourceRef,
    ]
    every = {f"{m.__name__}.{name}" for m in models for name in m.model_fields}
    assert every - used == set()
