"""llgraph.resources: labels are read once per data version, then remembered."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from llgraph.resources import Ref, labels_of
from llgraph.store import MemoryStore

A, B = URIRef("https://w3id.org/llgraph/id/region/a"), URIRef("https://w3id.org/llgraph/id/x/b")


class CountingStore(MemoryStore):
    """rdflib's store, counting its queries."""

    def __init__(self) -> None:
        super().__init__()
        self.queries = 0

    def query(self, sparql, *, bindings=None):
        self.queries += 1
        return super().query(sparql, bindings=bindings)


def _graph(label_a: str) -> Graph:
    graph = Graph()
    graph.add((A, RDFS.label, Literal(label_a, lang="en")))
    graph.add((A, RDFS.label, Literal("エー", lang="ja")))
    graph.add((B, SKOS.prefLabel, Literal("Bee", lang="en-GB")))
    return graph


def test_labels_are_read_once_per_data_version() -> None:
    store = CountingStore()
    store.replace(_graph("A"))
    assert labels_of(store, [A, B, Literal("not a resource")]) == {
        str(A): Ref(str(A), ja="エー", en="A"),
        str(B): Ref(str(B), en="Bee"),
    }
    assert store.queries == 1
    assert labels_of(store, [B]) == {str(B): Ref(str(B), en="Bee")}
    assert store.queries == 1  # remembered
    store.replace(_graph("A, renamed"))
    assert labels_of(store, [A])[str(A)].en == "A, renamed"
    assert store.queries == 2


def test_a_resource_without_labels_is_named_by_its_uri() -> None:
    store = CountingStore()
    store.replace(_graph("A"))
    nameless = URIRef("https://w3id.org/llgraph/id/x/nameless")
    assert labels_of(store, [nameless]) == {str(nameless): Ref(str(nameless))}
    labels_of(store, [nameless])
    assert store.queries == 1
