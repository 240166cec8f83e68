"""The bundled record is faithful to its sources, and the coverage audit finds what it should.

Every position file of the bundled dossier is its own test case (collected from the folder, so the
tests run with any subset of the five positions present). Positions are loaded one by one, not
through the dossier, because a dossier with a listed position still missing does not load.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from negotiation.cli import main
from negotiation.coverage import check_texts, position_coverage
from negotiation.loading import bundled_dossier_path
from negotiation.loading.dossier import DOSSIER_FILE_NAMES
from negotiation.loading.parse import parse_file
from negotiation.loading.validate import build
from negotiation.schema import Position
from negotiation.sources import match_key, passages
from negotiation.validation import validate_paths

DOSSIER = bundled_dossier_path()
POSITION_FILES = sorted(p for p in DOSSIER.glob("*.yaml") if p.name not in DOSSIER_FILE_NAMES)
TREATY = "ru-us-treaty-2021-12-17"
AGREEMENT = "ru-nato-agreement-2021-12-17"


def load(path: Path) -> Position:
    """Load one position file, failing the test with every schema problem found."""
    position, problems = build(Position, parse_file(path))
    assert not problems, "\n".join(str(p) for p in problems)
    assert position is not None
    return position


def present_ids() -> dict[str, Path]:
    """Position id -> file, for every position file now in the bundled dossier."""
    return {load(path).id: path for path in POSITION_FILES}


by_file = pytest.mark.parametrize("path", POSITION_FILES, ids=[p.stem for p in POSITION_FILES])


# --- every position of the bundled dossier ------------------------------------------------------


@by_file
def test_texts_are_substrings_of_a_cited_source(path: Path) -> None:
    """Every verbatim, partial or reported text is, whitespace normalised, in a bundled file it cites."""
    position = load(path)
    checks = check_texts(position, DOSSIER, shown=path.name)
    bad = [c.message() for c in checks if not c.ok]
    assert not bad, "texts not found in their cited sources:\n" + "\n".join(bad)
    verbatim = [c for c in checks if c.text_status in ("verbatim", "partial")]
    assert all(c.checked for c in verbatim), "a verbatim/partial text cites no bundled file"


@by_file
def test_every_recovered_passage_is_covered(path: Path) -> None:
    """No passage of the position's bundled source (paragraph, gap quote, list fragment) is left uncovered."""
    position = load(path)
    result = position_coverage(position, DOSSIER, shown=path.name)
    lines = [f"{result.source_file}:{p.passage.line} ({p.passage.kind}): {p.passage.text}" for p in result.uncovered]
    assert not lines, f"{position.id}: passages no provision covers:\n" + "\n".join(lines)


