"""The command-line reference (docs/cli.md), generated from the ``--help`` of every command.

Run ``python -m negotiation.cli.reference > docs/cli.md`` after adding or changing a command; a test
regenerates the text and compares it with the committed file. Help is rendered at the CLI's fixed
width, so the result does not depend on the terminal.

>>> reference().splitlines()[0]
'# Command-line reference'
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer

from negotiation.cli._common import PROG, app

_HEADER = """\
# Command-line reference

Generated from the `--help` of every command by `python -m negotiation.cli.reference > docs/cli.md`;
do not edit by hand. Exit codes everywhere: 0 success, 1 a check found something (invalid files;
differences with `--exit-code`), 2 usage error or unusable input, 3 internal error.
"""


def _commands(command: Any, path: tuple[str, ...], parent: Any) -> Iterator[tuple[tuple[str, ...], str]]:
    """(command path, help text) for ``command`` and, depth first in listed order, every sub-command."""
    ctx = command.make_context(path[-1], [], parent=parent, resilient_parsing=True)
    yield path, command.get_help(ctx)
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not getattr(sub, "hidden", False):
                yield from _commands(sub, (*path, name), ctx)


def reference() -> str:
    """The whole reference as Markdown: one section per command with its help text."""
    root = typer.main.get_command(app)
    parts = [_HEADER]
    for path, text in _commands(root, (PROG,), None):
        parts.append(f"## {' '.join(path)}\n\n```text\n{text.rstrip()}\n```\n")
    return "\n".join(parts)


def command_paths() -> list[tuple[str, ...]]:
    """Every command path, e.g. ``("negotiation", "show")``, in the order the reference lists them."""
    root = typer.main.get_command(app)
    return [path for path, _ in _commands(root, (PROG,), None)]


if __name__ == "__main__":
    typer.echo(reference(), nl=False)
