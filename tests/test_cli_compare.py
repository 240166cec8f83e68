"""The diff, matrix, changes and balance commands: exit codes, exact standard output and error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from negotiation.engine.changes import changes
from negotiation.engine.compare import compare
from tests.conftest import ROOT, Run
from tests.engine_fixtures import draft_versions, water

W = "tests/data/engine/water"
V1 = f"{W}/north-draft.yaml"
V2 = "tests/data/engine/changes/north-draft-v2.yaml"


@pytest.fixture
def run(cli: Run) -> Run:
    """The CLI, run from the repository root so that paths in the output are the relative ones given."""

    def in_root(*args: str) -> object:
        return cli(*args, cwd=ROOT)

    return in_root  # type: ignore[return-value]


DAMS = """\
issue                    category    status                                     north-proposal           south-response          attestation    rationale
-----------------------  ----------  -----------------------------------------  -----------------------  ----------------------  -------------  -----------------------------------------------------------------------------------------------------
dams                     open        divided — sub-issues: 1 rejection, 1 open  propose: Art. 3, Art. 4  reject: ¶3              own-words      sub-issues divide: 1 rejection, 1 open (rule D1: the parts of a parent issue divide and none decides)
· dams.new-construction  rejection   rejected                                   propose: Art. 3          reject: ¶3              own-words      propose × reject → rejected (rule R2: an explicit refusal)
· dams.data-sharing      open        conditional                                propose: Art. 4          accept-conditional: ¶4  own-words      propose × accept-conditional → conditional (rule R5: accepted only under a condition)

mode: answer — south-response answers north-proposal
3 issues: 0 overlap, 1 rejection, 2 open
warning: south-response answers 3 of 4 provisions of indivisible package 'core' (Flow, floods, dams and quality stand together) of north-proposal; not answered: n-art-7
"""  # noqa: E501


def test_diff_one_issue_and_its_children(run: Run) -> None:
    """diff --issue shows that issue and its sub-issues, the summary and the package warning."""
    result = run("diff", "north-proposal", "south-response", "--dossier", W, "--issue", "dams")
    assert result.code == 0
    assert result.stdout == DAMS
    assert result.stderr == ""


def test_diff_categories_as_csv(run: Run) -> None:
    """Repeated --category keeps those categories; csv carries the rows only."""
    result = run("diff", "north-proposal", "south-response", "-d", W, "-c", "overlap", "-i", "allocation", "-f", "csv")
    assert result.code == 0
    assert result.stdout == (
        "issue,category,status,north-proposal,south-response,attestation,rationale\n"
        "· allocation.flood-season,overlap,agreed,propose: Art. 2,accept: ¶2,own-words,"
        "propose × accept → agreed (rule R8: one side accepts what the other tabled)\n"
    )
    assert result.stderr == ""


def test_diff_json_is_the_contract(run: Run) -> None:
    """diff --format json prints the comparison's contract, nothing else."""
    result = run("diff", "north-proposal", "south-response", "-d", W, "-f", "json")
    record = water()
    expected = compare(record.position("north-proposal"), record.position("south-response"), record).to_dict()
    assert result.code == 0
    assert json.loads(result.stdout) == expected
    assert result.stdout.endswith("}\n")
    assert result.stderr == ""


def test_diff_exit_code(run: Run) -> None:
    """--exit-code: 1 when some issue shown is not an overlap, 0 when all shown overlap."""
    differs = run("diff", "north-proposal", "south-response", "-d", W, "--exit-code", "-f", "json")
    assert (differs.code, differs.stderr) == (1, "")
    same = run("diff", "north-proposal", "south-response", "-d", W, "--exit-code", "-c", "overlap", "-f", "json")
    assert (same.code, same.stderr) == (0, "")
    assert [i["issue"] for i in json.loads(same.stdout)["items"]] == ["allocation.flood-season", "research"]
    # Without --exit-code, differences are not a failure.
    assert run("diff", "north-proposal", "south-response", "-d", W, "-f", "json").code == 0


def test_diff_accepts_a_position_file(run: Run) -> None:
    """LEFT or RIGHT may be a path to a position file; the verdicts are those of the dossier's copy."""
    by_id = run("diff", "north-proposal", "south-response", "-d", W, "-f", "json")
    by_path = run("diff", f"{W}/north-proposal.yaml", "south-response", "-f", "json")
    assert (by_path.code, by_path.stderr) == (0, "")
    assert by_path.stdout == by_id.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("-c", "agreed"), "negotiation: unknown category 'agreed'; choose one of: overlap, rejection, open, same-line, "),
    (("-i", "dam"), "negotiation: no issue 'dam' in the taxonomy of dossier 'river-accord'; did you mean 'dams'?\n"),
    (("-f", "nope"), "negotiation: unknown format 'nope'; choose one of: "),
])  # fmt: skip
def test_diff_bad_options_exit_2(run: Run, args: tuple[str, ...], message: str) -> None:
    """A bad category, issue or format is a usage error: exit 2, one line on stderr, nothing on stdout."""
    result = run("diff", "north-proposal", "south-response", "-d", W, *args)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_diff_unknown_position_exit_2(run: Run) -> None:
    """An unknown id is a usage error naming the known ids."""
    result = run("diff", "north-proposal", "nope", "-d", W)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "negotiation: no position 'nope' in dossier 'river-accord' "
        "(known: north-draft, north-proposal, south-response, north-reply)\n"
    )


