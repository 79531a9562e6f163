"""The HTML side of the web layer: one Jinja environment, the base template, CSP, browser test.

Every page extends ``templates/base.html`` (header with the search box, navigation, footer)
and is rendered by :func:`page`, which adds the Content-Security-Policy and the other
security headers. :func:`wants_html` tells a browser (``text/html`` preferred) from an API
client. Jinja autoescapes every value; :func:`safe_href` makes links only of http(s) IRIs
and of this server's own paths.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from llgraph.namespaces import curie
from llgraph.sparql.formats import accept_ranges

__all__ = ["CSP", "SECURITY_HEADERS", "page", "safe_href", "templates", "wants_html"]

#: Scripts, styles, fonts, images and connections only from this server; no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_HTML = ("text/html", "application/xhtml+xml")


def safe_href(value: object) -> str | None:
    """``value`` as a link target when it is an http(s) IRI or a path of this server, else None
    (no ``javascript:``, ``data:`` or other schemes ever become a link)."""
    text = str(value or "")
    if text.startswith("/") and not text.startswith("//"):
        return text
    parts = urlsplit(text)
    return text if parts.scheme in ("http", "https") and parts.netloc else None


templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["curie"] = curie
templates.env.filters["href"] = safe_href


def wants_html(request: Request) -> bool:
    """Whether the client prefers HTML: ``text/html`` listed with a q-value no other listed
    type (``*/*`` aside) beats. Browsers send that; curl, httpx and SPARQL clients do not."""
    ranges = accept_ranges(request.headers.get("accept", ""))
    html = max((q for media, q in ranges if media in _HTML), default=0.0)
    others = max((q for media, q in ranges if media not in _HTML and "*" not in media), default=0)
    return html > 0 and html >= others


def page(
    request: Request, name: str, context: Mapping[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render template ``name`` with ``context`` as an HTML page with the security headers."""
    response = templates.TemplateResponse(
        request, name, dict(context), status_code=status_code, headers=SECURITY_HEADERS
    )
    response.headers["Vary"] = "Accept"
    return response
