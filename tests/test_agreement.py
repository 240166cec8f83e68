"""`negotiation agreement`: Krippendorff's alpha between two codings, checked against hand computation."""

from __future__ import annotations

import itertools
import json
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.coding.agreement import compare_codings, masi_distance
from negotiation.loading import load_dossier
from tests.conftest import ROOT, Run

BUNDLED = ROOT / "positions" / "security-guarantees-2021-2022"


def reference_alpha(pairs: Sequence[tuple[object, object]], distance: Callable[[object, object], float]) -> float:
    """Krippendorff's alpha for two coders, straight from the coincidence-matrix definition.

    Every unit has two values, so each contributes the ordered pairs (a, b) and (b, a) with weight 1;
    alpha = 1 − (n − 1) · Σ o_ck δ(c, k) / Σ n_c n_k δ(c, k).
    """
    coincidences: Counter[tuple[object, object]] = Counter()
    for a, b in pairs:
        coincidences[(a, b)] += 1
        coincidences[(b, a)] += 1
    totals: Counter[object] = Counter()
    for (c, _), count in coincidences.items():
        totals[c] += count
    n = sum(totals.values())
    observed = sum(count * distance(c, k) for (c, k), count in coincidences.items())
    expected = sum(totals[c] * totals[k] * distance(c, k) for c, k in itertools.product(totals, totals))
    return 1 - (n - 1) * observed / expected


def nominal(a: object, b: object) -> float:
    return 0.0 if a == b else 1.0


def test_masi_distance_values() -> None:
    """MASI: 0 for equal sets, 1 − J·2/3 for a subset, 1 − J·1/3 for an overlap, 1 when disjoint."""
    a, b, c = frozenset("a"), frozenset("ab"), frozenset("bc")
    assert masi_distance(a, a) == 0.0
    assert masi_distance(a, b) == pytest.approx(1 - 0.5 * 2 / 3)
    assert masi_distance(b, c) == pytest.approx(1 - (1 / 3) * (1 / 3))
    assert masi_distance(a, frozenset("c")) == 1.0
    assert masi_distance(frozenset(), a) == 1.0


def test_reference_matches_krippendorffs_published_example() -> None:
    """The reference computation gives the published two-coder binary example's alpha (0.095)."""
    first = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    second = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(reference_alpha(list(zip(first, second, strict=True)), nominal), 3) == 0.095


def _with(record_positions: dict[str, object], changes: dict[tuple[str, str], dict[str, object]]) -> dict[str, object]:
    """Copies of positions with some provisions' fields replaced (position id, provision id) → fields."""
    out = {}
    for pid, position in record_positions.items():
        provisions = tuple(
            p.model_copy(update=changes.get((pid, p.id), {}))  # type: ignore[attr-defined]
            for p in position.provisions  # type: ignore[attr-defined]
        )
        out[pid] = position.model_copy(update={"provisions": provisions})  # type: ignore[attr-defined]
    return out


STANCES = ("propose", "accept", "discuss", "counter", "reject", "reaffirm", "note")
CODES = ("principles", "nato-enlargement", "missiles.intermediate-range", "missiles.defence-sites")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(STANCES),
            st.sampled_from(STANCES),
            st.frozensets(st.sampled_from(CODES), min_size=1, max_size=3),
            st.frozensets(st.sampled_from(CODES), min_size=1, max_size=3),
        ),
        min_size=2,
        max_size=30,
    )
)
def test_alpha_equals_the_definition(units: list[tuple[str, str, frozenset[str], frozenset[str]]]) -> None:
    """For random codings, stance and issue alphas equal the coincidence-matrix definition."""
    record = load_dossier(BUNDLED)
    pid = "ru-us-treaty-2021-12-17"
    provisions = record.positions[pid].provisions[: len(units)]
    if len(provisions) < len(units):
        units = units[: len(provisions)]
    first = _with(
        {pid: record.positions[pid]},
        {(pid, p.id): {"stance": u[0], "issues": tuple(sorted(u[2]))} for p, u in zip(provisions, units, strict=True)},
    )
    second = _with(
        {pid: record.positions[pid]},
        {(pid, p.id): {"stance": u[1], "issues": tuple(sorted(u[3]))} for p, u in zip(provisions, units, strict=True)},
    )
    # Only the provisions given values take part: drop the rest from both codings.
    kept = {p.id for p in provisions}
    for coding in (first, second):
        position = coding[pid]
        coding[pid] = position.model_copy(  # type: ignore[attr-defined]
            update={"provisions": tuple(p for p in position.provisions if p.id in kept)}  # type: ignore[attr-defined]
        )
    result = {f.field: f for f in compare_codings(first, second, CODES, fields=("stance", "issues")).fields}  # type: ignore[arg-type]
    stance_pairs = [(u[0], u[1]) for u in units]
    issue_pairs = [(u[2], u[3]) for u in units]
    for name, pairs, distance in (
        ("stance", stance_pairs, nominal),
        ("issues", issue_pairs, masi_distance),
    ):
        if len({v for pair in pairs for v in pair}) < 2:
            assert result[name].alpha is None
        else:
            assert result[name].alpha == pytest.approx(reference_alpha(pairs, distance), abs=1e-9)  # type: ignore[arg-type]
        assert result[name].disagreements == sum(1 for a, b in pairs if a != b)


