"""What turning rows into RDF shares: the output, the context of a run, one row's triples."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from llgraph.namespaces import DCTERMS, PROV, RDFS
from llgraph.sheets.cells import RowReader, Sources
from llgraph.sheets.match import CodeList
from llgraph.sheets.problems import SheetProblem
from llgraph.sheets.read import Row, Table

__all__ = ["Context", "Conversion", "Part", "add_labels", "key_of"]

#: Predicates that say where a fact came from, not what it is (ignored when comparing).
_PROVENANCE = {DCTERMS.source, PROV.wasDerivedFrom}


@dataclass
class Conversion:
    """The new triples, where each new resource came from, and what went wrong."""

    graph: Graph = field(default_factory=Graph)
    origin: dict[URIRef, tuple[Table, Row]] = field(default_factory=dict)
    problems: list[SheetProblem] = field(default_factory=list)
    #: Rows that state exactly what the graph already holds (such as an exported sheet).
    unchanged: int = 0


@dataclass
class Context:
    """One import run: the graph the rows join, the code lists, the output so far."""

    base: Graph
    lists: dict[str, CodeList]
    out: Conversion
    sources: Sources
    keys: dict[tuple, tuple[URIRef, str]] = field(default_factory=dict)
    seen: dict[URIRef, int] = field(default_factory=dict)

    def reader(self, table: Table, row: Row) -> RowReader:
        """A reader of one row, reporting into the run's problems."""
        return RowReader(table, row, self.out.problems)

    def cite(self, part: Part, subject: URIRef, reader: RowReader) -> None:
        """``dcterms:source`` as the row cites it, and ``prov:wasDerivedFrom`` the row."""
        text = reader.text("source", required=True)
        if text:
            for source in self.sources.of(text, reader.table, reader.row):
                part.add((subject, DCTERMS.source, source))
        reader.derivation(part, subject)

    def keep(self, part: Part, subject: URIRef, reader: RowReader, id_column: str) -> bool:
        """Add a row's triples, unless the graph holds them already or the id is taken."""
        if subject in self.seen:
            reader.problem(
                id_column, f"{key_of(subject)} is already made by row {self.seen[subject]}"
            )
            return False
        self.seen[subject] = reader.row.number
        if (subject, None, None) in self.base:
            facts = [t for t in part if t[0] == subject and t[1] not in _PROVENANCE]
            if all(t in self.base for t in facts):
                self.out.unchanged += 1
                return False
            reader.problem(
                id_column,
                f"{key_of(subject)} is already in the graph with other "
                "values: an import adds resources and cannot change them; give "
                "this row another id, or edit the file that states it",
            )
            return False
        self.out.graph.addN((s, p, o, self.out.graph) for s, p, o in part)
        self.out.origin[subject] = (reader.table, reader.row)
        return True


class Part:
    """One row's triples before they join the output (a list: an rdflib Graph costs more)."""

    def __init__(self) -> None:
        self.triples: list[tuple[Node, Node, Node]] = []

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        self.triples.append(triple)

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]:
        return iter(self.triples)

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        return (o for s, p, o in self.triples if s == subject and p == predicate)

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return next(self.objects(subject, predicate), None)


def key_of(uri: URIRef) -> str:
    """The last segment of an id (``id/partnership/ll-x`` → ``ll-x``)."""
    return str(uri).rsplit("/", 1)[-1]


def add_labels(part: Part, subject: URIRef, ja: str, en: str) -> None:
    """``rdfs:label`` in Japanese and English, each when given."""
    if ja:
        part.add((subject, RDFS.label, Literal(ja, lang="ja")))
    if en:
        part.add((subject, RDFS.label, Literal(en, lang="en")))
