"""The classroom through the framework's test client: a class run, and every defence of issue 16's point 4."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import re
import threading
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from negotiation.cli import main
from negotiation.server import security
from negotiation.server.asgi import application
from negotiation.server.pages import prepare
from tests.server.conftest import KARST, MIDDLE, UPSTREAM, Class, open_class


def test_the_start_page_answers_and_instructor_pages_need_the_token(karst: Class) -> None:
    """`/` is 200 for anyone; every instructor page is 403 without the token or with a wrong one."""
    anyone = TestClient(karst.instructor.app, follow_redirects=False)
    assert anyone.get("/").status_code == 200
    for path in ("/instructor", "/instructor/live", "/instructor/debrief", "/instructor/export"):
        assert anyone.get(path).status_code == 403
        assert anyone.get(f"{path}?token=wrong").status_code == 403
        assert karst.instructor.get(path).status_code == 200
    anyone.cookies.set(security.INSTRUCTOR_COOKIE, "guess")
    assert anyone.get("/instructor").status_code == 403


def test_cookies_are_httponly_and_samesite_strict(karst: Class) -> None:
    """The visitor, instructor and team cookies are all HttpOnly and SameSite=Strict."""
    fresh = TestClient(karst.instructor.app, follow_redirects=False)
    headers = [fresh.get("/").headers["set-cookie"]]
    headers.append(fresh.get(f"/instructor?token={karst.room.token}").headers["set-cookie"])
    code = karst.add_group("g1")["aldoria"]
    team = TestClient(karst.instructor.app, follow_redirects=False)
    headers.append(team.post("/join", data={"csrf": karst.csrf(team, "/"), "code": code}).headers["set-cookie"])
    names = [h.split("=", 1)[0] for h in headers]
    assert names == [security.VISITOR_COOKIE, security.INSTRUCTOR_COOKIE, security.TEAM_COOKIE]
    for header in headers:
        flags = [f.strip().lower() for f in header.split(";")[1:]]
        assert "httponly" in flags and "samesite=strict" in flags


def test_a_class_run_scores_each_team_against_its_own_schedule_only(karst: Class) -> None:
    """A team tables a package in the open round, sees its own points and never another party's."""
    codes = karst.add_group("g1")
    karst.round(1, "open")
    aldoria = karst.team(codes["aldoria"])
    page = karst.submit(aldoria, MIDDLE)
    # Aldoria's schedule: 20 + 12 + 10 + 10 + 6 = 58 against a reservation value of 50.
    assert "Against your own schedule: 58.0 points, reservation value 50.0, margin 8.0 — you accept." in page
    team_page = aldoria.get("/team").text
    assert "confidential brief for Aldoria" in team_page
    for other in ("Brevnia", "Castellan", "Basin NGO coalition"):
        assert f"confidential brief for {other}" not in team_page
    # Brevnia's points for this package (20 + 15 + 10 + 8 + 5 = 58 too) would be the same; Castellan's
    # 10 + 10 + 15 + 20 + 8 = 63 must not appear anywhere on Aldoria's pages.
    assert "63.0" not in team_page and "63.0" not in page
    assert "58.0" in karst.instructor.get("/instructor/live").text


def test_submissions_are_append_only_with_time_round_team_and_hash(karst: Class) -> None:
    """Two submissions in a round are both kept, each with its round, team and the SHA-256 of its content."""
    codes = karst.add_group("g1")
    karst.round(1, "open")
    brevnia = karst.team(codes["brevnia"])
    karst.submit(brevnia, UPSTREAM)
    karst.submit(brevnia, MIDDLE)
    stored = karst.room.store.submissions("g1-brevnia")
    assert [(s.team, s.round) for s in stored] == [("g1-brevnia", 1), ("g1-brevnia", 1)]
    assert [s.sha256 for s in stored] == [hashlib.sha256(s.content.encode()).hexdigest() for s in stored]
    assert stored[0].created_at <= stored[1].created_at
    assert "a: a1" in stored[0].content and "a: a2" in stored[1].content


