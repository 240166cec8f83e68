"""JSON Schema of each file kind, generated from the models (committed under ``schemas/``).

>>> sorted(schema_names())
['dossier', 'position']
>>> json_schema("position")["title"]
'Position'
"""

from __future__ import annotations

import contextlib
import importlib
import json
from typing import Any

from negotiation.errors import UsageError
from negotiation.schema import SCHEMA_VERSION, Dossier, Model, Position

_KINDS: dict[str, type[Model]] = {"position": Position, "dossier": Dossier}


def register_kind(name: str, model: type[Model]) -> None:
    """Add a file kind (e.g. exercises) whose JSON Schema ``negotiation schema`` can print."""
    _KINDS[name] = model


def schema_names() -> list[str]:
    """The file kinds that have a JSON Schema."""
    _load_plugins()
    return list(_KINDS)


def _load_plugins() -> None:
    with contextlib.suppress(ImportError):
        importlib.import_module("negotiation.exercises.schema")  # registers the exercise kind


def json_schema(kind: str = "position") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one file kind."""
    _load_plugins()
    try:
        model = _KINDS[kind]
    except KeyError:
        raise UsageError(f"unknown schema '{kind}'; choose one of: {', '.join(_KINDS)}") from None
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"negotiation/{kind}-v{SCHEMA_VERSION}.json"
    return schema


def schema_file_name(kind: str) -> str:
    """The committed file name of a kind's schema, e.g. ``position-v1.json``."""
    return f"{kind}-v{SCHEMA_VERSION}.json"


def schema_text(kind: str = "position") -> str:
    """The schema as the exact text committed under ``schemas/``."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
