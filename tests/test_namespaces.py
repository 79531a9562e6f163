"""LLO in namespaces.py lists exactly the terms the ontology files define, and rejects typos."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from llgraph.config import Settings
from llgraph.namespaces import LLO


def test_llo_lists_exactly_the_ontology_terms(settings: Settings) -> None:
    ontology = Graph()
    for path in settings.ontology_files:
        ontology.parse(path, format="turtle")
    prefix = str(LLO)
    defined = {
        str(s)[len(prefix) :]
        for s in ontology.subjects()
        if isinstance(s, URIRef) and str(s).startswith(prefix) and str(s) != prefix
    }
    assert len(defined) > 50
    assert set(LLO.__annotations__) == defined


def test_llo_rejects_unknown_terms() -> None:
    assert LLO.Partnership == URIRef("https://w3id.org/llgraph/ontology#Partnership")
    with pytest.raises(AttributeError):
        _ = LLO.Partnershp