def _without_witnesses(path: Path, tmp_path: Path) -> tuple[Path, int] | None:
    """A copy of ``path`` whose first reported provision cites nobody (no witness, no URL), and its index."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    reported = [i for i, p in enumerate(data["provisions"]) if p.get("text_status") == "reported"]
    if not reported:
        return None
    provision = data["provisions"][reported[0]]
    # Only what a source needs besides the witness: the bundled file it points to.
    kept = [{k: v for k, v in s.items() if k not in ("witness", "url")} for s in provision["sources"] if s.get("file")]
    provision["sources"] = kept or [{"file": data["provenance"]["source_file"]}]
    copy = tmp_path / path.name
    copy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return copy, reported[0]


def test_reported_provisions_name_who_reported_them(tmp_path: Path) -> None:
    """A reported provision whose sources name no witness and no URL is refused, located at that
    provision; every bundled file with reported provisions is tried."""
    tried = 0
    for path in POSITION_FILES:
        made = _without_witnesses(path, tmp_path)
        if made is None:
            continue
        copy, index = made
        node = yaml.compose(copy.read_text(encoding="utf-8"))
        provisions = next(value for key, value in node.value if key.value == "provisions")
        line = provisions.value[index].start_mark.line + 1
        _, problems = build(Position, parse_file(copy))
        assert [(p.line, p.field, p.message) for p in problems] == [
            (
                line,
                f"provisions[{index}]",
                "text_status 'reported' needs a source naming who reported it (url or witness)",
            )
        ]
        tried += 1
    assert tried >= 3


@by_file
def test_links_point_to_existing_provisions(path: Path) -> None:
    """Every responds_to link names a position file present in the dossier and a provision in it."""
    position = load(path)
    files = present_ids()
    broken = []
    for provision in position.provisions:
        for link in provision.responds_to:
            target = files.get(link.position)
            if target is None or load(target).provision(link.provision) is None:
                broken.append(f"{provision.id} -> {link.to}")
    assert broken == []


@by_file
def test_position_file_validates(path: Path) -> None:
    """``validate`` reports no problem located in the position file itself."""
    report = validate_paths([str(DOSSIER)])
    mine = [str(p) for p in report.problems if Path(p.path).name == path.name]
    assert mine == []


def test_dossier_validates_but_for_positions_not_yet_written() -> None:
    """The bundled dossier validates; the only problems allowed are listed positions with no file yet."""
    report = validate_paths([str(DOSSIER)])
    present = present_ids()
    absent = re.compile(r"no position file with id '([^']+)'")
    rest = []
    for problem in report.problems:
        match = absent.fullmatch(problem.message)
        if match is None or match.group(1) in present:
            rest.append(str(problem))
    assert rest == []


# --- the two Russian drafts -----------------------------------------------------------------------

TREATY_IDS = [
    *(f"pre-{i}" for i in range(1, 12)),
    "art-1",
    "art-2",
    "art-3",
    "art-4-p1",
    "art-4-p2",
    "art-5-p1",
    "art-5-p2",
    "art-5-p3",
    "art-6",
    "art-7-p1",
    "art-7-p2",
    "art-7-p3",
    "art-8",
]
AGREEMENT_IDS = [
    *(f"pre-{i}" for i in range(1, 8)),
    *(f"art-1-p{i}" for i in range(1, 5)),
    *(f"art-2-p{i}" for i in range(1, 4)),
    "art-3-p1",
    "art-3-p2",
    "art-4-p1",
    "art-4-p2",
    "art-5",
    "art-6",
    "art-7-p1",
    "art-7-p2",
    "art-8",
    "art-9",
]


def draft(position_id: str) -> Position:
    """One of the two Russian drafts."""
    return load(DOSSIER / f"{position_id}.yaml")


def test_treaty_has_the_fixed_provision_ids_in_order() -> None:
    """The treaty's provision ids are exactly those fixed for the dossier, in document order."""
    assert [p.id for p in draft(TREATY).provisions] == TREATY_IDS


def test_agreement_has_the_fixed_provision_ids_in_order() -> None:
    """The agreement's provision ids are exactly those fixed for the dossier, in document order."""
    assert [p.id for p in draft(AGREEMENT).provisions] == AGREEMENT_IDS


def test_drafts_text_status_per_provision() -> None:
    """Gaps stay visible: the reported and missing provisions of both drafts are exactly these."""
    treaty = {p.id: p.text_status for p in draft(TREATY).provisions}
    agreement = {p.id: p.text_status for p in draft(AGREEMENT).provisions}
    assert {k for k, v in treaty.items() if v == "reported"} == {"art-7-p1", "art-7-p3"}
    assert {k for k, v in treaty.items() if v == "missing"} == {"pre-11", "art-8"}
    assert {k for k, v in treaty.items() if v == "partial"} == {"pre-7", "pre-8", "pre-9", "pre-10", "art-5-p3"}
    assert {k for k, v in agreement.items() if v == "reported"} == {"art-4-p1", "art-9"}
    assert {k for k, v in agreement.items() if v == "missing"} == {"art-8"}
    assert {k for k, v in agreement.items() if v == "partial"} == {"art-5", "art-7-p1"}


