"""Commands for policy-training exercises: ``negotiation exercise list|lint|brief|score|space|rounds|debrief``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from negotiation.cli._common import DEFAULT_FORMAT, FormatOption, OutputOption, WidthOption, app, shipped_path
from negotiation.cli._common import emit as _emit_all
from negotiation.errors import InputError, UsageError, ValidationError
from negotiation.exercises.limits import DEFAULT_SAMPLES, DEFAULT_SEED, EXHAUSTIVE_LIMIT
from negotiation.tables import Table

# The exercise modules (and through them the engine) are imported inside each command, so that the
# CLI's cold start pays only for what the command it runs needs.

exercise_app = typer.Typer(
    name="exercise",
    help="Policy-training exercises: briefs, scoring of counter-proposals, package space, rounds, debriefs.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(exercise_app, name="exercise")


def emit(tables: Sequence[Table], fmt: str, output: str | None, width: int | None) -> None:
    """Write the tables; as JSON, only the first, whose data is the command's whole contract."""
    _emit_all(tables[:1] if fmt == "json" else tables, fmt, output, width)


ExerciseArg = Annotated[
    str,
    typer.Argument(metavar="EXERCISE", help="The exercise folder (or its exercise.yaml).", callback=shipped_path),
]
RoundOption = Annotated[
    int | None,
    typer.Option(
        "--round", "-r", metavar="N", help="Apply the injects up to this round (default: the file's round, or none)."
    ),
]


@exercise_app.command(name="list")
def list_exercises(
    folder: Annotated[
        str,
        typer.Argument(
            metavar="FOLDER",
            help="Folder holding exercise folders (default: ./examples, else the examples shipped with the tool).",
            callback=shipped_path,
        ),
    ] = "examples",
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
) -> int:
    """List the exercises in a folder: id, title, kind, roles, issues, packages, rounds."""
    from negotiation.exercises.views import exercises_table

    emit([exercises_table(folder)], format, output, width)
    return 0


@exercise_app.command()
def lint(exercise: ExerciseArg) -> int:
    """Check an exercise: every schedule covers every issue and option, a feasible package exists, dates
    are consistent, options read every stance, and no private number or phrase appears in a public file.

    Exit 0 when clean, 1 when a problem is found, 2 when a file cannot be read.
    """
    from negotiation.exercises.lint import lint as run_lint

    report = run_lint(exercise)
    if report.problems:
        raise InputError(report.problems) if report.unreadable else ValidationError(report.problems)
    typer.echo(f"ok {exercise}: {report.message}")
    return 0


@exercise_app.command()
def brief(
    exercise: ExerciseArg,
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            metavar="ROLE",
            help="A role's confidential brief (repeat for several; default with --output-dir: all).",
        ),
    ] = None,
    round_number: Annotated[
        int | None, typer.Option("--round", "-r", metavar="N", help="Include the injects read out up to this round.")
    ] = None,
    output_dir: Annotated[
        str | None,
        typer.Option(
            "--output-dir",
            "-o",
            metavar="FOLDER",
            help="Write general.md and <role>.md for each role into this folder.",
        ),
    ] = None,
    docx: Annotated[bool, typer.Option("--docx", help="Also write .docx files (needs python-docx).")] = False,
) -> int:
    """Write the general brief and the confidential briefs, respecting the cut-off and checked for leaks.

    Without --output-dir, prints the general brief, or the confidential brief of the one --role given.
    """
    from negotiation.exercises.brief import briefs, write_briefs
    from negotiation.exercises.load import load_exercise

    loaded = load_exercise(exercise)
    if output_dir is None:
        if docx:
            raise UsageError("--docx needs --output-dir")
        if role and len(role) > 1:
            raise UsageError("give one --role to print, or --output-dir to write several")
        generated = briefs(loaded, role or [], round_number)
        typer.echo(generated[-1].markdown, nl=False)
        return 0
    for path in write_briefs(loaded, output_dir, role or None, round_number=round_number, docx=docx):
        typer.echo(f"wrote {path}")
    return 0


