"""The live view hears of every change within a second: in one process, and across uvicorn workers
through PostgreSQL's LISTEN/NOTIFY."""

from __future__ import annotations

import re
import threading
import time

import httpx2
import pytest

from negotiation.server import instructor
from negotiation.server.storage import Store
from tests.server.conftest import KARST, MIDDLE, POSTGRES, Class, open_class
from tests.server.serving import add_group, csrf, serve, set_round, team


def mark_of(page: str) -> str:
    """The change mark a live fragment shows."""
    found = re.search(r'data-mark="([^"]*)"', page)
    assert found is not None
    return found.group(1)


def test_the_live_view_answers_a_long_poll_when_a_team_submits(karst: Class, monkeypatch: pytest.MonkeyPatch) -> None:
    """`/instructor/live?after=MARK` waits while nothing changes, and answers within a second of a submission."""
    monkeypatch.setattr(instructor, "LONG_POLL", 0.5)
    codes = karst.add_group("g1")
    karst.round(1, "open")
    castellan = karst.team(codes["castellan"])
    mark = mark_of(karst.instructor.get("/instructor/live").text)
    began = time.monotonic()
    assert mark_of(karst.instructor.get(f"/instructor/live?after={mark}").text) == mark
    assert time.monotonic() - began >= 0.5  # nothing changed: it waited the whole poll
    monkeypatch.setattr(instructor, "LONG_POLL", 10.0)
    answered: list[tuple[float, str]] = []
    poll = threading.Thread(
        target=lambda: answered.append((time.monotonic(), karst.instructor.get(f"/instructor/live?after={mark}").text))
    )
    poll.start()
    time.sleep(0.3)
    submitted = time.monotonic()
    karst.submit(castellan, MIDDLE)
    poll.join(5)
    assert answered and answered[0][0] - submitted < 1.0
    assert mark_of(answered[0][1]) != mark and 'data-count="1"' in answered[0][1]


@pytest.mark.skipif(POSTGRES is None, reason="PostgreSQL unavailable: set NEGOTIATION_TEST_POSTGRES_URL")
def test_a_worker_hears_another_workers_change_through_notify(db_url: str) -> None:
    """Two stores on one PostgreSQL database (as two workers): a submission through one wakes the other."""
    if not db_url.startswith("postgresql"):
        pytest.skip("about PostgreSQL's channel")
    first = open_class(KARST, db_url)
    codes = first.add_group("g1")
    first.round(1, "open")
    other = Store.open(db_url)
    other.changes.start()
    seen = other.changes.generation
    first.submit(first.team(codes["ngo"]), MIDDLE)
    deadline = time.monotonic() + 1.0
    while other.changes.generation == seen and time.monotonic() < deadline:
        time.sleep(0.01)
    assert other.changes.generation != seen
    other.engine.dispose()
    first.room.store.engine.dispose()


def long_poll(client: httpx2.Client, mark: str, answered: list[float]) -> None:
    """Long-poll the live view past ``mark``; note when it answered."""
    assert client.get(f"/instructor/live?after={mark}").status_code == 200
    answered.append(time.monotonic())


@pytest.mark.skipif(POSTGRES is None, reason="PostgreSQL unavailable: set NEGOTIATION_TEST_POSTGRES_URL")
def test_two_uvicorn_workers_on_postgresql_update_the_live_view_within_a_second(db_url: str) -> None:
    """`serve --workers 2`: six long polls, each answered within a second of the submission that followed it."""
    if not db_url.startswith("postgresql"):
        pytest.skip("--workers needs PostgreSQL")
    with serve(KARST, db_url, "--workers", "2") as served:
        boss = served.client()
        assert boss.get(served.instructor_link).status_code == 303
        codes = add_group(boss, "g1")
        set_round(boss, 1, "open")
        teams = [team(served, code) for code in codes.values()]
        delays = []
        for turn in range(6):
            mark = mark_of(boss.get("/instructor/live").text)
            answered: list[float] = []
            watcher = served.client()
            watcher.cookies = boss.cookies
            poll = threading.Thread(target=long_poll, args=(watcher, mark, answered))
            poll.start()
            time.sleep(0.3)
            client = teams[turn % len(teams)]
            data = {"csrf": csrf(client, "/team"), **{f"issue-{k}": v for k, v in MIDDLE.items()}}
            sent = time.monotonic()
            assert "Submitted" in client.post("/team/submit", data=data).text
            poll.join(5)
            delays.append(answered[0] - sent if answered else 99.0)
        assert max(delays) < 1.0, delays
