"""The briefing pack and the CLI's export options: layout, index, refusals, atomic writes, cold start, goldens."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from negotiation.cli import app
from negotiation.errors import DependencyError, ExportError, UsageError
from negotiation.export.pack import build_pack, write_pack
from negotiation.loading import LoadedDossier, load_dossier
from tests.conftest import Run
from tests.exports.lake import DOWN, LAKE, UP

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture(scope="module")
def bundled() -> LoadedDossier:
    """The bundled dossier."""
    return load_dossier()


def test_pack_layout_for_the_lake(lake: LoadedDossier) -> None:
    """A pack holds the index, positions, matrix, each response's diff and coverage in each format."""
    pack = build_pack(lake, ["markdown", "html"])
    diffs = [f"diff/{UP}--{DOWN}", f"diff/{UP}--obs-statement-2030-02-05"]
    stems = ["positions", "matrix", *diffs, "coverage"]
    assert sorted(pack.files) == sorted(
        ["index.md", "index.html", *(f"markdown/{s}.md" for s in stems), *(f"html/{s}.html" for s in stems)]
    )
    assert [e.kind for e in pack.entries] == ["positions", "matrix", "diff", "diff", "coverage"]
    assert pack.notes == ["No position supersedes another in this dossier, so there are no version changes."]
    matrix_page = pack.files["html/matrix.html"]
    assert isinstance(matrix_page, str) and 'id="filters"' in matrix_page and "&lt;script&gt;alert(1)" in matrix_page


def test_pack_index_links_every_file(lake: LoadedDossier) -> None:
    """index.md has one line per item with a link to each of its files."""
    pack = build_pack(lake, ["csv", "json"])
    index = pack.files["index.md"]
    assert isinstance(index, str)
    lines = index.splitlines()
    assert lines[0] == "# Lake Arden water sharing (a fictional exercise)"
    assert (
        lines[6] == "| positions | Positions in lake-arden | [csv](csv/positions.csv) · [json](json/positions.json) |"
    )
    links = re.findall(r"\]\(([^)]+)\)", index)
    assert set(links) == set(pack.files) - {"index.md"} and len(links) == len(set(links))


def test_pack_with_versions_has_changes(lake: LoadedDossier) -> None:
    """A position that supersedes another adds a changes file for the pair."""
    up = lake.position(UP)
    second = up.model_copy(update={"id": "up-proposal-2030-03-01", "version": 2, "supersedes": UP})
    record = lake.with_positions([(second, "second.yaml")])
    pack = build_pack(record, ["csv"])
    assert f"csv/changes/{UP}--up-proposal-2030-03-01.csv" in pack.files
    assert pack.notes == []


