"""Hypothesis strategies for hostile input and output: syntax-token text for the parsers, mutated
copies of the valid fixtures, random data shaped like positions, and tables of hostile strings.

(The engine's strategies, for well-formed positions, live in tests/strategies.py.)"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any, get_args

import yaml
from hypothesis import strategies as st

from negotiation.schema import RELATIONS, STANCES, TEXT_STATUSES, Authenticity, SourceTag, Translation
from negotiation.tables import Table, make_table

VALID = Path(__file__).parent / "data" / "valid"
DOSSIER = VALID / "lake-varna"
#: The Karst Lake exercise: exercise.yaml, private schedules, materials and three rounds of packages.
KARST = Path(__file__).parent.parent / "examples" / "karst-lake-basin-accord"


def fixture_files(root: Path, suffixes: tuple[str, ...] = (".yaml", ".json")) -> dict[str, bytes]:
    """The files under ``root`` with one of ``suffixes``: path relative to ``root`` (with /) -> bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.suffix in suffixes}


#: The fixture files a mutation may start from: name -> bytes.
FIXTURES: dict[str, bytes] = {
    p.name: p.read_bytes() for p in sorted(DOSSIER.iterdir()) if p.suffix in (".yaml", ".json")
}
#: The bundled source texts of the fictional dossier, which coverage reads.
SOURCE_FIXTURES: dict[str, bytes] = fixture_files(DOSSIER, (".md",))
#: Every data file and Markdown material of the Karst Lake exercise.
KARST_FIXTURES: dict[str, bytes] = fixture_files(KARST, (".yaml", ".json", ".md"))

#: Pieces of YAML syntax, so random text reaches deep into the parser instead of failing at once.
YAML_TOKENS = [
    "schema_version: 1\n",
    "id: a-1\n",
    "party: ald\n",
    "provisions:\n",
    "  - ",
    "    ",
    "- ",
    ": ",
    ":",
    "\n",
    " ",
    "\t",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "!!python/object:os.system ",
    "!tag ",
    "!!str ",
    "!!binary ",
    "<<: ",
    "? ",
    "|\n",
    ">-\n",
    "'",
    '"',
    "\\u202e",
    "\\x1b",
    "# c\n",
    "%YAML 1.1\n",
    "%TAG ! x:\n",
    "---\n",
    "...\n",
    "~",
    "null",
    "yes",
    "no",
    "on",
    "1",
    "-1",
    "0x1f",
    "1e999",
    ".nan",
    ".inf",
    "2031-02-30",
    "2031-01-01",
    "99999999999999999999",
    "stance",
    "text_status",
    "verbatim",
    "issues",
    "responds_to",
    "to: a#b",
    "\ufeff",
    "\x85",
    "\u2028",
    "\r\n",
    "\r",
    "é",
    "\U0001f600",
]
JSON_TOKENS = [
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    '"schema_version"',
    '"id"',
    '"provisions"',
    '"a-1"',
    "1",
    "-0",
    "1e999",
    "NaN",
    "Infinity",
    "-Infinity",
    "true",
    "false",
    "null",
    '"\\ud800"',
    '"\\u0000"',
    '"x\\ny"',
    " ",
    "\n",
    "\t",
    '"',
    "\\",
    "//",
    "/*",
    "'",
    "9" * 30,
]


@st.composite
def token_text(draw: st.DrawFn, tokens: list[str]) -> str:
    """Text made of syntax tokens and arbitrary characters, in random order."""
    parts = draw(st.lists(st.one_of(st.sampled_from(tokens), st.text(max_size=4)), max_size=60))
    return "".join(parts)


@st.composite
def mutated_fixture(draw: st.DrawFn, files: dict[str, bytes] | None = None) -> tuple[str, bytes]:
    """A fixture file after a few random edits: deletions, insertions, duplications, byte flips, line swaps.

    ``files`` (name -> bytes) are the files to start from; default the fictional dossier's.
    """
    files = FIXTURES if files is None else files
    name = draw(st.sampled_from(sorted(files)))
    data = bytearray(files[name])
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "flip", "swap-lines", "token", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
        elif op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "swap-lines":
            lines = bytes(data).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
        elif op == "token":
            data[at:at] = draw(st.sampled_from(JSON_TOKENS if name.endswith(".json") else YAML_TOKENS)).encode()
        elif op == "truncate":
            del data[at:]
    return name, bytes(data)


