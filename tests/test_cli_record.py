"""The record commands through the CLI: exit code, then exact stdout, then exact stderr.

Every test runs inside tests/data/valid/ against the fictional lake-varna dossier.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from negotiation.render import formats
from tests.conftest import GoldenFile, Result, Run

VALID = Path(__file__).parent / "data" / "valid"
ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "data" / "golden"
D = ("--dossier", "lake-varna")
KNOWN = "ald-proposal-2031-03-01, brv-response-2031-04-15, lvc-statement-2031-04-20, ald-proposal-2031-05-10"


@pytest.fixture
def run(cli: Run) -> Run:
    """The CLI, run inside tests/data/valid/."""

    def in_valid(*args: str) -> Result:
        return cli(*args, cwd=VALID)

    return in_valid


def test_validate_ok(run: Run) -> None:
    """validate on a valid dossier exits 0 with one ok line and no stderr."""
    result = run("validate", "lake-varna")
    assert result.code == 0
    assert result.stdout == "ok lake-varna: dossier 'lake-varna': 4 positions, 11 provisions\n"
    assert result.stderr == ""


def test_validate_several_paths_reports_every_problem(run: Run) -> None:
    """validate checks every path given: ok lines for the good ones, located lines for the bad, exit 1."""
    result = run("validate", "lake-varna", "../invalid/bad-stance.yaml", "../invalid/unknown-field.yaml")
    assert result.code == 1
    assert result.stdout == "ok lake-varna: dossier 'lake-varna': 4 positions, 11 provisions\n"
    assert result.stderr == (
        "../invalid/bad-stance.yaml:13:13: provisions[0].stance: 'maybe' is not one of 'propose', 'accept', "
        "'accept-conditional', 'discuss', 'counter', 'reject', 'reaffirm' or 'note'\n"
        "../invalid/unknown-field.yaml:9:3: provenance.authentic: unknown field\n"
        "../invalid/unknown-field.yaml:10:1: colour: unknown field\n"
    )


def test_validate_unreadable_wins_exit_2(run: Run) -> None:
    """When one input cannot be read at all, validate exits 2 even if another is merely invalid."""
    result = run("validate", "../invalid/bad-stance.yaml", "missing.yaml")
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == "missing.yaml:0:0: (file): unreadable: no such file"


POSITIONS_SIMPLE = """\
id                        party    kind              date        provisions    verbatim
------------------------  -------  ----------------  ----------  ------------  ----------
ald-proposal-2031-03-01   ald      draft-agreement   2031-03-01  3             100%
brv-response-2031-04-15   brv      written-response  2031-04-15  4             50%
lvc-statement-2031-04-20  lvc      statement         2031-04-20  1             0%
ald-proposal-2031-05-10   ald      draft-agreement   2031-05-10  3             0%
"""


def test_positions_default_table(run: Run) -> None:
    """positions prints a terminal table in timeline order by default."""
    result = run("positions", *D)
    assert result.code == 0
    assert result.stdout == POSITIONS_SIMPLE
    assert result.stderr == ""


def test_positions_csv(run: Run) -> None:
    """positions --format csv prints a header row and one row per position."""
    result = run("positions", *D, "--format", "csv")
    assert result.code == 0
    assert result.stdout == (
        "id,party,kind,date,provisions,verbatim\n"
        "ald-proposal-2031-03-01,ald,draft-agreement,2031-03-01,3,100%\n"
        "brv-response-2031-04-15,brv,written-response,2031-04-15,4,50%\n"
        "lvc-statement-2031-04-20,lvc,statement,2031-04-20,1,0%\n"
        "ald-proposal-2031-05-10,ald,draft-agreement,2031-05-10,3,0%\n"
    )
    assert result.stderr == ""


def test_positions_json_contract(run: Run) -> None:
    """positions --format json prints the documented contract, two-space indented."""
    result = run("positions", *D, "-f", "json")
    assert result.code == 0

    def entry(pid: str, party: str, kind: str, date: str, count: int, share: float, title: str) -> dict[str, object]:
        return {
            "id": pid,
            "party": party,
            "kind": kind,
            "date": date,
            "provisions": count,
            "verbatim_share": share,
            "title": title,
        }

    expected = {
        "dossier": "lake-varna",
        "positions": [
            entry(
                "ald-proposal-2031-03-01",
                "ald",
                "draft-agreement",
                "2031-03-01",
                3,
                1.0,
                "Draft agreement on Lake Varna",
            ),
            entry(
                "brv-response-2031-04-15",
                "brv",
                "written-response",
                "2031-04-15",
                4,
                0.5,
                "Response to Aldoria's draft",
            ),
            entry(
                "lvc-statement-2031-04-20",
                "lvc",
                "statement",
                "2031-04-20",
                1,
                0.0,
                "Commission statement on the exchange of data",
            ),
            entry(
                "ald-proposal-2031-05-10",
                "ald",
                "draft-agreement",
                "2031-05-10",
                3,
                0.0,
                "Revised draft agreement on Lake Varna",
            ),
        ],
    }
    assert result.stdout == json.dumps(expected, indent=2) + "\n"
    assert result.stderr == ""


def test_positions_markdown(run: Run) -> None:
    """positions --format markdown prints a heading and a pipe table."""
    result = run("positions", *D, "-f", "markdown")
    assert result.code == 0
    assert result.stdout == (
        "## Positions in lake-varna\n"
        "\n"
        "| id | party | kind | date | provisions | verbatim |\n"
        "|---|---|---|---|---|---|\n"
        "| ald-proposal-2031-03-01 | ald | draft-agreement | 2031-03-01 | 3 | 100% |\n"
        "| brv-response-2031-04-15 | brv | written-response | 2031-04-15 | 4 | 50% |\n"
        "| lvc-statement-2031-04-20 | lvc | statement | 2031-04-20 | 1 | 0% |\n"
        "| ald-proposal-2031-05-10 | ald | draft-agreement | 2031-05-10 | 3 | 0% |\n"
    )
    assert result.stderr == ""


def test_issues_tree_in_github_style(run: Run) -> None:
    """issues --format github draws the taxonomy as a tree: children indented under parents."""
    result = run("issues", *D, "-f", "github")
    assert result.code == 0
    assert result.stdout == (
        "| code              | title            |\n"
        "|-------------------|------------------|\n"
        "| flow              | Water flow       |\n"
        "|   flow.dry-season | Dry-season share |\n"
        "| dams              | New dams         |\n"
        "| data              | Data exchange    |\n"
        "|   data.gauges     | River gauges     |\n"
    )
    assert result.stderr == ""


def test_issues_json(run: Run) -> None:
    """issues --format json gives each issue with its parent and depth, in tree order."""
    result = run("issues", *D, "-f", "json")
    assert result.code == 0
    assert json.loads(result.stdout) == {
        "dossier": "lake-varna",
        "issues": [
            {
                "code": "flow",
                "title": "Water flow",
                "description": "How much water each side may take.",
                "parent": None,
                "depth": 0,
            },
            {"code": "flow.dry-season", "title": "Dry-season share", "description": None, "parent": "flow", "depth": 1},
            {
                "code": "dams",
                "title": "New dams",
                "description": "Building new dams on the river.",
                "parent": None,
                "depth": 0,
            },
            {"code": "data", "title": "Data exchange", "description": None, "parent": None, "depth": 0},
            {
                "code": "data.gauges",
                "title": "River gauges",
                "description": "Sharing readings of the river gauges.",
                "parent": "data",
                "depth": 1,
            },
        ],
    }
    assert result.stderr == ""


def test_show_by_id(run: Run) -> None:
    """show ID --dossier prints the position's provisions as a terminal table."""
    result = run("show", "brv-response-2031-04-15", *D)
    assert result.code == 0
    assert result.stdout == (
        "id    ref         issues           stance    text_status    summary                         sources\n"
        "----  ----------  ---------------  --------  -------------  ------------------------------  "
        "----------------------------------\n"
        "p1    Point 1     data.gauges      accept    verbatim       Accepts the daily exchange.     "
        "sources/brv-response-2031-04-15.md\n"
        "p2    Point 2     flow.dry-season  counter   partial        Shares by population.           "
        "sources/brv-response-2031-04-15.md\n"
        "p3    Point 3     dams             reject    verbatim       Keeps the right to build dams.  "
        "sources/brv-response-2031-04-15.md\n"
        "p4    Points 4-5  flow             discuss   missing                                        Varna Daily\n"
    )
    assert result.stderr == ""


