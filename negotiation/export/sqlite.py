"""SQLite: tables for SQL tools and notebooks.

Two writers:

- the ``sqlite`` format (:func:`render_sqlite`) stores any tables, one SQL table each, with a
  ``negotiation_tables`` catalogue (title, columns, notes and the JSON contract of each), and the items of
  a comparison in ``results``;
- :func:`dossier_database` stores a whole dossier — ``parties``, ``issues``, ``positions``,
  ``provisions``, ``provision_issues``, ``provision_sources``, ``links``, ``events`` and the comparison
  ``results`` — in the schema documented in docs/exports.md.

Tables are created and filled in a fixed order from an in-memory database that is vacuumed and
serialised, so the same input gives the same bytes (with the same SQLite library). ``PRAGMA
user_version`` holds :data:`SCHEMA_VERSION`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from negotiation.render import cell_text
from negotiation.tables import Table

if TYPE_CHECKING:
    import sqlite3

    from negotiation.engine.model import Comparison
    from negotiation.loading import LoadedDossier
    from negotiation.schema import Position

#: Version of the database layout, stored as ``PRAGMA user_version``; bumped on any incompatible change.
SCHEMA_VERSION = 2

RESULTS_DDL = """
CREATE TABLE results (
  left_position TEXT NOT NULL,
  right_position TEXT NOT NULL,
  ord INTEGER NOT NULL,
  issue TEXT NOT NULL,
  title TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('answer', 'versions', 'alignment')),
  category TEXT NOT NULL CHECK (category IN ('overlap', 'rejection', 'open', 'same-line', 'different-lines',
    'only-left', 'only-right', 'kept', 'concession', 'hardening', 'added', 'dropped', 'mixed')),
  status TEXT NOT NULL,
  rule TEXT NOT NULL,
  attestation TEXT NOT NULL,
  tentative INTEGER NOT NULL CHECK (tentative IN (0, 1)),
  breakdown TEXT NOT NULL,
  left_stance TEXT NOT NULL,
  right_stance TEXT NOT NULL,
  rationale TEXT NOT NULL,
  rolled_up_from TEXT NOT NULL,
  left_provisions TEXT NOT NULL,
  right_provisions TEXT NOT NULL,
  left_deciding TEXT NOT NULL,
  right_deciding TEXT NOT NULL,
  PRIMARY KEY (left_position, right_position, issue)
)
"""

DOSSIER_DDL = (
    """
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT
)""",
    """
CREATE TABLE parties (
  id TEXT PRIMARY KEY,
  ord INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  members TEXT NOT NULL,
  decision_rule TEXT,
  notes TEXT
)""",
    """
CREATE TABLE issues (
  code TEXT PRIMARY KEY,
  ord INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  parent TEXT REFERENCES issues (code),
  depth INTEGER NOT NULL
)""",
    """
