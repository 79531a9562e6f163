"""Names in a cell → the graph's resources: by id or label, after Unicode normalisation (NFKC)."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from rdflib import Graph, URIRef
from rdflib.term import Node

from llgraph.namespaces import DCTERMS, ID, LLO, ORG, RDF, RDFS, SCHEMA, SKOS

__all__ = ["LISTS", "CodeList", "Entry", "NoMatch", "code_lists", "labels_of", "normalise"]

#: The code lists: (URI segment under id/, how their members are found).
LISTS: dict[str, tuple[str, str]] = {
    "programmes": ("programme/", "class:Programme"),
    "domestic-regions": ("region/", "class:DomesticRegion"),
    "overseas-regions": ("region/", "class:OverseasRegion"),
    "regions": ("region/", "class:DomesticRegion|OverseasRegion"),
    "region-levels": ("region-level/", "scheme:region-level"),
    "industries": ("industry/", "class:Industry"),
    "roles": ("role/", "scheme:role"),
    "activity-types": ("activity-type/", "scheme:activity-type"),
    "outcome-types": ("outcome-type/", "scheme:outcome-type"),
    "institution-types": ("institution-type/", "scheme:institution-type"),
    "institutions": ("org/", "org"),
    "partnerships": ("partnership/", "class:Partnership"),
    "sources": ("", "source"),
}

_ORG_CLASSES = (ORG.Organization, ORG.FormalOrganization, ORG.OrganizationalUnit)
_SOURCE_CLASSES = (
    LLO.ReportSection,
    SCHEMA.Report,
    DCTERMS.Standard,
    DCTERMS.BibliographicResource,
)
_LABELS = (RDFS.label, SKOS.prefLabel)
_WITH_KEY = re.compile(r"^(?P<label>.*?)\s*\((?P<key>[^()]+)\)$")


def normalise(text: object) -> str:
    """A cell as compared: NFKC (full-width → half-width), spaces collapsed, case folded."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


class NoMatch(ValueError):
    """A name that matches nothing, or more than one resource."""


@dataclass
class Entry:
    """One member of a code list."""

    uri: URIRef
    key: str
    label_ja: str = ""
    label_en: str = ""

    @property
    def display(self) -> str:
        """How a drop-down and an exported sheet write it: ``label (key)``."""
        label = self.label_ja or self.label_en
        return f"{label} ({self.key})" if label else self.key


@dataclass
class CodeList:
    """The members of one list, found by key, IRI or any label."""

    name: str
    segment: str
    entries: dict[URIRef, Entry] = field(default_factory=dict)
    index: dict[str, set[URIRef]] = field(default_factory=dict)
    #: Alternative labels (skos:altLabel): used only when no id or label matches.
    alternatives: dict[str, set[URIRef]] = field(default_factory=dict)

    def add(self, uri: URIRef, labels: Iterable[tuple[str, str]] = ()) -> Entry:
        """Register ``uri`` with ``(text, language)`` labels (the first of each language shows)."""
        key = str(uri)[len(str(ID) + self.segment) :] if str(uri).startswith(ID) else str(uri)
        entry = self.entries.setdefault(uri, Entry(uri, key))
        for name in {key, str(uri), str(uri)[len(str(ID)) :], f"id:{str(uri)[len(str(ID)) :]}"}:
            self.index.setdefault(normalise(name), set()).add(uri)
        for text, lang in labels:
            self.index.setdefault(normalise(text), set()).add(uri)
            if lang == "ja" and not entry.label_ja:
                entry.label_ja = text
            elif lang == "en" and not entry.label_en:
                entry.label_en = text
        return entry

    def add_alternative(self, uri: URIRef, text: str) -> None:
        """Let ``uri`` also be named by ``text`` when nothing else has that id or label."""
        self.alternatives.setdefault(normalise(text), set()).add(uri)

    def find(self, text: str) -> set[URIRef]:
        """Every member ``text`` names: by id or label, else by ``label (id)``, else altLabel."""
        found = self.index.get(normalise(text), set())
        marked = _WITH_KEY.match(unicodedata.normalize("NFKC", text).strip())
        if not found and marked:
            found = self.index.get(normalise(marked["key"]), set())
        return found or self.alternatives.get(normalise(text), set())

    def resolve(self, text: str) -> URIRef:
        """The one member ``text`` names; :class:`NoMatch` with suggestions otherwise."""
        found = self.find(text)
        if len(found) == 1:
            return next(iter(found))
        if found:
            names = ", ".join(sorted(self.entries[u].display for u in found))
            raise NoMatch(f"{text!r} is ambiguous in {self.name}: write the id of one of {names}")
        raise NoMatch(f"{text!r} is not in {self.name}" + self.suggest(text))

    def suggest(self, text: str) -> str:
        """``: did you mean …?`` with the closest names (difflib), or nothing."""
        close = difflib.get_close_matches(normalise(text), list(self.index), n=6, cutoff=0.5)
        shown: list[str] = []
        for name in close:
            for uri in sorted(self.index[name]):
                if (display := self.entries[uri].display) not in shown:
                    shown.append(display)
        return f": did you mean {', '.join(shown[:3])}?" if shown else ""

    def sorted_entries(self) -> list[Entry]:
        """The members in key order (the drop-down's order)."""
        return sorted(self.entries.values(), key=lambda e: e.key)


def _members(graph: Graph, how: str) -> set[Node]:
    kind, _, name = how.partition(":")
    if kind == "class":
        return {s for n in name.split("|") for s in graph.subjects(RDF.type, LLO[n])}
    if kind == "scheme":
        return set(graph.subjects(SKOS.inScheme, ID["scheme/" + name]))
    classes = _ORG_CLASSES if kind == "org" else _SOURCE_CLASSES
    found = {s for c in classes for s in graph.subjects(RDF.type, c)}
    return found | ({ID["source/llgraph-editorial"]} if kind == "source" else set())


class _Described(Protocol):
    """A graph, or a row's triples (:class:`~llgraph.sheets.context.Part`)."""

    def objects(self, subject: URIRef, predicate: URIRef) -> Iterable[Node]: ...


def labels_of(
    graph: _Described, uri: URIRef, predicates: Iterable[URIRef] = (RDFS.label,)
) -> list[tuple[str, str]]:
    """``uri``'s labels under ``predicates`` as (text, language) pairs, in text order."""
    return [
        (str(o), getattr(o, "language", None) or "")
        for p in predicates
        for o in sorted(graph.objects(uri, p), key=str)
    ]


def code_lists(graph: Graph) -> dict[str, CodeList]:
    """Every code list of :data:`LISTS`, read from ``graph``."""
    lists = {}
    for name, (segment, how) in LISTS.items():
        codes = CodeList(name, segment)
        for uri in sorted(u for u in _members(graph, how) if isinstance(u, URIRef)):
            codes.add(uri, labels_of(graph, uri, _LABELS))
            for alternative in sorted(graph.objects(uri, SKOS.altLabel), key=str):
                codes.add_alternative(uri, str(alternative))
        lists[name] = codes
    return lists