@pytest.fixture
def second_coding(tmp_path: Path) -> Path:
    """A copy of the bundled dossier in which a second coder differs on two provisions."""
    folder = tmp_path / "second"
    shutil.copytree(BUNDLED, folder)
    file = folder / "ru-us-treaty-2021-12-17.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    for provision in data["provisions"]:
        if provision["id"] == "art-4-p1":
            provision["stance"] = "reaffirm"
        if provision["id"] == "art-6":
            provision["issues"] = [*provision["issues"], "principles"]
    file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return folder


def test_identical_codings_agree_fully(cli: Run) -> None:
    """The bundled dossier against itself: alpha 1 on every field with variation, no disagreement."""
    result = cli("agreement", str(BUNDLED), str(BUNDLED), "--format", "json")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["contract"] == "negotiation.agreement/1"
    assert data["units"] == 214
    assert data["disagreements"] == []
    assert {f["field"]: f["alpha"] for f in data["fields"]} == {
        "stance": 1.0,
        "issues": 1.0,
        "issues (per code)": 1.0,
        "issues (top level)": 1.0,
        "obligors": 1.0,
        "reciprocal": 1.0,
        "links": 1.0,
        "link relations": 1.0,
        "text status": 1.0,
    }


def test_disagreements_are_listed_with_both_codings(cli: Run, second_coding: Path) -> None:
    """Each changed field of each changed provision is one row, with both coders' values."""
    result = cli("agreement", str(BUNDLED), str(second_coding), "--format", "csv")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index("position,provision,ref,field,A,B")
    rows = lines[start + 1 :]
    art6 = next(r for r in rows if "art-6,Art. 6,issues," in r)
    assert art6.startswith("ru-us-treaty-2021-12-17,art-6,Art. 6,issues,")
    assert art6.endswith(', principles"')
    assert any(r.startswith("ru-us-treaty-2021-12-17,art-4-p1,Art. 4 ¶1,stance,propose,reaffirm") for r in rows)
    assert sum(1 for r in rows if r.startswith("ru-us-treaty")) == 3  # stance, issues, issues (top level)


def test_stance_alpha_on_the_changed_coding_matches_reference(second_coding: Path) -> None:
    """One changed stance among 214 units gives the alpha of the definition, below 1."""
    first = load_dossier(BUNDLED)
    second = load_dossier(second_coding)
    result = compare_codings(first.positions, second.positions, first.issues, fields=("stance",))
    pairs = [
        (a.stance, b.stance)
        for pid in first.positions
        for a, b in zip(first.positions[pid].provisions, second.positions[pid].provisions, strict=True)
    ]
    assert result.fields[0].alpha == pytest.approx(reference_alpha(pairs, nominal), abs=1e-12)
    assert result.fields[0].alpha is not None and result.fields[0].alpha < 1
    assert result.fields[0].disagreements == 1


def test_unknown_field_is_a_usage_error(cli: Run) -> None:
    """A mistyped --field names the known ones and exits 2."""
    result = cli("agreement", str(BUNDLED), str(BUNDLED), "--field", "stanse")
    assert result.code == 2
    assert result.stderr == (
        "negotiation: unknown field 'stanse'; choose from: stance, issues, issues (per code), issues (top level), "
        "obligors, reciprocal, links, link relations, text status\n"
    )
    assert result.stdout == ""


def test_codings_with_no_common_provision(cli: Run, tmp_path: Path) -> None:
    """Two codings of different positions share no unit: one clear line, exit 2."""
    one = BUNDLED / "ru-us-treaty-2021-12-17.yaml"
    two = BUNDLED / "ru-nato-agreement-2021-12-17.yaml"
    result = cli("agreement", str(one), str(two))
    assert result.code == 2
    assert result.stderr == (
        "negotiation: the two codings share no provision (units are matched by position id and provision id)\n"
    )


def test_summary_only(cli: Run, second_coding: Path) -> None:
    """--no-disagreements prints the summary table and its notes, without the list."""
    result = cli("agreement", str(BUNDLED), str(second_coding), "--no-disagreements", "--field", "stance")
    assert result.code == 0, result.stderr
    assert "Disagreements" not in result.stdout
    assert result.stdout.splitlines()[2].split() == ["stance", "nominal", "0.994", "99.5%", "214", "1"]
