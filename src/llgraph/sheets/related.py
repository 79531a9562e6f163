"""Rows about a partnership → RDF: its institutions (memberships), activities and outcomes."""

from __future__ import annotations

from rdflib import Literal, URIRef

from llgraph.namespaces import ID, LLO, ORG, RDF, SCHEMA
from llgraph.sheets.cells import RowReader, slug
from llgraph.sheets.context import Context, Part, add_labels, key_of
from llgraph.sheets.match import NoMatch

__all__ = ["ROWS"]

# ----------------------------------------------------------------------------- institutions


def _institution(ctx: Context, r: RowReader) -> URIRef | None:
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
    part = Part()
    part.add((uri, RDF.type, ORG.FormalOrganization))
    add_labels(part, uri, name, english)
    part.add((uri, ORG.classification, kind))
    ctx.cite(part, uri, r)
    ctx.keep(part, uri, r, "institution_en")
    codes.add(uri, [(name, "ja"), (english, "en")])
    return uri


def membership(ctx: Context, r: RowReader) -> None:
    """A row of the institutions sheet: an ``org:Membership`` (and a new institution)."""
    r.require("source")
    partnership = r.code("partnership", ctx.lists["partnerships"])
    role = r.code("role", ctx.lists["roles"])
    member = _institution(ctx, r)
    if partnership is None or role is None or member is None:
        return
    uri = ID[f"membership/{key_of(partnership)}-{key_of(member)}"]
    names = ctx.lists["institutions"].entries[member]
    role_names = ctx.lists["roles"].entries[role]
    part = Part()
    part.add((uri, RDF.type, ORG.Membership))
    add_labels(
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


def _numbered(ctx: Context, segment: str, partnership: URIRef, kind: URIRef) -> URIRef:
    """``{segment}/{partnership}-{type}``, then ``-2``, ``-3`` for the same pair again."""
    stem = f"{segment}/{key_of(partnership)}-{key_of(kind)}"
    n = 1
    while (uri := ID[stem if n == 1 else f"{stem}-{n}"]) in ctx.seen:
        n += 1
    return uri


def activity(ctx: Context, r: RowReader) -> None:
    """A row of the activities sheet: an ``llo:Activity``."""
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
    part = Part()
    part.add((uri, RDF.type, LLO.Activity))
    add_labels(part, uri, ja, en)
    part.add((uri, LLO.partnership, partnership))
    part.add((uri, LLO.activityType, kind))
    for predicate, value in ((LLO.numberOfTimes, times), (LLO.numberOfParticipants, people)):
        if value is not None:
            part.add((uri, predicate, value))
    ctx.cite(part, uri, r)
    ctx.keep(part, uri, r, "activity_type")


def outcome(ctx: Context, r: RowReader) -> None:
    """A row of the outcomes sheet: an ``llo:Outcome``."""
    r.require("source")
    partnership = r.code("partnership", ctx.lists["partnerships"])
    kind = r.code("outcome_type", ctx.lists["outcome-types"])
    ja, en = r.text("description_ja", required=True), r.text("description_en", required=True)
    organisations = r.codes("organisations", ctx.lists["institutions"], required=False)
    if partnership is None or kind is None:
        return
    uri = _numbered(ctx, "outcome", partnership, kind)
    part = Part()
    part.add((uri, RDF.type, LLO.Outcome))
    add_labels(part, uri, ja, en)
    for text, lang in ((ja, "ja"), (en, "en")):
        if text:
            part.add((uri, SCHEMA.description, Literal(text, lang=lang)))
    part.add((uri, LLO.partnership, partnership))
    part.add((uri, LLO.outcomeType, kind))
    for organisation in organisations:
        part.add((uri, LLO.involvedOrganization, organisation))
    ctx.cite(part, uri, r)
    ctx.keep(part, uri, r, "outcome_type")


ROWS = {"institutions": membership, "activities": activity, "outcomes": outcome}
