"""The command line: parse, call the library, write, and map errors to exit codes.

This is the only module that prints or exits. Exit codes: 0 success, 1 a check found something
(invalid files; differences with --exit-code), 2 usage error or unusable input, 3 internal error.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence

import typer
from typer.exceptions import TyperException

from negotiation.cli._common import _SETTINGS, PROG, app
from negotiation.errors import InputError, NegotiationError

#: Problems printed per file; a file with more is broken throughout, and the rest would only scroll.
MAX_PROBLEMS_SHOWN = 100


def _register() -> None:
    # Each area of the tool keeps its commands in its own module; importing registers them on `app`.
    from negotiation.cli import record  # noqa: F401

    for name in ("compare", "coverage", "exports", "exercise", "coding", "serve", "importing"):
        try:
            __import__(f"negotiation.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"negotiation.cli.{name}":
                raise


_register()


def report(error: NegotiationError) -> int:
    """Print ``error`` to stderr, one line per problem, and return its exit code.

    Messages quote what the files say; control and bidirectional characters in them are shown as
    escapes, so a hostile file cannot act on the terminal or split one problem over two lines.
    """
    from negotiation.render import inert_line

    if isinstance(error, InputError):
        shown: dict[str, int] = {}
        for problem in error.problems:
            shown[problem.path] = shown.get(problem.path, 0) + 1
            if shown[problem.path] <= MAX_PROBLEMS_SHOWN:
                typer.echo(inert_line(str(problem)), err=True)
        for path, count in shown.items():
            if count > MAX_PROBLEMS_SHOWN:
                more = count - MAX_PROBLEMS_SHOWN
                typer.echo(inert_line(f"{path}:0:0: (file): {more} more problems not shown"), err=True)
    else:
        typer.echo(inert_line(f"negotiation: {error}"), err=True)
    return error.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (also the console-script entry point)."""
    try:
        args = list(argv) if argv is not None else sys.argv[1:]
        result = _narrowed(args)(args=args, prog_name=PROG, standalone_mode=False)
    except NegotiationError as error:
        return _exit(report(error), argv)
    except typer.Exit as done:
        return _exit(done.exit_code, argv)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("negotiation: interrupted", err=True)
        return _exit(130, argv)
    except TyperException as exc:
        return _exit(_usage(exc), argv)
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG:
            return _exit(_internal(exc), argv)
        # A path argument longer than the file system allows is a usage mistake, not a bug.
        name = os.fsdecode(exc.filename)[:60] + "..." if exc.filename is not None else "a path"
        from negotiation.render import inert_line

        typer.echo(inert_line(f"negotiation: {name}: file name too long"), err=True)
        return _exit(2, argv)
    except Exception as exc:
        return _exit(_internal(exc), argv)
    code = result if isinstance(result, int) else 0
    return _exit(code, argv)


def _internal(exc: BaseException) -> int:
    """Report a bug (an exception the library does not raise on purpose); exit 3."""
    from negotiation.render import inert_line

    typer.echo(inert_line(f"negotiation: internal error: {type(exc).__name__}: {exc}"), err=True)
    typer.echo("negotiation: this is a bug; please report it with the command that caused it", err=True)
    return 3


def _narrowed(args: Sequence[str]) -> typer.Typer:
    """The app with only the command that ``args`` name, when they start with one; else the whole app.

    Typer builds every command of an app (their options, help and types) on each run, about 12 ms
    for this one; a run of one command needs only that command, and behaves the same with it alone.
    """
    from typer.main import get_command_name

    name = args[0] if args else ""
    commands = [
        c for c in app.registered_commands if (c.name or get_command_name(getattr(c.callback, "__name__", ""))) == name
    ]
    groups = [g for g in app.registered_groups if g.name == name]
    if len(commands) + len(groups) != 1:
        return app
    narrow = typer.Typer(**_SETTINGS)
    narrow.registered_callback = app.registered_callback
    narrow.registered_commands = commands
    narrow.registered_groups = groups
    return narrow


def _usage(exc: TyperException) -> int:
    """Report a command-line mistake (unknown option, missing argument) on one line; exit 2."""
    from negotiation.render import inert_line

    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
        # Bare `negotiation`: the help is the answer, not an error.
        typer.echo(ctx.get_help())
        return 0
    where = ctx.command_path if ctx is not None else PROG
    hint = f" (see '{where} --help')" if ctx is not None else ""
    typer.echo(inert_line(f"{where}: {exc.format_message().rstrip('.')}{hint}"), err=True)
    return int(getattr(exc, "exit_code", 2))


def _exit(code: int, argv: Sequence[str] | None) -> int:
    if argv is None:
        sys.exit(code)
    return code


__all__ = ["PROG", "app", "main", "report"]
