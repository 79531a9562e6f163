"""GET /api/network/...: centrality rankings and downloads (GEXF, GraphML, CSV, JSON, SVG)."""

from __future__ import annotations

import hashlib
import threading
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from llgraph.centrality import (
    BETWEENNESS_EDGE_BUDGET,
    BETWEENNESS_SAMPLE,
    FAST_METRICS,
    METRICS,
    SAMPLE_BETWEENNESS_ABOVE,
    CentralityResult,
    annotated,
    compute_centrality,
)
from llgraph.draw import generate_svg
from llgraph.export import (
    EXPORT_MEDIA_TYPES,
    generate_gexf,
    generate_graphml,
    generate_json,
    generate_zip,
)
from llgraph.namespaces import Namespaces
from llgraph.network import Level, build_projection
from llgraph.store import Store
from llgraph.web import models as m
from llgraph.web.deps import StoreDep, app_state
from llgraph.web.representation import conditional

__all__ = ["CentralityRanking", "CentralityRow", "NodeScores", "ProjectionName", "router"]

router = APIRouter(prefix="/api/network", tags=["network"])

ProjectionName = Literal["region-region", "region-industry", "institution", "full"]
MetricName = Literal[
    "degree", "weighted-degree", "betweenness", "closeness", "eigenvector", "pagerank", "community"
]
FormatName = Literal["gexf", "graphml", "csv", "json", "svg"]
LEVEL_HELP = (
    "roll regions up: one level (e.g. country) or domestic:overseas (e.g. prefecture:country); "
    "only for region-region and region-industry"
)


class CentralityRow(BaseModel):
    """One node's rank by the chosen metric, and all its scores."""

    rank: int
    id: str = Field(description="the node's URI")
    label: m.Labels
    type: str | None = Field(description="domestic-region, overseas-region, industry, ...")
    degree: float
    weighted_degree: float = Field(description="sum of edge weights (partnerships)")
    betweenness: float
    closeness: float
    eigenvector: float
    pagerank: float
    community: int = Field(description="Louvain community number (0 = the largest)")


class CentralityRanking(BaseModel):
    """The top nodes of a projection by one metric, and how every metric was computed."""

    projection: ProjectionName
    level: str = Field(description="the roll-up level ('' = regions as named)")
    metric: MetricName
    nodes: int
    edges: int
    bipartite: bool
    computed_at: datetime
    methods: dict[str, str] = Field(description="metric → the algorithm used (by graph size)")
    items: list[CentralityRow]


class NodeScores(BaseModel):
    """One metric's score of every node of a projection (for a viewer that has the graph)."""

    projection: ProjectionName
    level: str = Field(description="the roll-up level ('' = regions as named)")
    metric: MetricName
    method: str = Field(description="the algorithm used (by graph size)")
    nodes: int
    values: dict[str, float] = Field(description="node URI → score")


CACHE_SIZE = 16
#: One projection is built at a time (a second request for it waits, then finds it).
_BUILDING = threading.Lock()
COST_HELP = (
    "Degree and weighted degree take milliseconds; the others are computed when first asked "
    "for, once per data version, and take seconds on large graphs (at 13,000 nodes and "
    "50,000 edges on two shared cores: betweenness 8-15 s, closeness and community about 6 s, "
    "eigenvector and PageRank about 1 s). "
    f"Above {SAMPLE_BETWEENNESS_ABOVE} nodes betweenness is sampled from at most "
    f"{BETWEENNESS_SAMPLE} sources, fewer on many edges (sources × edges ≤ "
    f"{BETWEENNESS_EDGE_BUDGET:,}, at least 64); closeness likewise from {BETWEENNESS_SAMPLE} "
    "sources per component."
)


def _scored(
    request: Request, store: Store, projection: str, level: str | None, metrics: list[str]
) -> CentralityResult:
    """The projection with at least ``metrics`` computed; built once per data version, each
    metric computed once (in the thread pool, off the event loop; others wait for it)."""
    parsed = Level.parse(level)  # a ProjectionError answers 422, naming the parameter
    key = (store.version, projection, str(parsed))
    cache = app_state(request).network_cache
    result = cache.get(key)
    if result is None:
        with _BUILDING:
            result = cache.get(key)
            if result is None:
                ns = Namespaces(app_state(request).settings.base_uri)
                graph = build_projection(store, projection, level=parsed, ns=ns)
                result = compute_centrality(graph, FAST_METRICS)
                cache[key] = result
                while len(cache) > CACHE_SIZE:
                    cache.popitem(last=False)
    return result.ensure(metrics)


def _etag_key(request: Request) -> str:
    """A representation name for the ETag: the path and query, hashed."""
    text = f"{request.url.path}?{request.url.query}"
    return "network-" + hashlib.sha1(text.encode()).hexdigest()[:16]


def _row(row: dict) -> CentralityRow:
    scores = {key.replace("-", "_"): value for key, value in row.items() if key in METRICS}
    return CentralityRow(
        rank=row["rank"],
        id=row["id"],
        label=m.Labels(ja=row["label_ja"], en=row["label_en"]),
        type=row["type"],
        **{**scores, "community": int(scores["community"])},
    )


ProjectionPath = Annotated[ProjectionName, Path(description="the projection")]
LevelQuery = Annotated[str | None, Query(max_length=40, description=LEVEL_HELP)]