FIELD_NAMES = [
    "schema_version",
    "id",
    "dossier",
    "party",
    "addressees",
    "kind",
    "title",
    "version",
    "supersedes",
    "responds_to",
    "delivered",
    "published",
    "provenance",
    "authenticity",
    "packages",
    "provisions",
    "ref",
    "issues",
    "stance",
    "obligations",
    "obligors",
    "conditions",
    "linked_to",
    "text",
    "text_status",
    "sources",
    "file",
    "witness",
    "to",
    "relation",
    "notes",
    "unknown",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["propose", "reject", "verbatim", "missing", "a-1", "a-1#p1", "2031-01-01"]),
)
#: JSON-like values whose keys are mostly the schema's own field names.
json_values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=6)), children, max_size=6),
    ),
    max_leaves=30,
)

#: Strings that try to break out of a format: markup, formulas, escapes, controls, bidi, table syntax.
HOSTILE_STRINGS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</td></tr></table>",
    "&amp;&lt;",
    "=1+1",
    "+SUM(A1)",
    "-2+3",
    "@cmd",
    '=HYPERLINK("http://x","y")',
    "\t=1",
    "\r=1",
    "\\input{/etc/passwd}",
    "\\write18{rm -rf /}",
    "$x^2$",
    "50% & #1 _a_ {b} ~ ^",
    "| a | b |",
    "a\\|b",
    "`code`",
    "**bold**",
    "[link](http://x)",
    "![img](http://x)",
    "<br>",
    "line\nbreak",
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;http://x\x07y",
    "\x07bell",
    "\x9b31m",
    "\u202eevil",
    "\u2066isolate\u2069",
    "\u200f",
    "\u061c",
    "\x00nul",
    "\ud800",
    "''; DROP TABLE t; --",
    "'quoted'",
    '"double"',
    "ok",
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    st.lists(st.sampled_from(HOSTILE_STRINGS), min_size=1, max_size=3).map("".join),
    st.text(max_size=30),
)


@st.composite
def hostile_tables(draw: st.DrawFn) -> list[Table]:
    """One or two tables whose titles, columns, cells and notes are hostile strings."""
    tables = []
    for i in range(draw(st.integers(1, 2))):
        width = draw(st.integers(1, 4))
        columns = [f"c{j}{draw(hostile_text)}" for j in range(width)]
        cell = st.one_of(hostile_text, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
        rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=4))
        notes = draw(st.lists(hostile_text, max_size=2))
        tables.append(make_table(f"t{i}", draw(hostile_text), columns, rows, notes=notes))
    return tables


# --- edits that keep a file well-formed, so the commands get past the loader ----------------------


@cache
def _parsed(name: str, raw: bytes) -> Any:
    """A fixture file's data, as PyYAML or json reads it (parsed once per file)."""
    text = raw.decode("utf-8")
    return json.loads(text) if name.endswith(".json") else yaml.safe_load(text)


def _scalars(data: Any) -> list[Any]:
    if isinstance(data, dict):
        return [s for key, value in data.items() for s in (key, *_scalars(value))]
    if isinstance(data, list):
        return [s for value in data for s in _scalars(value)]
    return [data]


def _unique(values: list[Any]) -> list[Any]:
    return sorted({(type(v).__name__, repr(v)): v for v in values}.values(), key=repr)


def _walk_keys(data: Any, key: str, found: dict[str, list[Any]]) -> None:
    """Collect, per key, the values seen under it (``key[]`` for the items of a list under it)."""
    if isinstance(data, dict):
        for k, value in data.items():
            found.setdefault(str(k), []).append(value)
            _walk_keys(value, str(k), found)
    elif isinstance(data, list):
        for value in data:
            found.setdefault(key + "[]", []).append(value)
            _walk_keys(value, key + "[]", found)


