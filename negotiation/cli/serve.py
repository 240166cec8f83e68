"""``negotiation serve EXERCISE``: run the live classroom for an exercise (needs the ``serve`` extra)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from negotiation.cli._common import app, shipped_path
from negotiation.errors import UsageError
from negotiation.registry import Entry, resolve

#: Seconds a stopping server lets requests finish: an open live view waits up to 20 s for a change,
#: and Ctrl-C should not.
STOP_WAIT = 2


@app.command()
def serve(
    exercise: Annotated[
        str,
        typer.Argument(metavar="EXERCISE", help="The exercise folder (or its exercise.yaml).", callback=shipped_path),
    ],
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="URL",
            help="Database URL: sqlite:///FILE or postgresql://... (default: an SQLite file in this folder).",
        ),
    ] = None,
    host: Annotated[str, typer.Option(metavar="HOST", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(metavar="N", help="uvicorn worker processes (more than 1 needs PostgreSQL).")
    ] = 1,
) -> int:
    """Run the live classroom: teams join with codes, table packages per round; the instructor watches live.

    Prints the instructor's link (with its secret token) on a line of its own, and where the data is kept.
    """
    prepare = resolve("command", "serve", Entry("negotiation.server.pages:prepare", extra="serve"))
    from negotiation.exercises.load import load_exercise

    if workers < 1:
        raise UsageError("--workers must be 1 or more")
    url = db
    if url is None:
        url = f"sqlite:///{Path.cwd() / (load_exercise(exercise).id + '.classroom.sqlite')}"
    if workers > 1 and not url.startswith("postgresql"):
        raise UsageError("--workers above 1 needs --db postgresql://... (SQLite serves one process)")
    room = prepare(exercise, url)
    shown_host = f"[{host}]" if ":" in host else host
    where = url.removeprefix("sqlite:///") if url.startswith("sqlite") else "the PostgreSQL database given with --db"
    typer.echo(f"Classroom for exercise '{room.loaded.id}'; data kept in {where}")
    typer.echo(f"Teams join at: http://{shown_host}:{port}/")
    typer.echo(f"Instructor: http://{shown_host}:{port}/instructor?token={room.token}")
    import uvicorn

    from negotiation.server.asgi import DB_VARIABLE, EXERCISE_VARIABLE, application

    if workers == 1:
        uvicorn.run(application(room), host=host, port=port, log_level="warning", timeout_graceful_shutdown=STOP_WAIT)
    else:
        os.environ[EXERCISE_VARIABLE] = exercise
        os.environ[DB_VARIABLE] = url
        uvicorn.run(
            "negotiation.server.asgi:from_environment",
            factory=True,
            timeout_graceful_shutdown=STOP_WAIT,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
        )
    return 0
