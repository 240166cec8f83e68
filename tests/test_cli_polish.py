"""The rough edges of a first hour: --version, readable help, suggestions for typos, one line for an
empty result, labelled columns and counts in good English."""

from __future__ import annotations

import re

import pytest

from negotiation import __version__
from negotiation.cli import app
from negotiation.cli.reference import reference
from negotiation.words import counted
from tests.conftest import ROOT, Run

KARST = "examples/karst-lake-basin-accord"
JANUARY = "examples/writing-the-26-january-reply"


def test_version(cli: Run) -> None:
    """--version prints the program and its version, and exits 0."""
    assert cli("--version") == type(cli("--version"))(0, f"negotiation {__version__}\n", "")


def test_help_names_values_not_python_types() -> None:
    """No command's help shows a Python type placeholder such as <str> or <list[str]>, and every
    argument is named in capitals."""
    text = reference()
    assert re.findall(r"<(?:str|int|bool|list\[[a-z]+\])>", text) == []
    usages = re.findall(r"^Usage: negotiation .*$", text, flags=re.M)
    assert len(usages) > len(app.registered_commands)
    for usage in usages:
        for name in re.findall(r"[{\[]([A-Za-z.]+)[}\]]", usage):
            assert name in ("OPTIONS", "ARGS") or name == name.upper(), usage


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("show", "us-respons-2022-01-26"),
            "negotiation: no position 'us-respons-2022-01-26' in dossier 'security-guarantees-2021-2022'; "
            "did you mean 'us-response-2022-01-26' or 'nato-response-2022-01-26'? (known: ru-us-treaty-2021-12-17, "
            "ru-nato-agreement-2021-12-17, us-response-2022-01-26, nato-response-2022-01-26, ru-reply-2022-02-17)\n",
        ),
        (
            ("matrix", "--issue", "misiles"),
            "negotiation: no issue 'misiles' in the taxonomy of dossier 'security-guarantees-2021-2022'; "
            "did you mean 'missiles'?\n",
        ),
        (
            ("exercise", "brief", KARST, "--role", "aldora"),
            "negotiation: no role 'aldora' in exercise 'karst-lake-basin-accord'; did you mean 'aldoria'? "
            "(known: aldoria, brevnia, castellan, ngo)\n",
        ),
        (
            ("exercise", "score", KARST, "a=a2,b=b2,c=c2,d=d2,fisheries=e3"),
            "negotiation: unknown issue 'fisheries' (issues: a, b, c, d, e)\n",
        ),
    ],
    ids=["position", "issue", "role", "no-close-match"],
)
def test_mistyped_names_get_a_suggestion(args: tuple[str, ...], message: str, cli: Run) -> None:
    """A mistyped position, issue or role names the closest known ones; a name close to none names none."""
    result = cli(*args, cwd=ROOT)
    assert (result.code, result.stdout, result.stderr) == (2, "", message)


def test_empty_result_is_one_line(cli: Run) -> None:
    """A diff filtered down to nothing says so in one line (its warnings follow) instead of an empty table."""
    result = cli("diff", "ru-nato-agreement-2021-12-17", "nato-response-2022-01-26", "-c", "overlap", "-i", "nuclear")
    assert result.code == 0
    assert result.stdout.splitlines()[0] == (
        "ru-nato-agreement-2021-12-17 × nato-response-2022-01-26: no issue to show"
    )
    assert all(line.startswith("warning: ") for line in result.stdout.splitlines()[1:])
    assert cli("changes", "us-response-2022-01-26", "us-response-2022-01-26").stdout == (
        "us-response-2022-01-26 (2022-01-26) → us-response-2022-01-26 (2022-01-26): no changes\n"
    )


def test_every_score_column_is_labelled(cli: Run) -> None:
    """The category-movement table of a scored position file names its last column."""
    result = cli("exercise", "score", JANUARY, f"{JANUARY}/submissions/round-2/washington.yaml", "-f", "csv", cwd=ROOT)
    assert result.code == 0
    headers = [line for line in result.stdout.splitlines() if line.startswith("against,")]
    assert headers == ["against,issue,dossier issue,real document,team's position,moved"]


def test_counts_read_as_english() -> None:
    """One of a thing is singular; any other number plural."""
    assert [counted(n, "different package") for n in (0, 1, 2)] == [
        "0 different packages",
        "1 different package",
        "2 different packages",
    ]