def test_a_team_never_reads_another_teams_unpublished_package(karst: Class) -> None:
    """Brevnia's package is not on Aldoria's page nor in its preview until the instructor publishes round 1."""
    codes = karst.add_group("g1")
    karst.round(1, "open")
    aldoria, brevnia = karst.team(codes["aldoria"]), karst.team(codes["brevnia"])
    karst.submit(brevnia, {"a": "a3", "b": "b3", "c": "c3", "d": "d3", "e": "e3"})
    assert "a3" not in aldoria.get("/team").text.split("Published packages")[1].split("General brief")[0]
    assert "No other party's package is published yet." in karst.submit(aldoria, MIDDLE, "preview")
    karst.round(1, "publish")
    published = aldoria.get("/team").text
    assert re.search(r"<td>1</td><td>brevnia</td><td>a3</td><td>b3</td>", published)
    preview = karst.submit(aldoria, MIDDLE, "preview")
    assert "<td>brevnia</td><td>a</td><td>a3</td><td>untabled</td><td>untabled → apart</td>" in preview


def test_guessed_ids_urls_and_replayed_cookies_reach_no_other_team(karst: Class) -> None:
    """No URL takes a team id; a cookie holding another team's id, name or join code is no session."""
    codes = karst.add_group("g1")
    karst.round(1, "open")
    aldoria = karst.team(codes["aldoria"])
    for path in ("/team/g1-brevnia", "/team/2", "/team/submissions/1", "/submissions/1", "/team/brevnia/brief"):
        assert aldoria.get(path).status_code == 404
    assert "confidential brief for Brevnia" not in aldoria.get("/team?team=g1-brevnia&role=brevnia").text
    for replay in ("g1-brevnia", "brevnia", codes["brevnia"], "1"):
        thief = TestClient(karst.instructor.app, follow_redirects=False)
        thief.cookies.set(security.TEAM_COOKIE, replay)
        answer = thief.get("/team")
        assert answer.status_code == 401 and "Brevnia" not in answer.text.split("</header>")[1]
    # A team's own session is not an instructor's either.
    assert aldoria.get("/instructor/live").status_code == 403


def test_forms_without_the_right_csrf_token_change_nothing(karst: Class) -> None:
    """Every form refuses a missing or foreign CSRF token with 403, and stores nothing."""
    codes = karst.add_group("g1")
    karst.round(1, "open")
    aldoria, brevnia = karst.team(codes["aldoria"]), karst.team(codes["brevnia"])
    foreign = karst.csrf(brevnia, "/team")
    for token in (None, "", foreign):
        data = {"issue-" + k: v for k, v in MIDDLE.items()}
        if token is not None:
            data["csrf"] = token
        assert aldoria.post("/team/submit", data=data).status_code == 403
        assert (
            karst.instructor.post(
                "/instructor/groups", data={"group": "g2", **({"csrf": token} if token else {})}
            ).status_code
            == 403
        )
        assert karst.instructor.post("/instructor/rounds", data={"round": "1", "action": "close"}).status_code == 403
    fresh = TestClient(karst.instructor.app, follow_redirects=False)
    fresh.get("/")
    assert fresh.post("/join", data={"code": codes["castellan"], "csrf": foreign}).status_code == 403
    assert karst.room.store.submissions() == [] and karst.room.store.groups() == ["g1"]
    assert karst.room.store.rounds() == {1: ("open", False)}


def test_typed_text_is_inert_on_every_page(karst: Class) -> None:
    """A `<script>` typed into a form comes back as text, and pages forbid inline script besides."""
    codes = karst.add_group("g1")
    karst.round(1, "open")
    aldoria = karst.team(codes["aldoria"])
    payload = "<script>alert(1)</script>"
    answer = aldoria.post(
        "/team/submit", data={"csrf": karst.csrf(aldoria, "/team"), **{f"issue-{k}": payload for k in MIDDLE}}
    )
    assert answer.status_code == 400
    assert "<script>alert" not in answer.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text
    answer = karst.instructor.post(
        "/instructor/groups", data={"csrf": karst.csrf(karst.instructor, "/instructor"), "group": payload}
    )
    assert "<script>alert" not in answer.text
    assert "script-src 'self'" in answer.headers["content-security-policy"]