CREATE TABLE positions (
  id TEXT PRIMARY KEY,
  ord INTEGER NOT NULL,
  party TEXT NOT NULL REFERENCES parties (id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  version INTEGER NOT NULL,
  supersedes TEXT,
  responds_to TEXT NOT NULL,
  addressees TEXT NOT NULL,
  date TEXT,
  delivered TEXT,
  published TEXT,
  publisher TEXT,
  language TEXT,
  translation TEXT NOT NULL,
  authenticity TEXT NOT NULL,
  authenticated_by TEXT,
  source_file TEXT,
  completeness TEXT,
  notes TEXT
)""",
    """
CREATE TABLE provisions (
  position TEXT NOT NULL REFERENCES positions (id),
  id TEXT NOT NULL,
  ord INTEGER NOT NULL,
  ref TEXT NOT NULL,
  stance TEXT NOT NULL,
  text_status TEXT NOT NULL,
  attestation TEXT NOT NULL,
  text TEXT,
  summary TEXT,
  notes TEXT,
  linked_to TEXT NOT NULL,
  conditions TEXT NOT NULL,
  obligations TEXT NOT NULL,
  PRIMARY KEY (position, id)
)""",
    """
CREATE TABLE provision_issues (
  position TEXT NOT NULL,
  provision TEXT NOT NULL,
  ord INTEGER NOT NULL,
  issue TEXT NOT NULL REFERENCES issues (code),
  PRIMARY KEY (position, provision, issue),
  FOREIGN KEY (position, provision) REFERENCES provisions (position, id)
)""",
    """
CREATE TABLE provision_sources (
  position TEXT NOT NULL,
  provision TEXT NOT NULL,
  ord INTEGER NOT NULL,
  file TEXT,
  locator TEXT,
  url TEXT,
  witness TEXT,
  tag TEXT,
  note TEXT,
  PRIMARY KEY (position, provision, ord),
  FOREIGN KEY (position, provision) REFERENCES provisions (position, id)
)""",
    """
CREATE TABLE links (
  position TEXT NOT NULL,
  provision TEXT NOT NULL,
  ord INTEGER NOT NULL,
  to_position TEXT NOT NULL,
  to_provision TEXT NOT NULL,
  relation TEXT NOT NULL,
  note TEXT,
  PRIMARY KEY (position, provision, ord),
  FOREIGN KEY (position, provision) REFERENCES provisions (position, id)
)""",
    """
CREATE TABLE events (
  ord INTEGER PRIMARY KEY,
  date TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  uncertain INTEGER NOT NULL
)""",
    RESULTS_DDL,
)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def quote_identifier(name: str) -> str:
    """Quote a name for use as an SQL identifier.

    >>> print(quote_identifier('my "table'))
    "my ""table"
    """
    return '"' + name.replace('"', '""') + '"'


def _unique(names: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    seen = {t.lower() for t in taken}
    out = []
    for raw in names:
        base = raw.replace("\x00", "") or "column"
        name, n = base, 1
        while name.lower() in seen:
            n += 1
            name = f"{base}_{n}"
        seen.add(name.lower())
        out.append(name)
    return out


def _connect() -> sqlite3.Connection:
    import sqlite3

    connection = sqlite3.connect(":memory:")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return connection


def _serialise(connection: sqlite3.Connection) -> bytes:
    connection.commit()
    connection.execute("VACUUM")
    data = connection.serialize()
    connection.close()
    return bytes(data)


def _insert(
    connection: sqlite3.Connection, table: str, rows: Sequence[Mapping[str, Any]], *, keep_first: bool = False
) -> None:
    if not rows:
        return
    columns = list(rows[0])
    # keep_first: the same comparison given twice has the same rows; the first copy stands.
    names = ", ".join(quote_identifier(c) for c in columns)
    sql = (
        f"INSERT {'OR IGNORE ' if keep_first else ''}INTO {quote_identifier(table)} ({names}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    connection.executemany(sql, [tuple(r[c] for c in columns) for r in rows])


def result_rows(diff: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The items of a diff contract (``Comparison.to_dict()``) as rows of the ``results`` table."""
    left, right = diff["left"]["id"], diff["right"]["id"]
    return [
        {
            "left_position": left,
            "right_position": right,
            "ord": i,
            "issue": item["issue"],
            "title": item["title"],
            "mode": diff.get("mode", "answer"),
            "category": item["category"],
            "status": item["status"],
            "rule": item.get("rule", ""),
            "attestation": item.get("attestation", "own-words"),
            "tentative": int(bool(item.get("tentative", False))),
            "breakdown": _json(item.get("breakdown", {})),
            "left_stance": item.get("left_stance", "silent"),
            "right_stance": item.get("right_stance", "silent"),
            "rationale": item["rationale"],
            "rolled_up_from": _json(item.get("rolled_up_from", [])),
            "left_provisions": _json(_cited(item.get("left", []))),
            "right_provisions": _json(_cited(item.get("right", []))),
            "left_deciding": _json(item.get("left_deciding", [])),
            "right_deciding": _json(item.get("right_deciding", [])),
        }
        for i, item in enumerate(diff["items"])
    ]


def _cited(side: Any) -> list[str]:
    """The provision ids of one side of a diff item (contract 2: a mapping; contract 1: a list)."""
    if isinstance(side, Mapping):
        return list(side)
    return [e["provision"] for e in side]


def render_sqlite(tables: Sequence[Table]) -> bytes:
    """A SQLite database: a table per table (columns as shown), a catalogue, and comparison results."""
    connection = _connect()
    connection.execute(
        "CREATE TABLE negotiation_tables (ord INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, source TEXT NOT NULL, "
        "title TEXT NOT NULL, columns TEXT NOT NULL, notes TEXT NOT NULL, data TEXT)"
    )
    diffs = [t.data for t in tables if t.kind == "diff" and isinstance(t.data, Mapping)]
    reserved = ["negotiation_tables", "sqlite_master", *(["results"] if diffs else [])]
    names = _unique([t.name for t in tables], reserved)
    catalogue = []
    for i, (table, name) in enumerate(zip(tables, names, strict=True)):
        columns = _unique(table.columns)
        with_category = any(table.categories)
        if with_category:
            columns += _unique(["category"], columns)
        ddl = ", ".join(quote_identifier(c) for c in columns)
        connection.execute(f"CREATE TABLE {quote_identifier(name)} ({ddl})")
        rows = []
        for r, row in enumerate(table.rows):
            values: list[Any] = [
                v if isinstance(v, int | float) and not isinstance(v, bool) else (None if v is None else cell_text(v))
                for v in row
            ]
            if with_category:
                values.append(table.categories[r] if r < len(table.categories) else None)
            rows.append(dict(zip(columns, values, strict=True)))
        _insert(connection, name, rows)
        catalogue.append(
            {
                "ord": i,
                "name": name,
                "source": table.name,
                "title": table.title,
                "columns": _json(list(table.columns)),
                "notes": _json(list(table.notes)),
                "data": None if table.data is None else _json(table.data),
            }
        )
    _insert(connection, "negotiation_tables", catalogue)
    if diffs:
        connection.execute(RESULTS_DDL)
        for diff in diffs:
            _insert(connection, "results", result_rows(diff), keep_first=True)
    return _serialise(connection)


def dossier_database(record: LoadedDossier, comparisons: Sequence[Comparison] = ()) -> bytes:
    """A whole dossier (parties, issues, positions, provisions, links, events) and comparison results.

    The layout and example queries are in docs/exports.md.
    """
    connection = _connect()
    for ddl in DOSSIER_DDL:
        connection.execute(ddl)
    for table, rows in _dossier_rows(record).items():
        _insert(connection, table, rows)
    for comparison in comparisons:
        _insert(connection, "results", result_rows(comparison.to_dict()), keep_first=True)
    return _serialise(connection)


def _dossier_rows(record: LoadedDossier) -> dict[str, list[dict[str, Any]]]:
    """The rows of every dossier table, in the order they are inserted (which fixes the file's bytes)."""
    from negotiation.loading import issue_tree

    dossier = record.dossier
    tables: dict[str, list[dict[str, Any]]] = {
        "meta": [
            {"key": "dossier", "value": dossier.id},
            {"key": "title", "value": dossier.title},
            {"key": "description", "value": dossier.description},
            {"key": "schema_version", "value": str(dossier.schema_version)},
            {"key": "database_version", "value": str(SCHEMA_VERSION)},
        ],
        "parties": [
            {
                "id": p.id,
                "ord": i,
                "name": p.name,
                "kind": p.kind,
                "members": _json(list(p.members)),
                "decision_rule": None if p.decision_rule is None else _json(p.decision_rule.model_dump(mode="json")),
                "notes": p.notes,
            }
            for i, p in enumerate(dossier.parties)
        ],
        "issues": [
            {
                "code": issue.code,
                "ord": i,
                "title": issue.title,
                "description": issue.description,
                "parent": issue.parent,
                "depth": depth,
            }
            for i, (depth, issue) in enumerate(issue_tree(dossier.issues))
        ],
    }
    positions: list[dict[str, Any]] = []
    provision_tables: dict[str, list[dict[str, Any]]] = {
        "provisions": [],
        "provision_issues": [],
        "provision_sources": [],
        "links": [],
    }
    for i, position in enumerate(record.positions.values()):
        positions.append(_position_row(i, position))
        for name, rows in _provision_rows(position).items():
            provision_tables[name] += rows
    tables["positions"] = positions
    tables.update(provision_tables)
    tables["events"] = [
        {
            "ord": i,
            "date": e.date.isoformat(),
            "title": e.title,
            "description": e.description,
            "uncertain": int(e.uncertain),
        }
        for i, e in enumerate(dossier.events)
    ]
    return tables


def _position_row(i: int, position: Position) -> dict[str, Any]:
    prov = position.provenance
    return {
        "id": position.id,
        "ord": i,
        "party": position.party,
        "kind": position.kind,
        "title": position.title,
        "version": position.version,
        "supersedes": position.supersedes,
        "responds_to": _json(list(position.responds_to)),
        "addressees": _json(list(position.addressees)),
        "date": position.date.isoformat() if position.date else None,
        "delivered": position.delivered.isoformat() if position.delivered else None,
        "published": position.published.isoformat() if position.published else None,
        "publisher": prov.publisher,
        "language": prov.language,
        "translation": prov.translation,
        "authenticity": prov.authenticity,
        "authenticated_by": prov.authenticated_by,
        "source_file": prov.source_file,
        "completeness": prov.completeness,
        "notes": position.notes,
    }


def _provision_rows(position: Position) -> dict[str, list[dict[str, Any]]]:
    """The rows one position adds to the provisions, provision_issues, provision_sources and links tables."""
    from negotiation.engine.attestation import provision_grade

    provisions: list[dict[str, Any]] = []
    issues: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for j, p in enumerate(position.provisions):
        provisions.append(
            {
                "position": position.id,
                "id": p.id,
                "ord": j,
                "ref": p.ref,
                "stance": p.stance,
                "text_status": p.text_status,
                "attestation": provision_grade(p),
                "text": p.text,
                "summary": p.summary,
                "notes": p.notes,
                "linked_to": _json(list(p.linked_to)),
                "conditions": _json([c.model_dump(mode="json", exclude_none=True) for c in p.conditions]),
                "obligations": _json([o.model_dump(mode="json", exclude_none=True) for o in p.obligations]),
            }
        )
        key = {"position": position.id, "provision": p.id}
        issues += [{**key, "ord": k, "issue": code} for k, code in enumerate(p.issues)]
        sources += [
            {
                **key,
                "ord": k,
                "file": s.file,
                "locator": s.locator,
                "url": s.url,
                "witness": s.witness,
                "tag": s.tag,
                "note": s.note,
            }
            for k, s in enumerate(p.sources)
        ]
        links += [
            {
                **key,
                "ord": k,
                "to_position": link.position,
                "to_provision": link.provision,
                "relation": link.relation,
                "note": link.note,
            }
            for k, link in enumerate(p.responds_to)
        ]
    return {"provisions": provisions, "provision_issues": issues, "provision_sources": sources, "links": links}
