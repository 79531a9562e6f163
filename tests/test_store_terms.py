"""pyoxigraph → rdflib terms: equal to what rdflib's parser makes of the same Turtle."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from llgraph.errors import QueryError
from llgraph.store.terms import from_ox

TURTLE = """
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/s> <https://example.org/p> "plain", "東京"@ja, "7"^^xsd:integer .
"""


def test_terms_equal_rdflibs_own() -> None:
    ours = {
        tuple(map(from_ox, (t.subject, t.predicate, t.object)))
        for t in ox.parse(TURTLE, format=ox.RdfFormat.TURTLE)
    }
    assert ours == set(Graph().parse(data=TURTLE, format="turtle"))
    assert Literal("plain") in {o for *_, o in ours}  # xsd:string → untyped, as rdflib


def test_blank_nodes_keep_their_label_and_others_are_refused() -> None:
    assert from_ox(ox.BlankNode("b1")) == BNode("b1")
    assert from_ox(ox.NamedNode("https://example.org/x")) == URIRef("https://example.org/x")
    with pytest.raises(QueryError, match="unsupported RDF term"):
        from_ox("not a term")
