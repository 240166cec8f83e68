"""The classroom as an ASGI application: routes, static files, the body bound.

>>> # app = create_app("examples/karst-lake-basin-accord", "sqlite:///class.db")
>>> # uvicorn.run(app)  # or: negotiation serve examples/karst-lake-basin-accord
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from negotiation.server import instructor, teams
from negotiation.server.pages import Classroom, prepare
from negotiation.server.security import BodyLimit

#: Where `negotiation serve` passes the exercise and database to each uvicorn worker it starts.
EXERCISE_VARIABLE = "NEGOTIATION_SERVE_EXERCISE"
DB_VARIABLE = "NEGOTIATION_SERVE_DB"


def application(room: Classroom) -> Starlette:
    """The ASGI app serving ``room``."""
    routes = [
        Route("/", teams.index),
        Route("/join", teams.join, methods=["POST"]),
        Route("/team", teams.team_page),
        Route("/team/preview", teams.team_preview, methods=["POST"]),
        Route("/team/submit", teams.team_submit, methods=["POST"]),
        Route("/instructor", instructor.dashboard),
        Route("/instructor/live", instructor.live),
        Route("/instructor/groups", instructor.add_group, methods=["POST"]),
        Route("/instructor/rounds", instructor.set_round, methods=["POST"]),
        Route("/instructor/debrief", instructor.debrief_page),
        Route("/instructor/export", instructor.export),
        Mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(BodyLimit)])
    app.state.room = room
    return app


def create_app(exercise: str, url: str) -> Starlette:
    """Prepare the classroom for ``exercise`` on the database at ``url`` and return its app."""
    return application(prepare(exercise, url))


def from_environment() -> Starlette:
    """The app of a uvicorn worker started by ``negotiation serve --workers N`` (an app factory)."""
    return create_app(os.environ[EXERCISE_VARIABLE], os.environ[DB_VARIABLE])
