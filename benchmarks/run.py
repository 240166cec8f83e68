"""The performance runner: every target of docs/performance.md, measured side by side in one run.

``python -m benchmarks.run`` prints one row per target with the measured ratio and whether the target
is met; ``--quick`` runs small sizes and only the correctness checks (CI runs that). Absolute times
are printed for orientation only: on a shared machine only ratios measured in the same run are
comparable.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.generate import generate
from benchmarks.installed import install_wheel

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    """One row of the runner's table."""

    target: str
    measured: str
    goal: str
    met: bool | None
    detail: str = ""


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def _timed_run(argv: Sequence[str], env: dict[str, str], cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


FLOOR = "import typer, pydantic, deepdiff, tabulate, yaml"


def _imported(python: Path, code: str, cwd: str, env: dict[str, str]) -> dict[str, int]:
    """Module -> microseconds spent importing it (its own share), from ``python -X importtime -c code``."""
    done = subprocess.run(
        [str(python), "-X", "importtime", "-c", code], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    found = {}
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "self [us]" not in line:
            own, _, name = line.removeprefix("import time:").split("|")
            found[name.strip()] = int(own)
    return found


def _forget_answers(cache_dir: str) -> None:
    """Remove the remembered answers (``*.answer`` entries beside the dossier cache's), keeping the
    dossier cache: the next run computes its answer afresh."""
    for answer in Path(cache_dir).glob("*.answer"):
        answer.unlink()


def _where_time_goes(python: Path, cwd: str, env: dict[str, str]) -> str:
    """The modules a matrix computed afresh (nothing remembered) imports beyond the floor's, and the
    floor's beyond it, by package."""
    _forget_answers(env["NEGOTIATION_CACHE_DIR"])
    tool = _imported(python, "from negotiation.cli import main; main(['matrix'])", cwd, env)
    floor = _imported(python, FLOOR, cwd, env)

    def by_package(names: set[str], times: dict[str, int]) -> dict[str, int]:
        groups: dict[str, int] = {}
        for name in names:
            parts = name.split(".")
            group = ".".join(parts[:2]) if parts[0] == "negotiation" else parts[0]
            groups[group] = groups.get(group, 0) + times[name]
        return groups

    extra = by_package(set(tool) - set(floor), tool)
    spared = by_package(set(floor) - set(tool), floor)
    top = sorted(extra.items(), key=lambda kv: -kv[1])[:6]
    return (
        f"imports beyond the floor {sum(extra.values()) / 1000:.0f} ms ("
        + ", ".join(f"{name} {us / 1000:.0f}" for name, us in top)
        + f"); floor imports it spares {sum(spared.values()) / 1000:.0f} ms ("
        + ", ".join(f"{name} {us / 1000:.0f}" for name, us in sorted(spared.items(), key=lambda kv: -kv[1])[:2])
        + "); under -X importtime"
    )


def first_answer(repeats: int, cache_dir: str) -> Result:
    """Cold `negotiation matrix` through the console script of the installed wheel, against a bare
    interpreter of the same environment importing the stack, both run from an empty folder."""
    work = Path(tempfile.mkdtemp(prefix="neg-installed-"))
    # As a user's `pip install .` leaves it: the core dependencies only. (An environment with the
    # extras holds numpy, which deepdiff then imports: the floor would grow by a third.)
    bin_folder = install_wheel(work, dependencies=True)
    empty = work / "elsewhere"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NEGOTIATION_NO_CACHE")}
    env["NEGOTIATION_CACHE_DIR"] = cache_dir
    tool = [str(bin_folder / "negotiation"), "matrix"]
    bare = [str(bin_folder / "python"), "-c", FLOOR]
    _timed_run(tool, env, cwd=empty)  # fills the dossier cache, as any earlier run would have
    tool_times, bare_times = [], []
    for _ in range(repeats):
        # Interleaved, so both see the same machine load.
        tool_times.append(_timed_run(tool, env, cwd=empty))
        bare_times.append(_timed_run(bare, env, cwd=empty))
    # The same without the remembered answer (the dossier cache still filled): models, loader and
    # engine are imported and the matrix computed.
    forgetting = []
    for _ in range(repeats):
        _forget_answers(cache_dir)
        forgetting.append(_timed_run(tool, env, cwd=empty))
        bare_times.append(_timed_run(bare, env, cwd=empty))
    tool_median, bare_median = statistics.median(tool_times), statistics.median(bare_times)
    forgot_median = statistics.median(forgetting)
    ratio = tool_median / bare_median
    result = Result(
        "first answer: console script matrix / bare imports",
        f"{ratio:.2f}x",
        "<= 1.00x",
        ratio <= 1.0,
        f"matrix {tool_median * 1000:.0f} ms, bare imports {bare_median * 1000:.0f} ms (medians of {repeats} and "
        f"{len(bare_times)}); without the remembered answer {forgot_median * 1000:.0f} ms "
        f"({forgot_median / bare_median:.2f}x): " + _where_time_goes(bin_folder / "python", str(empty), env),
    )
    shutil.rmtree(work, ignore_errors=True)
    return result


def _versions(provisions: int, seed: int) -> tuple[Any, Any, set[str], set[str], set[str]]:
    """Two versions of one position: edits, removals, additions and a reordering of the rest."""
    from negotiation.schema import Position

    folder = Path(tempfile.mkdtemp(prefix="neg-bench-"))
    generate(folder, positions=1, provisions=provisions, issues=60, seed=seed)
    old_data = json.loads((folder / "pos-0000.json").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    new_items = [dict(p) for p in old_data["provisions"]]
    changed = set(rng.sample([p["id"] for p in new_items], max(1, provisions // 100)))
    for item in new_items:
        if item["id"] in changed:
            item["text"] = item["text"].replace(" ", " not ", 1)
            item["stance"] = "reject" if item["stance"] != "reject" else "discuss"
    removed = set(rng.sample(sorted(set(p["id"] for p in new_items) - changed), max(1, provisions // 200)))
    new_items = [p for p in new_items if p["id"] not in removed]
    added = set()
    for i in range(max(1, provisions // 200)):
        pid = f"n{i:05d}"
        added.add(pid)
        new_items.append(
            {
                "id": pid,
                "ref": f"New {i}",
                "issues": ["topic-00.item-0"],
                "stance": "propose",
                "text": f"An added provision number {i} on a new matter.",
                "text_status": "verbatim",
                "sources": [{"file": "sources/text.md"}],
            }
        )
    rng.shuffle(new_items)
    new_data = dict(old_data, provisions=new_items)
    return Position.model_validate(old_data), Position.model_validate(new_data), changed, removed, added


def version_changes(provisions: int, seed: int, *, timing: bool) -> Result:
    """`changes` between two versions against one DeepDiff over the whole documents."""
    from deepdiff import DeepDiff

    from negotiation.engine.changes import changes

    old, new, changed, removed, added = _versions(provisions, seed)
    start = time.perf_counter()
    result = changes(old, new)
    engine_time = time.perf_counter() - start
    found_changed = {c.old_id for c in result.changed}
    ok = found_changed == changed and set(result.removed) == removed and set(result.added) == added
    detail = f"changed {len(found_changed)}/{len(changed)}, removed {len(result.removed)}, added {len(result.added)}"
    if not timing:
        return Result(
            f"changes correctness ({provisions} provisions)", "same sets" if ok else "DIFFER", "same", ok, detail
        )
    old_doc, new_doc = old.model_dump(mode="json"), new.model_dump(mode="json")
    start = time.perf_counter()
    dd = DeepDiff(old_doc, new_doc, ignore_order=True)
    deepdiff_time = time.perf_counter() - start
    # DeepDiff, ignoring order, may also pair a removed provision with a similar added one and call
    # that a change; the provisions present in both versions are the ones both must agree on.
    kept = {p["id"] for p in old_doc["provisions"]} & {p["id"] for p in new_doc["provisions"]}
    dd_changed = _deepdiff_changed_ids(dd, old_doc) & kept
    ok = ok and dd_changed == found_changed
    ratio = deepdiff_time / engine_time
    return Result(
        f"version changes ({provisions} provisions): DeepDiff / changes",
        f"{ratio:.1f}x",
        ">= 20x, same changed provisions",
        ratio >= 20 and ok,
        f"changes {engine_time * 1000:.0f} ms, DeepDiff {deepdiff_time * 1000:.0f} ms; {detail}; "
        f"DeepDiff found {len(dd_changed)} changed",
    )


def _deepdiff_changed_ids(dd: Any, old_doc: dict[str, Any]) -> set[str]:
    """Ids of the old provisions DeepDiff reports as changed (values changed inside them)."""
    import re

    ids = set()
    for kind in ("values_changed", "type_changes"):
        for path in dd.get(kind, {}):
            match = re.match(r"root\['provisions'\]\[(\d+)\]", path)
            if match:
                ids.add(old_doc["provisions"][int(match.group(1))]["id"])
    return ids


@contextmanager
def _environment(**values: str | None) -> Iterator[None]:
    """Set (or, with None, remove) environment variables for a block, then restore them."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _load_rate(folder: Path, *, cached: bool, cache_dir: str) -> tuple[float, int]:
    from negotiation.loading import load_dossier

    with _environment(NEGOTIATION_NO_CACHE=None if cached else "1", NEGOTIATION_CACHE_DIR=cache_dir):
        start = time.perf_counter()
        record = load_dossier(folder)
        elapsed = time.perf_counter() - start
    return elapsed, sum(len(p.provisions) for p in record.positions.values())


def loading(positions: int, provisions: int, *, timing: bool, cache_dir: str) -> list[Result]:
    """Provisions loaded and validated per second, JSON and YAML, and a cache hit."""
    out = []
    for fmt in ("json", "yaml"):
        folder = Path(tempfile.mkdtemp(prefix=f"neg-load-{fmt}-"))
        generate(folder, positions=positions, provisions=provisions, issues=60, seed=3, fmt=fmt)
        elapsed, count = _load_rate(folder, cached=False, cache_dir=cache_dir)
        rate = count / elapsed
        if fmt == "json":
            _load_rate(folder, cached=True, cache_dir=cache_dir)  # store
            hit, _ = _load_rate(folder, cached=True, cache_dir=cache_dir)
            out.append(
                Result(
                    f"loading + validation, JSON ({count} provisions)",
                    f"{rate:,.0f}/s",
                    ">= 50,000/s" if timing else "loads",
                    (rate >= 50_000) if timing else count == positions * provisions,
                    f"{elapsed * 1000:.0f} ms cold; cache hit {hit * 1000:.0f} ms ({elapsed / hit:.1f}x faster)",
                )
            )
        else:
            out.append(
                Result(
                    f"loading + validation, YAML ({count} provisions)",
                    f"{rate:,.0f}/s",
                    "reported (PyYAML-bound)",
                    None if timing else count == positions * provisions,
                    f"{elapsed * 1000:.0f} ms cold",
                )
            )
    return out


def scale(positions: int, provisions: int, *, timing: bool, cache_dir: str) -> Result:
    """`matrix` over a large dossier within 10x the time of loading it."""
    from negotiation.engine.matrix import build_matrix

    folder = Path(tempfile.mkdtemp(prefix="neg-scale-"))
    generate(folder, positions=positions, provisions=provisions, issues=60, seed=5)
    load_time, _count = _load_rate(folder, cached=False, cache_dir=cache_dir)
    from negotiation.loading import load_dossier

    with _environment(NEGOTIATION_NO_CACHE="1"):
        record = load_dossier(folder)
    start = time.perf_counter()
    matrix = build_matrix(record)
    matrix_time = time.perf_counter() - start
    ok = len(matrix.positions) == positions and len(matrix.rows) > 0
    ratio = matrix_time / load_time
    return Result(
        f"scale: matrix / load ({positions} x {provisions})",
        f"{ratio:.2f}x",
        "<= 10x" if timing else "runs",
        (ratio <= 10 and ok) if timing else ok,
        f"load {load_time * 1000:.0f} ms, matrix {matrix_time * 1000:.0f} ms, {len(matrix.rows)} rows",
    )


# VmHWM, not ru_maxrss: the latter survives exec and reports the (large) runner it was forked from.
_MEMORY_PROBE = """
import sys
from negotiation.loading import load_dossier
from negotiation.engine.matrix import build_matrix
record = load_dossier(sys.argv[1])
build_matrix(record)
with open("/proc/self/status") as status:
    print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
"""


def memory(sizes: Sequence[int], provisions: int) -> Result:
    """Peak memory of load + matrix at three sizes, in fresh processes; linear if the slope holds."""
    peaks = []
    for n in sizes:
        folder = Path(tempfile.mkdtemp(prefix="neg-mem-"))
        generate(folder, positions=n, provisions=provisions, issues=60, seed=9)
        out = subprocess.run(
            [sys.executable, "-c", _MEMORY_PROBE, str(folder)],
            env=_env(NEGOTIATION_NO_CACHE="1"),
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        peaks.append(int(out.stdout.strip()) / 1024)
    slope_low = (peaks[1] - peaks[0]) / (sizes[1] - sizes[0])
    slope_high = (peaks[2] - peaks[1]) / (sizes[2] - sizes[1])
    ratio = slope_high / slope_low if slope_low > 0 else float("inf")
    return Result(
        "peak memory growth (slope ratio, 1.0 = linear)",
        f"{ratio:.2f}",
        "0.75 - 1.33",
        0.75 <= ratio <= 1.33,
        ", ".join(f"{n} x {provisions}: {p:.0f} MiB" for n, p in zip(sizes, peaks, strict=True)),
    )


#: The three main pairs of the bundled dossier, whose diff JSON issue 13 asked to shrink.
MAIN_PAIRS = (
    ("ru-us-treaty-2021-12-17", "us-response-2022-01-26"),
    ("ru-nato-agreement-2021-12-17", "nato-response-2022-01-26"),
    ("us-response-2022-01-26", "ru-reply-2022-02-17"),
)


def diff_json_size() -> list[Result]:
    """Bytes of ``diff --format json`` on the main pairs: contract 1 (evidence under every item)
    against contract 2 (evidence once per provision), the same comparison rendered both ways."""
    from negotiation.engine.compare import compare
    from negotiation.loading import load_dossier
    from negotiation.render import to_json

    record = load_dossier(ROOT / "positions" / "security-guarantees-2021-2022")
    results = []
    total_old = total_new = 0
    for left, right in MAIN_PAIRS:
        comparison = compare(record.position(left), record.position(right), record)
        old = len(to_json(comparison.to_contract_1()).encode())
        new = len(to_json(comparison.to_dict()).encode())
        total_old, total_new = total_old + old, total_new + new
        results.append(
            Result(f"diff JSON size ({left} × {right})", f"{new / old:.2f}×", "", None, f"{old} → {new} bytes")
        )
    results.append(
        Result(
            "diff JSON size, three main pairs",
            f"{total_new / total_old:.2f}×",
            "≤ 0.60× of contract 1",
            total_new <= 0.6 * total_old,
            f"{total_old} → {total_new} bytes ({1 - total_new / total_old:.0%} smaller)",
        )
    )
    return results


def table(results: Sequence[Result]) -> str:
    """The runner's output table."""
    from tabulate import tabulate

    rows = [
        (r.target, r.measured, r.goal, "n/a" if r.met is None else ("met" if r.met else "NOT MET"), r.detail)
        for r in results
    ]
    return tabulate(rows, headers=("target", "measured", "goal", "status", "detail"), tablefmt="github")


def run(quick: bool) -> list[Result]:
    """Run every target; ``quick`` = small sizes, correctness only."""
    cache_dir = tempfile.mkdtemp(prefix="neg-cache-")
    steps: list[Callable[[], list[Result]]]
    if quick:
        steps = [
            lambda: [version_changes(500, 11, timing=False)],
            lambda: loading(3, 100, timing=False, cache_dir=cache_dir),
            lambda: [scale(5, 100, timing=False, cache_dir=cache_dir)],
            diff_json_size,
        ]
    else:
        steps = [
            lambda: [first_answer(7, cache_dir)],
            lambda: [version_changes(10_000, 11, timing=True)],
            lambda: loading(20, 1000, timing=True, cache_dir=cache_dir),
            lambda: [scale(200, 1000, timing=True, cache_dir=cache_dir)],
            lambda: [memory((50, 100, 200), 1000)],
            diff_json_size,
        ]
    results: list[Result] = []
    for step in steps:
        results.extend(step())
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry; exit 1 when a target is not met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, correctness checks only")
    args = parser.parse_args(argv)
    results = run(args.quick)
    print(table(results))
    return 0 if all(r.met is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