def test_one_sided_and_reciprocal_obligations() -> None:
    """Treaty Art. 4 binds only the U.S. for Russia; Art. 5 and 6 bind both; agreement Art. 6 binds NATO."""
    treaty, agreement = draft(TREATY), draft(AGREEMENT)

    def bound(position: Position, provision_id: str) -> list[tuple[tuple[str, ...], tuple[str, ...], bool]]:
        found = position.provision(provision_id)
        assert found is not None
        return [(o.obligors, o.beneficiaries, o.reciprocal) for o in found.obligations]

    assert bound(treaty, "art-4-p1") == [(("usa",), ("rus",), False)]
    assert bound(treaty, "art-4-p2") == [(("usa",), ("rus",), False)]
    for article in ("art-5-p1", "art-5-p2", "art-6"):
        assert bound(treaty, article) == [(("rus", "usa"), ("rus", "usa"), True)]
    assert bound(agreement, "art-6") == [(("nato",), ("rus",), False)]


def test_agreement_exception_needs_consent_of_all_parties() -> None:
    """Agreement Art. 4 ¶2 carries its consent condition and stands with ¶1."""
    provision = draft(AGREEMENT).provision("art-4-p2")
    assert provision is not None
    assert [c.kind for c in provision.conditions] == ["other"]
    assert "consent of all the Parties" in provision.conditions[0].description
    assert provision.linked_to == ("art-4-p1",)


def test_drafts_declare_the_package_from_russias_reply() -> None:
    """Each draft declares one package over all its provisions, citing Russia's reply of 17 Feb 2022."""
    reply = (DOSSIER / "sources" / "2022-02-17-russia-reply-to-us.md").read_text(encoding="utf-8")
    for position_id in (TREATY, AGREEMENT):
        (package,) = draft(position_id).packages
        assert package.provisions == ()
        assert package.indivisible
        assert package.notes is not None
        assert "sources/2022-02-17-russia-reply-to-us.md" in package.notes
        assert "disregarded the package nature of the Russian proposals" in package.notes
    assert "disregarded the package nature of the Russian proposals" in reply


def test_single_mirror_passages_name_their_mirror() -> None:
    """Passages resting on one non-MFA mirror name it as witness and say so in notes."""
    cases = [(TREATY, "art-1", "cpcml"), (TREATY, "art-2", "cpcml")]
    cases += [(AGREEMENT, pid, "aalep.eu") for pid in ("art-1-p4", "art-2-p1", "art-2-p2", "art-2-p3", "art-3-p1")]
    for position_id, provision_id, mirror in cases:
        provision = draft(position_id).provision(provision_id)
        assert provision is not None
        assert any(mirror in (s.witness or "") for s in provision.sources), provision_id
        assert "single non-MFA mirror" in (provision.notes or ""), provision_id


# --- the passage rules --------------------------------------------------------------------------

SOURCE = """# A document

## Mirrors
- "not a passage: outside the text section"

---

## Text

TITLE OF THE DOCUMENT

Article 1

The Parties shall talk.
They shall listen.

cut off in the middle of a long sentence that the stored copy breaks and

[[GAP — the rest was not found. TASS: "The parties also vow" …; the words
"have agreed" were not found either.]]

[[GAP — the opening words are missing.]] not to fight.

[[GAP — fragments:]]
- "… first fragment …" (TASS: "a remark") — AP: "commentary"
- Sputnik's witness: "second fragment" and “third fragment”
continued on a line with "a quote in a continuation" (and "a remark")

---

## Reported content

- A reported point. — TASS **[single-source]**
"""


def test_passages_follow_the_documented_rules() -> None:
    """Paragraphs, gap quotes and list fragments are cut exactly as docs/coding-guide.md says."""
    found = [(p.line, p.kind, p.text) for p in passages(SOURCE)]
    assert found == [
        (14, "paragraph", "The Parties shall talk. They shall listen."),
        (17, "paragraph", "cut off in the middle of a long sentence that the stored copy breaks and"),
        (19, "gap-quote", "The parties also vow"),
        (20, "gap-quote", "have agreed"),
        (22, "paragraph", "not to fight."),
        (25, "fragment", "… first fragment …"),
        (26, "fragment", "second fragment"),
        (26, "fragment", "third fragment"),
        (27, "fragment", "a quote in a continuation"),
    ]


