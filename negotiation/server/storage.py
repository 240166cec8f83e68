"""The classroom's storage: a small relational schema behind SQLAlchemy, migrated by Alembic.

Embedded SQLite by default, PostgreSQL for a department's server. Submissions are append-only: the
store inserts them and never updates or deletes one; each carries its time, round, team and the
SHA-256 of its content.

>>> # store = Store.open("sqlite:///class.db"); store.submissions(team_id)
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine

from negotiation.server.changes import CHANNEL, Changes

metadata = MetaData()

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
groups = Table(
    "groups",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
teams = Table(
    "teams",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("group_id", String(32), ForeignKey("groups.id"), nullable=False),
    Column("role", String(64), nullable=False),
    # Only digests are stored: a copy of the database hands out neither join codes nor sessions.
    Column("code_digest", String(64), nullable=False, unique=True),
    Column("session_digest", String(64), unique=True),
)
rounds = Table(
    "rounds",
    metadata,
    Column("number", Integer, primary_key=True),
    Column("state", String(16), nullable=False),  # open | closed
    Column("published", Integer, nullable=False, default=0),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)
submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team_id", String(64), ForeignKey("teams.id"), nullable=False, index=True),
    Column("round", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("content", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
)
join_failures = Table(
    "join_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client", String(64), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
)


def digest(text: str) -> str:
    """The SHA-256 hex digest of ``text`` (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Team:
    """A team of one group playing one role."""

    id: str
    group: str
    role: str


@dataclass(frozen=True)
class StoredSubmission:
    """One tabled submission, as stored."""

    id: int
    team: str
    round: int
    created_at: dt.datetime
    content: str
    sha256: str


def migrate(url: str) -> None:
    """Bring the database at ``url`` to the newest schema with the migrations shipped in this package."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite in WAL mode with a busy timeout, so concurrent writers wait, not fail."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a submission acknowledged to a team survives a power cut, not only a killed process.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


class Store:
    """The classroom's data: settings, groups, teams, rounds and the append-only submissions."""

    def __init__(self, engine: Engine, changes: Changes) -> None:
        self.engine = engine
        self.changes = changes

    @classmethod
    def open(cls, url: str) -> Store:
        """Migrate the database at ``url`` and open it."""
        migrate(url)
        plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
        return cls(make_engine(url), Changes(plain))

    @contextmanager
    def changing(self) -> Iterator[Connection]:
        """A transaction that changes what the live view shows: every worker hears of it once it commits."""
        with self.engine.begin() as conn:
            yield conn
            if self.changes.shared:
                # Sent by PostgreSQL only when the transaction commits, to every listening worker.
                conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
        self.changes.bump()

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A transaction."""
        with self.engine.begin() as conn:
            yield conn

    # -- settings ----------------------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        """The stored value of ``key``, or None."""
        with self.engine.connect() as conn:
            return conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar_one_or_none()

    def setting_or_create(self, key: str, make: Any) -> str:
        """The value of ``key``; stored from ``make()`` the first time (the first writer wins)."""
        found = self.setting(key)
        if found is not None:
            return found
        try:
            with self.begin() as conn:
                conn.execute(insert(settings).values(key=key, value=make()))
        except Exception:
            pass  # another worker stored it first; read theirs
        value = self.setting(key)
        assert value is not None
        return value

    # -- groups and teams --------------------------------------------------------------------------

    def add_group(self, group_id: str, roles: list[str], codes: dict[str, str]) -> None:
        """Add a group with one team per role; ``codes`` maps role -> join code (stored as digests)."""
        with self.begin() as conn:
            conn.execute(insert(groups).values(id=group_id, created_at=now()))
            for role in roles:
                conn.execute(
                    insert(teams).values(
                        id=f"{group_id}-{role}", group_id=group_id, role=role, code_digest=digest(codes[role])
                    )
                )

    def groups(self) -> list[str]:
        """Group ids in creation order."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(groups.c.id).order_by(groups.c.created_at, groups.c.id)).scalars())

    def teams(self, group_id: str | None = None) -> list[Team]:
        """Every team (of one group), by id."""
        query = select(teams.c.id, teams.c.group_id, teams.c.role).order_by(teams.c.id)
        if group_id is not None:
            query = query.where(teams.c.group_id == group_id)
        with self.engine.connect() as conn:
            return [Team(*row) for row in conn.execute(query)]

    def join(self, code: str, session: str) -> Team | None:
        """The team whose join code is ``code``, now bound to ``session``; None for a wrong code."""
        with self.begin() as conn:
            row = conn.execute(
                select(teams.c.id, teams.c.group_id, teams.c.role).where(teams.c.code_digest == digest(code))
            ).first()
            if row is None:
                return None
            conn.execute(update(teams).where(teams.c.id == row[0]).values(session_digest=digest(session)))
            return Team(*row)

    def team_of_session(self, session: str) -> Team | None:
        """The team a session cookie belongs to, or None."""
        query = select(teams.c.id, teams.c.group_id, teams.c.role).where(teams.c.session_digest == digest(session))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return Team(*row) if row is not None else None

    def record_join_failure(self, client: str) -> None:
        """Count one failed join attempt from ``client``."""
        with self.begin() as conn:
            conn.execute(insert(join_failures).values(client=client, at=now()))

    def join_failures_since(self, client: str, since: dt.datetime) -> int:
        """Failed join attempts from ``client`` since ``since``."""
        query = select(func.count()).where(join_failures.c.client == client, join_failures.c.at >= since)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    # -- rounds ------------------------------------------------------------------------------------

    def rounds(self) -> dict[int, tuple[str, bool]]:
        """Round number -> (state, published)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(rounds.c.number, rounds.c.state, rounds.c.published).order_by(rounds.c.number))
            return {n: (s, bool(p)) for n, s, p in rows}

    def set_round(self, number: int, state: str | None = None, published: bool | None = None) -> None:
        """Open, close or publish round ``number`` (created on first use)."""
        with self.changing() as conn:
            exists = conn.execute(select(rounds.c.number).where(rounds.c.number == number)).first()
            values: dict[str, Any] = {"changed_at": now()}
            if state is not None:
                values["state"] = state
            if published is not None:
                values["published"] = int(published)
            if exists is None:
                values.setdefault("state", "closed")
                values.setdefault("published", 0)
                conn.execute(insert(rounds).values(number=number, **values))
            else:
                conn.execute(update(rounds).where(rounds.c.number == number).values(**values))

    def open_round(self) -> int | None:
        """The open round's number (the highest, if several), or None."""
        return max((n for n, (state, _) in self.rounds().items() if state == "open"), default=None)

    # -- submissions (append-only) -----------------------------------------------------------------

    def submit(self, team_id: str, round_number: int, content: str) -> StoredSubmission:
        """Append one submission; never replaces an earlier one."""
        created = now()
        sha = digest(content)
        with self.changing() as conn:
            result = conn.execute(
                insert(submissions).values(
                    team_id=team_id, round=round_number, created_at=created, content=content, sha256=sha
                )
            )
            key = result.inserted_primary_key
            assert key is not None
        return StoredSubmission(int(key[0]), team_id, round_number, created, content, sha)

    def submissions(self, team_id: str | None = None) -> list[StoredSubmission]:
        """Every submission (of one team), oldest first."""
        query = select(submissions).order_by(submissions.c.id)
        if team_id is not None:
            query = query.where(submissions.c.team_id == team_id)
        with self.engine.connect() as conn:
            return [
                StoredSubmission(r.id, r.team_id, r.round, r.created_at, r.content, r.sha256)
                for r in conn.execute(query)
            ]

    def latest(self, group_id: str, before_round: int | None = None) -> dict[str, StoredSubmission]:
        """Each team's latest submission in a group (up to ``before_round`` inclusive), by team id."""
        found: dict[str, StoredSubmission] = {}
        members = {team.id for team in self.teams(group_id)}
        for each in self.submissions():
            if each.team in members and (before_round is None or each.round <= before_round):
                found[each.team] = each
        return found

    def change_mark(self) -> str:
        """A short mark that changes whenever a submission or round changes (for the live view)."""
        with self.engine.connect() as conn:
            last = conn.execute(select(func.max(submissions.c.id))).scalar_one()
            changed = conn.execute(select(func.max(rounds.c.changed_at))).scalar_one()
        # Digits and a dash only, so the mark travels in a URL as it is.
        return f"{last or 0}-{changed.strftime('%Y%m%d%H%M%S%f') if changed else 0}"