#: The schema's own words for its coded fields, so an edit can swap one valid code for another.
_SCHEMA_WORDS = {
    "stance": STANCES,
    "relation": RELATIONS,
    "text_status": TEXT_STATUSES,
    "authenticity": get_args(Authenticity),
    "translation": get_args(Translation),
    "tag": get_args(SourceTag),
}


@cache
def _vocabulary(files: tuple[tuple[str, bytes], ...]) -> tuple[list[Any], list[str], dict[str, list[Any]]]:
    """Every scalar value and every key of the data files, and the values seen under each key:
    swapping one value for another, above all for one seen under the same key, keeps a file plausible."""
    values: list[Any] = []
    keys: set[str] = set()
    by_key: dict[str, list[Any]] = {}
    for name, raw in files:
        if name.endswith((".yaml", ".json")):
            data = _parsed(name, raw)
            values += _scalars(data)
            keys |= {k for k in _scalars(data) if isinstance(k, str)}
            _walk_keys(data, "", by_key)
    for key, words in _SCHEMA_WORDS.items():
        by_key.setdefault(key, []).extend(words)
    return _unique(values), sorted(keys), {k: _unique(v) for k, v in sorted(by_key.items())}


#: Values at the edges of what a field may hold: empty, huge, negative, not a number, the wrong type.
EDGE_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    2,
    0.5,
    -0.0,
    10**20,
    -(10**20),
    1e308,
    float("inf"),
    float("-inf"),
    float("nan"),
    "",
    " ",
    "x" * 121,
    "a" * 2001,
    "a#b",
    "../x",
    "/etc/passwd",
    "sources",
    "sources/",
    ".",
    "materials",
    "round-1",
    [],
    {},
]