def test_text_section_may_run_to_reported_content_without_a_rule() -> None:
    """The text section also ends at a '## Reported content' heading when no '---' line precedes it."""
    source = '## Text — presumed translation\n\nWe note this.\n\n## Reported content\n\nA "point".\n'
    assert [(p.kind, p.text) for p in passages(source)] == [("paragraph", "We note this.")]


def test_match_key_strips_ellipses_and_whitespace() -> None:
    """Matching ignores whitespace runs and leading or trailing ellipses, never inner words."""
    assert match_key(" …  a\n b … ") == "a b"
    assert match_key("We are ready to consider arrangements or […]") == "We are ready to consider arrangements or"
    assert match_key("a … b") == "a … b"


def _toy_position(provisions: list[dict[str, object]], notes: str | None = None) -> Position:
    return Position.model_validate(
        {
            "schema_version": 1,
            "id": "toy",
            "party": "rus",
            "kind": "draft-treaty",
            "title": "Toy",
            "provenance": {"authenticity": "fictional", "source_file": "sources/doc.md"},
            "notes": notes,
            "provisions": provisions,
        }
    )


def _provision(pid: str, status: str, text: str | None, **extra: object) -> dict[str, object]:
    source: dict[str, object] = {"file": "sources/doc.md", "witness": "TASS"}
    source.update(extra.pop("source", {}))  # type: ignore[arg-type]
    return {
        "id": pid,
        "ref": pid,
        "issues": ["principles"],
        "stance": "propose",
        "text_status": status,
        "text": text,
        "sources": [source],
        **extra,
    }


@pytest.fixture
def toy_root(tmp_path: Path) -> Path:
    """A dossier folder holding only the toy source file."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "doc.md").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def test_coverage_statuses(toy_root: Path) -> None:
    """Text covers paragraphs; reported texts and notes cover quotes only; the rest is uncovered."""
    position = _toy_position(
        [
            _provision("a", "partial", "The Parties shall talk."),
            _provision("b", "reported", "not to fight."),
            _provision("c", "reported", "first fragment"),
            _provision("d", "missing", None, notes='TASS\'s lead-in is "The parties also vow".'),
            _provision("e", "partial", "second fragment", source={"file": "sources/other.md"}),
        ],
        notes="The words have agreed were not found.",
    )
    (toy_root / "sources" / "other.md").write_text("second fragment", encoding="utf-8")
    result = position_coverage(position, toy_root)
    statuses = {p.passage.text: (p.status, p.provisions) for p in result.passages}
    assert statuses == {
        "The Parties shall talk. They shall listen.": ("text", ("a",)),
        "cut off in the middle of a long sentence that the stored copy breaks and": ("uncovered", ()),
        "The parties also vow": ("noted", ()),
        "have agreed": ("noted", ()),
        "not to fight.": ("uncovered", ("b",)),  # a paragraph coded as reported is not covered
        "… first fragment …": ("reported", ("c",)),
        "second fragment": ("uncovered", ()),  # "e" cites another file
        "third fragment": ("uncovered", ()),
        "a quote in a continuation": ("uncovered", ()),
    }
    assert result.counts == {"verbatim": 0, "partial": 2, "reported": 2, "missing": 1}


def test_check_texts_flags_words_not_in_the_cited_file(toy_root: Path) -> None:
    """A text absent from its cited file fails; whitespace differences do not; uncited reports are unchecked."""
    (toy_root / "sources" / "other.md").write_text("second\n   fragment", encoding="utf-8")
    position = _toy_position(
        [
            _provision("ok", "verbatim", "The Parties shall\ntalk."),
            _provision("bad", "verbatim", "The Parties shall never talk."),
            _provision("other", "partial", "second fragment", source={"file": "sources/other.md"}),
            {**_provision("web", "reported", "Something said."), "sources": [{"url": "https://example.org"}]},
        ]
    )
    checks = {c.provision: (c.ok, c.checked, c.found_in) for c in check_texts(position, toy_root)}
    assert checks == {
        "ok": (True, True, "sources/doc.md"),
        "bad": (False, True, None),
        "other": (True, True, "sources/other.md"),
        "web": (True, False, None),
    }


def test_source_outside_the_dossier_is_refused(toy_root: Path) -> None:
    """A cited file outside the dossier folder is an input error, not a read."""
    from negotiation.errors import InputError

    position = _toy_position([_provision("x", "verbatim", "x", source={"file": "../secret.md"})])
    with pytest.raises(InputError, match="lies outside the dossier folder"):
        check_texts(position, toy_root)


# --- the coverage command -------------------------------------------------------------------------


@pytest.fixture
def drafts_dossier(tmp_path: Path) -> Path:
    """A copy of the bundled dossier holding only the two Russian drafts."""
    folder = tmp_path / "dossier"
    shutil.copytree(DOSSIER / "sources", folder / "sources")
    for position_id in (TREATY, AGREEMENT):
        shutil.copy(DOSSIER / f"{position_id}.yaml", folder / f"{position_id}.yaml")
    dossier = yaml.safe_load((DOSSIER / "dossier.yaml").read_text(encoding="utf-8"))
    dossier["positions"] = [TREATY, AGREEMENT]
    (folder / "dossier.yaml").write_text(yaml.safe_dump(dossier, allow_unicode=True), encoding="utf-8")
    return folder


def test_coverage_command_table(drafts_dossier: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The default table lists each draft's counts per text status, passages and uncovered passages."""
    assert main(["coverage", "--dossier", str(drafts_dossier), "--exit-code"]) == 0
    out, err = capsys.readouterr()
    assert out == (
        "id                            verbatim    partial    reported    missing    passages    uncovered\n"
        "----------------------------  ----------  ---------  ----------  ---------  ----------  -----------\n"
        "ru-us-treaty-2021-12-17       15          5          2           2          27          0\n"
        "ru-nato-agreement-2021-12-17  19          2          2           1          27          0\n"
    )
    assert err == ""


