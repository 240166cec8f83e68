"""The committed JSON Schemas (schemas/*-v1.json) are current, and every data file satisfies them.

Regenerate them with ``pytest tests/test_jsonschema.py --update-golden`` (or
``negotiation schema position -o schemas/position-v1.json``) and review the diff.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from negotiation.jsonschema import schema_file_name, schema_names, schema_text
from negotiation.loading import bundled_root, parse_file
from tests.conftest import GoldenFile

ROOT = Path(__file__).parent.parent
SCHEMAS = ROOT / "schemas"
DATA = Path(__file__).parent / "data"


def _data_files() -> list[Path]:
    """Every dossier and position file bundled or in the valid fixtures (sources/ are not data)."""
    folders = [*sorted(p for p in bundled_root().iterdir() if p.is_dir()), *sorted((DATA / "valid").iterdir())]
    return [
        file
        for folder in folders
        for file in sorted(folder.iterdir())
        if file.suffix in (".yaml", ".yml", ".json") and file.is_file()
    ]


def _plain(value: Any) -> Any:
    """YAML data as JSON would hold it: dates as ISO strings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _validator(kind: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / schema_file_name(kind)).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.mark.parametrize("kind", schema_names())
def test_committed_schema_is_current(kind: str, golden_file: GoldenFile) -> None:
    """schemas/<kind>-v1.json is exactly what the models generate today."""
    golden_file(SCHEMAS / schema_file_name(kind), schema_text(kind))


@pytest.mark.parametrize("path", _data_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_data_file_satisfies_committed_schema(path: Path) -> None:
    """Each bundled and fixture data file is valid against the committed JSON Schema of its kind."""
    kind = "dossier" if path.stem == "dossier" else "position"
    data = _plain(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator(kind).iter_errors(data)]
    assert errors == []


def test_standalone_fixtures_satisfy_the_position_schema() -> None:
    """The loose position fixtures are valid against the position schema too."""
    validator = _validator("position")
    for path in sorted((DATA / "valid" / "standalone").iterdir()):
        assert list(validator.iter_errors(_plain(yaml.safe_load(path.read_text(encoding="utf-8"))))) == []


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown-field.yaml", "Additional properties are not allowed ('colour' was unexpected)"),
        ("bad-stance.yaml", "'maybe' is not one of"),
        ("bad-date.yaml", "'2031-02-30' is not valid under any of the given schemas"),
        ("bad-date.yaml", "'10 January 2031' is not valid under any of the given schemas"),
        ("wrong-types.yaml", "5 is not of type 'string'"),
    ],
)
def test_schema_rejects_what_the_loader_rejects(case: str, message: str) -> None:
    """The committed schema is not vacuous: it refuses invalid fixtures an editor should flag."""
    # The project's own parser: yaml.safe_load cannot even build the impossible date.
    data = parse_file(DATA / "invalid" / case).data
    # An optional field (a stance may be absent: an uncoded provision) is an anyOf; its reason sits
    # in the error's context.
    messages = [
        m for e in _validator("position").iter_errors(data) for m in (e.message, *(c.message for c in e.context))
    ]
    assert any(m.startswith(message) for m in messages), messages
