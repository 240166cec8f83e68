"""The classroom's defences: secrets, join codes, CSRF tokens, cookies and the request-size bound.

Join codes are ten characters from a 31-letter alphabet with no look-alikes (about 50 bits): derived
from the server's secret, so the instructor can always show them, and stored only as digests.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Join-code alphabet: no 0/O, 1/I/L, so a code read aloud or off a slip of paper is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
#: Failed joins allowed per client in JOIN_WINDOW seconds; beyond, joins answer 429 until it passes.
JOIN_ATTEMPTS = 10
JOIN_WINDOW = 600
#: Largest request body accepted: a package form is well under 1 KiB, a provision text under 16 KiB.
MAX_BODY = 64 * 1024
TEAM_COOKIE = "negotiation_team"
INSTRUCTOR_COOKIE = "negotiation_instructor"
VISITOR_COOKIE = "negotiation_visitor"
COOKIE_FLAGS: dict[str, Any] = {"httponly": True, "samesite": "strict", "path": "/"}


def new_secret() -> str:
    """A fresh random secret (URL-safe)."""
    return secrets.token_urlsafe(32)


def join_code(secret: str, team_id: str) -> str:
    """The join code of ``team_id``: a keyed digest, spelt in :data:`CODE_ALPHABET`."""
    number = int.from_bytes(hmac.new(secret.encode(), f"join:{team_id}".encode(), hashlib.sha256).digest(), "big")
    letters = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[index])
    return "".join(letters)


def normalise_code(text: str) -> str:
    """A code as typed (spaces, dashes, lower case) in its canonical form."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def csrf_token(secret: str, session: str) -> str:
    """The CSRF token bound to one session (team, instructor or visitor)."""
    return hmac.new(secret.encode(), f"csrf:{session}".encode(), hashlib.sha256).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    """Constant-time equality of two secrets; False when either is missing."""
    return a is not None and b is not None and hmac.compare_digest(a.encode(), b.encode())


class BodyLimit:
    """ASGI middleware: answer 413 to a request whose body is over ``limit`` bytes, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def bounded() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise TooLarge
            return message

        try:
            await self.app(scope, bounded, send)
        except TooLarge:
            await self._refuse(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
        response: Response = PlainTextResponse("Request body too large.", status_code=413)
        await response(scope, receive, send)


class TooLarge(Exception):
    """A streamed body passed the bound."""


SECURITY_HEADERS = {
    # Scripts only from this server (no inline script): typed text that slipped through escaping still could not run.
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
