"""Telling every worker that the class changed: PostgreSQL's LISTEN/NOTIFY, or, on SQLite (one process), in-process.

The live view long-polls: it names the change mark it shows (:meth:`Store.change_mark`) and the
server answers as soon as the mark moves. A worker learns of a change made by another worker
through the database's own channel, never through an in-process queue, so any number of uvicorn
workers serve live instructors.

>>> # changes = Changes("postgresql://..."); changes.start()
>>> # await changes.wait(generation, timeout=10.0)
"""

from __future__ import annotations

import asyncio
import threading
import time

CHANNEL = "negotiation_classroom"
#: How often a waiting request looks at the counter; a change reaches the page within this plus a render.
TICK = 0.05


class Changes:
    """A counter of changes this worker has heard of, bumped by its own writes and by NOTIFY from any worker."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.generation = 0
        self._lock = threading.Lock()
        self._listener: threading.Thread | None = None

    @property
    def shared(self) -> bool:
        """True when changes travel through PostgreSQL's NOTIFY (several workers may share the database)."""
        return self.url.startswith("postgresql")

    def bump(self) -> None:
        """Count one change."""
        with self._lock:
            self.generation += 1

    def start(self) -> None:
        """Listen on the database's channel (PostgreSQL only) in a daemon thread."""
        if not self.shared or self._listener is not None:
            return
        ready = threading.Event()
        self._listener = threading.Thread(target=self._listen, args=(ready,), name="classroom-listen", daemon=True)
        self._listener.start()
        ready.wait(10)

    def _listen(self, ready: threading.Event) -> None:
        import psycopg

        while True:
            try:
                with psycopg.connect(self.url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    ready.set()
                    for _ in conn.notifies():
                        self.bump()
            except psycopg.Error:
                # The server went away: wake every waiter (they re-read the database) and reconnect.
                self.bump()
                time.sleep(1)

    async def wait(self, since: int, timeout: float) -> int:
        """Return the generation once it differs from ``since``, or after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while self.generation == since and time.monotonic() < deadline:
            await asyncio.sleep(TICK)
        return self.generation
