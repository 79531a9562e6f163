"""The store interface and ``open_store``: one way to open the graph, whatever the backend."""

from __future__ import annotations

from pathlib import Path

from llgraph.errors import StoreError
from llgraph.store.base import DEFAULT_PREFIXES, Store, graph_fingerprint
from llgraph.store.memory import MemoryStore
from llgraph.store.oxigraph import OxigraphStore
from llgraph.store.remote import RemoteStore

__all__ = [
    "DEFAULT_PREFIXES",
    "STORE_SPECS",
    "MemoryStore",
    "OxigraphStore",
    "RemoteStore",
    "Store",
    "graph_fingerprint",
    "open_store",
]

STORE_SPECS = "memory, oxigraph, oxigraph:PATH or sparql:URL[,update=URL][,store=URL]"


def _open_remote(rest: str) -> RemoteStore:
    query_url, *options = rest.split(",")
    known = {"update": None, "store": None}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or key not in known or not value:
            raise StoreError(f"bad option {option!r} in sparql:{rest}: use update=URL or store=URL")
        known[key] = value
    if not query_url.startswith(("http://", "https://")):
        raise StoreError(f"bad SPARQL endpoint {query_url!r}: give an http:// or https:// URL")
    return RemoteStore(query_url, update_url=known["update"], store_url=known["store"])


def open_store(spec: str = "memory") -> Store:
    """Open the store named by ``spec``: ``memory``, ``oxigraph``, ``oxigraph:PATH`` or
    ``sparql:QUERY_URL[,update=URL][,store=URL]``."""
    kind, sep, rest = spec.partition(":")
    if spec == "memory":
        return MemoryStore()
    if kind == "oxigraph":
        if sep and not rest:
            raise StoreError("oxigraph: needs a directory, e.g. oxigraph:var/store")
        return OxigraphStore(Path(rest) if rest else None)
    if kind == "sparql" and rest:
        return _open_remote(rest)
    raise StoreError(f"unknown store {spec!r}: use {STORE_SPECS}")