def _containers(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every mapping and list in ``data`` (the root is ``()``)."""
    found: list[tuple[Any, ...]] = []
    if isinstance(data, (dict, list)):
        found.append(path)
        items = data.items() if isinstance(data, dict) else enumerate(data)
        for key, value in items:
            found += _containers(value, (*path, key))
    return found


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _dump(name: str, data: Any, ascii_only: bool) -> bytes:
    """Write ``data`` back in its file's syntax (YAML that PyYAML cannot emit falls back to JSON, also YAML)."""
    if not name.endswith(".json"):
        try:
            return yaml.safe_dump(data, sort_keys=False, allow_unicode=not ascii_only).encode("utf-8", "surrogatepass")
        except (yaml.YAMLError, UnicodeError, TypeError, ValueError):
            pass
    return json.dumps(data, ensure_ascii=ascii_only, default=str).encode("utf-8", "surrogatepass")


@st.composite
def edited_fixture(draw: st.DrawFn, files: dict[str, bytes] | None = None) -> tuple[str, bytes]:
    """A data file after a few edits of its structure that keep it parseable: a value swapped for another
    value of the fixtures or an edge value, a subtree copied elsewhere, an entry deleted or duplicated,
    a key renamed. Such files mostly load, so what the commands do with odd but valid data is fuzzed."""
    files = FIXTURES if files is None else files
    data_files = sorted(n for n in files if n.endswith((".yaml", ".json")))
    name = draw(st.sampled_from(data_files))
    data = copy.deepcopy(_parsed(name, files[name]))
    values, keys, by_key = _vocabulary(tuple(sorted(files.items())))
    value = st.one_of(st.sampled_from(values), st.sampled_from(EDGE_VALUES), st.sampled_from(HOSTILE_STRINGS))
    for _ in range(draw(st.integers(1, 3))):
        paths = _containers(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        node = _at(data, path)
        op = draw(
            st.sampled_from(["alike", "alike", "alike", "replace", "splice", "delete", "duplicate", "rename", "add"])
        )
        slots = list(node) if isinstance(node, dict) else list(range(len(node)))
        if op == "add" or not slots:
            if isinstance(node, dict):
                node[draw(st.sampled_from(keys))] = copy.deepcopy(draw(value))
            else:
                node.insert(draw(st.integers(0, len(node))), copy.deepcopy(draw(value)))
            continue
        slot = draw(st.sampled_from(slots))
        # The key the slot's values are filed under: its own key, or its list's key with [].
        key = str(slot) if isinstance(node, dict) else (str(path[-1]) if path else "") + "[]"
        if op == "alike" and by_key.get(key):
            node[slot] = copy.deepcopy(draw(st.sampled_from(by_key[key])))
        elif op in ("replace", "alike"):
            node[slot] = copy.deepcopy(draw(value))
        elif op == "splice":
            source = draw(st.sampled_from(_containers(data)))
            node[slot] = copy.deepcopy(_at(data, source))
        elif op == "delete":
            del node[slot]
        elif op == "duplicate" and isinstance(node, list):
            node.insert(slot, copy.deepcopy(node[slot]))
        elif op in ("rename", "duplicate") and isinstance(node, dict):
            node[draw(st.sampled_from(keys))] = node.pop(slot)
    return name, _dump(name, data, draw(st.booleans()))


#: Keys whose values name things other files refer to: renaming one everywhere keeps the data consistent.
_NAMING_KEYS = ("id", "party", "code", "dossier", "exercise", "role", "team")
_IDENTIFIER = re.compile(r"[a-z0-9][a-z0-9._-]*")


@cache
def _identifiers(files: tuple[tuple[str, bytes], ...]) -> list[str]:
    found: set[str] = set()

    def walk(data: Any) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                if key in _NAMING_KEYS and isinstance(value, str) and _IDENTIFIER.fullmatch(value):
                    found.add(value)
                walk(value)
        elif isinstance(data, list):
            for value in data:
                walk(value)

    for name, raw in files:
        if name.endswith((".yaml", ".json")):
            walk(_parsed(name, raw))
    return sorted(found)


#: New names for an identifier: short ones, ones at the longest allowed (120) or one past it, odd ones.
new_identifiers = st.one_of(
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,30}", fullmatch=True),
    st.tuples(st.sampled_from("xyz"), st.sampled_from([100, 119, 120, 120, 121])).map(lambda cn: cn[0] * cn[1]),
    st.sampled_from(["con", "nul", "index", "a.b", "x--y", "-x", "A", "é", "a b", "a/b", "..", "1e3", "yes"]),
)


@cache
def _top_level_ids(files: tuple[tuple[str, bytes], ...]) -> list[str]:
    """The ids the data files declare at their top level (positions, the dossier, the exercise)."""
    found = []
    for name, raw in files:
        if name.endswith((".yaml", ".json")):
            data = _parsed(name, raw)
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                found.append(data["id"])
    return sorted(found)


@st.composite
def renamed_identifier(draw: st.DrawFn, files: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Every data file after renaming one identifier (a party, position, provision or issue) everywhere
    it is used, so the data stays consistent while names reach their limits. Returns the changed files."""
    files = FIXTURES if files is None else files
    key = tuple(sorted(files.items()))
    # Any name, or more often a file's own id: two position ids meet in a pack's file names (diff/<a>--<b>.md).
    names = st.one_of(st.sampled_from(_identifiers(key)), st.sampled_from(_top_level_ids(key)))
    changed: dict[str, bytes] = {}
    for old in draw(st.lists(names, min_size=1, max_size=2, unique=True)):
        new = draw(new_identifiers).encode()
        # Whole names only: not inside a longer name, not a file name (sources/<id>.md).
        pattern = re.compile(rb"(?<![\w/.-])" + re.escape(old.encode()) + rb"(?![\w-])(?!\.md)")
        for name, raw in files.items():
            if name.endswith((".yaml", ".json")):
                before = changed.get(name, raw)
                edited = pattern.sub(lambda _, new=new: new, before)
                if edited != before:
                    changed[name] = edited
    return changed


def mutated_files(
    files: dict[str, bytes] | None = None, everything: dict[str, bytes] | None = None
) -> st.SearchStrategy[dict[str, bytes]]:
    """Changed files (relative name -> bytes): one of ``files`` mutated byte by byte or edited in its
    structure, or one or two names renamed in all the data files of ``everything`` (default ``files``)."""
    one = st.one_of(mutated_fixture(files), mutated_fixture(files), edited_fixture(files))
    as_dict = one.map(lambda m: {m[0]: m[1]})
    return st.one_of(as_dict, as_dict, renamed_identifier(everything if everything is not None else files))
