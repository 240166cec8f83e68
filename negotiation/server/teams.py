"""The pages of a team (and the join page before it): briefs, package form, preview, submit, history.

A team is known only by its session cookie, never by an id in the URL, so no URL names another
team's data; what another team tabled is shown only once the instructor publishes its round.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from negotiation.exercises.brief import general_brief, role_brief
from negotiation.exercises.classroom import own_score, package_file, package_from_form, preview, read_package
from negotiation.exercises.loaded import Package
from negotiation.server import security
from negotiation.server.pages import Classroom, Handler, checked_form, guarded_call, page, problem
from negotiation.server.storage import StoredSubmission, Team

# -- everyone ------------------------------------------------------------------------------------


async def index(request: Request) -> Response:
    """The landing page: the exercise's title and the join form."""
    room: Classroom = request.app.state.room
    visitor = request.cookies.get(security.VISITOR_COOKIE) or security.new_secret()
    request.state.csrf = security.csrf_token(room.secret, visitor)
    response = page(request, "index.html")
    response.set_cookie(security.VISITOR_COOKIE, visitor, **security.COOKIE_FLAGS)
    return response


def client_of(request: Request) -> str:
    """Who is knocking: the peer address (a proxy in front should pass the real one to uvicorn)."""
    return request.client.host if request.client else "unknown"


async def join(request: Request) -> Response:
    """Join with a team's code: a session cookie for the team; failed attempts are limited per client."""
    room: Classroom = request.app.state.room
    client = client_of(request)
    since = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=security.JOIN_WINDOW)
    if room.store.join_failures_since(client, since) >= security.JOIN_ATTEMPTS:
        return problem(request, "Too many wrong codes from this computer; wait ten minutes and try again.", 429)
    visitor = request.cookies.get(security.VISITOR_COOKIE, "")
    form = await checked_form(request, visitor)
    if form is None:
        return problem(request, "This form has expired; go back to the start page and try again.", 403)
    session = security.new_secret()
    team = room.store.join(security.normalise_code(form.get("code", "")), session)
    if team is None:
        room.store.record_join_failure(client)
        return problem(request, "No team has this code; check it with your instructor.", 400)
    response = RedirectResponse("/team", status_code=303)
    response.set_cookie(security.TEAM_COOKIE, session, **security.COOKIE_FLAGS)
    return response


# -- teams ---------------------------------------------------------------------------------------


def team_only(handler: Handler) -> Handler:
    """Run ``handler`` only for a request carrying a live team session (else 401 and the join page)."""

    async def guarded(request: Request) -> Response:
        room: Classroom = request.app.state.room
        session = request.cookies.get(security.TEAM_COOKIE)
        team = room.store.team_of_session(session) if session else None
        if team is None or session is None:
            return problem(request, "Join with your team's code first.", 401)
        request.state.team = team
        request.state.session = session
        return await guarded_call(request, handler, session)

    return guarded


@dataclass(frozen=True)
class Tabled:
    """A stored submission read as a package."""

    stored: StoredSubmission
    package: Package


def tabled(room: Classroom, stored: StoredSubmission) -> Tabled:
    """A stored submission with its package."""
    return Tabled(stored, read_package(room.loaded, stored.content))


def team_context(room: Classroom, team: Team) -> dict[str, Any]:
    """What a team's page shows: briefs up to the open round, own history with own scores, published packages."""
    rounds = room.store.rounds()
    current = room.store.open_round()
    shown_round = current if current is not None else max(rounds, default=None)
    history = [tabled(room, s) for s in room.store.submissions(team.id)]
    scores = [own_score(room.scorer(t.stored.round), team.role, t.package) for t in history]
    published = [n for n, (_, done) in rounds.items() if done]
    others = []
    for number in published:
        for other in room.store.teams(team.group):
            mine = [s for s in room.store.submissions(other.id) if s.round == number]
            if other.id != team.id and mine:
                others.append((number, other.role, tabled(room, mine[-1]).package))
    return {
        "team": team,
        "current": current,
        "general": general_brief(room.loaded, shown_round),
        "confidential": role_brief(room.loaded, team.role, shown_round),
        "history": list(zip(history, scores, strict=True)),
        "published": others,
        "last": history[-1].package if history else {},
    }


@team_only
async def team_page(request: Request) -> Response:
    """A team's page: briefs, the package form, own history and score, published positions."""
    room: Classroom = request.app.state.room
    return page(request, "team.html", **team_context(room, request.state.team))


def draft_of(room: Classroom, form: dict[str, str]) -> Package:
    """The package a team's form chose (a UsageError for a missing or unknown option)."""
    return package_from_form(
        room.loaded, {issue.id: form.get(f"issue-{issue.id}", "") for issue in room.loaded.exercise.issues}
    )


@team_only
async def team_preview(request: Request) -> Response:
    """What a draft changes: own score, and per issue against every other party's latest package."""
    room: Classroom = request.app.state.room
    team: Team = request.state.team
    draft = draft_of(room, request.state.form)
    current = room.store.open_round()
    context = team_context(room, team)
    # Only published packages: a preview must not reveal what another team tabled unpublished.
    others = {role: package for _, role, package in context["published"]}
    result = preview(room.scorer(current), team.role, draft, context["last"] or None, others)
    return page(request, "preview.html", draft=draft, result=result, **context)


@team_only
async def team_submit(request: Request) -> Response:
    """Table the package for the open round: stored (append-only), then scored against the team's own schedule."""
    room: Classroom = request.app.state.room
    team: Team = request.state.team
    current = room.store.open_round()
    if current is None:
        return problem(request, "No round is open; wait for the instructor to open one.", 409)
    draft = draft_of(room, request.state.form)
    stored = room.store.submit(team.id, current, package_file(room.loaded, team.id, team.role, current, draft))
    score = own_score(room.scorer(current), team.role, draft)
    return page(request, "submitted.html", team=team, stored=stored, score=score, draft=draft)
