"""Representations of the REST answers: URI → URL mapping, the choice of representation
(read by :mod:`llgraph.conneg`), ETags, the JSON, JSON-LD and CSV writers, and the JSON-LD
terms every answer shares (each kind adds its own in :mod:`llgraph.web.kinds`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel
from rdflib import URIRef

from llgraph.config import Settings
from llgraph.conneg import preferred
from llgraph.namespaces import DCTERMS, RDFS
from llgraph.resources import Ref, kind_of
from llgraph.store import Store
from llgraph.web import models as m

__all__ = [
    "CSV",
    "JSON",
    "JSONLD",
    "MEDIA",
    "PLAIN_KEYS",
    "SHARED_TERMS",
    "Linker",
    "conditional",
    "csv_response",
    "etag_of",
    "json_response",
    "negotiate",
    "not_modified",
    "term",
]

JSON = "application/json"
JSONLD = "application/ld+json"
CSV = "text/csv"
MEDIA = {"json": JSON, "jsonld": JSONLD, "csv": CSV}

# ------------------------------------------------------------------ links and urls


class Linker:
    """Maps URIs under ``{base_uri}id/`` and ``{base_uri}ontology`` to where this server
    dereferences them (``/id/...`` and ``/ontology#Term``)."""

    def __init__(self, request: Request, settings: Settings) -> None:
        self.base_uri = settings.base_uri
        self.server = str(request.base_url)

    def url(self, uri: str) -> str | None:
        """This server's URL of ``uri``, or None when the URI is not ours."""
        if not uri.startswith(self.base_uri):
            return None
        rest = uri[len(self.base_uri) :]
        served = rest.startswith(("id/", "ontology#")) or rest == "ontology"
        return self.server + rest if served else None

    def api(self, uri: str) -> str | None:
        """The REST item of ``uri`` on this server, or None when no collection holds it."""
        kind = kind_of(uri, base=self.base_uri)
        key = kind.key(uri, base=self.base_uri) if kind else None
        return f"{self.server}api/{kind.name}/{key}" if kind and key else None

    def link(self, ref: Ref) -> m.Link:
        """``ref`` as an ``{id, url, label}`` summary."""
        return m.Link(id=ref.uri, url=self.url(ref.uri), label=m.Labels(ja=ref.ja, en=ref.en))


# ------------------------------------------------------------ content negotiation


def negotiate(request: Request, offered: Mapping[str, str], default: str) -> str:
    """The key of ``offered`` (key → media type) the Accept header prefers, else ``default``
    (:func:`llgraph.conneg.preferred`: q-values and wildcards)."""
    return preferred(request.headers.get("accept", ""), offered, default)


def etag_of(store: Store, representation: str) -> str:
    """The ETag of a representation of this data version (the same URL, the same answer)."""
    return f'"{store.version}-{representation}"'


def not_modified(request: Request, etag: str) -> bool:
    """Whether the client's If-None-Match holds ``etag`` (it has this answer already)."""
    header = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags or "*" in tags


def conditional(
    request: Request, store: Store, rep: str, build: Callable[[], Response]
) -> Response:
    """304 when the client has this representation of this data version, else ``build()``."""
    etag = etag_of(store, rep)
    headers = {"ETag": etag, "Vary": "Accept", "Cache-Control": "no-cache"}
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    response = build()
    response.headers.update(headers if response.status_code == 200 else {"Vary": "Accept"})
    return response


def _context_url(request: Request) -> str:
    return str(request.url_for("get_context"))


def json_response(request: Request, rep: str, body: BaseModel) -> Response:
    """``body`` as JSON, or as JSON-LD (``rep == "jsonld"``) referring to the API's context."""
    data = body.model_dump(mode="json", by_alias=True)
    if rep == "jsonld":
        data = {"@context": _context_url(request), **data}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(text, media_type=MEDIA[rep])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("id", ""))
    if isinstance(value, list):
        return " ".join(_cell(v) for v in value)
    return str(value)


def csv_response(model: type[m.Summary], items: list[m.Summary]) -> Response:
    """Items as CSV: one column per field of ``model`` (links as URIs, lists space-separated)."""
    buffer = io.StringIO()
    rows = [item.model_dump(mode="json") for item in items]
    fields = list(model.model_fields)
    columns = [c for f in fields for c in (("label_ja", "label_en") if f == "label" else (f,))]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        label = row.pop("label", {}) or {}
        cells = {k: _cell(v) for k, v in row.items()}
        writer.writerow(
            {**cells, "label_ja": label.get("ja") or "", "label_en": label.get("en") or ""}
        )
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8")


def term(prop: URIRef, *, link: bool = False, container: str | None = None) -> dict[str, str]:
    """The JSON-LD term definition of a key meaning ``prop`` (an IRI value when ``link``)."""
    entry = {"@id": str(prop)}
    if link:
        entry["@type"] = "@id"
    if container:
        entry["@container"] = container
    return entry


HYDRA = "http://www.w3.org/ns/hydra/core#"

#: The JSON-LD terms of the keys every answer shares (each kind adds its own fields').
SHARED_TERMS: dict[str, Any] = {
    "@version": 1.1,
    "id": "@id",
    "types": {"@id": "@type", "@container": "@set"},
    "label": term(RDFS.label, container="@language"),
    "description": term(RDFS.comment, container="@language"),
    "url": term(RDFS.seeAlso, link=True),
    "items": {"@id": f"{HYDRA}member"},
    "total": {"@id": f"{HYDRA}totalItems"},
    "next": {"@id": f"{HYDRA}next", "@type": "@id"},
    "previous": {"@id": f"{HYDRA}previous", "@type": "@id"},
    "sources": term(DCTERMS.source),
}
#: Keys that are plain JSON, not RDF (JSON-LD drops them).
PLAIN_KEYS: dict[str, None] = {
    key: None
    for key in (
        "limit",
        "offset",
        "properties",
        "referenced_by",
        "q",
        "match",
        "matched_label",
        "ja",
        "en",
    )
}