def test_coverage_command_json_contract(drafts_dossier: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """JSON output carries the versioned contract with every passage and its coverage."""
    assert main(["coverage", TREATY, "-d", str(drafts_dossier), "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["contract"] == "negotiation.coverage/1"
    (entry,) = data["positions"]
    assert entry["id"] == TREATY
    assert entry["provisions"] == {"verbatim": 15, "partial": 5, "reported": 2, "missing": 2}
    assert entry["passage_counts"] == {"text": 23, "reported": 2, "noted": 2, "uncovered": 0}
    assert entry["uncovered_passages"] == []
    by_text = {p["text"]: p for p in entry["passage_coverage"]}
    assert by_text["have agreed as follows:"]["status"] == "noted"
    assert by_text[
        "will not train military or civilian personnel from countries that do not possess nuclear weapons "
        "in the use of such weapons"
    ]["provisions"] == ["art-7-p3"]


def test_coverage_command_lists_uncovered_passages_and_exit_code(
    drafts_dossier: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With a provision removed, its paragraph is listed under the table and --exit-code gives 1."""
    path = drafts_dossier / f"{AGREEMENT}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["provisions"] = [p for p in data["provisions"] if p["id"] != "art-2-p3"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["coverage", AGREEMENT, "-d", str(drafts_dossier), "--exit-code"]) == 1
    out = capsys.readouterr().out
    assert out.endswith(
        "\n\nuncovered: ru-nato-agreement-2021-12-17: sources/2021-12-17-russia-draft-agreement-with-nato.md:76 "
        "(paragraph): Telephone hotlines shall be established to maintain emergency contacts between the Parties.\n"
    )


def test_coverage_command_unknown_position(drafts_dossier: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown position id is a usage error (exit 2) naming the known ids."""
    assert main(["coverage", "nope", "-d", str(drafts_dossier)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"negotiation: no position 'nope' in dossier 'security-guarantees-2021-2022' (known: {TREATY}, {AGREEMENT})\n"
    )
