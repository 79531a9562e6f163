"""HtmlErrors: a problem+json answer met by a browser becomes an HTML error page.

API clients (``Accept: */*``, JSON, SPARQL types) keep RFC 9457 problem details; a request
that prefers ``text/html`` gets the same status, title and detail as a page of the site.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from llgraph.web.templating import SECURITY_HEADERS, templates, wants_html

__all__ = ["HtmlErrors", "error_html"]

_PROBLEM = b"application/problem+json"


def error_html(status: int, title: str, detail: str, errors: list | None = None) -> bytes:
    """The HTML error page of a problem."""
    context = {"status": status, "title": title, "detail": detail, "errors": errors or []}
    return templates.env.get_template("error.html").render(context).encode("utf-8")


def _page_of(body: bytes, status: int) -> bytes:
    try:
        data = json.loads(body)
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    listed = data.get("errors")
    errors = [e for e in listed if isinstance(e, dict)] if isinstance(listed, list) else []
    return error_html(status, str(data.get("title", "Error")), str(data.get("detail", "")), errors)


class HtmlErrors:
    """Turn problem+json answers into HTML pages for browsers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not wants_html(Request(scope)):
            await self.app(scope, receive, send)
            return
        start: dict = {}
        parts: list[bytes] = []

        async def intercept(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(_PROBLEM):
                    start.update(message)
                    return
                await send(message)
            elif start and message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._send_page(start, b"".join(parts), send, scope["method"])
            else:
                await send(message)

        await self.app(scope, receive, intercept)

    async def _send_page(self, start: dict, body: bytes, send: Send, method: str) -> None:
        page = _page_of(body, start["status"])
        kept = [(k, v) for k, v in start.get("headers", []) if k.lower() not in _REPLACED]
        headers = [
            *kept,
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(page)).encode()),
            (b"vary", b"Accept"),
            *((k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()),
        ]
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else page})


_REPLACED = {b"content-type", b"content-length", b"vary"}
