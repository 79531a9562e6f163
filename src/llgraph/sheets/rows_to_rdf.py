"""Rows of the sheets → RDF, each resource remembering the row it came from."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from llgraph.namespaces import DCTERMS, ID, LLO, ORG, PROV, RDF, RDFS, SCHEMA
from llgraph.sheets.cells import SLUG, RowReader, Sources, slug
from llgraph.sheets.match import CodeList, NoMatch
from llgraph.sheets.problems import SheetProblem
from llgraph.sheets.read import Row, Table

__all__ = ["Conversion", "convert"]

#: The order sheets are read in: what later sheets refer to comes first.
ORDER = ("regions", "partnerships", "institutions", "activities", "outcomes")
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
class _Context:
    base: Graph
    lists: dict[str, CodeList]
    out: Conversion
    sources: Sources
    keys: dict[tuple, tuple[URIRef, str]] = field(default_factory=dict)
    seen: dict[URIRef, int] = field(default_factory=dict)

    def reader(self, table: Table, row: Row) -> RowReader:
        return RowReader(table, row, self.out.problems)

    def cite(self, part: _Part, subject: URIRef, reader: RowReader) -> None:
        """``dcterms:source`` as the row cites it, and ``prov:wasDerivedFrom`` the row."""
        text = reader.text("source", required=True)
        if text:
            for source in self.sources.of(text, reader.table, reader.row):
                part.add((subject, DCTERMS.source, source))
        reader.derivation(part, subject)

    def keep(self, part: _Part, subject: URIRef, reader: RowReader, id_column: str) -> bool:
        """Add a row's triples, unless the graph holds them already or the id is taken."""
        if subject in self.seen:
            reader.problem(
                id_column, f"{_key(subject)} is already made by row {self.seen[subject]}"
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
                f"{_key(subject)} is already in the graph with other "
                "values: an import adds resources and cannot change them; give "
                "this row another id, or edit the file that states it",
            )
            return False
        self.out.graph.addN((s, p, o, self.out.graph) for s, p, o in part)
        self.out.origin[subject] = (reader.table, reader.row)
        return True


class _Part:
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


def _part() -> _Part:
    return _Part()


def _key(uri: URIRef) -> str:
    return str(uri).rsplit("/", 1)[-1]


def _labels(part: _Part, subject: URIRef, ja: str, en: str) -> None:
    if ja:
        part.add((subject, RDFS.label, Literal(ja, lang="ja")))
    if en:
        part.add((subject, RDFS.label, Literal(en, lang="en")))


# ----------------------------------------------------------------------------- regions


def _region_side(ctx: _Context, parent: URIRef | None, country: str, sides: dict) -> URIRef:
    """Domestic when the region lies in Japan (or is Japan), overseas otherwise."""
    if parent is None:
        return LLO.DomesticRegion if country.upper() == "JP" else LLO.OverseasRegion
    if parent in sides:
        return sides[parent]
    domestic = (parent, RDF.type, LLO.DomesticRegion) in ctx.base
    return LLO.DomesticRegion if domestic else LLO.OverseasRegion


def _regions(ctx: _Context, table: Table) -> None:
    """New regions; one inside another new region is read after it, whatever the row order."""
    readers = [ctx.reader(table, row) for row in table.rows]
    for r in readers:  # every new region can be named by later rows and sheets
        key = r.row.cells.get("id", "").strip()
        if SLUG.match(key):
            labels = [(r.row.cells.get(f"label_{lang}", "").strip(), lang) for lang in ("ja", "en")]
            ctx.lists["regions"].add(ID["region/" + key], [lb for lb in labels if lb[0]])
    sides: dict[URIRef, URIRef] = {}
    pending = readers
    while pending:
        ready = [r for r in pending if _parent_ready(ctx, r, sides)] or pending
        for r in ready:
            _region(ctx, r, sides)
        pending = [r for r in pending if r not in ready]