def test_show_by_path_in_grid_style(run: Run, golden_file: GoldenFile) -> None:
    """show PATH reads the file in the context of the dossier beside it; grid style draws every rule."""
    result = run("show", "lake-varna/ald-proposal-2031-05-10.yaml", "-f", "grid")
    assert (result.code, result.stderr) == (0, "")
    golden_file(GOLDEN / "show-grid.txt", result.stdout)


def test_show_json_is_the_whole_position(run: Run) -> None:
    """show --format json prints every field of the position, defaults included, nulls left out."""
    result = run("show", "lvc-statement-2031-04-20", *D, "-f", "json")
    assert result.code == 0
    assert json.loads(result.stdout) == {
        "schema_version": 1,
        "id": "lvc-statement-2031-04-20",
        "dossier": "lake-varna",
        "party": "lvc",
        "addressees": ["ald", "brv"],
        "kind": "statement",
        "title": "Commission statement on the exchange of data",
        "version": 1,
        "responds_to": [],
        "published": "2031-04-20",
        "provenance": {
            "publisher": "Lake Varna Commission",
            "urls": [],
            "translation": "original",
            "authenticity": "reported",
        },
        "packages": [],
        "provisions": [
            {
                "id": "s1",
                "ref": "Statement",
                "issues": ["data"],
                "stance": "note",
                "obligations": [],
                "responds_to": [{"to": "brv-response-2031-04-15#p1", "relation": "notes"}],
                "conditions": [],
                "linked_to": [],
                "text": "The Commission welcomed the agreement to share gauge readings.",
                "text_status": "reported",
                "sources": [{"witness": "Varna Daily", "tag": "single-source"}],
                "summary": "Welcomes the data exchange.",
            }
        ],
    }
    assert result.stdout.endswith("}\n")
    assert result.stderr == ""


