"""RDF terms between pyoxigraph and rdflib: what the loader and the Oxigraph store share."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from llgraph.errors import QueryError

__all__ = ["XSD_STRING", "from_ox"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@lru_cache(maxsize=1 << 16)
def from_ox(term: Any) -> Identifier:
    """An rdflib term equal to what rdflib's own parser makes of the same RDF term.

    Oxigraph types every plain literal ``xsd:string``; rdflib leaves it untyped, and
    the two do not compare equal, so ``xsd:string`` becomes untyped here. Cached: the
    same IRIs and labels come back in row after row.
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise QueryError(f"unsupported RDF term in a result: {term!r}")
