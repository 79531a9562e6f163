"""ResponseCache: ASGI middleware keeping answers with an ETag until the data changes."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from llgraph.web.middleware import accepts_gzip

__all__ = ["ResponseCache"]

#: Request headers a cached answer depends on (the routes negotiate on Accept; links are
#: built from Host; the format parameter and paging are in the query string). Every value
#: of each is in the key, in order: an answer built from the first ``Accept`` of two is
#: never given to a request whose first ``Accept`` differs.
_KEY_HEADERS = (b"accept", b"host")
#: Headers that make a request or an answer personal or conditional: never cached.
_BYPASS = (b"if-none-match", b"if-modified-since", b"authorization", b"cookie", b"range")


@dataclass
class _Entry:
    """A kept answer (always a 200): its headers and body, and the bytes it holds."""

    headers: list[tuple[bytes, bytes]]
    body: bytes
    size: int


def _key(scope: Scope) -> tuple:
    """Everything of a request that shapes its answer: the path and query string, the
    scheme and root path (links), every value of the :data:`_KEY_HEADERS`, and whether
    the client takes gzip (:class:`~llgraph.web.middleware.Compression`, inside the cache,
    compresses for it: a gzip body is only ever replayed to a client that takes gzip)."""
    headers = scope["headers"]
    values = tuple(tuple(v for k, v in headers if k == name) for name in _KEY_HEADERS)
    return (
        scope["path"],
        scope["query_string"],
        scope["scheme"],
        scope.get("root_path", ""),
        "gzip" if accepts_gzip(headers) else "identity",
        *values,
    )


def _size(key: tuple, headers: list[tuple[bytes, bytes]], body: bytes) -> int:
    """The bytes an entry holds: its key, its headers and its body."""
    parts = [p for p in key if isinstance(p, (bytes, str))]
    parts += [v for values in key if isinstance(values, tuple) for v in values]
    return len(body) + sum(map(len, parts)) + sum(len(k) + len(v) for k, v in headers)


class ResponseCache:
    """Keep GET answers that carry an ``ETag`` (they are the same until the data
    changes) and send them again without running the route.

    The key is everything that shapes an answer (:func:`_key`); a new data version
    empties the cache. Bounded by ``max_bytes``, counting keys, headers and bodies (least
    recently used first out); answers over ``max_entry`` bytes, conditional requests and
    answers without an ETag always go to the route. ``HEAD`` arrives here as ``GET``
    (:class:`~llgraph.web.middleware.RequestLimits` drops the body).
    """

    def __init__(
        self, app: ASGIApp, *, max_bytes: int = 64 << 20, max_entry: int = 1 << 20
    ) -> None:
        self.app = app
        self.max_bytes, self.max_entry = max_bytes, max_entry
        self._entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self._size = 0
        self._version = ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if any(name in headers for name in _BYPASS):
            await self.app(scope, receive, send)
            return
        version = scope["app"].state.store.version
        if version != self._version:
            self._entries.clear()
            self._size, self._version = 0, version
        key = _key(scope)
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            await self._replay(entry, send)
            return
        await self.app(scope, receive, self._recorder(key, version, send))

    def _recorder(self, key: tuple, version: str, send: Send) -> Send:
        """A ``send`` that passes every message on and keeps a cacheable answer."""
        parts: list[bytes] = []
        start: dict[str, object] = {}

        async def record(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body" or start.get("status") != 200:
                return
            parts.append(message.get("body", b""))
            if not message.get("more_body", False):
                self._keep(key, version, start, b"".join(parts))

        return record

    def _keep(self, key: tuple, version: str, start: dict, body: bytes) -> None:
        headers = list(start.get("headers", []))
        names = {name.lower() for name, _ in headers}
        if b"etag" not in names or b"set-cookie" in names or len(body) > self.max_entry:
            return
        if version != self._version:  # the data changed while the route ran
            return
        old = self._entries.pop(key, None)
        entry = _Entry(headers, body, _size(key, headers, body))
        self._size += entry.size - (old.size if old else 0)
        self._entries[key] = entry
        while self._size > self.max_bytes and self._entries:
            _, old = self._entries.popitem(last=False)
            self._size -= old.size

    @staticmethod
    async def _replay(entry: _Entry, send: Send) -> None:
        start = {"type": "http.response.start", "status": 200, "headers": entry.headers}
        await send(start)
        await send({"type": "http.response.body", "body": entry.body})