@exercise_app.command()
def score(
    exercise: ExerciseArg,
    submission: Annotated[
        str,
        typer.Argument(
            metavar="SUBMISSION",
            help="A team's package or position file, or a package inline: a=a2,b=b1,...",
            callback=shipped_path,
        ),
    ],
    round_number: RoundOption = None,
    base: Annotated[
        str | None,
        typer.Option("--base", metavar="POSITION", help="Position (id or file) to redline a position file against."),
    ] = None,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
) -> int:
    """Score a team's package or counter-proposal against every party: points, margin, red lines, vetoes,
    whether the decision rule is met; for a position file also the category movement and the redline."""
    from negotiation.exercises.load import load_exercise
    from negotiation.exercises.score import score_submission
    from negotiation.exercises.views import submission_tables

    loaded = load_exercise(exercise)
    result = score_submission(loaded, submission, round_number, base)
    emit(submission_tables(loaded, result), format, output, width)
    return 0


@exercise_app.command()
def space(
    exercise: ExerciseArg,
    round_number: RoundOption = None,
    limit: Annotated[int, typer.Option(metavar="N", help="Enumerate every package up to this many; sample beyond.")] = (
        EXHAUSTIVE_LIMIT
    ),
    samples: Annotated[int, typer.Option(metavar="N", help="Packages drawn when sampling.")] = DEFAULT_SAMPLES,
    seed: Annotated[
        int, typer.Option(metavar="N", help="Seed of the sample (fixed, so counts repeat).")
    ] = DEFAULT_SEED,
    pareto: Annotated[
        str,
        typer.Option(metavar="WHICH", help="Pareto-efficient packages to list: accepted (by the rule), all, or none."),
    ] = "accepted",
    nearest_to: Annotated[
        str | None,
        typer.Option(
            "--nearest",
            metavar="PACKAGE",
            help="A package to start from (a=a2,b=b1,... or a package file); with --party.",
            callback=shipped_path,
        ),
    ] = None,
    party: Annotated[
        str | None,
        typer.Option("--party", metavar="ROLE", help="The role that must accept the nearest package; with --nearest."),
    ] = None,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
) -> int:
    """The package space of an exercise: how many packages each party, every party and the decision rule
    accept, and the Pareto-efficient ones.

    A package is one option per issue of the exercise in EXERCISE; every package is counted up to --limit,
    a seeded sample beyond. With --nearest PACKAGE --party ROLE: the smallest change to PACKAGE that ROLE
    accepts.
    """
    from negotiation.exercises.load import load_exercise
    from negotiation.exercises.space import nearest, nearest_table, space_tables
    from negotiation.exercises.space import space as build_space
    from negotiation.exercises.submissions import load_in_context, parse_package

    loaded = load_exercise(exercise)
    if (nearest_to is None) != (party is None):
        raise UsageError("--nearest and --party go together")
    if nearest_to is not None and party is not None:
        if Path(nearest_to).is_file():
            package = load_in_context(loaded, nearest_to)[0].options
        else:
            package = parse_package(loaded, nearest_to)
        emit([nearest_table(loaded, nearest(loaded, package, party, round_number))], format, output, width)
        return 0
    result = build_space(loaded, round_number, limit=limit, samples=samples, seed=seed)
    emit(space_tables(loaded, result, pareto=pareto), format, output, width)
    return 0


@exercise_app.command()
def rounds(
    exercise: ExerciseArg,
    folder: Annotated[
        str,
        typer.Argument(
            metavar="SUBMISSIONS", help="The submissions folder, with round-<n>/ sub-folders.", callback=shipped_path
        ),
    ],
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
) -> int:
    """Each team's package per round, its concessions (by its own schedule) and who reciprocated them."""
    from negotiation.exercises.load import load_exercise
    from negotiation.exercises.rounds import rounds as build_rounds
    from negotiation.exercises.views import rounds_table

    loaded = load_exercise(exercise)
    emit([rounds_table(loaded, build_rounds(loaded, folder))], format, output, width)
    return 0


