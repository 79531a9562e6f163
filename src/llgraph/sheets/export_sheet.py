"""The graph's partnerships as rows of the template (``llgraph export-sheet``), to edit again."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from llgraph.namespaces import DCTERMS, LLO, RDF, RDFS
from llgraph.sheets.match import CodeList

__all__ = ["partnership_rows"]


def _label(graph: Graph, uri: URIRef, lang: str) -> str:
    labels = sorted(graph.objects(uri, RDFS.label), key=str)
    return next((str(o) for o in labels if isinstance(o, Literal) and o.language == lang), "")


def _cell(codes: CodeList, values: Iterable[Node]) -> str:
    """Values as the drop-downs write them (``label (id)``), several joined by ``; ``."""
    return "; ".join(
        codes.entries[v].display if isinstance(v, URIRef) and v in codes.entries else str(v)
        for v in sorted(values, key=str)
    )


def partnership_rows(graph: Graph, lists: dict[str, CodeList]) -> list[dict[str, str]]:
    """One row per partnership of ``graph``, in id order, in the columns of the template."""
    rows = []
    for p in sorted(graph.subjects(RDF.type, LLO.Partnership), key=str):
        assert isinstance(p, URIRef), p  # the shapes make every partnership an IRI
        start, end = graph.value(p, LLO.startFiscalYear), graph.value(p, LLO.endFiscalYear)
        sources = lists["sources"]
        rows.append(
            {
                "id": lists["partnerships"].entries[p].key,
                "label_ja": _label(graph, p, "ja"),
                "label_en": _label(graph, p, "en"),
                "programme": _cell(lists["programmes"], graph.objects(p, LLO.programme)),
                "domestic_region": _cell(lists["regions"], graph.objects(p, LLO.domesticRegion)),
                "overseas_region": _cell(lists["regions"], graph.objects(p, LLO.overseasRegion)),
                "industry": _cell(lists["industries"], graph.objects(p, LLO.industry)),
                "start_year": str(start or ""),
                "end_year": str(end or ""),
                "fiscal_years": "; ".join(sorted(str(y) for y in graph.objects(p, LLO.fiscalYear))),
                "source": "; ".join(
                    sources.entries[s].key
                    if isinstance(s, URIRef) and s in sources.entries
                    else str(s)
                    for s in sorted(graph.objects(p, DCTERMS.source), key=str)
                ),
            }
        )
    return rows
