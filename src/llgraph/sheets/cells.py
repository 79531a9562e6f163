"""Reading one row's cells as RDF terms, collecting a located problem for each bad cell."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef

from llgraph.namespaces import DCTERMS, ID, PROV, RDF, RDFS, SCHEMA, XSD
from llgraph.sheets.match import CodeList, NoMatch, normalise
from llgraph.sheets.problems import SheetProblem
from llgraph.sheets.read import Row, Table

__all__ = ["RowReader", "Sources", "fiscal_year", "slug"]

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_ERAS = {"h": 1988, "平成": 1988, "s": 1925, "昭和": 1925, "r": 2018, "令和": 2018}
_YEAR = re.compile(r"^(?:fy)?(?P<era>h|s|r|平成|昭和|令和)?(?P<n>\d{1,4})(?:年度|年)?$")
_URL = re.compile(r"^https?://\S+$")


def slug(text: str) -> str:
    """Lowercase ASCII words joined by hyphens (``Invest in Sweden`` → ``invest-in-sweden``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def fiscal_year(text: str) -> int | None:
    """``2004``, ``FY2004``, ``２００４``, ``H16`` or ``平成16年度`` → 2004; None if not a year."""
    match = _YEAR.match(normalise(text).replace(" ", ""))
    if not match:
        return None
    n = int(match["n"])
    if match["era"]:
        return _ERAS[match["era"]] + n if 1 <= n <= 64 else None
    return n if 1900 <= n <= 2100 else None


@dataclass
class Sources:
    """The sources rows cite: ids of the graph's sources, or new citations minted once."""

    codes: CodeList
    graph: Graph
    minted: dict[URIRef, tuple[Table, Row]] = field(default_factory=dict)

    def of(self, text: str, table: Table, row: Row) -> list[URIRef]:
        """The source resources a ``source`` cell names (citing a new one adds it)."""
        parts = [self.codes.find(p.strip()) for p in normalise(text).split(";") if p.strip()]
        if parts and all(len(found) == 1 for found in parts):
            return [next(iter(found)) for found in parts]
        citation = " ".join(text.split())
        uri = ID["source/cited/" + hashlib.sha1(normalise(citation).encode()).hexdigest()[:12]]
        if uri not in self.minted:
            self.minted[uri] = (table, row)
            self.graph.add((uri, RDF.type, DCTERMS.BibliographicResource))
            self.graph.add((uri, DCTERMS.bibliographicCitation, Literal(citation)))
            self.graph.add((uri, RDFS.label, Literal(citation)))
            if _URL.match(citation):
                self.graph.add((uri, SCHEMA.url, URIRef(citation)))
        return [uri]


@dataclass
class RowReader:
    """The cells of one row, read into terms; each bad cell adds a problem."""

    table: Table
    row: Row
    problems: list[SheetProblem]
    #: The code lists of other columns, to say where a misplaced name belongs.
    others: dict[str, CodeList] = field(default_factory=dict)

    def problem(self, column: str, message: str) -> None:
        """Record a problem in ``column`` of this row."""
        t = self.table
        self.problems.append(SheetProblem(t.file, t.sheet, self.row.number, column, message))

    def text(self, key: str, *, required: bool = False) -> str:
        """The cell as written (trimmed); empty and required is a problem."""
        value = " ".join(self.row.cells.get(key, "").split())
        if required and not value:
            self.problem(key, f"{self.table.spec.column(key).heading} is required")
        return value

    def require(self, *keys: str) -> None:
        """Report every empty required cell of the row now, even if the row stops early."""
        for key in keys:
            self.text(key, required=True)

    def code(self, key: str, codes: CodeList, *, required: bool = True) -> URIRef | None:
        """The one resource the cell names."""
        found = self.codes(key, codes, required=required)
        if len(found) > 1:
            self.problem(key, "give one value, not several")
        return found[0] if found else None

    def codes(
        self, key: str, codes: CodeList, *, required: bool = True, other: str = ""
    ) -> list[URIRef]:
        """The resources the cell names, separated by ``;``. ``other``: the column where
        a name of the ``codes`` list of that column belongs (e.g. an overseas region)."""
        found = []
        for part in re.split(r"[;；]", self.text(key, required=required)):
            if not part.strip():
                continue
            try:
                found.append(codes.resolve(part.strip()))
            except NoMatch as exc:
                self.problem(key, str(exc) + self._elsewhere(part.strip(), other))
        return found

    def _elsewhere(self, text: str, other: str) -> str:
        if other and self.others and len(self.others[other].find(text)) == 1:
            return f" ({text!r} belongs in {other})"
        return ""

    def year(self, key: str, *, required: bool = False) -> Literal | None:
        """A fiscal year as ``xsd:gYear``."""
        text = self.text(key, required=required)
        if not text:
            return None
        year = fiscal_year(text)
        if year is None:
            self.problem(key, f"{text!r} is not a fiscal year: write it as 2004, FY2004 or H16")
            return None
        return Literal(f"{year:04d}", datatype=XSD.gYear)

    def years(self, key: str) -> list[Literal]:
        """Several fiscal years, separated by ``;``."""
        found = []
        for part in re.split(r"[;；,、]", self.text(key)):
            if not part.strip():
                continue
            year = fiscal_year(part)
            if year is None:
                self.problem(key, f"{part.strip()!r} is not a fiscal year: write it as 2008 or H20")
            else:
                found.append(Literal(f"{year:04d}", datatype=XSD.gYear))
        return found

    def count(self, key: str) -> Literal | None:
        """A whole number (``xsd:positiveInteger``); 0 is left to the shapes to reject."""
        text = normalise(self.text(key)).removesuffix(".0")
        if not text:
            return None
        if not text.isdigit():
            self.problem(key, f"{self.row.cells[key]!r} is not a whole number")
            return None
        return Literal(str(int(text)), datatype=XSD.positiveInteger)

    def derivation(self, graph: Any, subject: URIRef) -> None:
        """``prov:wasDerivedFrom`` the file, sheet and row this resource was read from."""
        t = self.table
        file_uri = ID["import/" + _file_slug(t.file)]
        row_uri = URIRef(f"{file_uri}/{slug(t.spec.name)}/{self.row.number}")
        graph.add((subject, PROV.wasDerivedFrom, row_uri))
        graph.add((row_uri, RDF.type, PROV.Entity))
        graph.add((row_uri, RDFS.label, Literal(f"{t.file}:{t.sheet}:{self.row.number}")))
        graph.add((row_uri, DCTERMS.isPartOf, file_uri))
        graph.add((file_uri, RDF.type, PROV.Entity))
        graph.add((file_uri, RDFS.label, Literal(t.file)))


def _file_slug(name: str) -> str:
    """A file name as a URI segment: its ASCII words, plus a digest when it had others."""
    words = slug(name) or "sheet"
    if name.isascii():
        return words
    return f"{words}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"
