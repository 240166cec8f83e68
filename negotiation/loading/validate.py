"""Turn parsed documents into schema models, with every problem located in its file.

>>> from negotiation.loading.parse import parse_text
>>> doc = parse_text("p.yaml", "schema_version: 0\\n")
>>> [str(p) for p in check_schema_version(doc)]
['p.yaml:1:17: schema_version: unknown schema version 0; this release reads version 1']
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, TypeVar

import pydantic

from negotiation.errors import Problem
from negotiation.loading.parse import Document
from negotiation.schema import SUPPORTED_SCHEMA_VERSIONS, Model

M = TypeVar("M", bound=Model)

_SUPPORTED = ", ".join(str(v) for v in SUPPORTED_SCHEMA_VERSIONS)
_VERSION_WORD = "version" if len(SUPPORTED_SCHEMA_VERSIONS) == 1 else "versions"
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")
#: Longer keys are cut in messages: a hostile file must not turn one message into megabytes.
_LONGEST_KEY = 60
_DATE_SHAPE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def field_path(loc: Sequence[str | int]) -> str:
    r"""Render a location as people read it.

    >>> field_path(("provisions", 3, "responds_to", 0, "to"))
    'provisions[3].responds_to[0].to'

    A key that is not a plain name (spaces, punctuation, control characters) is shown quoted and
    escaped, so a message stays on one line and its field never contains a space:

    >>> field_path(("provenance", "my field"))
    'provenance["my\\u0020field"]'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part) and len(part) <= _LONGEST_KEY:
            out += f".{part}" if out else part
        else:
            shown = part if len(part) <= _LONGEST_KEY else part[: _LONGEST_KEY - 3] + "..."
            out += "[" + json.dumps(shown, ensure_ascii=True).replace(" ", "\\u0020") + "]"
    return out


def check_schema_version(doc: Document) -> list[Problem]:
    """Problems with the file's declared schema version (none when it is supported)."""
    if not isinstance(doc.data, dict):
        # Named by kind only: a file that is not data at all (a link to some other file) is never quoted.
        kind = "nothing (the file is empty)" if doc.data is None else _kind(doc.data)
        return [Problem(doc.path, 1, 1, "", f"expected a mapping of fields at the top level, found {kind}")]
    if "schema_version" not in doc.data:
        return [Problem(doc.path, 1, 1, "schema_version", f"required; this release reads {_VERSION_WORD} {_SUPPORTED}")]
    version = doc.data["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int):
        message = f"expected a whole number such as {SUPPORTED_SCHEMA_VERSIONS[-1]}, found {_found(version)}"
    elif version > max(SUPPORTED_SCHEMA_VERSIONS):
        message = (
            f"schema version {_show(version)} is newer than this release reads ({_VERSION_WORD} {_SUPPORTED}); "
            "upgrade negotiation to read this file"
        )
    elif version not in SUPPORTED_SCHEMA_VERSIONS:
        message = f"unknown schema version {_show(version)}; this release reads {_VERSION_WORD} {_SUPPORTED}"
    else:
        return []
    # Located only now: finding a place in a JSON file means reading it a second time.
    line, column = doc.locate(("schema_version",))
    return [Problem(doc.path, line, column, "schema_version", message)]


def build(model: type[M], doc: Document) -> tuple[M | None, list[Problem]]:
    """Validate ``doc`` against ``model``; return the model or every located problem."""
    problems = check_schema_version(doc)
    if problems:
        return None, problems
    try:
        return model.model_validate(doc.data), []
    except pydantic.ValidationError as exc:
        errors = exc.errors(include_url=False)
        # "needs at least 1 item, found 0" after its only item failed says nothing new; the item's own error does.
        failing = [tuple(err["loc"]) for err in errors]
        kept = [
            err
            for err in errors
            if not (err["type"] == "too_short" and any(_inside(loc, tuple(err["loc"])) for loc in failing))
        ]
        return None, [_problem(doc, err) for err in kept]


def _inside(loc: tuple[Any, ...], container: tuple[Any, ...]) -> bool:
    return len(loc) > len(container) and loc[: len(container)] == container


def _problem(doc: Document, err: Any) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    line, column = doc.locate(loc, key=kind == "extra_forbidden")
    return Problem(doc.path, line, column, field_path(loc), _message(err))


def _message(err: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        hint = " (YAML reads yes, no, on and off as true or false; quote the word)" if isinstance(value, bool) else ""
        return f"{_show(value)} is not one of {ctx.get('expected', '')}{hint}"
    if kind == "string_pattern_mismatch" and "#" in str(ctx.get("pattern", "")):
        return f"{_show(value)} is not a link target; write it as position-id#provision-id"
    if kind == "string_pattern_mismatch":
        return f"{_show(value)} is not a valid id or code (lower-case letters, digits, '-', '.', '_')"
    if kind == "string_unicode":
        return "text contains an unpaired surrogate (a \\ud800-\\udfff escape); write the character itself"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"text of {len(value)} characters is longer than the limit of {ctx.get('max_length')}"
    if kind == "too_short":
        count = ctx.get("min_length", 1)
        return f"needs at least {count} item{'s' if count != 1 else ''}, found {ctx.get('actual_length', 0)}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}, found {_show(value)}"
    expected = _EXPECTED.get(kind)
    if expected is not None:
        return f"expected {expected}, found {_found(value)}"
    if kind.startswith("date_"):
        if isinstance(value, str) and _DATE_SHAPE.fullmatch(value) and ctx.get("error"):
            return f"{_show(value)} is not a real date ({ctx['error']})"
        return f"expected a date written YYYY-MM-DD, found {_found(value)}"
    message = str(err["msg"])
    if message.startswith(("Value error, ", "Assertion failed, ")):
        message = message.split(", ", 1)[1]
    return message[:1].lower() + message[1:]


#: What a value of the wrong type should have been, by pydantic error type.
_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "finite_number": "a finite number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "tuple_type": "a list",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
}


def _show(value: Any) -> str:
    # repr() escapes control and bidirectional characters, so a hostile value cannot act on a terminal.
    if value is None or isinstance(value, bool):
        return "null" if value is None else str(value).lower()
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: Any) -> str:
    """What a top-level value is, without its content: ``text``, ``a number``, ``a list``."""
    if isinstance(value, bool) or value is None:
        return "true or false" if isinstance(value, bool) else "nothing (null)"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return f"text ({len(value)} characters)"
    return "a list" if isinstance(value, list | tuple) else f"a {type(value).__name__}"


def _found(value: Any) -> str:
    """Describe a parsed value for a message: ``the number 5``, ``the text 'x'``, ``a list``."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {_show(value)}"
    if isinstance(value, str):
        return f"the text {_show(value)}"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"
