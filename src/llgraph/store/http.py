"""HTTP for remote stores: one httpx client per process, credentials, short error messages."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Generator, Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from llgraph.errors import StoreError

__all__ = ["PASSWORD_VARIABLE", "USER_VARIABLE", "HttpSession", "ServerAuth", "first_line"]

USER_VARIABLE = "LLGRAPH_SPARQL_USER"
PASSWORD_VARIABLE = "LLGRAPH_SPARQL_PASSWORD"

_TAG = re.compile(r"<[^>]*>")
_MAX_LINE = 200


class ServerAuth(httpx.Auth):
    """Basic or digest credentials, whichever the server's ``401`` challenge asks for.

    Nothing is sent until the server asks; after the first challenge every request
    carries the credentials of that scheme. The password is never part of a message.
    """

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def __repr__(self) -> str:
        return "ServerAuth(<hidden>)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").strip().lower()
        if challenge.startswith("digest"):
            self._scheme = "digest"
            yield from self._digest.auth_flow(request)
        elif challenge.startswith("basic"):
            self._scheme = "basic"
            yield from self._basic.auth_flow(request)


def credentials(environ: Mapping[str, str] | None = None) -> ServerAuth | None:
    """The credentials of ``LLGRAPH_SPARQL_USER`` / ``LLGRAPH_SPARQL_PASSWORD``, if set."""
    env = os.environ if environ is None else environ
    user = env.get(USER_VARIABLE)
    if not user:
        return None
    return ServerAuth(user, env.get(PASSWORD_VARIABLE, ""))


def safe_url(url: str) -> str:
    """``url`` without any ``user:password@`` part, for messages."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def first_line(response: httpx.Response) -> str:
    """The server's own first line of an error answer (tags stripped, at most 200 characters)."""
    try:
        text = response.text
    except (UnicodeDecodeError, LookupError):
        return ""
    for line in _TAG.sub("\n", text).splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= _MAX_LINE else line[: _MAX_LINE - 1] + "…"
    return ""


def advice(status: int, writing: bool) -> str:
    """What a user can do about an HTTP error ``status``."""
    if status == 401:
        return f"set {USER_VARIABLE} and {PASSWORD_VARIABLE} to an account of this server"
    if status == 403:
        what = "write to" if writing else "read"
        return f"the account ({USER_VARIABLE}) may not {what} this endpoint: ask its admin"
    if status == 404:
        return "check the endpoint's URL in the store spec"
    if status == 413:
        return "the server limits request sizes: give a smaller chunk=N"
    if status in (400, 422) and not writing:
        return "check the query"
    if status >= 500:
        return "the server failed: see its log, or retry later"
    return "see the server's documentation"


class HttpSession:
    """A pooled httpx client per process (forked workers open their own), one auth for all."""

    def __init__(self, *, timeout: float, auth: httpx.Auth | None) -> None:
        self.timeout, self.auth = timeout, auth
        self._clients: dict[int, httpx.Client] = {}
        self._lock = threading.Lock()

    def client(self) -> httpx.Client:
        """This process's client (TLS verification on, keep-alive, connect retries)."""
        pid = os.getpid()
        with self._lock:
            found = self._clients.get(pid)
            if found is None:
                found = self._clients[pid] = httpx.Client(
                    auth=self.auth,
                    timeout=httpx.Timeout(self.timeout, connect=10.0),
                    transport=httpx.HTTPTransport(retries=2),
                    verify=True,
                    follow_redirects=True,
                )
            return found

    def send(self, method: str, url: str, *, idempotent: bool, **kwargs: Any) -> httpx.Response:
        """Send one request; a dropped keep-alive connection is retried when ``idempotent``."""
        for attempt in (1, 2):
            try:
                return self.client().request(method, url, **kwargs)
            except httpx.TimeoutException as exc:
                hint = (
                    "check that it runs, or narrow the request"
                    if idempotent
                    else "it may still finish the write: check the server, or give a "
                    "longer timeout=SECONDS"
                )
                raise StoreError(
                    f"the SPARQL server at {safe_url(url)} did not answer within "
                    f"{self.timeout:g} s: {hint}"
                ) from exc
            except httpx.TransportError as exc:
                if attempt == 2 or not idempotent:
                    raise StoreError(
                        f"cannot reach the SPARQL server at {safe_url(url)}: {exc}"
                    ) from exc
        raise AssertionError("unreachable")

    def forget(self) -> None:
        """Drop the clients of other processes (after a fork) without closing their sockets."""
        with self._lock:
            self._clients = {k: v for k, v in self._clients.items() if k == os.getpid()}

    def close(self) -> None:
        """Close this process's client."""
        with self._lock:
            client = self._clients.pop(os.getpid(), None)
        if client is not None:
            client.close()