@router.get(
    "/{projection}/centrality",
    operation_id="network_centrality",
    response_model=CentralityRanking,
    responses=m.problem_responses(422),
    summary="Rank the nodes of a projection by centrality",
)
def centrality(
    request: Request,
    store: StoreDep,
    projection: ProjectionPath,
    level: LevelQuery = None,
    metric: Annotated[MetricName, Query(description="the metric to rank by")] = "pagerank",
    top: Annotated[int, Query(ge=1, le=1000, description="how many nodes to return")] = 20,
) -> Response | CentralityRanking:
    """Degree, weighted degree, betweenness, closeness, eigenvector, PageRank and Louvain
    community of every node, ranked by ``metric``; bipartite projections use the bipartite
    versions, large graphs the fast ones (``methods`` says which). Every metric is computed:
    the first call on a large projection takes a while (see ``/scores`` for the costs)."""
    result = _scored(request, store, projection, level, list(METRICS))
    graph = result.graph
    return CentralityRanking(
        projection=projection,
        level=result.level,
        metric=metric,
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        bipartite=bool(graph.graph.get("bipartite")),
        computed_at=result.computed_at,
        methods=result.methods,
        items=[_row(row) for row in result.ranking(metric, top)],
    )


@router.get(
    "/{projection}.{fmt}",
    operation_id="network_export",
    response_class=Response,
    responses={
        200: {
            "description": "the projection as a file (CSV: a zip of nodes.csv and edges.csv)",
            "content": {media: {} for media in sorted(set(EXPORT_MEDIA_TYPES.values()))},
        },
        **m.problem_responses(422),
    },
    summary="Download a projection for Gephi or a web viewer",
)
def export(
    request: Request,
    store: StoreDep,
    projection: ProjectionPath,
    fmt: Annotated[
        FormatName, Path(description="gexf, graphml, csv (zip), json or svg (a drawn picture)")
    ],
    level: LevelQuery = None,
    lang: Annotated[Literal["ja", "en"], Query(description="language of labels")] = "en",
    color_by: Annotated[Literal["type", "community"], Query(description="GEXF colours")] = "type",
    size_by: Annotated[MetricName | None, Query(description="GEXF node size by")] = None,
    timeformat: Annotated[
        Literal["integer", "date"], Query(description="GEXF spells: fiscal years or dates")
    ] = "integer",
    layout: Annotated[
        bool, Query(description="GEXF: ForceAtlas2 positions in viz:position (drawn in Gephi)")
    ] = False,
    compact: Annotated[
        bool, Query(description="JSON: no spaces, edge ends as indexes into nodes (smaller)")
    ] = False,
    metrics: Annotated[
        list[MetricName] | None,
        Query(
            description="the scores the nodes carry (repeat the parameter; default: all). "
            "size_by and color_by=community add theirs. " + COST_HELP
        ),
    ] = None,
) -> Response:
    """The projection in ``fmt``; GEXF is 1.3 with typed attributes whose values are
    names (the URI stays in ``id``), labelled edges, colours, sizes, optional positions
    and a spell per run of active fiscal years; every node carries its centrality
    scores (``metrics``). SVG is the projection drawn with ForceAtlas2, coloured and sized
    alike. The answer has an ETag (the same until the data changes)."""
    wanted = list(dict.fromkeys([*(metrics or METRICS), *([size_by] if size_by else [])]))
    if color_by == "community" and fmt in ("gexf", "svg"):
        wanted.append("community")
    result = _scored(request, store, projection, level, [])
    generators = {
        "gexf": lambda g: generate_gexf(
            g, lang=lang, color_by=color_by, size_by=size_by, timeformat=timeformat, layout=layout
        ),
        "graphml": lambda g: generate_graphml(g, lang=lang),
        "csv": lambda g: generate_zip(g, lang=lang),
        "json": lambda g: generate_json(g, lang=lang, compact=compact).encode(),
        "svg": lambda g: generate_svg(g, lang=lang, color_by=color_by, size_by=size_by).encode(),
    }
    name = f"{projection}-{level.replace(':', '-')}" if level else projection
    extension = "zip" if fmt == "csv" else fmt

    def build() -> Response:
        # an ExportError answers 422, naming the parameter
        body = generators[fmt](annotated(result, wanted))
        return Response(
            body,
            media_type=EXPORT_MEDIA_TYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{name}.{extension}"'},
        )

    return conditional(request, store, _etag_key(request), build)


@router.get(
    "/{projection}/scores",
    operation_id="network_scores",
    response_model=NodeScores,
    responses=m.problem_responses(422),
    summary="One metric's score of every node of a projection",
    description="Every node's ``metric`` score, by node URI: what a viewer that already has "
    "the graph (``.json?metrics=degree``) fetches when the user sizes or colours by another "
    "metric. " + COST_HELP,
)
def scores(
    request: Request,
    store: StoreDep,
    projection: ProjectionPath,
    metric: Annotated[MetricName, Query(description="the metric")],
    level: LevelQuery = None,
) -> Response:
    """Every node's ``metric`` score, by node URI."""
    result = _scored(request, store, projection, level, [])

    def build() -> Response:
        result.ensure([metric])
        nodes = result.graph.nodes
        body = NodeScores(
            projection=projection,
            level=result.level,
            metric=metric,
            method=result.methods[metric],
            nodes=len(nodes),
            values={str(nodes[n].get("id", n)): v for n, v in result.scores[metric].items()},
        )
        return Response(body.model_dump_json(), media_type="application/json")

    return conditional(request, store, _etag_key(request), build)