def _parent_ready(ctx: _Context, r: RowReader, sides: dict) -> bool:
    text = r.row.cells.get("contained_in", "").strip()
    try:
        parent = ctx.lists["regions"].resolve(text) if text else None
    except NoMatch:
        return True
    return parent is None or parent in sides or (parent, None, None) in ctx.base


def _region(ctx: _Context, r: RowReader, sides: dict[URIRef, URIRef]) -> None:
    key = r.text("id", required=True)
    if key and not SLUG.match(key):
        r.problem("id", f"{key!r} is not an id: use lowercase letters, digits and hyphens")
        return
    uri = ID["region/" + (key or f"row-{r.row.number}")]
    level = r.code("level", ctx.lists["region-levels"])
    is_country = level == ID["region-level/country"]
    parent = r.code("contained_in", ctx.lists["regions"], required=not is_country)
    side = sides[uri] = _region_side(ctx, parent, r.text("country_code"), sides)
    part = _part()
    part.add((uri, RDF.type, side))
    _labels(part, uri, r.text("label_ja", required=True), r.text("label_en", required=True))
    if level is not None:
        part.add((uri, LLO.regionLevel, level))
    if parent is not None:
        part.add((uri, SCHEMA.containedInPlace, parent))
    _codes(part, uri, r)
    ctx.cite(part, uri, r)
    if key and ctx.keep(part, uri, r, "id"):
        labels = [(str(o), o.language or "") for o in part.objects(uri, RDFS.label)]
        name = "domestic-regions" if side == LLO.DomesticRegion else "overseas-regions"
        ctx.lists[name].add(uri, labels)


def _codes(part: _Part, uri: URIRef, r: RowReader) -> None:
    prefecture = r.text("prefecture_code")
    if prefecture:
        code = prefecture.zfill(2) if prefecture.isdigit() else prefecture
        part.add((uri, LLO.prefectureCode, Literal(code)))
    country = r.text("country_code")
    if country:
        part.add((uri, LLO.countryCode, Literal(country)))


# ----------------------------------------------------------------------------- partnerships

_Key = tuple[frozenset, frozenset, frozenset, object, object, frozenset]


def _partnership_key(graph: Graph | _Part, p: URIRef) -> _Key:
    """What makes two partnerships the same: regions, industry and years."""
    return (
        frozenset(graph.objects(p, LLO.domesticRegion)),
        frozenset(graph.objects(p, LLO.overseasRegion)),
        frozenset(graph.objects(p, LLO.industry)),
        graph.value(p, LLO.startFiscalYear),
        graph.value(p, LLO.endFiscalYear),
        frozenset(graph.objects(p, LLO.fiscalYear)),
    )


def _derived_id(
    programme: URIRef, regions: Sequence[URIRef], industry: URIRef, start: object
) -> str:
    """An id made from the row's content, stable from one import to the next."""
    parts = [_key(programme), *(_key(r) for r in regions), _key(industry), str(start or "")]
    return slug("-".join(parts))


def _partnerships(ctx: _Context, table: Table) -> None:
    for p in ctx.base.subjects(RDF.type, LLO.Partnership):
        ctx.keys.setdefault(_partnership_key(ctx.base, p), (p, "in the graph"))
    for row in table.rows:
        _partnership(ctx, ctx.reader(table, row))


