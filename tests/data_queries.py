"""SPARQL helpers shared by the tests/test_data_*.py files: prefixes and rows as plain strings."""

from __future__ import annotations

from llgraph.store import Store

PREFIXES = """
PREFIX llo: <https://w3id.org/llgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX prog: <https://w3id.org/llgraph/id/programme/>
PREFIX pship: <https://w3id.org/llgraph/id/partnership/>
PREFIX region: <https://w3id.org/llgraph/id/region/>
PREFIX scheme: <https://w3id.org/llgraph/id/scheme/>
PREFIX level: <https://w3id.org/llgraph/id/region-level/>
PREFIX report: <https://w3id.org/llgraph/id/report/>
PREFIX survey: <https://w3id.org/llgraph/id/survey/>
PREFIX src: <https://w3id.org/llgraph/id/source/>
PREFIX indsv: <https://w3id.org/llgraph/id/industry/survey/>
"""

ID = "https://w3id.org/llgraph/id/"


def rows(store: Store, query: str) -> list[tuple[str | None, ...]]:
    """The query's rows as tuples of strings (None where a variable is unbound)."""
    return [
        tuple(None if v is None else str(v) for v in row) for row in store.query(PREFIXES + query)
    ]
