"""GET /api/network/...: typed centrality rankings and downloads, on the real data."""

from __future__ import annotations

import io
import json
import threading
import zipfile
from typing import get_args

import networkx as nx
import pytest
from lxml import etree
from starlette.testclient import TestClient

from llgraph import centrality
from llgraph.centrality import METRICS
from llgraph.config import Settings
from llgraph.export import EXPORT_MEDIA_TYPES
from llgraph.namespaces import ID
from llgraph.network import PROJECTIONS
from llgraph.store import Store
from llgraph.web.app import create_app
from llgraph.web.routes.network import CentralityRanking, FormatName, MetricName, ProjectionName

R = str(ID["region/"])


def test_path_types_list_every_projection_metric_and_format() -> None:
    assert set(get_args(ProjectionName)) == set(PROJECTIONS)
    assert set(get_args(MetricName)) == set(METRICS)
    assert set(get_args(FormatName)) == set(EXPORT_MEDIA_TYPES)


def test_centrality_ranking_is_typed(client: TestClient) -> None:
    response = client.get(
        "/api/network/region-region/centrality", params={"metric": "weighted-degree", "top": 5}
    )
    assert response.status_code == 200, response.text
    body = CentralityRanking.model_validate(response.json())
    assert body.projection == "region-region" and body.metric == "weighted-degree"
    assert body.bipartite and body.nodes > 40 and len(body.items) == 5
    assert [row.rank for row in body.items] == [1, 2, 3, 4, 5]
    weights = [row.weighted_degree for row in body.items]
    assert weights == sorted(weights, reverse=True)
    shimane = next(row for row in body.items if row.id == R + "jp-shimane")
    assert shimane.weighted_degree == 3.0 and shimane.label.ja == "島根県"
    assert body.methods["degree"] == "networkx.bipartite.degree_centrality"


def test_centrality_with_a_level(client: TestClient) -> None:
    response = client.get(
        "/api/network/region-region/centrality",
        params={"level": "country", "metric": "weighted-degree", "top": 1},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["level"] == "country"
    assert body["items"][0]["id"] == R + "jp"  # every partnership has Japan on one side
    assert body["items"][0]["label"] == {"ja": "日本", "en": "Japan"}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/network/regions/centrality", {}),
        ("/api/network/region-region/centrality", {"metric": "fame"}),
        ("/api/network/region-region/centrality", {"top": 0}),
        ("/api/network/region-region/centrality", {"level": "galaxy"}),
        ("/api/network/institution/centrality", {"level": "country"}),
        ("/api/network/region-region.pdf", {}),
        ("/api/network/regions.gexf", {}),
        ("/api/network/region-region.gexf", {"lang": "fr"}),
    ],
)
def test_bad_parameters_are_422_problems(client: TestClient, path: str, params: dict) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"]


def test_gexf_download(client: TestClient) -> None:
    response = client.get(
        "/api/network/region-region.gexf",
        params={"lang": "ja", "color_by": "community", "size_by": "pagerank"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/gexf+xml"
    assert 'filename="region-region.gexf"' in response.headers["content-disposition"]
    graph = nx.read_gexf(io.BytesIO(response.content))
    assert graph.nodes[R + "cn-dalian"]["label"] == "大連市"
    assert "size" in graph.nodes[R + "cn-dalian"]["viz"]
    assert etree.fromstring(response.content).get("version") == "1.3"


def test_json_graphml_and_csv_downloads(client: TestClient) -> None:
    data = client.get("/api/network/institution.json").json()
    graph = nx.node_link_graph(data, edges="edges")
    assert graph.has_edge(str(ID["org/suwa-dalian-kai"]), str(ID["org/dalian-city"]))
    graphml = client.get("/api/network/region-industry.graphml", params={"level": "country"})
    assert graphml.headers["content-type"] == "application/graphml+xml"
    assert 'filename="region-industry-country.graphml"' in graphml.headers["content-disposition"]
    assert R + "jp" in nx.parse_graphml(graphml.text)
    archive = client.get("/api/network/full.csv")
    assert archive.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.content)) as files:
        nodes = files.read("nodes.csv").decode()
    assert nodes.startswith("Id,Label,")
    assert json.dumps(data)  # plain JSON, lists kept as lists
    assert isinstance(data["edges"][0]["partnerships"], list)