def test_pack_refuses_unknown_format_and_missing_extra(lake: LoadedDossier, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unknown format is a usage error; a missing office library stops the pack before any file is written."""
    with pytest.raises(UsageError, match="unknown format 'odt'"):
        build_pack(lake, ["odt"])

    # Import the renderer before patching: it binds office_module when first imported (formats load
    # lazily), and binding the patched one would outlive this test.
    import negotiation.export.xlsx  # noqa: F401

    def missing(name: str, fmt: str) -> object:
        raise DependencyError(f"format '{fmt}' needs the office extra: pip install 'negotiation[office]'")

    monkeypatch.setattr("negotiation.export.common.office_module", missing)
    monkeypatch.setattr("negotiation.export.xlsx.office_module", missing)
    with pytest.raises(DependencyError, match="format 'xlsx' needs the office extra"):
        build_pack(lake, ["csv", "xlsx"])


def test_write_pack_refuses_a_dossier_folder(lake: LoadedDossier, tmp_path: Path) -> None:
    """Writing into (or under) the dossier folder, or a folder holding a dossier, is refused."""
    pack = build_pack(lake, ["csv"])
    with pytest.raises(ExportError, match="is inside the dossier folder"):
        write_pack(pack, LAKE / "out", lake)
    assert not (LAKE / "out").exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / "dossier.yaml").write_text("schema_version: 1\n")
    with pytest.raises(ExportError, match="holds a dossier"):
        write_pack(pack, other, None)
    file = tmp_path / "file"
    file.write_text("x")
    with pytest.raises(ExportError, match="is a file"):
        write_pack(pack, file, lake)


def test_write_pack_writes_every_file_and_nothing_else(lake: LoadedDossier, tmp_path: Path) -> None:
    """Every file of the pack is written with its exact content, and no temporary file is left."""
    pack = build_pack(lake, ["csv", "sqlite", "xlsx"])
    written = write_pack(pack, tmp_path / "pack", lake)
    found = sorted(str(p.relative_to(tmp_path / "pack")) for p in (tmp_path / "pack").rglob("*") if p.is_file())
    assert found == sorted(pack.files)
    assert [p.name for p in written[:1]] == ["index.md"]
    for relative, content in pack.files.items():
        data = content.encode() if isinstance(content, str) else content
        assert (tmp_path / "pack" / relative).read_bytes() == data


def test_pack_of_positions_with_the_longest_ids(tmp_path: Path) -> None:
    """Two answering positions with 120-character ids (the longest allowed) export whole: their diff's
    file name is 247 bytes, and writing it once failed half-way through the pack (found by fuzzing)."""
    dossier = tmp_path / "lake-varna"
    shutil.copytree(ROOT / "tests" / "data" / "valid" / "lake-varna", dossier)
    for old, new in (("ald-proposal-2031-03-01", "a" * 120), ("brv-response-2031-04-15", "b" * 120)):
        for path in [*dossier.glob("*.yaml"), *dossier.glob("*.json")]:
            path.write_text(
                re.sub(re.escape(old) + r"(?!\.md)", new, path.read_text(encoding="utf-8")), encoding="utf-8"
            )
    record = load_dossier(dossier)
    pack = build_pack(record, ["html", "csv"])
    assert "html/diff/" + "a" * 120 + "--" + "b" * 120 + ".html" in pack.files
    write_pack(pack, tmp_path / "pack", record)
    found = sorted(p.relative_to(tmp_path / "pack").as_posix() for p in (tmp_path / "pack").rglob("*") if p.is_file())
    assert found == sorted(pack.files)


def test_cli_export_writes_the_pack(tmp_path: Path) -> None:
    """negotiation export DOSSIER -o DIR writes the default formats and says where the index is."""
    out = tmp_path / "brief"
    result = runner.invoke(app, ["export", str(LAKE), "--output", str(out)], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout == f"wrote 22 files to {out} (index: {out / 'index.md'})\n"
    assert (out / "json" / "matrix.json").is_file()
    assert json.loads((out / "json" / "matrix.json").read_text())["contract"] == "negotiation.matrix/2"


def test_cli_export_min_attestation_sets_weak_evidence_aside_and_says_so(tmp_path: Path) -> None:
    """export --min-attestation recomputes the matrix and diffs without weaker evidence, and counts it."""
    from tests.engine_fixtures import WATER

    out = tmp_path / "brief"
    args = ["export", str(WATER), "--output", str(out), "-f", "json", "--min-attestation", "own-words"]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0
    # The fixture's reported provisions: three in north-draft, one in south-response (s-9).
    assert result.stdout.endswith(
        "Evidence below own-words was set aside before every verdict: 4 provisions (listed in the matrix's JSON).\n"
    )
    matrix = json.loads((out / "json" / "matrix.json").read_text())
    assert (matrix["min_attestation"], matrix["set_aside"]) == (
        "own-words",
        ["north-draft#d-3", "north-draft#d-4", "north-draft#d-8", "south-response#s-9"],
    )
    diff = json.loads((out / "json" / "diff" / "north-proposal--south-response.json").read_text())
    assert diff["set_aside"] == ["south-response#s-9"]
    assert "Evidence below own-words" in (out / "index.md").read_text()


def test_cli_export_needs_an_output_folder() -> None:
    """Without --output, export exits 2 with a message naming the option."""
    from negotiation.cli import main

    assert main(["export", str(LAKE)]) == 2


def test_cli_export_refuses_the_dossier_folder(capsys: pytest.CaptureFixture[str]) -> None:
    """Exporting into the dossier folder exits 2 with one line on stderr and writes nothing."""
    from negotiation.cli import main

    before = sorted(LAKE.rglob("*"))
    assert main(["export", str(LAKE), "-o", str(LAKE), "-f", "json"]) == 2
    assert (
        capsys.readouterr().err
        == f"negotiation: {LAKE}: is inside the dossier folder {LAKE}; choose a folder outside it\n"
    )
    assert sorted(LAKE.rglob("*")) == before


def test_output_never_overwrites_a_position_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--output naming a position file is refused and the file is unchanged."""
    from negotiation.cli import main

    target = tmp_path / "position.yaml"
    target.write_bytes((LAKE / f"{UP}.yaml").read_bytes())
    assert main(["positions", "--dossier", str(LAKE), "--format", "csv", "--output", str(target)]) == 2
    assert target.read_bytes() == (LAKE / f"{UP}.yaml").read_bytes()
    assert "refusing to overwrite a negotiation data file" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "sqlite"])
