"""Rows of the sheets → RDF, each resource remembering the row it came from."""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Graph, Literal, URIRef

from llgraph.namespaces import DCTERMS, ID, LLO, RDF, SCHEMA
from llgraph.sheets.cells import SLUG, RowReader, Sources, slug
from llgraph.sheets.context import Context, Conversion, Part, add_labels, key_of
from llgraph.sheets.match import CodeList, NoMatch, labels_of
from llgraph.sheets.read import Table
from llgraph.sheets.related import ROWS

__all__ = ["Conversion", "convert"]

#: The order sheets are read in: what later sheets refer to comes first.
ORDER = ("regions", "partnerships", "institutions", "activities", "outcomes")


# ----------------------------------------------------------------------------- regions


def _region_side(ctx: Context, parent: URIRef | None, country: str, sides: dict) -> URIRef:
    """Domestic when the region lies in Japan (or is Japan), overseas otherwise."""
    if parent is None:
        return LLO.DomesticRegion if country.upper() == "JP" else LLO.OverseasRegion
    if parent in sides:
        return sides[parent]
    domestic = (parent, RDF.type, LLO.DomesticRegion) in ctx.base
    return LLO.DomesticRegion if domestic else LLO.OverseasRegion


def _regions(ctx: Context, table: Table) -> None:
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


def _parent_ready(ctx: Context, r: RowReader, sides: dict) -> bool:
    text = r.row.cells.get("contained_in", "").strip()
    try:
        parent = ctx.lists["regions"].resolve(text) if text else None
    except NoMatch:
        return True
    return parent is None or parent in sides or (parent, None, None) in ctx.base


def _region(ctx: Context, r: RowReader, sides: dict[URIRef, URIRef]) -> None:
    key = r.text("id", required=True)
    if key and not SLUG.match(key):
        r.problem("id", f"{key!r} is not an id: use lowercase letters, digits and hyphens")
        return
    uri = ID["region/" + (key or f"row-{r.row.number}")]
    level = r.code("level", ctx.lists["region-levels"])
    is_country = level == ID["region-level/country"]
    parent = r.code("contained_in", ctx.lists["regions"], required=not is_country)
    side = sides[uri] = _region_side(ctx, parent, r.text("country_code"), sides)
    part = Part()
    part.add((uri, RDF.type, side))
    add_labels(part, uri, r.text("label_ja", required=True), r.text("label_en", required=True))
    if level is not None:
        part.add((uri, LLO.regionLevel, level))
    if parent is not None:
        part.add((uri, SCHEMA.containedInPlace, parent))
    _codes(part, uri, r)
    ctx.cite(part, uri, r)
    if key and ctx.keep(part, uri, r, "id"):
        name = "domestic-regions" if side == LLO.DomesticRegion else "overseas-regions"
        ctx.lists[name].add(uri, labels_of(part, uri))


def _codes(part: Part, uri: URIRef, r: RowReader) -> None:
    prefecture = r.text("prefecture_code")
    if prefecture:
        code = prefecture.zfill(2) if prefecture.isdigit() else prefecture
        part.add((uri, LLO.prefectureCode, Literal(code)))
    country = r.text("country_code")
    if country:
        part.add((uri, LLO.countryCode, Literal(country)))


# ----------------------------------------------------------------------------- partnerships

_Key = tuple[frozenset, frozenset, frozenset, object, object, frozenset]


def _partnership_key(graph: Graph | Part, p: URIRef) -> _Key:
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
    parts = [key_of(programme), *(key_of(r) for r in regions), key_of(industry), str(start or "")]
    return slug("-".join(parts))


def _partnerships(ctx: Context, table: Table) -> None:
    for p in ctx.base.subjects(RDF.type, LLO.Partnership):
        if not isinstance(p, URIRef):
            continue  # a blank node is no partnership the shapes accept
        ctx.keys.setdefault(_partnership_key(ctx.base, p), (p, "in the graph"))
    for row in table.rows:
        _partnership(ctx, ctx.reader(table, row))


def _partnership(ctx: Context, r: RowReader) -> None:
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
    part = Part()
    part.add((uri, RDF.type, LLO.Partnership))
    add_labels(part, uri, r.text("label_ja", required=True), r.text("label_en", required=True))
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
        ctx.lists["partnerships"].add(uri, labels_of(part, uri))


def _repeats(ctx: Context, part: Part, uri: URIRef, r: RowReader) -> bool:
    """A row repeating another partnership (same regions, industry, years) is reported."""
    key = _partnership_key(part, uri)
    other, where = ctx.keys.setdefault(key, (uri, f"made by row {r.row.number}"))
    if other == uri:
        return False
    r.problem(
        "id",
        f"repeats partnership {key_of(other)} ({where}): same regions, industry and "
        "years; leave the row out, or give it that id",
    )
    return True


# ----------------------------------------------------------------------------- all sheets


def convert(tables: Sequence[Table], base: Graph, lists: dict[str, CodeList]) -> Conversion:
    """Every row of ``tables`` as RDF, checked against ``base`` (the graph it will join)."""
    out = Conversion()
    ctx = Context(base, lists, out, Sources(lists["sources"], out.graph))
    for kind in ORDER:
        for table in (t for t in tables if t.spec.name == kind):
            if kind == "regions":
                _regions(ctx, table)
            elif kind == "partnerships":
                _partnerships(ctx, table)
            else:
                for row in table.rows:
                    ROWS[kind](ctx, ctx.reader(table, row))
    for uri, where in ctx.sources.minted.items():
        if (None, DCTERMS.source, uri) in out.graph:
            out.origin.setdefault(uri, where)
        else:  # cited only by rows the graph already holds
            out.graph.remove((uri, None, None))
    return out
