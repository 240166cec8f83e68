"""Run `negotiation serve` for real (the console script, uvicorn on a loopback port) and drive it over HTTP."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2

SCRIPT = Path(sys.executable).with_name("negotiation")


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """A running classroom: its base URL, the instructor's link and the process."""

    base: str
    instructor_link: str
    process: subprocess.Popen[str]
    lines: list[str]
    clients: list[httpx2.Client]

    def client(self) -> httpx2.Client:
        """A fresh browser-like client, closed when the server is stopped."""
        made = httpx2.Client(base_url=self.base)
        self.clients.append(made)
        return made


@contextmanager
def serve(exercise: str, db: str, *extra: str) -> Iterator[Served]:
    """Start `negotiation serve EXERCISE --db DB` and wait until it answers; stop it (if still running) after."""
    port = free_port()
    command = [str(SCRIPT), "serve", exercise, "--db", db, "--port", str(port), *extra]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=os.environ.copy()
    )
    lines: list[str] = []
    try:
        assert process.stdout is not None
        while not any(line.startswith("Instructor: ") for line in lines):
            line = process.stdout.readline()
            if not line:
                raise AssertionError("negotiation serve stopped: " + "".join(lines))
            lines.append(line)
        link = next(line for line in lines if line.startswith("Instructor: ")).split(" ", 1)[1].strip()
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx2.get(base + "/").status_code == 200:
                    break
            except httpx2.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        served = Served(base, link, process, lines, [])
        try:
            yield served
        finally:
            for client in served.clients:
                client.close()
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()


def csrf(client: httpx2.Client, path: str) -> str:
    """The CSRF token of the first form on the page at ``path``."""
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def instructor(served: Served) -> httpx2.Client:
    """A client signed in with the printed link."""
    client = served.client()
    assert client.get(served.instructor_link).status_code == 303
    return client


def add_group(client: httpx2.Client, group: str) -> dict[str, str]:
    """Add a group from the dashboard; role -> join code."""
    client.post("/instructor/groups", data={"csrf": csrf(client, "/instructor"), "group": group})
    return dict(re.findall(rf'data-team="{group}-([a-z0-9-]+)">([A-Z0-9]+)<', client.get("/instructor").text))


def set_round(client: httpx2.Client, number: int, action: str) -> None:
    """Open, close or publish a round from the dashboard."""
    data = {"csrf": csrf(client, "/instructor"), "round": str(number), "action": action}
    assert client.post("/instructor/rounds", data=data).status_code == 303


def team(served: Served, code: str) -> httpx2.Client:
    """A client of a team that joined with ``code``."""
    client = served.client()
    assert client.post("/join", data={"csrf": csrf(client, "/"), "code": code}).status_code == 303
    return client
