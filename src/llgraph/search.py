"""Label search: resources whose ja or en label holds the text, ranked, from a label index.

Labels and the searched text are compared after :func:`normalize`: NFKC (full-width Latin and
half-width katakana become their usual forms), case folding, and Latin accents removed, so
``Ｄａｌｉａｎ`` finds Dalian, ``ｽｳｪｰﾃﾞﾝ`` finds スウェーデン and ``Skane`` finds Skåne.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Literal, URIRef

from llgraph.config import DEFAULT_BASE_URI
from llgraph.resources import Kind, Ref, labels_of, sparql_values
from llgraph.store import Store

__all__ = ["SearchHit", "normalize", "search"]


@dataclass(frozen=True)
class SearchHit:
    """A resource whose label matched, how well (3 exact, 2 prefix, 1 substring) and on what."""

    ref: Ref
    rank: int
    matched: str
    types: tuple[str, ...]


_LABEL_INDEX = """
SELECT ?s ?label WHERE {
  ?s rdfs:label|skos:prefLabel|skos:altLabel ?label .
  FILTER(isIRI(?s) && isLITERAL(?label) && STRSTARTS(STR(?s), STR(?base)))
}"""


#: Combining marks of Latin letters (accents, umlauts, rings); the kana voicing marks
#: (U+3099, U+309A) are kept so that デ and テ stay different.
_LATIN_MARKS = re.compile("[\u0300-\u036f]")


def normalize(text: str) -> str:
    """``text`` as search compares it: NFKC, case-folded, without Latin accents."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    bare = _LATIN_MARKS.sub("", unicodedata.normalize("NFD", folded))
    return unicodedata.normalize("NFC", bare)


@lru_cache(maxsize=4)
def _label_index(store: Store, version: str, base: str) -> tuple[tuple[str, str, str], ...]:
    """(URI, normalised label, label) of every label of ours; rebuilt when the data changes."""
    rows = store.select(_LABEL_INDEX, bindings={"base": Literal(f"{base}id/")})
    return tuple(sorted({(str(s), normalize(str(label)), str(label)) for s, label in rows}))


def _rank(label: str, needle: str) -> int:
    if label == needle:
        return 3
    return 2 if label.startswith(needle) else 1


def search(
    store: Store,
    q: str,
    *,
    limit: int = 20,
    kind: Kind | None = None,
    base: str = DEFAULT_BASE_URI,
) -> tuple[int, list[SearchHit]]:
    """Resources under ``{base}id/`` whose ja or en label contains ``q`` (both normalised by
    :func:`normalize`: width, case and accents do not count), best first.

    With ``kind``, only the resources whose URI is in that collection count.

    Returns the number of matching resources and the first ``limit`` hits, ranked
    exact > prefix > substring, then by shorter label, then by URI. The caller's text
    never enters a query: it is matched against an index of labels read from the store.
    """
    needle = normalize(q.strip())
    best: dict[str, tuple[int, str]] = {}
    for uri, lowered, label in _label_index(store, store.version, base):
        if needle in lowered and (kind is None or kind.key(uri, base=base)):
            rank = _rank(lowered, needle)
            current = best.get(uri)
            if current is None or (rank, -len(label)) > (current[0], -len(current[1])):
                best[uri] = (rank, label)
    ordered = sorted(best.items(), key=lambda kv: (-kv[1][0], len(kv[1][1]), kv[0]))[:limit]
    uris = [URIRef(u) for u, _ in ordered]
    labels = labels_of(store, uris)
    types = _types_of(store, uris)
    hits = [
        SearchHit(labels[u], rank, matched, tuple(types.get(u, ())))
        for u, (rank, matched) in ordered
    ]
    return len(best), hits


def _types_of(store: Store, uris: Sequence[URIRef]) -> dict[str, list[str]]:
    if not uris:
        return {}
    found: dict[str, list[str]] = {}
    sparql = f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {sparql_values(uris)} }} ?s a ?t }} ORDER BY ?t"
    for s, t in store.select(sparql):
        found.setdefault(str(s), []).append(str(t))
    return found
