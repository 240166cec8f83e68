"""What every classroom page shares: the classroom (exercise, store, secrets), templates, problems, forms.

The rules of the exercise (briefs, scoring, previews, the debrief) live in :mod:`negotiation.exercises`;
the handlers in :mod:`negotiation.server.teams` and :mod:`negotiation.server.instructor` only parse a
request, decide who may see what, call the library and render a template.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from negotiation.errors import NegotiationError, UsageError
from negotiation.exercises.load import load_exercise
from negotiation.exercises.loaded import LoadedExercise
from negotiation.exercises.score import Scorer
from negotiation.server import security
from negotiation.server.storage import Store

Handler = Callable[[Request], Awaitable[Response]]


@dataclass
class Classroom:
    """One exercise served from one store, with the scorers of each round kept once built."""

    loaded: LoadedExercise
    store: Store
    secret: str
    token: str
    scorers: dict[int | None, Scorer] = field(default_factory=dict)

    def scorer(self, round_number: int | None) -> Scorer:
        """The scorer of ``round_number`` (injects applied up to it)."""
        if round_number not in self.scorers:
            self.scorers[round_number] = Scorer(self.loaded, round_number)
        return self.scorers[round_number]

    @property
    def playing_roles(self) -> list[str]:
        """The roles a team plays (every role but coalitions, which their members speak for)."""
        return [r.id for r in self.loaded.exercise.roles if r.kind != "coalition"]

    def codes(self, group: str) -> dict[str, str]:
        """Role -> join code of a group's teams."""
        return {role: security.join_code(self.secret, f"{group}-{role}") for role in self.playing_roles}


def prepare(exercise: str, url: str) -> Classroom:
    """Load the exercise, migrate and open the store, and fetch (or create) the secret and the token."""
    loaded = load_exercise(exercise)
    store = Store.open(url)
    stored_exercise = store.setting_or_create("exercise", lambda: loaded.id)
    if stored_exercise != loaded.id:
        raise UsageError(f"the database holds a class of exercise '{stored_exercise}', not '{loaded.id}'")
    secret = store.setting_or_create("secret", security.new_secret)
    token = store.setting_or_create("token", security.new_secret)
    return Classroom(loaded, store, secret, token)


templates = Environment(
    loader=PackageLoader("negotiation.server", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render template ``name`` with the classroom and the request's CSRF token."""
    room: Classroom = request.app.state.room
    context.setdefault("csrf", request.state.csrf if hasattr(request.state, "csrf") else "")
    html = templates.get_template(name).render(exercise=room.loaded.exercise, **context)
    return HTMLResponse(html, status_code=status, headers=security.SECURITY_HEADERS)


def problem(request: Request, message: str, status: int = 400) -> HTMLResponse:
    """A page that says what was wrong, in one line, never a traceback."""
    return page(request, "problem.html", status=status, message=message)


async def checked_form(request: Request, session: str) -> dict[str, str] | None:
    """The posted form when its CSRF token matches ``session``; None otherwise."""
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    room: Classroom = request.app.state.room
    if not security.same(values.get("csrf"), security.csrf_token(room.secret, session)):
        return None
    return values


async def guarded_call(request: Request, handler: Handler, session: str) -> Response:
    """Call ``handler`` for an authenticated ``session``: a POST must carry its CSRF token (403, nothing
    done, otherwise) and its form is in ``request.state.form``; a library error becomes a 400 page."""
    room: Classroom = request.app.state.room
    request.state.csrf = security.csrf_token(room.secret, session)
    if request.method == "POST":
        form = await checked_form(request, session)
        if form is None:
            return problem(request, "This form has expired; reload the page and try again.", 403)
        request.state.form = form
    try:
        return await handler(request)
    except NegotiationError as error:
        return problem(request, str(error))
