"""Parse YAML and JSON files into plain data that remembers where each value came from.

Only safe YAML is read: no object-constructing tags, no anchors or aliases (they can expand without
bound), no duplicate keys. Only regular files are read, of at most :data:`MAX_FILE_BYTES`, nesting at
most :data:`MAX_DEPTH` levels and holding at most :data:`MAX_NODES` values, so any input is answered
in bounded time and memory (docs/security.md). Problems come back as
:class:`~negotiation.errors.Problem` values with a line and column.

>>> doc = parse_text("a.yaml", "id: x\\nitems:\\n  - 1\\n  - two\\n")
>>> doc.data
{'id': 'x', 'items': [1, 'two']}
>>> doc.locate(("items", 1))
(4, 5)
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from negotiation.errors import InputError, Problem
from negotiation.io import read_file

#: Deeper nesting is refused: no real position file nests this deep, and parsers recurse on it.
MAX_DEPTH = 64
#: More values (scalars, lists, mappings) are refused before the document is built: the longest real
#: position file has a few thousand, and a YAML parser needs hundreds of bytes of memory for each.
MAX_NODES = 100_000
#: Whole numbers beyond this magnitude are refused: 2^53 is the largest range every output carries
#: exactly (JSON readers that use doubles, SQLite's 64-bit integers, spreadsheets).
MAX_INTEGER = 2**53
#: Finite decimals beyond this magnitude are refused, so sums of points stay finite and exact enough.
MAX_DECIMAL = 1e15
_RANGE = f"number out of range (at most {MAX_INTEGER} for whole numbers, 1e15 otherwise)"

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# (line, column) of a value, 1-based.
Mark = tuple[int, int]


class _ParseProblem(Exception):
    """Internal: raised inside the YAML constructor, turned into a Problem by the caller."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.line = mark.line + 1 if mark is not None else 0
        self.column = mark.column + 1 if mark is not None else 0
        self.message = message


class _LocatingLoader(_BaseLoader):  # type: ignore[misc]
    """A safe loader that records the marks of every mapping value and sequence item."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        # id(container) -> {key or index: (value mark, key mark)}; containers stay alive in the result.
        self.marks: dict[int, dict[Any, tuple[Mark, Mark]]] = {}
        self.depth = 0

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _ParseProblem(node.start_mark, "YAML anchors and aliases are not allowed")
        return super().construct_object(node, deep=deep)

    def _enter(self, node: Any) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _ParseProblem(node.start_mark, f"nesting deeper than {MAX_DEPTH} levels")

    def construct_yaml_map(self, node: Any) -> Iterator[dict[str, Any]]:
        data: dict[str, Any] = {}
        yield data
        self._enter(node)
        marks: dict[Any, tuple[Mark, Mark]] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise _ParseProblem(key_node.start_mark, f"keys must be text, found {_key_kind(key)}")
            if key in data:
                raise _ParseProblem(key_node.start_mark, f"duplicate key {_clip(key)}")
            data[key] = self.construct_object(value_node, deep=True)
            marks[key] = (_mark(value_node), _mark(key_node))
        self.marks[id(data)] = marks
        self.depth -= 1

    def construct_yaml_seq(self, node: Any) -> Iterator[list[Any]]:
        data: list[Any] = []
        yield data
        self._enter(node)
        marks: dict[Any, tuple[Mark, Mark]] = {}
        for index, item in enumerate(node.value):
            data.append(self.construct_object(item, deep=True))
            marks[index] = (_mark(item), _mark(item))
        self.marks[id(data)] = marks
        self.depth -= 1

    def construct_undefined(self, node: Any) -> Any:
        if node.tag == "tag:yaml.org,2002:merge":
            raise _ParseProblem(node.start_mark, "merge keys (<<) are not allowed; write the fields out")
        raise _ParseProblem(
            node.start_mark, f"tag {_clip(_short_tag(node.tag))[1:-1]} is not allowed (only plain YAML data)"
        )

    def construct_text(self, node: Any) -> str:
        # Dates stay text here and are parsed by the models, so an impossible date ("2031-02-30")
        # is reported at its field like any other bad value; "=" is plain text, not YAML's value tag.
        return str(self.construct_scalar(node))

    def construct_bounded_int(self, node: Any) -> int:
        try:
            value = int(super().construct_yaml_int(node))
        except ValueError:
            raise _ParseProblem(node.start_mark, "number has too many digits") from None
        if abs(value) > MAX_INTEGER:
            raise _ParseProblem(node.start_mark, _RANGE)
        return value

    def construct_bounded_float(self, node: Any) -> float:
        value = float(super().construct_yaml_float(node))
        if math.isfinite(value) and abs(value) > MAX_DECIMAL:
            raise _ParseProblem(node.start_mark, _RANGE)
        return value


def _mark(node: Any) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _key_kind(key: Any) -> str:
    if key is None:
        return "null (quote the key)"
    if isinstance(key, bool):
        return f"{str(key).lower()} (YAML reads yes, no, on and off as true or false; quote the key)"
    if isinstance(key, int | float):
        return "a number (quote the key)"
    return "a list" if isinstance(key, list) else "a mapping" if isinstance(key, dict) else type(key).__name__


def _clip(text: str, limit: int = 60) -> str:
    """Quote ``text`` for a message, cut to ``limit`` characters: a hostile file cannot flood the output."""
    shown = text if len(text) <= limit else text[: limit - 3] + "..."
    return "'" + shown.replace("'", "\\'") + "'"


def _short_tag(tag: str) -> str:
    """A tag as it was written: ``tag:yaml.org,2002:python/object`` is ``!!python/object``."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


