"""Pydantic response models of the REST API: the exact shape of every JSON answer.

The summary model of each resource kind is made from its fields in :mod:`llgraph.web.kinds`
(all but the data sets', whose observations are a model of their own).
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from llgraph.web.problems import PROBLEM_JSON

__all__ = [
    "DatasetDetail",
    "DatasetSummary",
    "Detail",
    "Labels",
    "Link",
    "LiteralValue",
    "Observation",
    "Page",
    "Problem",
    "ProblemError",
    "PropertyValues",
    "SearchHit",
    "SearchResult",
    "Summary",
    "problem_responses",
]


class Labels(BaseModel):
    """A label in Japanese (as the report writes it) and in English."""

    ja: str | None = None
    en: str | None = None


class Link(BaseModel):
    """A linked resource: its URI, where this server dereferences it, and its labels."""

    id: str = Field(description="the URI of the resource")
    url: str | None = Field(description="where this server describes it (None if not ours)")
    label: Labels


class LiteralValue(BaseModel):
    """A literal: lexical form, datatype URI and language tag."""

    value: str
    datatype: str | None = None
    lang: str | None = None


class PropertyValues(BaseModel):
    """All values of one property of a resource (or all resources linking to it by one)."""

    property: Link
    values: list[Link | LiteralValue]


class Summary(BaseModel):
    """What every resource in a collection has."""

    id: str = Field(description="the URI of the resource")
    url: str = Field(description="where this server dereferences the URI")
    label: Labels
    types: list[str] = Field(description="the URIs of its rdf:types")


class DatasetSummary(Summary):
    """A statistical table of the report (an RDF Data Cube qb:DataSet)."""

    dimensions: list[Link]
    measures: list[Link]
    observation_count: int


class Detail(BaseModel):
    """What an item adds to its summary: descriptions, sources and every statement."""

    description: Labels = Field(description="rdfs:comment or skos:definition")
    sources: list[Link] = Field(description="where in the report (or elsewhere) it comes from")
    properties: list[PropertyValues]
    referenced_by: list[PropertyValues] = Field(description="resources linking to this one")


class Observation(BaseModel):
    """One cell of a statistical table: its dimension values and measured values."""

    id: str
    url: str
    dimensions: dict[str, Link] = Field(description="dimension property URI → value")
    measures: dict[str, float] = Field(description="measure property URI → number")


class DatasetDetail(Detail, DatasetSummary):
    """A statistical table with its observations."""

    observations: list[Observation]


T = TypeVar("T", bound=Summary)


class Page(BaseModel, Generic[T]):
    """One page of a collection, with the total count and links to neighbouring pages."""

    total: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    items: list[T]


def page_of(summary: type[Summary]) -> type[Page[Any]]:
    """``Page[summary]``: the page model of one kind, made when the routes are built."""
    return Page.__class_getitem__(summary)  # type: ignore[return-value]  # pydantic makes a class


class SearchHit(BaseModel):
    """A resource whose label matched the search."""

    id: str
    url: str | None
    api_url: str | None = Field(description="its REST item, when a collection holds it")
    label: Labels
    types: list[str]
    match: Literal["exact", "prefix", "substring"]
    matched_label: str


class SearchResult(BaseModel):
    """Search hits, best first."""

    q: str
    total: int
    items: list[SearchHit]


class ProblemError(BaseModel):
    """One invalid parameter."""

    parameter: str
    in_: str = Field(alias="in")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemError] | None = None


def problem_responses(*codes: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI ``responses`` documenting problem-details answers for ``codes``."""
    reasons = {
        304: "Not modified (the ETag matched)",
        404: "No such resource",
        422: "A parameter is invalid; the body names it and what is allowed",
    }
    schema = {"$ref": "#/components/schemas/Problem"}
    return {
        code: {"description": reasons[code]}
        if code == 304
        else {
            "model": Problem,
            "description": reasons[code],
            "content": {PROBLEM_JSON: {"schema": schema}},
        }
        for code in codes
    }