def _partnership(ctx: _Context, r: RowReader) -> None:
    r.require("label_ja", "label_en", "source")
    before = len(ctx.out.problems)  # the terms the partnership cannot be made without
    programme = r.code("programme", ctx.lists["programmes"])
    r.others = {
        "overseas_region": ctx.lists["overseas-regions"],
        "domestic_region": ctx.lists["domestic-regions"],
    }
    domestic = r.codes("domestic_region", ctx.lists["domestic-regions"], other="overseas_region")
    overseas = r.codes("overseas_region", ctx.lists["overseas-regions"], other="domestic_region")
    industry = r.code("industry", ctx.lists["industries"])
    years = r.years("fiscal_years")
    start, end = r.year("start_year", required=not years), r.year("end_year")
    key = r.text("id")
    if key and not SLUG.match(key):
        r.problem("id", f"{key!r} is not an id: use lowercase letters, digits and hyphens")
    if len(ctx.out.problems) > before:
        return
    assert programme is not None and industry is not None
    first = start or min(years, key=str, default=None)
    key = key or _derived_id(programme, [*domestic, *overseas], industry, first)
    uri = ID["partnership/" + key]
    part = _part()
    part.add((uri, RDF.type, LLO.Partnership))
    _labels(part, uri, r.text("label_ja", required=True), r.text("label_en", required=True))
    part.add((uri, LLO.programme, programme))
    for region in domestic:
        part.add((uri, LLO.domesticRegion, region))
    for region in overseas:
        part.add((uri, LLO.overseasRegion, region))
    part.add((uri, LLO.industry, industry))
    for predicate, value in ((LLO.startFiscalYear, start), (LLO.endFiscalYear, end)):
        if value is not None:
            part.add((uri, predicate, value))
    for year in years:
        part.add((uri, LLO.fiscalYear, year))
    ctx.cite(part, uri, r)
    if not _repeats(ctx, part, uri, r):
        ctx.keep(part, uri, r, "id")
        labels = [(str(o), o.language or "") for o in part.objects(uri, RDFS.label)]
        ctx.lists["partnerships"].add(uri, labels)


def _repeats(ctx: _Context, part: _Part, uri: URIRef, r: RowReader) -> bool:
    """A row repeating another partnership (same regions, industry, years) is reported."""
    key = _partnership_key(part, uri)
    other, where = ctx.keys.setdefault(key, (uri, f"made by row {r.row.number}"))
    if other == uri:
        return False
    r.problem(
        "id",
        f"repeats partnership {_key(other)} ({where}): same regions, industry and "
        "years; leave the row out, or give it that id",
    )
    return True


# ----------------------------------------------------------------------------- institutions


def _institution(ctx: _Context, r: RowReader) -> URIRef | None:
    """The institution of a row: one of the graph's, or a new one the row describes."""
    codes = ctx.lists["institutions"]
    name = r.text("institution_ja", required=True)
    if not name:
        return None
    try:
        return codes.resolve(name)
    except NoMatch as exc:
        if "ambiguous" in str(exc):
            r.problem("institution_ja", str(exc))
            return None
    english = r.text("institution_en")
    kind = r.code("institution_type", ctx.lists["institution-types"], required=False)
    if not english or kind is None:
        hint = codes.suggest(name).removeprefix(": ")
        r.problem(
            "institution_en" if not english else "institution_type",
            f"{name!r} is not one of the graph's institutions; for a new one give "
            "institution_en and institution_type" + (f" ({hint})" if hint else ""),
        )
        return None
    uri = ID["org/" + slug(english)]
    part = _part()
    part.add((uri, RDF.type, ORG.FormalOrganization))
    _labels(part, uri, name, english)
    part.add((uri, ORG.classification, kind))
    ctx.cite(part, uri, r)
    ctx.keep(part, uri, r, "institution_en")
    codes.add(uri, [(name, "ja"), (english, "en")])
    return uri


def _membership(ctx: _Context, r: RowReader) -> None:
    r.require("source")
    partnership = r.code("partnership", ctx.lists["partnerships"])
    role = r.code("role", ctx.lists["roles"])
    member = _institution(ctx, r)
    if partnership is None or role is None or member is None:
        return
    uri = ID[f"membership/{_key(partnership)}-{_key(member)}"]
    names = ctx.lists["institutions"].entries[member]
    role_names = ctx.lists["roles"].entries[role]
    part = _part()
    part.add((uri, RDF.type, ORG.Membership))
    _labels(
        part,
        uri,
        f"{names.label_ja}（{role_names.label_ja}）",
        f"{names.label_en} ({role_names.label_en})",
    )
    part.add((uri, ORG.member, member))
    part.add((uri, ORG.organization, partnership))
    part.add((uri, ORG.role, role))
    ctx.cite(part, uri, r)
    ctx.keep(part, uri, r, "institution_ja")