def test_binary_formats_need_output(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A binary format without --output exits 2 and asks for a file."""
    from negotiation.cli import main

    assert main(["positions", "--dossier", str(LAKE), "--format", fmt]) == 2
    assert capsys.readouterr().err == f"negotiation: format '{fmt}' writes a binary file; give --output FILE\n"


@pytest.mark.parametrize("command", ["positions", "matrix", "coverage"])
@pytest.mark.parametrize("fmt", ["xlsx", "docx", "sqlite", "latex_booktabs", "html"])
def test_every_table_command_writes_every_file_format(command: str, fmt: str, tmp_path: Path) -> None:
    """The CLI's table commands write the office, SQLite, LaTeX and HTML formats with --output."""
    from negotiation.cli import main

    target = tmp_path / f"out.{fmt}"
    assert main([command, "--dossier", str(LAKE), "--format", fmt, "--output", str(target)]) in (0, 1)
    assert target.stat().st_size > 0


def test_cold_start_does_not_import_office_or_sqlite() -> None:
    """Loading the CLI and listing formats imports neither openpyxl, python-docx, sqlite3 nor the engine."""
    code = (
        "import sys; import negotiation.cli; from negotiation.render import formats; formats(); "
        "print(' '.join(m for m in ('openpyxl', 'docx', 'sqlite3', 'negotiation.engine.compare', "
        "'negotiation.export.report') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout == "\n"


BUNDLED_FORMATS = ["markdown", "csv", "html", "latex_booktabs", "mediawiki"]


def test_bundled_report_has_every_issue_and_position_of_the_files(bundled: LoadedDossier) -> None:
    """The bundled HTML report has a row for each issue code of dossier.yaml and a cell for each position
    file, read with PyYAML from the files, not from the loader (the golden only says nothing changed)."""
    import yaml

    folder = ROOT / "positions" / "security-guarantees-2021-2022"
    codes = [i["code"] for i in yaml.safe_load((folder / "dossier.yaml").read_text(encoding="utf-8"))["issues"]]
    ids = {
        yaml.safe_load(f.read_text(encoding="utf-8"))["id"] for f in folder.glob("*.yaml") if f.name != "dossier.yaml"
    }
    page = build_pack(bundled, ["html"]).files["html/matrix.html"]
    assert isinstance(page, str)
    rows = re.findall(r'<tr class="depth-\d+" id="row-[^"]+" data-issue="([^"]+)">(.*?)</tr>', page, flags=re.S)
    assert sorted(code for code, _ in rows) == sorted(codes)
    for _, cells in rows:
        assert (
            set(
                re.findall(
                    r'<td class="cell [^"]*" data-category="[^"]*"(?: data-attestation="[^"]*")?'
                    r' data-position="([^"]+)"',
                    cells,
                )
            )
            == ids
        )


def test_bundled_pack_goldens(bundled: LoadedDossier, golden: Callable[[str, str | bytes], None]) -> None:
    """The bundled dossier's pack in one format of each family (text files, and dumps of the office and SQLite
    files) matches its goldens; every text format is pinned on the fixture tables."""
    from tests.exports.dumps import docx_dump, sqlite_dump, xlsx_dump

    pack = build_pack(bundled, [*BUNDLED_FORMATS, "xlsx", "docx", "sqlite"])
    dumps = {".xlsx": xlsx_dump, ".docx": docx_dump, ".sqlite": sqlite_dump}
    for relative, content in sorted(pack.files.items()):
        suffix = Path(relative).suffix
        if suffix in dumps:
            assert isinstance(content, bytes)
            golden(f"bundled/{relative}.txt", dumps[suffix](content))
        else:
            golden(f"bundled/{relative}", content)


def test_pack_refuses_two_tables_with_one_file_name(lake: LoadedDossier, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids may contain '--', so two diffs can map to one file name; the pack refuses instead of overwriting."""
    import negotiation.export.pack as pack_module

    real = pack_module.response_comparisons
    monkeypatch.setattr(
        pack_module, "response_comparisons", lambda record, level=None: [*real(record), real(record)[0]]
    )
    first = real(lake)[0]
    with pytest.raises(ExportError) as info:
        build_pack(lake, ["csv"])
    assert str(info.value) == (
        f"two tables would be written as diff/{first.left.id}--{first.right.id}: "
        f"'{first.left.id} × {first.right.id} (answer)' and '{first.left.id} × {first.right.id} (answer)'; "
        "rename a position"
    )


@pytest.mark.parametrize("fail_at", [1, 5, "last"])
def test_a_pack_that_fails_half_way_changes_nothing(
    lake: LoadedDossier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int | str
) -> None:
    """A write that fails after some files were written out (the disk fills at the first, fifth or last
    file) leaves the folder as it was: no file of the pack, no temporary file, no folder made for it."""
    import os as real_os

    from negotiation import io as nio

    out = tmp_path / "briefing"
    out.mkdir()
    (out / "mine.txt").write_text("kept\n", encoding="utf-8")
    pack = build_pack(lake, ["markdown", "json"])
    limit = len(pack.files) if fail_at == "last" else int(fail_at)
    calls: list[int] = []
    real_fsync = real_os.fsync

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == limit:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(nio.os, "fsync", failing_fsync)
    with pytest.raises(ExportError, match="No space left on device"):
        write_pack(pack, out, lake)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["mine.txt"]


def test_pdf_without_chromium_is_one_line_and_writes_nothing(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """export --format pdf where Chromium is missing: exit 2, one line saying what to install, no folder."""
    monkeypatch.setenv("NEGOTIATION_CHROMIUM", str(tmp_path / "no-chromium"))
    out = tmp_path / "pack"
    result = cli("export", "--output", str(out), "--format", "html", "--format", "pdf")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == (
        "negotiation: format 'pdf' needs headless Chromium: install it (Debian: apt-get install chromium) "
        "or name it in NEGOTIATION_CHROMIUM\n"
    )
    assert not out.exists()


@pytest.mark.browser
@pytest.mark.parametrize("annex", [False, True])
def test_pdf_pack_is_the_printed_summary(bundled: LoadedDossier, annex: bool, tmp_path: Path) -> None:
    """The pdf format writes only the matrix, as the printed summary (two A4 landscape pages of the bundled
    dossier), the annex after it with --annex; the same bytes twice."""
    from tests.exports.test_export_browser import require_browser
    from tests.exports.test_export_print import ANNEX, pages

    require_browser()
    pack = build_pack(bundled, ["pdf"], annex=annex)
    assert sorted(pack.files) == ["index.md", "pdf/matrix.pdf"]
    data = pack.files["pdf/matrix.pdf"]
    assert isinstance(data, bytes) and data[:5] == b"%PDF-"
    texts = pages(data)
    if annex:
        assert ANNEX not in texts[1] and texts[2].startswith(ANNEX)
    else:
        assert len(texts) == 2 and not any(ANNEX in t for t in texts)
        assert build_pack(bundled, ["pdf"]).files["pdf/matrix.pdf"] == data
