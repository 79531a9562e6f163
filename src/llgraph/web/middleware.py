"""ASGI middleware of the server: RequestLimits bounds what a request sends, Compression
gzips what it answers, AccessLog logs it."""

from __future__ import annotations

import gzip
import json
import logging
import time
import zlib
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from llgraph import conneg

__all__ = [
    "GZIP_LEVEL",
    "GZIP_MIN_SIZE",
    "GZIP_THREAD_ABOVE",
    "LOG_TARGET",
    "MAX_BODY",
    "MAX_HEADER",
    "MAX_HEADERS",
    "AccessLog",
    "Compression",
    "RequestLimits",
    "accepts_gzip",
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


# ------------------------------------------------------------ compression

#: Answers smaller than this are sent as they are (gzip's header costs more than it saves).
GZIP_MIN_SIZE = 1024
#: zlib's level: 6 makes the 10 MB network JSON about 0.8 MB in a fraction of a second.
GZIP_LEVEL = 6
_TEXT_TYPES = (b"text/", b"application/json", b"application/xml", b"application/javascript")
_TEXT_SUFFIXES = (b"+json", b"+xml", b"n-triples", b"n-quads", b"trig", b"turtle", b"sparql-query")
#: Never compressed: problem details (HtmlErrors reads them) and event streams.
_NOT_COMPRESSED = (b"application/problem+json", b"text/event-stream")


def accepts_gzip(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether a request's ``Accept-Encoding`` headers accept gzip (:func:`conneg.accepts_gzip`)."""
    values = [value.decode("latin-1") for name, value in headers if name == b"accept-encoding"]
    return conneg.accepts_gzip(",".join(values))


def _compressible(headers: list[tuple[bytes, bytes]]) -> bool:
    """A textual answer that no one encoded yet."""
    values = {name.lower(): value for name, value in headers}
    kind = values.get(b"content-type", b"").split(b";")[0].strip().lower()
    if b"content-encoding" in values or not kind or kind.startswith(_NOT_COMPRESSED):
        return False
    return kind.startswith(_TEXT_TYPES) or kind.endswith(_TEXT_SUFFIXES) or kind == b"image/svg+xml"


def _with_vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` whose Vary names Accept-Encoding (added to the one there, if any)."""
    vary = [v.decode("latin-1") for k, v in headers if k.lower() == b"vary"]
    names = [n.strip() for v in vary for n in v.split(",") if n.strip()]
    if any(n.lower() in ("accept-encoding", "*") for n in names):
        return headers
    value = ", ".join([*names, "Accept-Encoding"]).encode("latin-1")
    return [(k, v) for k, v in headers if k.lower() != b"vary"] + [(b"vary", value)]


def _weak_etag(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` whose ETag is weak: a gzip body is not byte for byte the plain one."""
    return [
        (k, b"W/" + v if k.lower() == b"etag" and not v.startswith(b"W/") else v)
        for k, v in headers
    ]


#: Bodies over this size are compressed in a worker thread (zlib lets go of the GIL), so a
#: large answer (the 8.6 MB network JSON: about 0.2 s) never holds up the event loop.
GZIP_THREAD_ABOVE = 256 << 10


async def _gzip(body: bytes) -> bytes:
    """``body`` gzipped (no timestamp: the same body gives the same bytes)."""
    if len(body) <= GZIP_THREAD_ABOVE:
        return gzip.compress(body, GZIP_LEVEL, mtime=0)
    return await run_in_threadpool(gzip.compress, body, GZIP_LEVEL, mtime=0)


class Compression:
    """gzip every textual answer (JSON, HTML, SPARQL results, Turtle, GEXF, SVG, CSV...) for
    a client whose ``Accept-Encoding`` takes it.

    - ``Vary: Accept-Encoding`` on every textual answer, compressed or not;
    - a compressed answer's ETag becomes weak (``W/"..."``, as nginx does): the routes
      compare If-None-Match weakly, so a 304 still follows; a 304 to a client that takes
      gzip carries the weak form too;
    - bodies under :data:`GZIP_MIN_SIZE`, problem details, event streams, HEAD and answers
      already encoded pass as they are; a streamed answer (``more_body``) is compressed as
      it streams, without ``Content-Length``.

    Placed inside :class:`~llgraph.web.cache.ResponseCache`, which keeps the compressed body
    under a key that says whether gzip was accepted.
    """

    def __init__(self, app: ASGIApp, *, minimum_size: int = GZIP_MIN_SIZE) -> None:
        self.app = app
        self.minimum_size = minimum_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "HEAD":
            await self.app(scope, receive, send)
            return
        accepted = accepts_gzip(scope["headers"])
        await self.app(scope, receive, _Compressor(send, accepted, self.minimum_size))


class _Compressor:
    """The ``send`` of one answer: holds the start until the first body part decides."""

    def __init__(self, send: Send, accepted: bool, minimum_size: int) -> None:
        self.send, self.accepted, self.minimum_size = send, accepted, minimum_size
        self.start: Message | None = None
        self.zip: Any = None
        self.passing = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            await self._start(message)
        elif message["type"] != "http.response.body" or self.passing or self.start is None:
            await self.send(message)
        elif self.zip is not None:
            await self._stream(message)
        else:
            await self._first(message)

    async def _start(self, message: Message) -> None:
        headers = list(message.get("headers", []))
        if message["status"] == 304 and self.accepted:
            headers = _with_vary(_weak_etag(headers))
        if message["status"] in (204, 304) or not _compressible(headers):
            self.passing = True
            await self.send({**message, "headers": headers})
            return
        self.start = {**message, "headers": _with_vary(headers)}

    async def _first(self, message: Message) -> None:
        body, more = message.get("body", b""), message.get("more_body", False)
        assert self.start is not None
        headers = self.start["headers"]
        if not self.accepted or (not more and len(body) < self.minimum_size):
            self.passing = True
            if self.accepted:
                headers = _weak_etag(headers)
            await self.send({**self.start, "headers": headers})
            await self.send(message)
            return
        kept = [(k, v) for k, v in _weak_etag(headers) if k.lower() != b"content-length"]
        kept.append((b"content-encoding", b"gzip"))
        if not more:
            packed = await _gzip(body)
            kept.append((b"content-length", str(len(packed)).encode()))
            await self.send({**self.start, "headers": kept})
            await self.send({"type": "http.response.body", "body": packed})
            return
        self.zip = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        await self.send({**self.start, "headers": kept})
        await self._stream(message)

    async def _stream(self, message: Message) -> None:
        more = message.get("more_body", False)
        out = self.zip.compress(message.get("body", b""))
        out += self.zip.flush(zlib.Z_SYNC_FLUSH if more else zlib.Z_FINISH)
        await self.send({"type": "http.response.body", "body": out, "more_body": more})
