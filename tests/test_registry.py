"""The declared tables (formats, schemas, validated file kinds): every entry resolves, a missing optional
library is one line naming the extra (exit 2), and a broken module is an internal error (exit 3)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from negotiation import jsonschema, render, validation
from negotiation.errors import DependencyError
from negotiation.registry import BrokenEntryError, Entry, resolve
from negotiation.tables import make_table
from tests.conftest import ROOT, Run

TABLES = {
    "format": render.EXPORT_FORMATS,
    "schema": jsonschema.KINDS,
    "file kind": {f"{kind} {i}": entry for kind, pair in validation.VALIDATORS.items() for i, entry in enumerate(pair)},
}


@pytest.mark.parametrize(
    ("kind", "name"), [(kind, name) for kind, table in TABLES.items() for name in table], ids="-".join
)
def test_every_declared_entry_resolves(kind: str, name: str) -> None:
    """Each table names a module that imports and an attribute it has (a callable or a model)."""
    entry = TABLES[kind][name]
    found = resolve(kind, name, entry)
    assert callable(found)
    assert f"{found.__module__}:{found.__name__}" == entry.target


def test_html_is_the_report_page_and_named_once() -> None:
    """'html' is one format, the report page of negotiation.export.html, not tabulate's bare table."""
    assert render.formats().count("html") == 1
    from negotiation.export.html import render_html

    assert render.renderer("html") is render_html
    page = render.render([make_table("t", "T", ["a"], [["x"]])], "html")
    assert isinstance(page, str) and page.startswith("<!DOCTYPE html>")


def _module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: str) -> None:
    (tmp_path / f"{name}.py").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)


def test_missing_optional_library_names_the_extra(cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A format whose module imports an office library that is not installed: one line, exit 2."""
    _module(tmp_path, monkeypatch, "xlsx_needing_openpyxl", "import openpyxl\n\ndef render(tables):\n    return b''\n")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    monkeypatch.setitem(render.EXPORT_FORMATS, "xlsx", Entry("xlsx_needing_openpyxl:render", extra="office"))
    out = tmp_path / "out.xlsx"
    result = cli("positions", "--format", "xlsx", "--output", str(out))
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == "negotiation: format 'xlsx' needs the office extra: pip install 'negotiation[office]'\n"
    assert not out.exists()


def test_missing_library_without_an_extra_is_a_bug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A module that needs a library no extra provides is a broken install, not a choice the user made."""
    _module(tmp_path, monkeypatch, "needs_nothing_optional", "import openpyxl\n")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(
        BrokenEntryError, match=r"^format 'x': cannot import needs_nothing_optional: import of openpyxl"
    ):
        resolve("format", "x", Entry("needs_nothing_optional:render"))


def test_broken_schema_module_is_an_internal_error(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the exercise schema module failing to import, `schema exercise` reports the bug (exit 3),
    not an unknown schema (exit 2)."""
    monkeypatch.setitem(sys.modules, "negotiation.exercises.schema", None)
    result = cli("schema", "exercise")
    assert (result.code, result.stdout) == (3, "")
    assert result.stderr.splitlines() == [
        "negotiation: internal error: BrokenEntryError: schema 'exercise': cannot import "
        "negotiation.exercises.schema: import of negotiation.exercises.schema halted; None in sys.modules",
        "negotiation: this is a bug; please report it with the command that caused it",
    ]


def test_broken_export_module_is_an_internal_error(cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A format module that raises while importing is exit 3 with the cause, even with an extra declared."""
    _module(tmp_path, monkeypatch, "broken_renderer", "raise NameError('name undefined_thing is not defined')\n")
    monkeypatch.setitem(render.EXPORT_FORMATS, "docx", Entry("broken_renderer:render", extra="office"))
    result = cli("positions", "--format", "docx", "--output", str(tmp_path / "out.docx"))
    assert result.code == 3
    assert result.stderr.splitlines()[0] == (
        "negotiation: internal error: BrokenEntryError: format 'docx': cannot import broken_renderer: "
        "NameError: name undefined_thing is not defined"
    )


def test_broken_validator_module_is_an_internal_error(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """`validate` with the exercise package failing to import reports the bug instead of skipping exercises."""
    monkeypatch.setitem(sys.modules, "negotiation.exercises", None)
    result = cli("validate", str(ROOT / "examples" / "karst-lake-basin-accord"))
    assert result.code == 3
    assert result.stderr.splitlines()[0] == (
        "negotiation: internal error: BrokenEntryError: file kind 'exercise': cannot import "
        "negotiation.exercises: import of negotiation.exercises halted; None in sys.modules"
    )


def test_missing_attribute_is_a_bug() -> None:
    """An entry naming an attribute its module lacks is reported as such."""
    with pytest.raises(BrokenEntryError, match=r"^schema 'x': negotiation.schema has no attribute 'Nothing'$"):
        resolve("schema", "x", Entry("negotiation.schema:Nothing"))


def test_extra_is_not_blamed_for_a_missing_project_module() -> None:
    """A missing negotiation module is a bug even when the entry declares an extra."""
    with pytest.raises(BrokenEntryError):
        resolve("format", "x", Entry("negotiation.no_such_module:render", extra="office"))
    with pytest.raises(DependencyError):
        resolve("format", "x", Entry("no_such_library_anywhere:render", extra="office"))
