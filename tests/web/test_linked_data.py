"""GET /id/...: every resource URI of the graph dereferences, as HTML or RDF by Accept."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral
from starlette.testclient import TestClient

from llgraph.config import Settings
from llgraph.namespaces import ID, LLO, RDF, RDFS
from llgraph.store import Store, open_store
from llgraph.web.app import create_app

SUWA = URIRef(ID["partnership/ll-suwa-dalian"])
SERVER = "http://testserver/"


def path_of(uri: str) -> str:
    return "/id/" + uri.removeprefix(str(ID))


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("text/turtle", "turtle", "text/turtle"),
        ("application/ld+json", "json-ld", "application/ld+json"),
        ("application/n-triples", "nt", "application/n-triples"),
        ("*/*", "turtle", "text/turtle"),
    ],
)
def test_rdf_by_content_negotiation(client: TestClient, accept: str, fmt: str, media: str) -> None:
    response = client.get(path_of(SUWA), headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert "Accept" in response.headers["vary"]
    graph = Graph().parse(data=response.text, format=fmt)
    assert (SUWA, LLO.programme, URIRef(ID["programme/ll"])) in graph
    assert (URIRef(ID["region/cn-dalian"]), RDFS.label, None) in graph


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    head = client.head(path_of(SUWA), headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and not head.content
    assert head.headers["content-type"].startswith("text/turtle") and head.headers["etag"]


def test_json_ld_is_compacted_with_our_prefixes(client: TestClient) -> None:
    body = client.get(path_of(SUWA), headers={"Accept": "application/ld+json"}).json()
    assert body["@context"]["llo"] == str(LLO)
    nodes = body["@graph"]
    suwa = next(n for n in nodes if n["@id"] in (str(SUWA), "id:partnership/ll-suwa-dalian"))
    assert "llo:programme" in suwa


def test_format_parameter_and_alternate_links(client: TestClient) -> None:
    response = client.get(path_of(SUWA) + "?format=nt", headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("application/n-triples")
    assert 'type="text/turtle"' in response.headers["link"]


def test_html_for_a_browser(client: TestClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(path_of(SUWA), headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "<h1>長野県諏訪地域－中国大連市（金属機械加工）</h1>" in html
    assert 'href="http://testserver/id/region/cn-dalian"' in html
    assert 'href="http://testserver/id/report/jetro-2008/ll-case-suwa-dalian"' in html
    assert 'href="http://testserver/api/partnerships/ll-suwa-dalian"' in html
    assert client.get("/static/llgraph.css").status_code == 200


def test_every_api_item_url_describes_its_id(client: TestClient) -> None:
    checked = 0
    for kind in ("partnerships", "regions", "institutions", "datasets", "success-factors"):
        for item in client.get(f"/api/{kind}", params={"limit": 5}).json()["items"]:
            assert item["url"].startswith(SERVER)
            path = "/" + item["url"].removeprefix(SERVER)
            turtle = client.get(path, headers={"Accept": "text/turtle"})
            graph = Graph().parse(data=turtle.text, format="turtle")
            assert (URIRef(item["id"]), None, None) in graph, item["id"]
            html = client.get(path, headers={"Accept": "text/html"})
            assert html.headers["content-type"].startswith("text/html")
            checked += 1
    assert checked >= 20


def test_every_subject_of_ours_dereferences(client: TestClient, store: Store) -> None:
    rows = store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), STR(id:))) }")
    subjects = sorted(str(row[0]) for row in rows)
    assert len(subjects) > 300
    for uri in subjects[::25]:
        response = client.get(path_of(uri), headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, uri
        assert f"<{uri}>" in response.text


def test_etag_and_not_modified(client: TestClient) -> None:
    first = client.get(path_of(SUWA), headers={"Accept": "text/turtle"})
    again = client.get(
        path_of(SUWA), headers={"Accept": "text/turtle", "If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    html = client.get(path_of(SUWA), headers={"Accept": "text/html"})
    assert html.headers["etag"] != first.headers["etag"]


def test_unknown_uri_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/id/partnership/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "no-such-thing" in json.loads(response.text)["detail"]


@pytest.mark.parametrize("path", ["/id/a%20b", "/id/%3C%3E", "/id/%22x%7D", "/id/"])
def test_paths_that_are_no_iri_of_ours_are_404_not_500(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    page = client.get(path, headers={"Accept": "text/html"})  # a browser: an HTML error page
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")


def test_the_base_uri_is_configurable(settings: Settings) -> None:
    """Data minted under another base is served, and mapped, under that base."""
    base = "http://example.org/kg/"
    graph = Graph()
    thing = URIRef(base + "id/partnership/elsewhere")
    graph.add((thing, RDF.type, LLO.Partnership))
    graph.add((thing, RDFS.label, RDFLiteral("よそ", lang="ja")))
    other = open_store("memory")
    other.replace(graph)
    app = create_app(settings.replace(base_uri=base), store=other)
    with TestClient(app) as client:
        page = client.get("/api/partnerships").json()
        assert [(i["id"], i["url"]) for i in page["items"]] == [
            (str(thing), "http://testserver/id/partnership/elsewhere")
        ]
        assert client.get("/api/partnerships/elsewhere").json()["label"]["ja"] == "よそ"
        turtle = client.get("/id/partnership/elsewhere", headers={"Accept": "text/turtle"})
        assert (thing, RDFS.label, None) in Graph().parse(data=turtle.text, format="turtle")
        assert client.get("/api/search?q=よそ").json()["items"][0]["id"] == str(thing)


def test_the_ontology_dereferences(client: TestClient) -> None:
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (LLO.Partnership, RDFS.label, RDFLiteral("partnership", lang="en")) in graph
    html = client.get("/ontology", headers={"Accept": "text/html"}).text
    assert 'id="Partnership"' in html and "地域間連携テーマ" in html
    item = client.get("/api/partnerships/ll-suwa-dalian").json()
    urls = {p["property"]["id"]: p["property"]["url"] for p in item["properties"]}
    assert urls[str(LLO.programme)] == "http://testserver/ontology#programme"
    page = client.get(path_of(SUWA), headers={"Accept": "text/html"}).text
    assert 'href="http://testserver/ontology#programme"' in page
