"""One error hierarchy for the whole tool.

Errors carry data (where, which field, what is wrong), never pre-rendered text; the CLI is the one
place that turns them into messages and exit codes.

>>> p = Problem(path="a.yaml", line=3, column=5, field="provisions[0].stance", message="unknown stance")
>>> str(p)
'a.yaml:3:5: provisions[0].stance: unknown stance'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as _field


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one input, with its location.

    ``line`` and ``column`` are 1-based; 0 means the location is the file as a whole.
    """

    path: str
    line: int
    column: int
    field: str
    message: str
    # Unreadable input (missing, a directory, not text) exits 2; everything else that is wrong exits 1.
    unreadable: bool = _field(default=False, compare=False)

    def __str__(self) -> str:
        where = self.field or "(file)"
        return f"{self.path}:{self.line}:{self.column}: {where}: {self.message}"


class NegotiationError(ValueError):
    """Base of every error the library raises on purpose."""

    exit_code = 2


class UsageError(NegotiationError):
    """The caller asked for something that cannot be done (unknown id, bad option value)."""

    exit_code = 2


class InputError(NegotiationError):
    """Input could not be read or parsed at all (missing file, broken YAML, wrong encoding).

    Carries every problem found, so one bad file never hides the others.
    """

    exit_code = 2

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class ValidationError(InputError):
    """Input was read but breaks the schema or the dossier's integrity rules."""

    exit_code = 1


class DependencyError(NegotiationError):
    """An optional extra (office formats, a browser) is needed but not installed."""

    exit_code = 2


class ExportError(NegotiationError):
    """An output could not be written (refused target, unwritable folder)."""

    exit_code = 2


def raise_for(problems: list[Problem]) -> None:
    """Raise the right error for ``problems``: InputError if any input was unreadable, else ValidationError."""
    if not problems:
        return
    if any(p.unreadable for p in problems):
        raise InputError(problems)
    raise ValidationError(problems)


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """A hint naming the known names closest to a mistyped one, or an empty string.

    >>> did_you_mean("us-respons-2022-01-26", ["us-response-2022-01-26", "ru-reply-2022-02-17"])
    "; did you mean 'us-response-2022-01-26'?"
    >>> did_you_mean("zzz", ["abc"])
    ''
    """
    import difflib

    close = difflib.get_close_matches(word, list(known), n=2, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
