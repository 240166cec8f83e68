"""The instructor's pages: groups and join codes, rounds (and the injects they read out), the live
matrix, publishing, the debrief, and the export of the run. Every page needs the instructor's token.

The token arrives once in the link the server prints (``?token=...``); it is then kept in an
HttpOnly, SameSite=Strict cookie, so later links do not carry it.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from negotiation.errors import NegotiationError
from negotiation.exercises.brief import write_briefs
from negotiation.exercises.classroom import export_run, group_rows, read_package
from negotiation.exercises.debrief import debrief
from negotiation.exercises.load import load_exercise
from negotiation.exercises.views import debrief_tables
from negotiation.render import render
from negotiation.server import security
from negotiation.server.pages import Classroom, Handler, guarded_call, page, problem

GROUP_ID = re.compile(r"^[a-z][a-z0-9]{0,15}$")
INSTRUCTOR_SESSION = "instructor"
#: The debrief page shows the tables as the CLI prints them by default.
DEBRIEF_FORMAT = "simple"


def instructor_only(handler: Handler) -> Handler:
    """Run ``handler`` only with the token (query on first visit, then cookie); 403 otherwise."""

    async def guarded(request: Request) -> Response:
        room: Classroom = request.app.state.room
        given = request.query_params.get("token")
        if given is not None and security.same(given, room.token):
            # Trade the token in the link for a cookie, and drop it from the address bar and history.
            response = RedirectResponse(request.url.path, status_code=303)
            response.set_cookie(security.INSTRUCTOR_COOKIE, room.token, **security.COOKIE_FLAGS)
            return response
        if not security.same(request.cookies.get(security.INSTRUCTOR_COOKIE), room.token):
            return problem(request, "This page is for the instructor: open the link the server printed.", 403)
        return await guarded_call(request, handler, INSTRUCTOR_SESSION)

    return guarded


def matrix(room: Classroom) -> list[dict[str, Any]]:
    """Per group: each team's latest package scored against every schedule (the live view's data)."""
    current = room.store.open_round() or max(room.store.rounds(), default=None)
    scorer = room.scorer(current)
    by_team = {t.id: t for t in room.store.teams()}
    groups = []
    for group in room.store.groups():
        latest = room.store.latest(group)
        rows = group_rows(
            scorer,
            [
                (team, by_team[team].role, s.round, read_package(room.loaded, s.content))
                for team, s in sorted(latest.items())
            ],
        )
        groups.append(
            {"id": group, "rows": rows, "waiting": [t.role for t in room.store.teams(group) if t.id not in latest]}
        )
    return groups


@instructor_only
async def dashboard(request: Request) -> Response:
    """The instructor's dashboard: groups with their join codes, rounds, the live matrix."""
    room: Classroom = request.app.state.room
    codes = {g: room.codes(g) for g in room.store.groups()}
    return page(
        request,
        "instructor.html",
        codes=codes,
        rounds=room.store.rounds(),
        planned=[r.number for r in room.loaded.exercise.rounds],
        groups=matrix(room),
        scored=room.scorer(None).scored,
        count=len(room.store.submissions()),
        mark=room.store.change_mark(),
    )


#: Longest a live-view request waits for a change before answering with the same matrix.
LONG_POLL = 20.0


@instructor_only
async def live(request: Request) -> Response:
    """The live matrix alone. With ``?after=MARK`` (the mark the page shows) it answers once the class
    changed, from whichever worker the change came (LISTEN/NOTIFY on PostgreSQL), or after 20 s."""
    room: Classroom = request.app.state.room
    after = request.query_params.get("after")
    if after is not None:
        changes = room.store.changes
        changes.start()
        generation = changes.generation
        if room.store.change_mark() == after:
            await changes.wait(generation, LONG_POLL)
    return page(
        request,
        "live.html",
        groups=matrix(room),
        scored=room.scorer(None).scored,
        count=len(room.store.submissions()),
        mark=room.store.change_mark(),
    )


@instructor_only
async def add_group(request: Request) -> Response:
    """Add a group: one team per playing role, each with its join code."""
    room: Classroom = request.app.state.room
    form = request.state.form
    group = form.get("group", "").strip().lower()
    if not GROUP_ID.match(group):
        return problem(request, "A group name is a letter then up to 15 letters or digits, e.g. g1.")
    if group in room.store.groups():
        return problem(request, f"There is already a group '{group}'.")
    room.store.add_group(group, room.playing_roles, {r: code for r, code in room.codes(group).items()})
    return RedirectResponse("/instructor", status_code=303)


@instructor_only
async def set_round(request: Request) -> Response:
    """Open, close or publish a round; opening a round reads out its injects and closes the others."""
    room: Classroom = request.app.state.room
    form = request.state.form
    planned = [r.number for r in room.loaded.exercise.rounds] or [1]
    number_text, action = form.get("round", ""), form.get("action", "")
    if not number_text.isdigit() or int(number_text) not in planned:
        return problem(request, f"Choose one of the exercise's rounds: {', '.join(map(str, planned))}.")
    number = int(number_text)
    if action == "open":
        for other, (state, _) in room.store.rounds().items():
            if state == "open" and other != number:
                room.store.set_round(other, state="closed")
        room.store.set_round(number, state="open")
    elif action == "close":
        room.store.set_round(number, state="closed")
    elif action == "publish":
        room.store.set_round(number, published=True)
    else:
        return problem(request, "Choose open, close or publish.")
    return RedirectResponse("/instructor", status_code=303)


def runs(room: Classroom) -> dict[str, list[tuple[str, int, str]]]:
    """Group -> (role, round, package file) of every submission, oldest first."""
    by_team = {t.id: t for t in room.store.teams()}
    found: dict[str, list[tuple[str, int, str]]] = {g: [] for g in room.store.groups()}
    for s in room.store.submissions():
        team = by_team[s.team]
        found[team.group].append((team.role, s.round, s.content))
    return found


@instructor_only
async def debrief_page(request: Request) -> Response:
    """The debrief of every group that tabled something, as the CLI's debrief writes it."""
    room: Classroom = request.app.state.room
    reports = []
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / room.loaded.id
        folders = export_run(room.loaded, target, {g: f for g, f in runs(room).items() if f})
        # The debrief reads the exported copy, exactly as `negotiation exercise debrief` would.
        copy = load_exercise(target)
        for run in folders:
            try:
                text = str(render(debrief_tables(copy, debrief(copy, run)), DEBRIEF_FORMAT))
            except NegotiationError as error:
                text = str(error)
            reports.append((run.name, text))
    return page(request, "debrief.html", reports=reports)


@instructor_only
async def export(request: Request) -> Response:
    """The run as a zip: the exercise folder with ``runs/<group>/round-<n>/`` and the briefing pack in ``briefs/``."""
    room: Classroom = request.app.state.room
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / room.loaded.id
        export_run(room.loaded, target, runs(room))
        write_briefs(room.loaded, target / "briefs", None)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(target.rglob("*")):
                if path.is_file():
                    archive.write(path, str(path.relative_to(folder)))
    name = f"{room.loaded.id}-class-run.zip"
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"content-disposition": f'attachment; filename="{name}"', **security.SECURITY_HEADERS},
    )