def test_show_loose_file_against_a_dossier(run: Run) -> None:
    """show PATH --dossier shows a position file kept outside the dossier, in csv."""
    result = run("show", "standalone/trainee-counter.yaml", *D, "-f", "csv")
    assert result.code == 0
    assert result.stdout == (
        "id,ref,issues,stance,text_status,summary,sources\n"
        "c1,Item 1,dams,counter,reported,Dams allowed with a year's notice.,the trainee team\n"
    )
    assert result.stderr == ""


def test_output_option_writes_the_file(run: Run, tmp_path: Path) -> None:
    """--output writes the rendered table to the file and nothing to stdout."""
    target = tmp_path / "positions.csv"
    result = run("positions", *D, "-f", "csv", "-o", str(target))
    assert (result.code, result.stdout, result.stderr) == (0, "", "")
    assert target.read_text(encoding="utf-8").splitlines()[0] == "id,party,kind,date,provisions,verbatim"


def test_output_never_overwrites_a_position_file(run: Run, tmp_path: Path) -> None:
    """--output refuses to replace a position file, with one line and exit 2; the file is unchanged."""
    target = tmp_path / "mine.yaml"
    original = (VALID / "standalone" / "trainee-counter.yaml").read_bytes()
    target.write_bytes(original)
    result = run("positions", *D, "-o", str(target))
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == f"negotiation: {target}: refusing to overwrite a negotiation data file\n"
    assert target.read_bytes() == original


