"""SQLite: the sqlite format for any tables, and the dossier database with its documented queries."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from negotiation.engine.model import Comparison
from negotiation.export.sqlite import SCHEMA_VERSION, dossier_database
from negotiation.loading import LoadedDossier, load_dossier
from negotiation.render import render
from tests.exports.dumps import open_sqlite, sqlite_dump
from tests.exports.lake import DOWN, HOSTILE, UP, fixture_tables, hostile_table

DOCS = Path(__file__).resolve().parents[2] / "docs" / "exports.md"
TABLES = [
    "meta",
    "parties",
    "issues",
    "positions",
    "provisions",
    "provision_issues",
    "provision_sources",
    "links",
    "events",
    "results",
]


def _render(tables: list, fmt: str = "sqlite") -> bytes:  # type: ignore[type-arg]
    out = render(tables, fmt)
    assert isinstance(out, bytes)
    return out


def test_sqlite_format_stores_each_table_and_the_catalogue(lake: LoadedDossier) -> None:
    """Each table becomes an SQL table with its columns (numbers as numbers), listed in negotiation_tables."""
    db = open_sqlite(_render(fixture_tables(lake)))
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
    assert names == ["negotiation_tables", "diff", "hostile", "results"]
    assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    rows = db.execute('SELECT "#", text, count, ratio, even, empty FROM hostile ORDER BY "#"').fetchall()
    assert [r[1] for r in rows] == list(HOSTILE)
    assert rows[1] == (1, '=HYPERLINK("http://x")', 10, 0.25, "no", None)
    catalogue = db.execute("SELECT name, title, columns, notes, data FROM negotiation_tables ORDER BY ord").fetchall()
    assert catalogue[1][:4] == (
        "hostile",
        "<b>Hostile</b> & \\cells",
        '["#","text","count","ratio","even","empty"]',
        '["note: =1+1 <i>not markup</i> 100%"]',
    )
    assert json.loads(catalogue[0][4])["contract"] == "negotiation.diff/2"
    assert db.execute("SELECT issue, category FROM diff WHERE status = 'negotiable'").fetchall() == [
        ("flows.dams", "open")
    ]


def test_sqlite_format_puts_a_comparison_in_results(lake: LoadedDossier) -> None:
    """A diff table's items land in results with both sides' stances and cited provisions."""
    db = open_sqlite(_render(fixture_tables(lake)))
    rows = db.execute(
        "SELECT left_position, right_position, issue, category, status, left_provisions, right_provisions "
        "FROM results ORDER BY ord"
    ).fetchall()
    assert len(rows) == 6
    assert rows[1] == (UP, DOWN, "flows.minimum", "rejection", "rejected", '["art-1"]', '["r-1"]')


def test_sqlite_format_names_are_quoted_and_unique() -> None:
    """Table and column names that clash or hold quotes are kept apart and quoted."""
    from negotiation.tables import make_table

    tables = [
        make_table('we"ird', "A", ["a", "A", 'x"y'], [[1, 2, 3]]),
        make_table('we"ird', "B", ["category"], [["open"]], categories=["open"]),
    ]
    db = open_sqlite(_render(tables))
    assert db.execute('SELECT * FROM "we""ird"').fetchall() == [(1, 2, 3)]
    assert [r[1] for r in db.execute('PRAGMA table_info("we""ird")')] == ["a", "A_2", 'x"y']
    assert db.execute('SELECT * FROM "we""ird_2"').fetchall() == [("open", "open")]


def test_dossier_database_schema(lake: LoadedDossier, comparisons: tuple[Comparison, ...]) -> None:
    """The dossier database has the documented tables, in order, and its layout version."""
    db = open_sqlite(dossier_database(lake, comparisons))
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
    assert names == TABLES
    assert db.execute("PRAGMA user_version").fetchone() == (2,)
    documented = DOCS.read_text(encoding="utf-8")
    for table in TABLES:
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
        line = next(line for line in documented.splitlines() if line.startswith(f"| `{table}` |"))
        assert [re.sub(r" \(.*\)$", "", c.strip()) for c in line.split("|")[2].split(",")] == columns, table


def test_dossier_database_rows(lake: LoadedDossier, comparisons: tuple[Comparison, ...]) -> None:
    """Positions, provisions, issues, sources, links, events and results hold the dossier's values."""
    db = open_sqlite(dossier_database(lake, comparisons))
    assert db.execute("SELECT id, party, kind, date, responds_to FROM positions ORDER BY ord").fetchall() == [
        (UP, "up", "draft-agreement", "2030-01-10", "[]"),
        (DOWN, "down", "written-response", "2030-02-01", f'["{UP}"]'),
        ("obs-statement-2030-02-05", "obs", "statement", "2030-02-05", f'["{UP}"]'),
    ]
    assert db.execute("SELECT ref, stance, text_status, text FROM provisions WHERE id = 'art-1'").fetchone() == (
        "Art. 1",
        "propose",
        "verbatim",
        "The Parties shall keep a minimum flow <script>alert(1)</script> of 40 m3/s.",
    )
    assert db.execute("SELECT conditions FROM provisions WHERE id = 's-1'").fetchone() == (
        '[{"kind":"reciprocity","description":"+ if both sides share","party":"down"}]',
    )
    assert db.execute("SELECT to_position, to_provision, relation FROM links WHERE provision = 'r-2'").fetchall() == [
        (UP, "art-2", "discusses")
    ]
    assert db.execute("SELECT witness, url, tag FROM provision_sources WHERE provision = 'r-2'").fetchone() == (
        "Lake Gazette",
        "https://example.org/arden?a=1&b=<2>",
        "single-source",
    )
    assert db.execute("SELECT code, parent, depth FROM issues ORDER BY ord").fetchall()[:3] == [
        ("flows", None, 0),
        ("flows.minimum", "flows", 1),
        ("flows.dams", "flows", 1),
    ]
    assert db.execute("SELECT members FROM parties WHERE id = 'down'").fetchone() == ('["dwa","dwb"]',)
    assert db.execute("SELECT date, title, uncertain FROM events").fetchall() == [
        ("2030-01-20", "Talks in Arden <City>", 0)
    ]
    counts = db.execute("SELECT right_position, COUNT(*) FROM results GROUP BY right_position ORDER BY 1").fetchall()
    assert counts == [(DOWN, 6), ("obs-statement-2030-02-05", 1)]