def test_diff_missing_file_exit_2(run: Run) -> None:
    """A path that does not exist is unreadable input: exit 2 with the path first."""
    result = run("diff", "missing/position.yaml", "south-response", "-d", W)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("missing/position.yaml:0:0: (file): unreadable")


MATRIX_DISPUTES = """\
| issue                  | north-draft   | north-proposal   | south-response                                   | north-reply                                      |
|------------------------|---------------|------------------|--------------------------------------------------|--------------------------------------------------|
| disputes               | propose       | reaffirm         | open (divided — sub-issues: 1 rejection, 1 open) | open (divided — sub-issues: 1 rejection, 1 open) |
| · disputes.commission  | propose       | propose          | open (negotiable)                                | open (unanswered)                                |
| · disputes.arbitration |               | reaffirm         | rejection (contested)                            | rejection (contested)                            |

A position that answers others shows category (status) against what it answers; an opening position shows its own stance.
"""  # noqa: E501


def test_matrix_filtered_by_issue(run: Run) -> None:
    """matrix --issue shows that subtree for every position of the dossier."""
    result = run("matrix", "-d", W, "-i", "disputes", "-f", "github")
    assert (result.code, result.stdout, result.stderr) == (0, MATRIX_DISPUTES, "")


def test_matrix_selected_columns_and_category(run: Run) -> None:
    """Ids choose the columns; --category keeps the rows with a cell in that category."""
    result = run("matrix", "south-response", "north-reply", "-d", W, "-c", "overlap", "-f", "csv")
    assert result.code == 0
    assert result.stdout == (
        "issue,south-response,north-reply\n"
        "· allocation.dry-season,open (countered),overlap (agreed)\n"
        "· allocation.flood-season,overlap (agreed),open (unanswered)\n"
        "research,overlap (compatible ~one),open (unanswered ~one)\n"
    )
    assert result.stderr == ""


CHANGES = """\
| kind       | id            | ref             | detail                                                                                                                                         |
|------------|---------------|-----------------|------------------------------------------------------------------------------------------------------------------------------------------------|
| moved      | d-5           | Art. 5          | place 5 → 1                                                                                                                                    |
| renumbered | d-2 → d-flood | Art. 2          | matched by ref                                                                                                                                 |
| changed    | d-3           | Art. 3          | stance reject → discuss (concession); text: Northland [-rejects-] {+is ready to discuss+} any new dam on the main stem {+above 10 megawatts+}. |
| changed    | d-4           | Art. 4          | stance discuss → reaffirm (hardening); obligations[0].reciprocal: true → false                                                                 |
| added      | d-7           | Art. 7          | propose on navigation                                                                                                                          |
| changed    | d-8 → d-fish  | Art. 7 → Art. 8 | text: Fishing quotas shall be set jointly each year by the [-Parties-] {+basin commission+}.; matched by text                                  |
| removed    | d-6           | Art. 6          | propose on quality                                                                                                                             |

1 added, 1 removed, 4 changed, 1 moved
"""  # noqa: E501


def test_changes_between_two_files(run: Run) -> None:
    """changes OLD NEW on two file versions reports exactly the reordering, renumbering, edits, addition, removal."""
    result = run("changes", V1, V2, "-f", "github")
    assert (result.code, result.stdout, result.stderr) == (0, CHANGES, "")


def test_changes_json_and_exit_code(run: Run) -> None:
    """--exit-code gives 1 when something changed; the JSON is the changes contract."""
    result = run("changes", V1, V2, "--exit-code", "-f", "json")
    assert (result.code, result.stderr) == (1, "")
    assert json.loads(result.stdout) == changes(*draft_versions()).to_dict()


def test_changes_of_a_position_with_itself(run: Run) -> None:
    """Nothing changed: exit 0 even with --exit-code, and the note says so."""
    result = run("changes", "north-draft", "north-draft", "-d", W, "--exit-code", "-f", "github")
    assert result.code == 0
    assert result.stdout == "| kind   | id   | ref   | detail   |\n|--------|------|-------|----------|\n\nno changes\n"
    assert result.stderr == ""


