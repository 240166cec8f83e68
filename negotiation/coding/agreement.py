"""Inter-coder agreement: Krippendorff's alpha, field by field, between two codings of the same positions.

Coded datasets are trusted when two coders, working apart, code the same units and agree well beyond
chance. Here a *unit* is a provision that both codings hold (same position id, same provision id); the
fields compared are those a coder decides:

- ``stance``: nominal alpha.
- ``issues``: the set of issue codes, with the MASI distance (Passonneau 2006), which gives partial credit
  when one set contains the other or they overlap; and, beside it, ``issues (per code)``: every
  (provision, taxonomy code) pair as a yes/no unit, nominal alpha. MASI judges each provision's coding as a
  whole; per-code presence shows which codes coders apply differently. ``issues (top level)`` is MASI on
  the codes cut to their first segment, so a disagreement between two sub-issues of one parent counts as
  agreement there.
- ``obligors``: who would be bound (MASI on the set of obligor parties); ``reciprocal``: nominal.
- ``links``: the set of provisions answered (MASI); ``link relations``: the set of (provision, relation).
- ``text status``: nominal; the units are meant to be fixed, so anything below 1 is a unitising problem.

Alpha itself comes from the ``krippendorff`` package (the ``coding`` extra); this module only turns
positions into its reliability data and a distance for sets.

>>> masi_distance(frozenset({"a"}), frozenset({"a", "b"}))
0.6666666666666667
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from negotiation.errors import DependencyError, UsageError
from negotiation.io import DOSSIER_FILE_NAMES
from negotiation.schema import Position, Provision

#: A field's value for one provision: a label, or a set of labels.
Value = str | frozenset[str]


def masi_distance(a: frozenset[str], b: frozenset[str]) -> float:
    """MASI distance between two sets: 1 − Jaccard × monotonicity (0 when equal, 1 when disjoint).

    Monotonicity is 1 for equal sets, 2/3 when one contains the other, 1/3 when they only overlap.

    >>> masi_distance(frozenset(), frozenset())
    0.0
    >>> masi_distance(frozenset({"a"}), frozenset({"b"}))
    1.0
    """
    if a == b:
        return 0.0
    union = a | b
    common = a & b
    if not common:
        return 1.0
    monotonicity = 2 / 3 if (a <= b or b <= a) else 1 / 3
    return 1.0 - (len(common) / len(union)) * monotonicity


def _codes(p: Provision) -> frozenset[str]:
    return frozenset(p.issues)


def _top_codes(p: Provision) -> frozenset[str]:
    return frozenset(code.split(".", 1)[0] for code in p.issues)


def _obligors(p: Provision) -> frozenset[str]:
    return frozenset(party for o in p.obligations for party in o.obligors)


def _reciprocal(p: Provision) -> str:
    return "yes" if any(o.reciprocal for o in p.obligations) else "no"


def _links(p: Provision) -> frozenset[str]:
    return frozenset(link.to for link in p.responds_to)


def _relations(p: Provision) -> frozenset[str]:
    return frozenset(f"{link.to} {link.relation}" for link in p.responds_to)


@dataclass(frozen=True)
class Field:
    """One coded field: its name, its metric (``nominal`` or ``MASI``) and how to read it."""

    name: str
    metric: str
    read: Callable[[Provision], Value]


FIELDS: tuple[Field, ...] = (
    Field("stance", "nominal", lambda p: p.stance_shown),
    Field("issues", "MASI", _codes),
    Field("issues (top level)", "MASI", _top_codes),
    Field("obligors", "MASI", _obligors),
    Field("reciprocal", "nominal", _reciprocal),
    Field("links", "MASI", _links),
    Field("link relations", "MASI", _relations),
    Field("text status", "nominal", lambda p: p.text_status),
)
PER_CODE = "issues (per code)"
FIELD_NAMES: tuple[str, ...] = (*(f.name for f in FIELDS[:2]), PER_CODE, *(f.name for f in FIELDS[2:]))


@dataclass(frozen=True)
class Disagreement:
    """A unit on which the two codings differ in one field."""

    position: str
    provision: str
    ref: str
    field: str
    first: str
    second: str


@dataclass(frozen=True)
class FieldAgreement:
    """Agreement on one field: alpha (None when the data have no variation), percent agreement, units."""

    field: str
    metric: str
    alpha: float | None
    percent: float
    units: int
    disagreements: int


@dataclass(frozen=True)
class Agreement:
    """The whole comparison of two codings."""

    fields: tuple[FieldAgreement, ...]
    disagreements: tuple[Disagreement, ...]
    units: int
    only_first: tuple[str, ...]
    only_second: tuple[str, ...]


def show_value(value: Value) -> str:
    """A field value as a cell: sets sorted and joined, the empty set as a dash."""
    if isinstance(value, frozenset):
        return ", ".join(sorted(value)) if value else "—"
    return value


def _alpha(values: Sequence[tuple[Value, Value]], metric: str) -> float | None:
    """Krippendorff's alpha for two coders over ``values`` (one pair per unit)."""
    try:
        import krippendorff
        import numpy as np
    except ModuleNotFoundError as exc:
        raise DependencyError(
            f"'agreement' needs the coding extra ({exc.name} is missing): pip install 'negotiation[coding]'"
        ) from None
    domain = sorted({v for pair in values for v in pair}, key=show_value)
    if len(domain) < 2:
        return None  # every unit has the same value: alpha is undefined, agreement trivially perfect.
    index = {v: i for i, v in enumerate(domain)}
    data = np.array([[index[a] for a, _ in values], [index[b] for _, b in values]], dtype=float)
    if metric == "nominal":
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    table = np.array([[masi_distance(_as_set(x), _as_set(y)) for y in domain] for x in domain])

    def masi(v1: Any, v2: Any, i1: Any, i2: Any, n_v: Any, dtype: Any = np.float64) -> Any:
        # The reliability data hold indices into `domain`, so the values themselves index the table.
        return table[v1.astype(int), v2.astype(int)].astype(dtype)

    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=masi))


