"""Turn parsed documents into schema models, with every problem located in its file.

>>> from negotiation.loading.parse import parse_text
>>> doc = parse_text("p.yaml", "schema_version: 9\\n")
>>> [str(p) for p in check_schema_version(doc)]
['p.yaml:1:17: schema_version: unknown schema version 9; this release reads version 1']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import pydantic

from negotiation.errors import Problem
from negotiation.loading.parse import Document
from negotiation.schema import SUPPORTED_SCHEMA_VERSIONS, Model

M = TypeVar("M", bound=Model)

_SUPPORTED = ", ".join(str(v) for v in SUPPORTED_SCHEMA_VERSIONS)
_VERSION_WORD = "version" if len(SUPPORTED_SCHEMA_VERSIONS) == 1 else "versions"


def field_path(loc: Sequence[str | int]) -> str:
    """Render a location as people read it.

    >>> field_path(("provisions", 3, "responds_to", 0, "to"))
    'provisions[3].responds_to[0].to'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def check_schema_version(doc: Document) -> list[Problem]:
    """Problems with the file's declared schema version (none when it is supported)."""
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else f"a {_type_name(doc.data)}"
        return [Problem(doc.path, 1, 1, "", f"expected a mapping of fields at the top level, found {kind}")]
    if "schema_version" not in doc.data:
        return [Problem(doc.path, 1, 1, "schema_version", f"required; this release reads {_VERSION_WORD} {_SUPPORTED}")]
    version = doc.data["schema_version"]
    if isinstance(version, bool) or version not in SUPPORTED_SCHEMA_VERSIONS:
        line, column = doc.locate(("schema_version",))
        return [
            Problem(
                doc.path,
                line,
                column,
                "schema_version",
                f"unknown schema version {version!r}; this release reads {_VERSION_WORD} {_SUPPORTED}",
            )
        ]
    return []


def build(model: type[M], doc: Document) -> tuple[M | None, list[Problem]]:
    """Validate ``doc`` against ``model``; return the model or every located problem."""
    problems = check_schema_version(doc)
    if problems:
        return None, problems
    try:
        return model.model_validate(doc.data), []
    except pydantic.ValidationError as exc:
        return None, [_problem(doc, err) for err in exc.errors(include_url=False)]


def _problem(doc: Document, err: Any) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    line, column = doc.locate(loc, key=kind == "extra_forbidden")
    return Problem(doc.path, line, column, field_path(loc), _message(err))


def _message(err: Any) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{_show(err.get('input'))} is not one of {expected}"
    if kind == "string_pattern_mismatch":
        return f"{_show(err.get('input'))} is not a valid id or code (lower-case letters, digits, '-', '.', '_')"
    message = str(err["msg"])
    if message.startswith(("Value error, ", "Assertion failed, ")):
        message = message.split(", ", 1)[1]
    return message[:1].lower() + message[1:]


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(value: Any) -> str:
    return {list: "list", str: "text", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__
    )