@exercise_app.command()
def debrief(
    exercise: ExerciseArg,
    folder: Annotated[
        str,
        typer.Argument(
            metavar="SUBMISSIONS", help="The submissions folder, with round-<n>/ sub-folders.", callback=shipped_path
        ),
    ],
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
) -> int:
    """The debrief: outcome, each team over the rounds, the teams side by side, and on the record the
    real documents beside each team's, item by item."""
    from negotiation.exercises.debrief import debrief as build_debrief
    from negotiation.exercises.load import load_exercise
    from negotiation.exercises.views import debrief_tables

    loaded = load_exercise(exercise)
    emit(debrief_tables(loaded, build_debrief(loaded, folder)), format, output, width)
    return 0


@exercise_app.command()
def simulate(
    exercise: ExerciseArg,
    agents: Annotated[
        str, typer.Option(metavar="A,B,...", help="Strategies: boulware, conceder, linear, tit-for-tat.")
    ] = "boulware,conceder,linear,tit-for-tat",
    runs: Annotated[int, typer.Option(metavar="N", help="Runs per assignment of agents to roles.")] = 10,
    seed: Annotated[int, typer.Option(metavar="N", help="Seed of the first run (fixed, so results repeat).")] = 0,
    format: FormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    width: WidthOption = None,
) -> int:
    """A tournament of negotiating agents over EXERCISE (needs the agents extra): per assignment of agents
    to roles, the agreement rate, mean points per role, distance to the Pareto frontier and the Nash point,
    and rounds to agreement.
    """
    try:
        from negotiation.agents.tournament import simulate as run
        from negotiation.agents.tournament import simulate_table
    except ImportError as error:
        raise UsageError("simulate needs the agents extra: pip install 'negotiation[agents]'") from error
    from negotiation.exercises.load import load_exercise

    if runs < 1:
        raise UsageError("--runs must be at least 1")
    loaded = load_exercise(exercise)
    names = [a.strip() for a in agents.split(",") if a.strip()]
    emit([simulate_table(loaded, run(loaded, names, runs=runs, seed=seed), seed=seed)], format, output, width)
    return 0


@exercise_app.command()
def practice(
    exercise: ExerciseArg,
    role: Annotated[str, typer.Option("--role", metavar="ROLE", help="The role you play.")],
    against: Annotated[
        str, typer.Option("--against", metavar="STRATEGY", help="boulware, conceder, linear or tit-for-tat.")
    ],
    transcript: Annotated[
        str | None,
        typer.Option(
            metavar="FOLDER",
            help="The transcript: a submissions folder inside the exercise (default: EXERCISE/practice).",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(metavar="N", help="Seed (fixed, so a session repeats).")] = 0,
) -> int:
    """Practise a role against agents (needs the agents extra): table packages turn by turn; each agent
    accepts, counters or walks away with a one-line reason. The transcript is a submissions folder that
    `exercise score` and `exercise debrief` read.
    """
    try:
        from negotiation.agents.practice import practice as play
        from negotiation.agents.practice import write_transcript
    except ImportError as error:
        raise UsageError("practice needs the agents extra: pip install 'negotiation[agents]'") from error
    from negotiation.exercises.load import load_exercise

    loaded = load_exercise(exercise)

    def ask(prompt: str) -> str:
        typer.echo(prompt, nl=False)
        line = sys.stdin.readline()
        if not line:
            return "walk"
        return line

    result = play(loaded, role, against, ask, typer.echo, seed=seed)
    folder = transcript or str(Path(exercise if Path(exercise).is_dir() else Path(exercise).parent) / "practice")
    for file in write_transcript(loaded, result, folder):
        typer.echo(f"wrote {file}")
    return 0
