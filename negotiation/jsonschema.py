"""JSON Schema of each file kind, generated from the models (committed under ``schemas/``).

>>> schema_names()
['position', 'dossier', 'exercise', 'exercise-schedule', 'exercise-package']
>>> json_schema("position")["title"]
'Position'
"""

from __future__ import annotations

import json
from typing import Any

from negotiation.errors import UsageError
from negotiation.registry import Entry, resolve
from negotiation.schema import SCHEMA_VERSION, Model

#: Every file kind with a JSON Schema: its model, imported when its schema is asked for (the exercise
#: models live on a higher floor, which this module names but never imports).
KINDS: dict[str, Entry] = {
    "position": Entry("negotiation.schema:Position"),
    "dossier": Entry("negotiation.schema:Dossier"),
    "exercise": Entry("negotiation.exercises.schema:Exercise"),
    "exercise-schedule": Entry("negotiation.exercises.schema:Schedule"),
    "exercise-package": Entry("negotiation.exercises.schema:PackageSubmission"),
}


def schema_names() -> list[str]:
    """The file kinds that have a JSON Schema."""
    return list(KINDS)


def json_schema(kind: str = "position") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one file kind."""
    if kind not in KINDS:
        raise UsageError(f"unknown schema '{kind}'; choose one of: {', '.join(KINDS)}")
    model: type[Model] = resolve("schema", kind, KINDS[kind])
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
