"""The command line: parse, call the library, write, and map errors to exit codes.

This is the only module that prints or exits. Exit codes: 0 success, 1 a check found something
(invalid files; differences with --exit-code), 2 usage error or unusable input, 3 internal error.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from negotiation.errors import InputError, NegotiationError

app = typer.Typer(
    name="negotiation",
    help="Negotiating positions as versioned, validated data: overlaps, rejections and open items, item by item.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _register() -> None:
    # Each area of the tool keeps its commands in its own module; importing registers them on `app`.
    from negotiation.cli import record  # noqa: F401

    for name in ("compare", "coverage", "exports", "exercise"):
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
        for problem in error.problems:
            typer.echo(inert_line(str(problem)), err=True)
    else:
        typer.echo(inert_line(f"negotiation: {error}"), err=True)
    return error.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (also the console-script entry point)."""
    try:
        result = app(args=list(argv) if argv is not None else None, standalone_mode=False)
    except NegotiationError as error:
        return _exit(report(error), argv)
    except typer.Exit as done:
        return _exit(done.exit_code, argv)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("negotiation: interrupted", err=True)
        return _exit(130, argv)
    except Exception as exc:
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            return _exit(exc.exit_code, argv)
        typer.echo(f"negotiation: internal error: {type(exc).__name__}: {exc}", err=True)
        typer.echo("negotiation: this is a bug; please report it with the command that caused it", err=True)
        return _exit(3, argv)
    code = result if isinstance(result, int) else 0
    return _exit(code, argv)


def _exit(code: int, argv: Sequence[str] | None) -> int:
    if argv is None:
        sys.exit(code)
    return code