def test_schema_equals_committed_file(run: Run) -> None:
    """schema position / schema dossier print exactly the committed schemas/*-v1.json."""
    for kind in ("position", "dossier"):
        result = run("schema", kind)
        assert result.code == 0
        assert result.stdout == (ROOT / "schemas" / f"{kind}-v1.json").read_text(encoding="utf-8")
        assert result.stderr == ""


def test_formats_lists_the_registry(run: Run) -> None:
    """formats prints every registered format, one per line, including the core text formats."""
    result = run("formats")
    assert result.code == 0
    assert result.stdout == "".join(f"{name}\n" for name in formats())
    assert {"csv", "json", "markdown", "simple", "github", "grid", "latex_booktabs"} <= set(result.stdout.split())
    assert not {"unsafehtml", "latex_raw"} & set(result.stdout.split())
    assert result.stderr == ""


def test_unknown_position_id(run: Run) -> None:
    """show with an unknown id exits 2 with one line naming the known ids."""
    result = run("show", "nope", *D)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == f"negotiation: no position 'nope' in dossier 'lake-varna' (known: {KNOWN})\n"


def test_unknown_format(run: Run) -> None:
    """An unknown --format exits 2 with one line listing the choices."""
    result = run("positions", *D, "-f", "nope")
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == f"negotiation: unknown format 'nope'; choose one of: {', '.join(formats())}\n"


def test_unknown_schema_kind(run: Run) -> None:
    """schema with an unknown kind exits 2 with one line."""
    result = run("schema", "treaty")
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("negotiation: unknown schema 'treaty'; choose one of: position, dossier")
    assert result.stderr.count("\n") == 1


def test_missing_dossier_folder(run: Run) -> None:
    """positions --dossier on a folder that does not exist exits 2 with one located line."""
    result = run("positions", "--dossier", "nowhere")
    assert (result.code, result.stdout, result.stderr) == (2, "", "nowhere:0:0: (file): unreadable: no such folder\n")


def test_invalid_dossier_exits_1_with_every_problem(run: Run) -> None:
    """A command reading an invalid dossier exits 1 and prints every problem, not a table."""
    result = run("issues", "--dossier", "../invalid/unknown-party")
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "../invalid/unknown-party/b-1.yaml:3:8: party: unknown party 'c'\n"
        "../invalid/unknown-party/b-1.yaml:19:23: provisions[0].obligations[0].obligors[1]: unknown party 'd'\n"
    )


def test_unknown_option_is_one_line(run: Run) -> None:
    """An unknown option exits 2 with one line and a pointer to --help."""
    result = run("show", "x", "--bogus")
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == "negotiation show: No such option: --bogus (see 'negotiation show --help')\n"


def test_missing_argument_is_one_line(run: Run) -> None:
    """A missing argument exits 2 with one line."""
    result = run("show")
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == "negotiation show: Missing argument 'POSITION' (see 'negotiation show --help')\n"


def test_unknown_command(run: Run) -> None:
    """An unknown command exits 2 with one line."""
    result = run("frobnicate")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == "negotiation: No such command 'frobnicate' (see 'negotiation --help')\n"


def test_bare_command_prints_help(run: Run) -> None:
    """negotiation with no arguments prints the help on stdout and exits 0."""
    result = run()
    assert result.code == 0
    assert result.stdout.startswith("Usage: negotiation [OPTIONS] COMMAND [ARGS]...\n")
    assert result.stderr == ""


def test_output_dash_is_standard_output(cli: Run, tmp_path: Path) -> None:
    """`--output -` writes to standard output, as for most Unix tools: no file named '-' appears."""
    to_file = cli("schema", "position", "--output", str(tmp_path / "schema.json"))
    dashed = cli("schema", "position", "--output", "-", cwd=tmp_path)
    assert (to_file.code, dashed.code) == (0, 0)
    assert dashed.stdout == (tmp_path / "schema.json").read_text(encoding="utf-8")
    assert not (tmp_path / "-").exists()
