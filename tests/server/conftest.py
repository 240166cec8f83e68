"""Fixtures for the classroom: a store on SQLite always, and on PostgreSQL when NEGOTIATION_TEST_POSTGRES_URL is set.

Without that variable the PostgreSQL cases skip with their reason shown, unless
NEGOTIATION_REQUIRE_POSTGRES=1 (as in CI), where a missing server fails the run.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from starlette.testclient import TestClient

from negotiation.server.asgi import application
from negotiation.server.pages import Classroom, prepare
from negotiation.server.storage import make_engine

ROOT = Path(__file__).resolve().parents[2]
KARST = str(ROOT / "examples" / "karst-lake-basin-accord")
POSTGRES = os.environ.get("NEGOTIATION_TEST_POSTGRES_URL")
NO_POSTGRES = "PostgreSQL unavailable: set NEGOTIATION_TEST_POSTGRES_URL=postgresql://... (.ci/run starts one)"


def database_urls() -> list[object]:
    """SQLite always; PostgreSQL as a visible skip when no server is given (a failure when one is required)."""
    if POSTGRES is None and os.environ.get("NEGOTIATION_REQUIRE_POSTGRES") == "1":
        raise pytest.UsageError("NEGOTIATION_REQUIRE_POSTGRES=1 but NEGOTIATION_TEST_POSTGRES_URL is not set")
    postgres = pytest.param("postgresql", marks=pytest.mark.skipif(POSTGRES is None, reason=NO_POSTGRES))
    return ["sqlite", postgres]


@pytest.fixture(params=database_urls())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: an SQLite file, or a schema of its own on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'class.sqlite'}"
        return
    assert POSTGRES is not None
    name = f"t{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {name}"))
    separator = "&" if "?" in POSTGRES else "?"
    yield f"{POSTGRES}{separator}options=-csearch_path%3D{name}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
    admin.dispose()


@dataclass
class Class:
    """A prepared classroom, its test client signed in as instructor, and helpers to drive it."""

    room: Classroom
    instructor: TestClient

    def csrf(self, client: TestClient, path: str) -> str:
        """The CSRF token in the first form of the page at ``path``."""
        found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
        assert found is not None
        return found.group(1)

    def add_group(self, group: str) -> dict[str, str]:
        """Add a group; role -> join code, as the dashboard shows them."""
        response = self.instructor.post(
            "/instructor/groups", data={"csrf": self.csrf(self.instructor, "/instructor"), "group": group}
        )
        assert response.status_code == 303
        page = self.instructor.get("/instructor").text
        return dict(re.findall(rf'data-team="{group}-([a-z0-9-]+)">([A-Z0-9]+)<', page))

    def round(self, number: int, action: str) -> None:
        """Open, close or publish a round."""
        data = {"csrf": self.csrf(self.instructor, "/instructor"), "round": str(number), "action": action}
        assert self.instructor.post("/instructor/rounds", data=data).status_code == 303

    def team(self, code: str) -> TestClient:
        """A fresh browser of a team that joined with ``code``."""
        client = TestClient(self.instructor.app, follow_redirects=False)
        response = client.post("/join", data={"csrf": self.csrf(client, "/"), "code": code})
        assert response.status_code == 303, response.text
        return client

    def submit(self, team: TestClient, options: dict[str, str], action: str = "submit") -> str:
        """Post a package from a team's page; the page answered."""
        data = {"csrf": self.csrf(team, "/team"), **{f"issue-{k}": v for k, v in options.items()}}
        return team.post(f"/team/{action}", data=data).text


def open_class(exercise: str, url: str) -> Class:
    """A classroom on ``url`` with the instructor signed in."""
    room = prepare(exercise, url)
    instructor = TestClient(application(room), follow_redirects=False)
    assert instructor.get(f"/instructor?token={room.token}").status_code == 303
    return Class(room, instructor)


@pytest.fixture
def karst(db_url: str) -> Iterator[Class]:
    """The Karst Lake classroom on a fresh database."""
    opened = open_class(KARST, db_url)
    yield opened
    opened.room.store.engine.dispose()


MIDDLE = {"a": "a2", "b": "b2", "c": "c2", "d": "d2", "e": "e2"}
UPSTREAM = {"a": "a1", "b": "b1", "c": "c1", "d": "d1", "e": "e1"}


def sqlite_only(url: str) -> None:
    """Skip a case that is about the SQLite file itself."""
    if not url.startswith("sqlite"):
        pytest.skip("about the SQLite file")


__all__ = ["KARST", "MIDDLE", "UPSTREAM", "Class", "create_engine", "open_class"]
