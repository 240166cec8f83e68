"""`negotiation serve` for real: the printed link, and a killed server (SIGKILL) loses no acknowledged submission."""

from __future__ import annotations

import re
import signal
from pathlib import Path

from tests.server.conftest import KARST, MIDDLE, UPSTREAM
from tests.server.serving import add_group, csrf, instructor, serve, set_round, team


def test_serve_prints_the_link_and_kill_minus_nine_keeps_every_submission(db_url: str, tmp_path: Path) -> None:
    """Five acknowledged submissions survive `kill -9`; the restarted server shows them and keeps the token."""
    with serve(KARST, db_url) as served:
        assert re.fullmatch(r"Instructor: http://127\.0\.0\.1:\d+/instructor\?token=[\w-]{43}\n", served.lines[-1])
        assert "/instructor" in served.instructor_link and served.lines[0].startswith("Classroom for exercise")
        boss = instructor(served)
        codes = add_group(boss, "g1")
        set_round(boss, 1, "open")
        ngo = team(served, codes["ngo"])
        for package in (UPSTREAM, MIDDLE) * 2 + (UPSTREAM,):
            data = {"csrf": csrf(ngo, "/team"), **{f"issue-{k}": v for k, v in package.items()}}
            assert "Submitted" in ngo.post("/team/submit", data=data).text
        served.process.send_signal(signal.SIGKILL)
        served.process.wait()
        link = served.instructor_link
    with serve(KARST, db_url) as again:
        assert again.instructor_link.split("?")[1] == link.split("?")[1]
        history = team(again, codes["ngo"]).get("/team").text.split('id="history"')[1].split("</table>")[0]
        assert history.count("<tr><td>1</td>") == 5