def test_dossier_database_same_bytes_and_golden(
    lake: LoadedDossier, comparisons: tuple[Comparison, ...], golden: Callable[[str, str | bytes], None]
) -> None:
    """Two builds are the same bytes; the content matches the golden SQL dump."""
    first = dossier_database(lake, comparisons)
    assert first == dossier_database(lake, comparisons)
    assert first[:16] == b"SQLite format 3\x00"
    golden("fixture/dossier.sqlite.sql", sqlite_dump(first))


def test_sqlite_format_same_bytes_and_golden(lake: LoadedDossier, golden: Callable[[str, str | bytes], None]) -> None:
    """The sqlite format gives the same bytes twice; the content matches the golden SQL dump."""
    first = _render(fixture_tables(lake))
    assert first == _render(fixture_tables(lake))
    golden("fixture/tables.sqlite.sql", sqlite_dump(first))


def test_repeated_comparison_is_stored_once(lake: LoadedDossier, comparisons: tuple[Comparison, ...]) -> None:
    """Giving the same comparison twice stores its items once."""
    db = open_sqlite(dossier_database(lake, (*comparisons, comparisons[0])))
    assert db.execute("SELECT COUNT(*) FROM results").fetchone() == (7,)


def documented_queries() -> list[str]:
    """The SQL blocks of docs/exports.md."""
    return re.findall(r"```sql\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)


@pytest.fixture(scope="module")
def bundled_database() -> object:
    """The bundled dossier's database with every response's comparison."""
    from negotiation.export.pack import response_comparisons

    record = load_dossier()
    comparisons = response_comparisons(record)
    return open_sqlite(dossier_database(record, comparisons)), comparisons


def test_docs_have_the_example_queries() -> None:
    """docs/exports.md shows six example queries."""
    assert len(documented_queries()) == 6


@pytest.mark.parametrize("index", range(6))
def test_documented_query_answers_on_the_bundled_dossier(index: int, bundled_database: tuple) -> None:  # type: ignore[type-arg]
    """Each documented query runs on the bundled dossier's database and returns rows."""
    db, _ = bundled_database
    rows = db.execute(documented_queries()[index]).fetchall()
    assert rows, documented_queries()[index]


def test_documented_count_query_matches_the_engine(bundled_database: tuple) -> None:  # type: ignore[type-arg]
    """The per-category counts from SQL equal each comparison's summary from the engine."""
    db, comparisons = bundled_database
    rows = db.execute(documented_queries()[1]).fetchall()
    from_sql = {(right, left, category): n for right, left, category, n in rows}
    from_engine = {(c.right.id, c.left.id, category): n for c in comparisons for category, n in c.summary.items() if n}
    assert from_sql == from_engine


def test_documented_rejection_query_matches_the_engine(bundled_database: tuple) -> None:  # type: ignore[type-arg]
    """The first documented query lists exactly the engine's rejection items of the U.S. response to the treaty."""
    db, comparisons = bundled_database
    expected = [
        (i.issue, i.status, i.left_stance, i.right_stance, i.rationale)
        for c in comparisons
        if (c.left.id, c.right.id) == ("ru-us-treaty-2021-12-17", "us-response-2022-01-26")
        for i in c.items
        if i.category == "rejection"
    ]
    assert expected
    assert db.execute(documented_queries()[0]).fetchall() == expected


def test_hostile_table_round_trips(lake: LoadedDossier) -> None:
    """Every hostile cell is stored exactly (SQLite holds data; no escaping is needed or done)."""
    db = open_sqlite(_render([hostile_table()]))
    assert [r[0] for r in db.execute('SELECT text FROM hostile ORDER BY "#"')] == list(HOSTILE)