def test_balance(run: Run) -> None:
    """balance counts, per party, the commitments binding it and how many are reciprocal."""
    result = run("balance", "north-proposal", "-d", W)
    assert result.code == 0
    assert result.stdout == (
        "party    name       binding    reciprocal    one-sided    benefiting\n"
        "-------  ---------  ---------  ------------  -----------  ------------\n"
        "north    Northland  4          3             1            2\n"
        "south    Southland  4          3             1            2\n"
        "\n"
        "5 commitments, 3 reciprocal\n"
    )
    assert result.stderr == ""


def test_output_file(run: Run, tmp_path: Path) -> None:
    """--output writes the rendering to a file and nothing to stdout."""
    target = tmp_path / "diff.md"
    result = run(
        "diff", "north-proposal", "south-response", "-d", W, "-i", "quality", "-f", "markdown", "-o", str(target)
    )
    assert (result.code, result.stdout, result.stderr) == (0, "", "")
    assert target.read_text(encoding="utf-8") == (
        "## north-proposal × south-response (answer)\n"
        "\n"
        "| issue | category | status | north-proposal | south-response | attestation | rationale |\n"
        "|---|---|---|---|---|---|---|\n"
        "| quality | open | unanswered | propose: Art. 7 | silent | own-words | "
        "propose × silent → unanswered (rule R1: only one side addresses the issue) |\n"
        "\n"
        "mode: answer — south-response answers north-proposal\n"
        "\n"
        "1 issue: 0 overlap, 0 rejection, 1 open\n"
        "\n"
        "warning: south-response answers 3 of 4 provisions of indivisible package 'core' "
        "(Flow, floods, dams and quality stand together) of north-proposal; not answered: n-art-7\n"
    )


def test_commands_have_help(run: Run) -> None:
    """Each engine command explains itself in --help."""
    for command, first in (
        ("diff", "Compare two positions issue by issue"),
        ("matrix", "Issues × positions"),
        ("changes", "What changed between two positions"),
        ("balance", "Count, per party, the commitments"),
    ):
        result = run(command, "--help")
        assert result.code == 0
        assert first in result.stdout


def test_matrix_sensitivity_names_the_cells_and_the_provisions(run: Run) -> None:
    """Only south-response's research point is reported (by one source): its two cells change without it."""
    result = run("matrix", "-d", W, "--sensitivity", "-f", "csv")
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout == (
        "issue,position,verdict,set aside\n"
        "research,south-response,overlap (compatible) → open (unanswered),south-response#s-9\n"
        "research,north-reply,open (unanswered) → no verdict,south-response#s-9\n"
    )


def test_diff_min_attestation_recomputes_and_says_what_it_set_aside(run: Run) -> None:
    """Without the reported point, the proposal on research is unanswered; the notes count what was set aside."""
    result = run(
        "diff", "north-proposal", "south-response", "-d", W, "--min-attestation", "own-words", "-i", "research"
    )
    assert (result.code, result.stderr) == (0, "")
    assert "\nresearch  open        unanswered  propose: Art. 9   silent" in result.stdout
    assert "min-attestation own-words: 1 provision below it set aside (south-response: 1); the JSON lists them\n" in (
        result.stdout
    )
    data = json.loads(
        run("diff", "north-proposal", "south-response", "-d", W, "--min-attestation", "own-words", "-f", "json").stdout
    )
    assert (data["min_attestation"], data["set_aside"]) == ("own-words", ["south-response#s-9"])


def test_unknown_attestation_level_is_a_usage_error(run: Run) -> None:
    """A level that is not a grade: exit 2 and one line naming the grades."""
    result = run("matrix", "-d", W, "--min-attestation", "verbatim")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == (
        "negotiation: unknown attestation level 'verbatim'; choose one of: own-words, several-sources, "
        "author-summary, one-source, other-party, unattested\n"
    )


def test_sensitivity_with_nothing_to_change_is_one_line(run: Run) -> None:
    """Setting aside only unattested evidence changes no verdict of the bundled dossier: one line says so."""
    result = run("matrix", "--sensitivity", "--min-attestation", "unattested")
    assert (result.code, result.stdout) == (0, "No verdict changes when evidence below unattested is set aside\n")


def test_mistyped_attestation_level_names_the_closest(run: Run) -> None:
    """A typo in a level: the one-line usage error says which grade was probably meant."""
    result = run("diff", "north-proposal", "south-response", "-d", W, "--min-attestation", "one-sorce")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == (
        "negotiation: unknown attestation level 'one-sorce'; did you mean 'one-source'?; choose one of: own-words, "
        "several-sources, author-summary, one-source, other-party, unattested\n"
    )
