"""The HTML side of the web layer: one Jinja environment, the base template, CSP, browser test.

Every page extends ``templates/base.html`` (header with the search box, navigation, footer)
and is rendered by :func:`page`, which adds the Content-Security-Policy and the other
security headers. :func:`wants_html` tells a browser (``text/html`` preferred) from an API
client. Jinja autoescapes every value; :func:`safe_href` makes links only of http(s) IRIs
and of this server's own paths.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape

from llgraph.conneg import prefers_html
from llgraph.namespaces import curie

__all__ = [
    "CSP",
    "EDITOR_CSP",
    "SECURITY_HEADERS",
    "page",
    "safe_href",
    "templates",
    "vendor_tag",
    "vendored",
    "wants_html",
]

#: Scripts, styles, fonts, images and connections only from this server; no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: The editor's CSP: YASGUI (CodeMirror, DataTables) sets inline style attributes, so styles
#: may be inline there; scripts, fonts and connections stay the server's own.
EDITOR_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_STATIC = Path(__file__).parent / "static"


def safe_href(value: object) -> str | None:
    """``value`` as a link target when it is an http(s) IRI or a path of this server, else None
    (no ``javascript:``, ``data:`` or other schemes ever become a link)."""
    text = str(value or "")
    if text.startswith("/") and not text.startswith("//"):
        return text
    parts = urlsplit(text)
    return text if parts.scheme in ("http", "https") and parts.netloc else None


@pass_context
def link(context: Mapping[str, Any], uri: object) -> str | None:
    """In a template: this server's path of an IRI of the graph, else :func:`safe_href`."""
    request = context.get("request")
    base = request.app.state.settings.base_uri if request is not None else ""
    text = str(uri or "")
    if base and text.startswith(base + "id/"):
        return "/" + text[len(base) :]
    return safe_href(text)


@lru_cache(maxsize=1)
def vendored() -> dict[str, str]:
    """Path under static/vendor/ → SRI integrity, from vendor.json (written by `make vendor`)."""
    manifest = json.loads((_STATIC / "vendor" / "vendor.json").read_text(encoding="utf-8"))
    return {f["path"]: f["integrity"] for p in manifest["packages"] for f in p["files"]}


def vendor_tag(path: str) -> Markup:
    """A ``<script>`` or stylesheet ``<link>`` of a vendored file, with its integrity."""
    integrity = vendored()[path]
    url = escape(f"/static/vendor/{path}")
    if path.endswith(".css"):
        return Markup(f'<link rel="stylesheet" href="{url}" integrity="{integrity}">')
    return Markup(f'<script src="{url}" integrity="{integrity}" defer></script>')


templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["curie"] = curie
templates.env.filters["href"] = safe_href
templates.env.globals["vendor"] = vendor_tag
templates.env.filters["link"] = link


def wants_html(request: Request) -> bool:
    """Whether the client prefers HTML (:func:`llgraph.conneg.prefers_html`): browsers do;
    curl, httpx and SPARQL clients do not."""
    return prefers_html(request.headers.get("accept", ""))


def page(
    request: Request,
    name: str,
    context: Mapping[str, Any],
    status_code: int = 200,
    csp: str = CSP,
) -> HTMLResponse:
    """Render template ``name`` with ``context`` as an HTML page with the security headers."""
    headers = {**SECURITY_HEADERS, "Content-Security-Policy": csp}
    response = templates.TemplateResponse(
        request, name, dict(context), status_code=status_code, headers=headers
    )
    response.headers["Vary"] = "Accept"
    return response