_LocatingLoader.add_constructor("tag:yaml.org,2002:map", _LocatingLoader.construct_yaml_map)
_LocatingLoader.add_constructor("tag:yaml.org,2002:seq", _LocatingLoader.construct_yaml_seq)
_LocatingLoader.add_constructor(None, _LocatingLoader.construct_undefined)
_LocatingLoader.add_constructor("tag:yaml.org,2002:timestamp", _LocatingLoader.construct_text)
_LocatingLoader.add_constructor("tag:yaml.org,2002:value", _LocatingLoader.construct_text)
_LocatingLoader.add_constructor("tag:yaml.org,2002:int", _LocatingLoader.construct_bounded_int)
_LocatingLoader.add_constructor("tag:yaml.org,2002:float", _LocatingLoader.construct_bounded_float)
# Sets, ordered maps and binary construct Python objects (or bytes) that the schema never needs.
for _tag in ("set", "omap", "pairs", "binary"):
    _LocatingLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _LocatingLoader.construct_undefined)


@dataclass
class Document:
    """Parsed data of one file, able to say where any value in it stands."""

    path: str
    data: Any
    marks: dict[int, dict[Any, tuple[Mark, Mark]]] = field(default_factory=dict, repr=False)
    text: str | None = field(default=None, repr=False)
    #: For JSON: the same text read as YAML, used only to locate values.
    twin: Document | None = field(default=None, repr=False)

    def locate(self, loc: Sequence[str | int], *, key: bool = False) -> Mark:
        """The (line, column) of the value at ``loc`` (or of its key), or of its nearest located parent."""
        if not self.marks and self.text is not None:
            self._relocate()
        if self.twin is not None:
            return self.twin.locate(loc, key=key)
        found: Mark = (1, 1)
        node = self.data
        for part in loc:
            entry = self.marks.get(id(node), {}).get(part)
            if entry is None:
                break
            found = entry[1] if key else entry[0]
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
        return found

    def _relocate(self) -> None:
        # JSON is parsed with the fast json module; positions are recovered only when an error needs
        # one, from a YAML reading of the same text (JSON is nearly a subset of YAML). The YAML
        # reading only locates: the data stays what JSON says (YAML reads some scalars differently).
        assert self.text is not None
        text, self.text = self.text, None
        try:
            self.twin = _parse_yaml(self.path, text)
        except InputError:
            return


def _problem(path: str, line: int, column: int, message: str, *, unreadable: bool = False) -> Problem:
    return Problem(path, line, column, "", message, unreadable)