def _as_set(value: Value) -> frozenset[str]:
    return value if isinstance(value, frozenset) else frozenset({value})


def compare_codings(
    first: Mapping[str, Position],
    second: Mapping[str, Position],
    taxonomy: Iterable[str],
    *,
    fields: Sequence[str] = (),
) -> Agreement:
    """Agreement between two codings of the same positions (positions by id in each).

    ``taxonomy`` lists the issue codes that ``issues (per code)`` asks about for every provision;
    ``fields`` limits the result to those field names (all when empty).
    """
    unknown = [f for f in fields if f not in FIELD_NAMES]
    if unknown:
        raise UsageError(f"unknown field '{unknown[0]}'; choose from: {', '.join(FIELD_NAMES)}")
    pairs: list[tuple[Position, Provision, Provision]] = []
    only_first: list[str] = []
    only_second: list[str] = []
    for pid in sorted(set(first) | set(second)):
        a = {p.id: p for p in first[pid].provisions} if pid in first else {}
        b = {p.id: p for p in second[pid].provisions} if pid in second else {}
        only_first += [f"{pid}#{x}" for x in a if x not in b]
        only_second += [f"{pid}#{x}" for x in b if x not in a]
        owner = first.get(pid) or second[pid]
        pairs += [(owner, a[x], b[x]) for x in a if x in b]
    if not pairs:
        raise UsageError("the two codings share no provision (units are matched by position id and provision id)")
    wanted = set(fields) or set(FIELD_NAMES)
    results: list[FieldAgreement] = []
    disagreements: list[tuple[int, Disagreement]] = []
    for f in FIELDS:
        if f.name not in wanted:
            continue
        values = [(f.read(a), f.read(b)) for _, a, b in pairs]
        differing = [
            (unit, Disagreement(pos.id, a.id, a.ref, f.name, show_value(va), show_value(vb)))
            for unit, ((pos, a, _), (va, vb)) in enumerate(zip(pairs, values, strict=True))
            if va != vb
        ]
        disagreements += differing
        results.append(_field(f.name, f.metric, values, len(differing)))
        if f.name == "issues" and PER_CODE in wanted:
            results.append(_per_code(pairs, sorted(set(taxonomy))))
    order = {name: i for i, name in enumerate(FIELD_NAMES)}
    results.sort(key=lambda r: order[r.field])
    # Listed unit by unit (positions by id, provisions in file order), fields in table order.
    disagreements.sort(key=lambda item: (item[0], order[item[1].field]))
    listed = tuple(d for _, d in disagreements)
    return Agreement(tuple(results), listed, len(pairs), tuple(only_first), tuple(only_second))


def _field(name: str, metric: str, values: Sequence[tuple[Value, Value]], differing: int) -> FieldAgreement:
    same = len(values) - differing
    return FieldAgreement(name, metric, _alpha(values, metric), same / len(values), len(values), differing)


def _per_code(pairs: Sequence[tuple[Position, Provision, Provision]], codes: Sequence[str]) -> FieldAgreement:
    used = sorted(set(codes) | {c for _, a, b in pairs for c in (*a.issues, *b.issues)})
    values: list[tuple[Value, Value]] = [
        ("yes" if code in a.issues else "no", "yes" if code in b.issues else "no") for _, a, b in pairs for code in used
    ]
    differing = sum(1 for x, y in values if x != y)
    return _field(PER_CODE, "nominal", values, differing)


def load_coding(path: str) -> tuple[dict[str, Position], tuple[str, ...]]:
    """One coder's version: the positions of a dossier (folder or dossier file) or of one position file,
    with the issue codes of its taxonomy.

    A position file is checked against its dossier, as ``validate`` checks it.
    """
    from pathlib import Path

    from negotiation.loading import load_dossier, load_position_file

    target = Path(path)
    if target.is_dir() or target.name in DOSSIER_FILE_NAMES:
        record = load_dossier(path)
        return dict(record.positions), tuple(record.issues)
    position, record = load_position_file(path)
    return {position.id: position}, tuple(record.issues)


def rounded(alpha: float | None) -> float | None:
    """Alpha to three decimals for tables (None stays None; NaN, which alpha never is, becomes None)."""
    if alpha is None or math.isnan(alpha):
        return None
    return round(alpha, 3)