def test_gexf_layout_and_svg_picture(client: TestClient) -> None:
    params = {"level": "bureau-area:country", "layout": "true"}
    response = client.get("/api/network/region-region.gexf", params=params)
    assert response.status_code == 200, response.text
    graph = nx.read_gexf(io.BytesIO(response.content))
    assert all("position" in attrs["viz"] for _, attrs in graph.nodes(data=True))
    assert all(label for *_, label in graph.edges(data="label"))
    svg = client.get("/api/network/region-region.svg", params={"level": "bureau-area:country"})
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    doc = etree.fromstring(svg.content)
    assert len(doc.findall("{*}g[@class='nodes']/{*}circle")) == len(graph)


def test_the_first_picture_needs_only_the_fast_metrics(settings: Settings, store: Store) -> None:
    app = create_app(settings, store=store)
    with TestClient(app) as fresh:
        body = fresh.get(
            "/api/network/region-region.json",
            params={"metrics": ["degree", "weighted-degree"], "compact": "true"},
        ).json()
    node = body["nodes"][0]
    assert {"degree", "weighted_degree"} <= set(node) and "betweenness" not in node
    (result,) = app.state.network_cache.values()
    assert set(result.scores) == {"degree", "weighted-degree"}  # nothing else was computed


def test_scores_of_one_metric_match_the_full_export(client: TestClient) -> None:
    full = client.get("/api/network/region-industry.json", params={"level": "country"}).json()
    answer = client.get(
        "/api/network/region-industry/scores", params={"metric": "betweenness", "level": "country"}
    )
    scores = answer.json()
    assert answer.status_code == 200 and answer.headers["etag"]
    assert scores["metric"] == "betweenness" and scores["level"] == "country"
    assert scores["nodes"] == len(full["nodes"]) == len(scores["values"])
    assert scores["method"].startswith("networkx.")
    assert {n["id"]: n["betweenness"] for n in full["nodes"]} == scores["values"]
    bad = client.get("/api/network/region-industry/scores", params={"metric": "fame"})
    assert bad.status_code == 422


def test_downloads_have_an_etag_and_answer_304(client: TestClient) -> None:
    path = "/api/network/institution.json"
    first = client.get(path, params={"metrics": "degree"})
    again = client.get(
        path, params={"metrics": "degree"}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304 and not again.content
    other = client.get(path, params={"metrics": "pagerank"})
    assert other.headers["etag"] != first.headers["etag"]


def test_a_long_computation_blocks_no_other_request(
    settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release, calls = threading.Event(), threading.Event(), []
    slow = centrality._ALGORITHMS["closeness"]

    def blocking(graph: nx.Graph, bip: bool) -> tuple[dict, str]:
        calls.append(1)
        started.set()
        release.wait(30)
        return slow(graph, bip)

    monkeypatch.setitem(centrality._ALGORITHMS, "closeness", blocking)
    url = "/api/network/institution/scores?metric=closeness"
    with TestClient(create_app(settings, store=store)) as fresh:
        fresh.get(url.replace("closeness", "degree"))  # the projection is built
        waiting = [threading.Thread(target=fresh.get, args=(url,)) for _ in range(2)]
        for thread in waiting:
            thread.start()
        assert started.wait(30)
        other = fresh.get("/api/programmes")  # answered while closeness is computed
        degree = fresh.get(url.replace("closeness", "degree"))  # the same graph, done already
        assert other.status_code == degree.status_code == 200
        release.set()
        for thread in waiting:
            thread.join(30)
        assert fresh.get(url).json()["values"]
    assert len(calls) == 1  # the second request waited for the first one's scores
