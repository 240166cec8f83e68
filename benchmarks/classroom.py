"""Classroom load: `negotiation serve` (uvicorn on loopback) with 60 teams each tabling 10 packages at once,
while the instructor's live view refreshes; latency percentiles, and a check that nothing was lost.

    python -m benchmarks.classroom                                   # SQLite, one process
    python -m benchmarks.classroom --db postgresql://... [--workers 2]

Each team is an async HTTP client (httpx2) that joins with its code, then submits its 10 packages one
after another; the 60 teams run concurrently. The live view is fetched every 250 ms meanwhile (a
dashboard polls once a second; four times as often gives more samples). Measured: submit → scored
response, and the live view, p50/p95/p99. Checked: 600 submissions stored, each answered with the
team's score. Prints one Markdown row per latency for docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parent.parent
EXERCISE = ROOT / "examples" / "karst-lake-basin-accord"
GROUPS = 15  # four roles each: 60 teams
SUBMISSIONS = 10
LIVE_EVERY = 0.25
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile of ``values`` (inclusive method), in milliseconds."""
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1] * 1000


def start(db: str, workers: int) -> tuple[subprocess.Popen[str], str, str]:
    """Start the server; (process, base URL, instructor link)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = Path(sys.executable).with_name("negotiation")
    command = [str(script), "serve", str(EXERCISE), "--db", db, "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    link = ""
    while not link:
        line = process.stdout.readline()
        if not line:
            raise SystemExit("negotiation serve stopped")
        if line.startswith("Instructor: "):
            link = line.split(" ", 1)[1].strip()
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx2.get(base + "/").status_code == 200:
                break
        except httpx2.TransportError:
            time.sleep(0.1)
    return process, base, link


async def token(client: httpx2.AsyncClient, path: str) -> str:
    """The CSRF token of the page at ``path``."""
    found = CSRF.search((await client.get(path)).text)
    assert found is not None
    return found.group(1)


async def run(base: str, link: str) -> dict[str, list[float] | int]:
    """Set up the class, then run the load; the latencies and the count of scored answers."""
    boss = httpx2.AsyncClient(base_url=base, timeout=60)
    await boss.get(link)
    for g in range(GROUPS):
        await boss.post("/instructor/groups", data={"csrf": await token(boss, "/instructor"), "group": f"g{g}"})
    await boss.post(
        "/instructor/rounds", data={"csrf": await token(boss, "/instructor"), "round": "1", "action": "open"}
    )
    codes = re.findall(r'data-team="[a-z0-9-]+">([A-Z0-9]+)<', (await boss.get("/instructor")).text)
    assert len(codes) == GROUPS * 4, len(codes)
    teams = []
    for code in codes:
        client = httpx2.AsyncClient(base_url=base, timeout=60)
        await client.post("/join", data={"csrf": await token(client, "/"), "code": code})
        teams.append((client, await token(client, "/team")))
    submit: list[float] = []
    live: list[float] = []
    scored = 0
    done = asyncio.Event()
    chance = random.Random(16)
    plans = [[{k: f"{k}{chance.randint(1, 3)}" for k in "abcde"} for _ in range(SUBMISSIONS)] for _ in teams]

    async def team_load(client: httpx2.AsyncClient, csrf: str, plan: list[dict[str, str]]) -> None:
        nonlocal scored
        for package in plan:
            began = time.perf_counter()
            answer = await client.post(
                "/team/submit", data={"csrf": csrf, **{f"issue-{k}": v for k, v in package.items()}}
            )
            submit.append(time.perf_counter() - began)
            scored += answer.status_code == 200 and "Against your own schedule" in answer.text

    async def watch() -> None:
        while not done.is_set():
            began = time.perf_counter()
            assert (await boss.get("/instructor/live")).status_code == 200
            live.append(time.perf_counter() - began)
            await asyncio.sleep(LIVE_EVERY)

    watcher = asyncio.create_task(watch())
    began = time.perf_counter()
    await asyncio.gather(*(team_load(c, t, p) for (c, t), p in zip(teams, plans, strict=True)))
    wall = time.perf_counter() - began
    done.set()
    await watcher
    final = (await boss.get("/instructor/live")).text
    stored = int(re.search(r'data-count="(\d+)"', final).group(1))  # type: ignore[union-attr]
    for client, _ in teams:
        await client.aclose()
    await boss.aclose()
    return {"submit": submit, "live": live, "scored": scored, "stored": stored, "wall": [wall]}


def main() -> int:
    """Run the benchmark once and print its table row."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or f"sqlite:///{Path(folder) / 'class.sqlite'}"
        process, base, link = start(db, args.workers)
        try:
            result = asyncio.run(run(base, link))
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
    kind = "SQLite" if db.startswith("sqlite") else "PostgreSQL"
    label = f"{kind}, {args.workers} worker{'s' if args.workers > 1 else ''}"
    expected = GROUPS * 4 * SUBMISSIONS
    print(f"{expected} submissions sent; stored {result['stored']}; answered with a score {result['scored']}")
    print(f"wall time of the load: {result['wall'][0]:.1f} s")  # type: ignore[index]
    for name in ("submit", "live"):
        values = result[name]
        assert isinstance(values, list)
        p50, p95, p99 = (percentile(values, q) for q in (0.50, 0.95, 0.99))
        print(f"| {label} | {name} | {len(values)} | {p50:.1f} | {p95:.1f} | {p99:.1f} |")
    return 0 if result["stored"] == expected and result["scored"] == expected else 1


if __name__ == "__main__":
    raise SystemExit(main())
