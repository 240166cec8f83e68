"""The documentation tells the truth: its console examples run as shown, its field tables match
the models, and the example in docs/data-format.md validates."""

from __future__ import annotations

import re
import shlex
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from negotiation import schema
from tests.conftest import GoldenFile, Run

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
DATA_FORMAT = DOCS / "data-format.md"
MODELS: list[type[BaseModel]] = [
    schema.Dossier,
    schema.Party,
    schema.DecisionRule,
    schema.Issue,
    schema.Event,
    schema.Position,
    schema.Provenance,
    schema.Package,
    schema.Provision,
    schema.Suggestion,
    schema.Obligation,
    schema.Link,
    schema.Condition,
    schema.SourceRef,
]


def _console_examples() -> list[tuple[str, str, str]]:
    """(doc name, command line, expected output) for every `$ negotiation ...` line in a console block."""
    examples = []
    # json-contracts.md shows each command's output as a JSON block of its own; test_docs_engine.py
    # runs those examples and compares the JSON.
    for doc in sorted(p for p in DOCS.glob("*.md") if p.name != "json-contracts.md"):
        for block in re.findall(r"```console\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.S):
            for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
                command, _, output = chunk.partition("\n")
                examples.append((doc.name, command, output))
    return examples


@pytest.mark.parametrize(("doc", "command", "output"), _console_examples(), ids=lambda v: str(v)[:60])
def test_console_example_runs_as_shown(doc: str, command: str, output: str, cli: Run, golden_file: GoldenFile) -> None:
    """Each console example in docs/, run from the repository root, prints exactly what the doc shows
    (the doc is the golden file: ``--update-golden`` writes what the command prints into it)."""
    words = shlex.split(command)
    assert words[0] == "negotiation", f"{doc}: examples start with 'negotiation'"
    result = cli(*words[1:], cwd=ROOT)
    path = DOCS / doc
    text = path.read_text(encoding="utf-8")
    old, new = f"$ {command}\n{output}", f"$ {command}\n{result.stdout + result.stderr}"
    assert text.count(old) == 1, f"{doc}: the example '{command}' is not unique"
    golden_file(path, text.replace(old, new))
    assert result.code in (0, 1)


def test_there_are_console_examples() -> None:
    """The getting-started guide carries executable examples."""
    assert {doc for doc, _, _ in _console_examples()} >= {"getting-started.md"}


def _tables() -> dict[str, list[list[str]]]:
    """Model name -> rows (field, type, required) of its table in docs/data-format.md."""
    text = DATA_FORMAT.read_text(encoding="utf-8")
    tables: dict[str, list[list[str]]] = {}
    for name, body in re.findall(r"^### `(\w+)`\n(.*?)(?=^#|\Z)", text, flags=re.S | re.M):
        rows = [line for line in body.splitlines() if line.startswith("| `")]
        tables[name] = [[cell.strip() for cell in row.strip("|").split("|")][:3] for row in rows]
    return tables


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_field_table_matches_model(model: type[BaseModel]) -> None:
    """The model's table lists exactly its fields, in order, with the right required flag."""
    rows = _tables()[model.__name__]
    documented = [(field.strip("`"), required) for field, _, required in rows]
    actual = [(name, "yes" if info.is_required() else "no") for name, info in model.model_fields.items()]
    assert documented == actual


def _literal_values(annotation: object) -> tuple[str, ...]:
    for arg in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(arg) is typing.Literal:
            return typing.get_args(arg)
    return ()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_documented_vocabularies_match(model: type[BaseModel]) -> None:
    """Every 'one of ...' in the tables lists exactly the values the model accepts, in order."""
    for field, kind, _ in _tables()[model.__name__]:
        name = field.strip("`")
        expected = _literal_values(model.model_fields[name].annotation)
        if kind.startswith("one of"):
            assert tuple(re.findall(r"`([^`]+)`", kind)) == expected, name
        else:
            assert expected == (), f"{name} is a closed vocabulary; document it as 'one of'"


def test_data_format_example_validates(cli: Run, tmp_path: Path) -> None:
    """The complete example of docs/data-format.md, saved as files, validates with exit 0."""
    text = DATA_FORMAT.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n# file: (\S+)\n(.*?)```", text, flags=re.S)
    assert [name for name, _ in blocks] == ["dossier.yaml", "nor-proposal.yaml", "sud-reply.yaml"]
    for name, body in blocks:
        (tmp_path / name).write_text(body, encoding="utf-8")
    result = cli("validate", str(tmp_path))
    assert result.code == 0
    assert result.stdout == f"ok {tmp_path}: dossier 'border-fence': 2 positions, 2 provisions\n"
    assert result.stderr == ""
