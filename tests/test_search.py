"""llgraph.search: ranked label search over the store, rebuilt when the data changes."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from llgraph.resources import KINDS
from llgraph.search import normalize, search
from llgraph.store import MemoryStore

ID = "https://w3id.org/llgraph/id/region/"


def _store(labels: dict[str, str]) -> MemoryStore:
    graph = Graph()
    for slug, label in labels.items():
        graph.add((URIRef(ID + slug), RDFS.label, Literal(label, lang="en")))
    graph.add((URIRef("http://example.org/elsewhere"), RDFS.label, Literal("Dalian", lang="en")))
    store = MemoryStore()
    store.replace(graph)
    return store


def test_exact_then_prefix_then_substring_and_only_our_resources() -> None:
    store = _store({"a": "Greater Dalian area", "b": "Dalian", "c": "Dalian city"})
    total, hits = search(store, "  DALIAN ")
    assert total == 3
    assert [(h.ref.uri.removeprefix(ID), h.rank) for h in hits] == [("b", 3), ("c", 2), ("a", 1)]
    assert hits[0].matched == "Dalian"
    assert search(store, "dalian", limit=1)[0] == 3
    assert search(store, "dalian", kind=KINDS["partnerships"]) == (0, [])


def test_the_index_follows_the_data() -> None:
    store = _store({"a": "Suwa"})
    assert search(store, "suwa")[0] == 1
    graph = Graph()
    graph.add((URIRef(ID + "b"), RDFS.label, Literal("Okaya", lang="en")))
    store.replace(graph)
    assert search(store, "suwa")[0] == 0
    assert search(store, "okaya")[0] == 1


def test_normalize_folds_width_case_and_latin_accents_not_kana_voicing() -> None:
    assert normalize("Ｄａｌｉａｎ") == normalize("Dalian") == "dalian"
    assert normalize("ｽｳｪｰﾃﾞﾝ") == normalize("スウェーデン") == "スウェーデン"
    assert normalize("Skane") == normalize("Skåne") == normalize("SKÅNE")
    assert normalize("デ") != normalize("テ")


def test_full_width_katakana_and_unaccented_queries_find_the_same(store) -> None:
    pairs = [("Ｄａｌｉａｎ", "Dalian"), ("ｽｳｪｰﾃﾞﾝ", "スウェーデン"), ("Skane", "Skåne")]
    for variant, plain in pairs:
        found = search(store, variant, limit=100)
        assert found[0] > 0 and found == search(store, plain, limit=100), variant
