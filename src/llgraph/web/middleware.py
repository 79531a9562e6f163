"""ASGI middleware of the server: RequestLimits bounds what a request sends, AccessLog logs it."""

from __future__ import annotations

import json
import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "LOG_TARGET",
    "MAX_BODY",
    "MAX_HEADER",
    "MAX_HEADERS",
    "AccessLog",
    "RequestLimits",
    "loggable",
]

log = logging.getLogger("llgraph.access")
#: The longest request target an access-log line shows.
LOG_TARGET = 500

#: The largest request body accepted, on any route (a query text, or a form holding one).
MAX_BODY = 1 << 20
#: The largest single header value, and all header names and values together.
MAX_HEADER, MAX_HEADERS = 8 << 10, 32 << 10


async def _problem(send: Send, status: int, title: str, detail: str) -> None:
    """Send an RFC 9457 problem as the whole answer."""
    body = json.dumps(
        {"type": "about:blank", "title": title, "status": status, "detail": detail}
    ).encode()
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
        (b"access-control-allow-origin", b"*"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header_problem(headers: list[tuple[bytes, bytes]]) -> tuple[int, str, str] | None:
    """Why these request headers are refused, or None."""
    if sum(1 for name, _ in headers if name == b"host") > 1:
        return 400, "Bad request", "the request has more than one Host header"
    if any(len(value) > MAX_HEADER for _, value in headers):
        detail = f"a header value is over {MAX_HEADER >> 10} KiB"
        return 431, "Request header fields too large", detail
    if sum(len(name) + len(value) for name, value in headers) > MAX_HEADERS:
        detail = f"the headers together are over {MAX_HEADERS >> 10} KiB"
        return 431, "Request header fields too large", detail
    return None


class RequestLimits:
    """Refuse oversized or ambiguous requests, and answer HEAD as GET without a body.

    - headers: one ``Host`` only (400); no value over :data:`MAX_HEADER`, all together
      under :data:`MAX_HEADERS` (431);
    - body: read here, counting what arrives (chunked or not), and refused past
      :data:`MAX_BODY` (413) before a route sees it; a client that goes away mid-body
      gets no answer and leaves no error behind;
    - ``HEAD``: run as ``GET`` with the body dropped, so every GET route answers HEAD.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = _header_problem(scope["headers"])
        if refused:
            await _problem(send, *refused)
            return
        body = await self._body(scope, receive, send)
        if body is None:
            return
        replay = self._replay(body, receive)
        if scope["method"] == "HEAD":
            scope = {**scope, "method": "GET"}
            send = self._without_body(send)
        await self.app(scope, replay, send)

    @staticmethod
    async def _body(scope: Scope, receive: Receive, send: Send) -> bytes | None:
        """The whole request body; None when it was refused or the client left."""
        length = dict(scope["headers"]).get(b"content-length", b"")
        too_large = f"the request body is over {MAX_BODY >> 10} KiB: no query needs that much"
        if length.isdigit() and int(length) > MAX_BODY:
            await _problem(send, 413, "Content too large", too_large)
            return None
        parts, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                await _problem(send, 413, "Content too large", too_large)
                return None
            parts.append(chunk)
            more = message.get("more_body", False)
        return b"".join(parts)

    @staticmethod
    def _replay(body: bytes, receive: Receive) -> Receive:
        """A ``receive`` that gives ``body`` once, then waits on the real one (disconnects)."""
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        return replay

    @staticmethod
    def _without_body(send: Send) -> Send:
        async def head(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        return head


def loggable(target: bytes) -> str:
    """A request target as the client sent it (percent-escapes kept), safe on one log line:
    control and non-ASCII bytes as ``\\xNN``, cut after :data:`LOG_TARGET` characters."""
    text = "".join(chr(b) if 0x20 <= b < 0x7F and b != 0x5C else f"\\x{b:02x}" for b in target)
    if len(text) > LOG_TARGET:
        text = f"{text[:LOG_TARGET]}…({len(text) - LOG_TARGET} more)"
    return text


class AccessLog:
    """ASGI middleware: one log line per request (method, path and query, status, time)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = "-"  # no answer sent: the client left, or the server failed (logged apart)

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = str(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            ms = (time.perf_counter() - start) * 1000
            query = scope.get("query_string", b"")
            target = scope.get("raw_path") or scope["path"].encode()
            target += b"?" + query if query else b""
            log.info("%s %s %s %.1f ms", scope["method"], loggable(target), status, ms)
