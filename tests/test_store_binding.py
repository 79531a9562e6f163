"""store/binding.py: parameters bound as a VALUES block, placed by SPARQL's own terminals."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef

from llgraph.errors import QueryError
from llgraph.store.binding import bind_values

A = {"s": URIRef("http://e/a")}


def test_values_go_inside_where_after_a_construct_template() -> None:
    bound = bind_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", A)
    assert bound.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<http://e/a>) }")


def test_braces_and_keywords_in_strings_iris_and_comments_are_not_read() -> None:
    text = (
        "PREFIX c: <http://e/CONSTRUCT#>\n"
        'SELECT * WHERE { ?s c:p "{ CONSTRUCT" . ?s c:q """}""" # } {\n }'
    )
    bound = bind_values(text, {"o": Literal(1)})
    assert bound.index("VALUES") == text.index("WHERE {") + len("WHERE {") + 1


def test_an_unreadable_query_or_a_blank_node_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="no WHERE clause"):
        bind_values("ASK", A)
    with pytest.raises(QueryError, match="cannot bind parameters"):
        bind_values("SELECT * WHERE { ?s ?p `x` }", A)
    with pytest.raises(QueryError, match="blank node"):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"s": BNode()})
