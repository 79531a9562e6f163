"""The store interface and ``open_store``: one way to open the graph, whatever the backend."""

from __future__ import annotations

from pathlib import Path

from llgraph.errors import StoreError
from llgraph.store.base import DEFAULT_PREFIXES, Store, graph_fingerprint
from llgraph.store.memory import MemoryStore
from llgraph.store.oxigraph import OxigraphStore
from llgraph.store.remote import RemoteStore, parse_remote_spec

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

STORE_SPECS = (
    "memory, oxigraph, oxigraph:PATH or "
    "sparql:URL[,update=URL][,store=URL][,graph=IRI][,readonly][,chunk=N][,timeout=SECONDS]"
)


def open_store(spec: str = "memory") -> Store:
    """Open the store named by ``spec``: ``memory``, ``oxigraph``, ``oxigraph:PATH`` or
    ``sparql:QUERY_URL[,OPTIONS]`` (see :mod:`llgraph.store.remote`)."""
    kind, sep, rest = spec.partition(":")
    if spec == "memory":
        return MemoryStore()
    if kind == "oxigraph":
        if sep and not rest:
            raise StoreError("oxigraph: needs a directory, e.g. oxigraph:var/store")
        return OxigraphStore(Path(rest) if rest else None)
    if kind == "sparql" and rest:
        return parse_remote_spec(rest)
    raise StoreError(f"unknown store {spec!r}: use {STORE_SPECS}")