# ----------------------------------------------------------------------------- activities, outcomes


def _numbered(ctx: _Context, segment: str, partnership: URIRef, kind: URIRef) -> URIRef:
    """``{segment}/{partnership}-{type}``, then ``-2``, ``-3`` for the same pair again."""
    stem = f"{segment}/{_key(partnership)}-{_key(kind)}"
    n = 1
    while (uri := ID[stem if n == 1 else f"{stem}-{n}"]) in ctx.seen:
        n += 1
    return uri


def _activity(ctx: _Context, r: RowReader) -> None:
    r.require("source")
    partnership = r.code("partnership", ctx.lists["partnerships"])
    kind = r.code("activity_type", ctx.lists["activity-types"])
    times, people = r.count("times"), r.count("participants")
    if partnership is None or kind is None:
        return
    uri = _numbered(ctx, "activity", partnership, kind)
    names = ctx.lists["activity-types"].entries[kind]
    ja, en = names.label_ja, names.label_en
    if times is not None:
        ja, en = f"{ja}：{times}回", f"{en}: {times} time(s)"
    if people is not None:
        ja, en = f"{ja}（{people}名）", f"{en} ({people} people)"
    part = _part()
    part.add((uri, RDF.type, LLO.Activity))
    _labels(part, uri, ja, en)
    part.add((uri, LLO.partnership, partnership))
    part.add((uri, LLO.activityType, kind))
    for predicate, value in ((LLO.numberOfTimes, times), (LLO.numberOfParticipants, people)):
        if value is not None:
            part.add((uri, predicate, value))
    ctx.cite(part, uri, r)
    ctx.keep(part, uri, r, "activity_type")


def _outcome(ctx: _Context, r: RowReader) -> None:
    r.require("source")
    partnership = r.code("partnership", ctx.lists["partnerships"])
    kind = r.code("outcome_type", ctx.lists["outcome-types"])
    ja, en = r.text("description_ja", required=True), r.text("description_en", required=True)
    organisations = r.codes("organisations", ctx.lists["institutions"], required=False)
    if partnership is None or kind is None:
        return
    uri = _numbered(ctx, "outcome", partnership, kind)
    part = _part()
    part.add((uri, RDF.type, LLO.Outcome))
    _labels(part, uri, ja, en)
    for text, lang in ((ja, "ja"), (en, "en")):
        if text:
            part.add((uri, SCHEMA.description, Literal(text, lang=lang)))
    part.add((uri, LLO.partnership, partnership))
    part.add((uri, LLO.outcomeType, kind))
    for organisation in organisations:
        part.add((uri, LLO.involvedOrganization, organisation))
    ctx.cite(part, uri, r)
    ctx.keep(part, uri, r, "outcome_type")


# ----------------------------------------------------------------------------- all sheets

_ROWS = {"institutions": _membership, "activities": _activity, "outcomes": _outcome}


def convert(tables: Sequence[Table], base: Graph, lists: dict[str, CodeList]) -> Conversion:
    """Every row of ``tables`` as RDF, checked against ``base`` (the graph it will join)."""
    out = Conversion()
    ctx = _Context(base, lists, out, Sources(lists["sources"], out.graph))
    for kind in ORDER:
        for table in (t for t in tables if t.spec.name == kind):
            if kind == "regions":
                _regions(ctx, table)
            elif kind == "partnerships":
                _partnerships(ctx, table)
            else:
                for row in table.rows:
                    _ROWS[kind](ctx, ctx.reader(table, row))
    for uri, where in ctx.sources.minted.items():
        if (None, DCTERMS.source, uri) in out.graph:
            out.origin.setdefault(uri, where)
        else:  # cited only by rows the graph already holds
            out.graph.remove((uri, None, None))
    return out