def read_text(path: Path, display: str | None = None) -> str:
    """Read ``path`` as UTF-8 text (a UTF-8 byte-order mark is allowed), refusing what is not a file.

    See :func:`read_file` for what is refused.
    """
    shown = display or str(path)
    return decode(read_file(path, shown), shown)


def decode(raw: bytes, shown: str) -> str:
    """Decode bytes as UTF-8 text, naming the problem (and where) when they are not."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise InputError([_problem(shown, 1, 1, "unreadable: UTF-32 text; save the file as UTF-8", unreadable=True)])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError([_problem(shown, 1, 1, "unreadable: UTF-16 text; save the file as UTF-8", unreadable=True)])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    head = raw[:256]
    if head.count(0) * 4 > len(head) > 0:
        # ASCII text saved as UTF-16 or UTF-32 without a byte-order mark: every other byte is zero.
        message = "unreadable: looks like UTF-16 or UTF-32 text without a byte-order mark; save the file as UTF-8"
        raise InputError([_problem(shown, 1, 1, message, unreadable=True)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            [
                _problem(
                    shown,
                    line,
                    column,
                    f"unreadable: not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                    unreadable=True,
                )
            ]
        ) from None
    if "\x00" in text:
        line, column = line_column(text, text.index("\x00"))
        raise InputError([_problem(shown, line, column, "unreadable: contains a NUL byte", unreadable=True)])
    return text


def line_column(text: str, index: int) -> Mark:
    r"""The 1-based (line, column) of character ``index`` in ``text``.

    >>> line_column("ab\ncd", 4)
    (2, 2)
    """
    line = text.count("\n", 0, index) + 1
    return (line, index - (text.rfind("\n", 0, index) + 1) + 1)


def parse_text(path: str, text: str) -> Document:
    """Parse YAML or JSON ``text`` (by the extension of ``path``) into a :class:`Document`."""
    if path.lower().endswith(".json"):
        return _parse_json(path, text)
    return _parse_yaml(path, text)


def parse_file(path: Path, display: str | None = None) -> Document:
    """Read and parse one YAML or JSON file."""
    shown = display or str(path)
    return parse_text(shown, read_text(path, shown))


def parse_bytes(shown: str, raw: bytes) -> Document:
    """Parse the bytes of a file already read with :func:`read_file`."""
    return parse_text(shown, decode(raw, shown))


def _yaml_structure_problem(path: str, text: str) -> Problem | None:
    """Find nesting deeper than MAX_DEPTH or more than MAX_NODES values before composing the document.

    libyaml's composer recurses on nesting and builds every node in memory before anything can be
    checked, so both limits are enforced on the event stream, which costs little and stops early.
    """
    # Cheap bounds first: block nesting needs indentation or indicators at the start of a line, flow
    # nesting needs brackets, every value takes at least one character. Small files skip the pass.
    prefix = max((len(line) - len(line.lstrip(" -?:")) for line in text.splitlines()), default=0)
    deep_possible = text.count("[") + text.count("{") + prefix + 1 > MAX_DEPTH
    if not deep_possible and len(text) <= MAX_NODES:
        return None
    try:
        return _scan_events(path, text, _BaseLoader)
    except yaml.YAMLError as exc:
        # libyaml 0.2.6 refuses flow nesting past its own limit (1000) while it looks ahead for a
        # key, before it yields the events that show the depth; PyYAML's Python parser has no such
        # limit and meets level 65 first, so the problem keeps the project's message and place.
        if _BaseLoader is not yaml.SafeLoader and "nesting depth" in str(exc):
            try:
                return _scan_events(path, text, yaml.SafeLoader)
            except yaml.YAMLError:
                pass
        return None  # the real parse reports the syntax error with its location


def _scan_events(path: str, text: str, loader: type[Any]) -> Problem | None:
    """The first value past MAX_NODES or level past MAX_DEPTH in the event stream, as a problem."""
    depth = nodes = 0
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    values = (yaml.ScalarEvent, yaml.AliasEvent, *starts)
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, values):
            nodes += 1
            if nodes > MAX_NODES:
                return _event_problem(path, event, f"more than {MAX_NODES} values; split the file")
        if isinstance(event, starts):
            depth += 1
            if depth > MAX_DEPTH:
                return _event_problem(path, event, f"nesting deeper than {MAX_DEPTH} levels")
        elif isinstance(event, ends):
            depth -= 1
    return None


def _event_problem(path: str, event: Any, message: str) -> Problem:
    mark = event.start_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    return _problem(path, line, column, message)


# The non-specific tag: "!" alone before a value, or written verbatim as "!<!>".
_NON_SPECIFIC_TAG = re.compile(r"(?:^|[\s\[\]{},:?-])!(?:[\s\[\]{},]|$|<!>)|!<!>", re.MULTILINE)


def _non_specific_tag_problem(path: str, text: str) -> Problem | None:
    """The first value tagged "!" (which YAML reads as plain text or a plain collection), as a problem.

    The composer resolves such a value as if it had no tag, so no constructor ever sees it; it is
    found on the event stream, which is read only when the text holds a "!" in a tag's place.
    """
    if _NON_SPECIFIC_TAG.search(text) is None:
        return None
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if getattr(event, "tag", None) == "!":
                return _event_problem(path, event, "tag '!' is not allowed (only plain YAML data)")
    except yaml.YAMLError:
        return None  # the real parse reports the syntax error with its location
    return None


def _parse_yaml(path: str, text: str) -> Document:
    too_big = _yaml_structure_problem(path, text) or _non_specific_tag_problem(path, text)
    if too_big is not None:
        raise InputError([too_big])
    loader = _LocatingLoader(text)
    try:
        if loader.check_data():
            data = loader.get_data()
            if loader.check_data():
                line, column = _mark(loader.get_node())
                raise InputError([_problem(path, line, column, "several YAML documents; expected one")])
        else:
            data = None
    except InputError:
        raise
    except _ParseProblem as exc:
        raise InputError([_problem(path, exc.line, exc.column, exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        reason = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
            reason = _TABS  # libyaml names the symptom ("cannot start any token"), not the cause
        raise InputError([_problem(path, line, column, _yaml_reason(reason))]) from None
    except yaml.reader.ReaderError as exc:
        line, column = line_column(text, exc.position)
        raise InputError([_problem(path, line, column, _reader_reason(exc))]) from None
    except yaml.YAMLError as exc:
        raise InputError([_problem(path, 0, 0, f"invalid YAML: {' '.join(str(exc).split())}")]) from None
    except RecursionError:
        raise InputError([_problem(path, 0, 0, f"nesting deeper than {MAX_DEPTH} levels")]) from None
    except (ValueError, OverflowError) as exc:
        # A scalar the YAML library could not turn into a value; the constructors above catch the
        # known cases with a location, this keeps any other from escaping as a crash.
        raise InputError([_problem(path, 0, 0, f"invalid YAML value: {' '.join(str(exc).split())}")]) from None
    finally:
        loader.dispose()
    return Document(path, data, loader.marks)


#: libyaml's wording for some errors, and what it means for a person editing the file.
_TABS = "tabs are not allowed for indentation; indent with spaces"
_YAML_REASONS = {
    "found a tab character that violates indentation": _TABS,
    "found a tab character where an indentation space is expected": _TABS,
    _TABS: _TABS,
}


def _yaml_reason(reason: str) -> str:
    if reason == "could not find expected ':'":
        return "invalid YAML: could not find the ':' after a key (a key is one line of at most 1024 characters)"
    return _YAML_REASONS.get(reason, f"invalid YAML: {reason}")


def _reader_reason(exc: Any) -> str:
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return f"invalid YAML: control character U+{code:04X} is not allowed"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


#: The json module's wording, and what it means for a person editing the file.
_JSON_REASONS = {
    "Invalid control character at": "a control character inside a string (write it as an escape such as \\n)",
    "Unterminated string starting at": 'a string is not closed (a closing " is missing)',
    "Extra data": "more than one JSON value in the file",
    "Expecting property name enclosed in double quotes": (
        "expecting a key in double quotes (JSON has no comments, single quotes or trailing commas)"
    ),
}


def _json_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError("number has too many digits") from None
    if abs(value) > MAX_INTEGER:
        raise _OutOfRange(text)
    return value


class _OutOfRange(ValueError):
    """Raised by the JSON number hooks; carries the number as written, to locate it."""

    def __init__(self, literal: str) -> None:
        super().__init__(_RANGE)
        self.literal = literal


def _json_float(text: str) -> float:
    value = float(text)
    if abs(value) > MAX_DECIMAL:  # 1e999 reads as infinity: out of range too
        raise _OutOfRange(text)
    return value


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # dict() runs in C; only when a key was dropped do we look for which one, in Python. (A
    # per-key Python loop here cost more than the whole parse on large files.)
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {_clip(key)}")
            seen.add(key)
    return data


def _json_structure_problem(data: Any) -> str | None:
    """Nesting deeper than MAX_DEPTH, or more than MAX_NODES values, in parsed JSON data.

    Counted on the parsed containers, one level at a time (no recursion), after the C parser has
    read the file: the file-size limit already bounds what parsing may cost, and walking the
    containers is several times cheaper than scanning the text outside its strings.
    """
    values = 1
    level: list[Any] = [data]
    depth = 1
    while level:
        if depth > MAX_DEPTH:
            return f"nesting deeper than {MAX_DEPTH} levels"
        below: list[Any] = []
        for node in level:
            children = node.values() if type(node) is dict else node
            values += len(children)
            below += [c for c in children if type(c) is dict or type(c) is list]
        if values > MAX_NODES:
            return f"more than {MAX_NODES} values; split the file"
        level = below
        depth += 1
    return None


def _parse_json(path: str, text: str) -> Document:
    if not text.strip():
        return Document(path, None)  # reported like an empty YAML file
    try:
        data = json.loads(
            text,
            object_pairs_hook=_json_object,
            parse_constant=_reject_constant,
            parse_int=_json_int,
            parse_float=_json_float,
        )
    except json.JSONDecodeError as exc:
        reason = _JSON_REASONS.get(exc.msg, exc.msg[:1].lower() + exc.msg[1:])
        raise InputError([_problem(path, exc.lineno, exc.colno, f"invalid JSON: {reason}")]) from None
    except RecursionError:
        raise InputError([_problem(path, 1, 1, f"nesting deeper than {MAX_DEPTH} levels")]) from None
    except ValueError as exc:
        # Raised by the hooks: a number is found by its text, anything else by re-reading as YAML.
        literal = exc.literal if isinstance(exc, _OutOfRange) else None
        line, column = _locate_number(text, literal) if literal else _locate_json_problem(path, text, str(exc))
        raise InputError([_problem(path, line, column, f"invalid JSON: {exc}")]) from None
    if isinstance(data, float) and not math.isfinite(data):
        raise InputError([_problem(path, 1, 1, "invalid JSON: not a finite number")])
    too_big = _json_structure_problem(data) if isinstance(data, (dict, list)) else None
    if too_big is not None:
        raise InputError([_problem(path, 1, 1, too_big)])
    return Document(path, data, {}, text)


def _locate_number(text: str, literal: str) -> Mark:
    """Where the number written ``literal`` first stands in JSON ``text`` as a whole token, outside strings."""
    for match in re.finditer(re.escape(literal), text):
        before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
        if before not in _NUMBER_CHARS and after not in _NUMBER_CHARS and text.count('"', 0, match.start()) % 2 == 0:
            return line_column(text, match.start())
    return (1, 1)


_NUMBER_CHARS = set("0123456789.eE+-")


def _locate_json_problem(path: str, text: str, message: str) -> Mark:
    for token in ("NaN", "-Infinity", "Infinity"):
        if message.startswith(token):
            index = text.find(token)
            if index >= 0:
                return line_column(text, index)
    try:
        _parse_yaml(path, text)
    except InputError as err:
        first = err.problems[0]
        return (first.line, first.column)
    return (1, 1)