def test_request_bodies_are_bounded(karst: Class) -> None:
    """A body over 64 KiB is refused with 413, whether declared or streamed without a length."""
    anyone = TestClient(karst.instructor.app, follow_redirects=False)
    big = b"code=" + b"A" * (security.MAX_BODY + 1)
    assert (
        anyone.post("/join", content=big, headers={"content-type": "application/x-www-form-urlencoded"}).status_code
        == 413
    )

    def chunks() -> object:
        for _ in range(20):
            yield b"A" * 8192

    streamed = anyone.post("/join", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"})  # type: ignore[arg-type]
    assert streamed.status_code == 413
    # Refused before the handler ran: not even counted as a join attempt.
    assert karst.room.store.join_failures_since("testclient", dt.datetime(2000, 1, 1, tzinfo=dt.UTC)) == 0


def test_join_codes_are_unguessable_and_attempts_limited(karst: Class) -> None:
    """Codes are 10 letters of a 31-letter alphabet, one per team; after 10 wrong codes even the right one waits."""
    codes = karst.add_group("g1")
    assert len(set(codes.values())) == 4
    assert all(len(c) == 10 and set(c) <= set(security.CODE_ALPHABET) for c in codes.values())
    assert security.join_code("another secret", "g1-aldoria") != codes["aldoria"]
    guesser = TestClient(karst.instructor.app, follow_redirects=False)
    for attempt in range(security.JOIN_ATTEMPTS):
        answer = guesser.post("/join", data={"csrf": karst.csrf(guesser, "/"), "code": f"WRONG{attempt}"})
        assert answer.status_code == 400 and "No team has this code" in answer.text
    answer = guesser.post("/join", data={"csrf": karst.csrf(guesser, "/"), "code": codes["aldoria"]})
    assert answer.status_code == 429 and security.TEAM_COOKIE not in answer.headers.get("set-cookie", "")


def test_bad_input_gets_a_message_on_the_page(karst: Class) -> None:
    """Each form's bad input is one clear sentence on the page with status 400/409, never a traceback."""
    codes = karst.add_group("g1")
    aldoria = karst.team(codes["aldoria"])
    token = karst.csrf(karst.instructor, "/instructor")
    cases = [
        (
            karst.instructor.post("/instructor/groups", data={"csrf": token, "group": "Group 1!"}),
            400,
            "A group name is a letter",
        ),
        (
            karst.instructor.post("/instructor/groups", data={"csrf": token, "group": "g1"}),
            400,
            "There is already a group 'g1'.",
        ),
        (
            karst.instructor.post("/instructor/rounds", data={"csrf": token, "round": "9", "action": "open"}),
            400,
            "Choose one of the exercise's rounds: 1, 2, 3.",
        ),
        (
            karst.instructor.post("/instructor/rounds", data={"csrf": token, "round": "1", "action": "drop"}),
            400,
            "Choose open, close or publish.",
        ),
        (
            aldoria.post(
                "/team/submit",
                data={"csrf": karst.csrf(aldoria, "/team"), **{f"issue-{k}": v for k, v in MIDDLE.items()}},
            ),
            409,
            "No round is open",
        ),
    ]
    karst.round(1, "open")
    cases.append(
        (
            aldoria.post("/team/submit", data={"csrf": karst.csrf(aldoria, "/team"), "issue-a": "a9"}),
            400,
            "issue 'a' has no option 'a9'",
        )
    )
    for answer, status, message in cases:
        text = html.unescape(answer.text)
        assert (answer.status_code, message in text, "Traceback" in text) == (status, True, False)


def test_concurrent_submissions_are_all_stored(karst: Class) -> None:
    """Twelve teams submitting five packages each at once: all sixty stored, each once."""
    codes = {**karst.add_group("g1"), **{f"h-{r}": c for r, c in karst.add_group("g2").items()}}
    codes.update({f"i-{r}": c for r, c in karst.add_group("g3").items()})
    karst.round(1, "open")
    clients = [karst.team(code) for code in codes.values()]
    failures: list[str] = []

    def table(client: TestClient) -> None:
        for _ in range(5):
            if "Submitted" not in karst.submit(client, MIDDLE):
                failures.append("refused")

    threads = [threading.Thread(target=table, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = karst.room.store.submissions()
    assert (failures, len(stored), len({s.id for s in stored})) == ([], 60, 60)
    assert sorted({s.team for s in stored}) == sorted(t.id for t in karst.room.store.teams())


def test_the_export_is_an_exercise_folder_the_cli_reads_unchanged(
    karst: Class, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The exported zip holds the exercise, each group's rounds and the briefing pack; `exercise debrief` reads it."""
    codes = karst.add_group("g1")
    for number, package in ((1, UPSTREAM), (2, MIDDLE)):
        karst.round(number, "open")
        for code in codes.values():
            karst.submit(karst.team(code), package)
    archive = zipfile.ZipFile(io.BytesIO(karst.instructor.get("/instructor/export").content))
    archive.extractall(tmp_path)
    folder = tmp_path / "karst-lake-basin-accord"
    assert sorted(p.name for p in (folder / "runs" / "g1" / "round-2").iterdir()) == [
        "aldoria.yaml",
        "brevnia.yaml",
        "castellan.yaml",
        "ngo.yaml",
    ]
    assert (folder / "briefs" / "general.md").is_file() and (folder / "briefs" / "aldoria.md").is_file()
    capsys.readouterr()
    assert main(["exercise", "rounds", str(folder), str(folder / "runs" / "g1"), "--format", "json"]) == 0
    assert main(["exercise", "debrief", str(folder), str(folder / "runs" / "g1")]) == 0
    out = capsys.readouterr().out
    assert "aldoria" in out and "a2" in out
    page = karst.instructor.get("/instructor/debrief").text
    assert "Group g1" in page and "unknown format" not in page
    assert page.count("a2 b2 c2 d2 e2") >= 1 or "a2" in page.split("Group g1")[1]


def test_a_restart_keeps_every_submission(db_url: str) -> None:
    """A new server on the same database finds the submissions, the token and the join codes."""
    first = open_class(KARST, db_url)
    codes = first.add_group("g1")
    first.round(1, "open")
    first.submit(first.team(codes["ngo"]), MIDDLE)
    before = [s.content for s in first.room.store.submissions()]
    first.room.store.engine.dispose()
    again = prepare(KARST, db_url)
    assert again.token == first.room.token and again.codes("g1") == codes
    assert [s.content for s in again.store.submissions()] == before
    client = TestClient(application(again), follow_redirects=False)
    assert (
        client.post("/join", data={"csrf": Class(again, client).csrf(client, "/"), "code": codes["ngo"]}).status_code
        == 303
    )
    assert "a2 b2 c2 d2 e2" in client.get("/team").text
    again.store.engine.dispose()


def test_serve_refuses_several_workers_on_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`serve --workers 2` without PostgreSQL is a usage error (exit 2, one line), and starts nothing."""
    db = f"sqlite:///{tmp_path / 'class.sqlite'}"
    assert main(["serve", KARST, "--db", db, "--workers", "2"]) == 2
    assert capsys.readouterr().err == (
        "negotiation: --workers above 1 needs --db postgresql://... (SQLite serves one process)\n"
    )
    assert not (tmp_path / "class.sqlite").exists()


def test_serve_without_the_extra_names_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Without the serve extra's libraries, `serve` says which extra to install (exit 2), no traceback."""
    import sys

    monkeypatch.chdir(tmp_path)  # should it start after all, its database is not left in the checkout
    for name in [m for m in sys.modules if m.startswith("negotiation.server")]:
        monkeypatch.delitem(sys.modules, name)
    # Every starlette module, not only the package: an imported submodule would be found on its own.
    for name in [m for m in sys.modules if m == "starlette" or m.startswith("starlette.")] or ["starlette"]:
        monkeypatch.setitem(sys.modules, name, None)
    assert main(["serve", KARST]) == 2
    assert capsys.readouterr().err == (
        "negotiation: command 'serve' needs the serve extra: pip install 'negotiation[serve]'\n"
    )


@pytest.mark.parametrize(
    "example",
    [
        "karst-lake-basin-accord",
        "nato-russia-council-consensus",
        "one-text-february-2022",
        "writing-the-26-january-reply",
    ],
)
def test_every_shipped_example_runs_a_round(example: str, tmp_path: Path) -> None:
    """Every team of every example (mediators and observers too) tables a package; debrief and export answer."""
    room = open_class(str(Path(KARST).parent / example), f"sqlite:///{tmp_path / 'class.sqlite'}")
    codes = room.add_group("g1")
    room.round(1, "open")
    answers = []
    for code in codes.values():
        client = room.team(code)
        first = dict(
            re.findall(r'<select name="issue-([^"]+)"[^>]*>\s*<option value="([^"]+)"', client.get("/team").text)
        )
        answers.append("Submitted" in room.submit(client, first))
    assert answers == [True] * len(room.room.playing_roles)
    assert room.instructor.get("/instructor/debrief").status_code == 200
    assert room.instructor.get("/instructor/export").headers["content-type"] == "application/zip"
    room.room.store.engine.dispose()
