"""GET /sparql: browsers get the editor page, every other client the protocol as before."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from llgraph.web.routes.editor_text import standalone

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
QUERY = 'SELECT ?s WHERE { ?s ?p "</script><script>alert(1)</script>" }'


def _config(html: str) -> dict:
    pattern = r'<script type="application/json" id="editor-config">(.*?)</script>'
    found = re.search(pattern, html, re.S)
    assert found, "the page carries the editor's settings"
    return json.loads(found.group(1))


def test_a_browser_gets_the_editor_with_the_shared_query(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": QUERY}, headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "<script>alert(1)" not in response.text  # escaped inside the JSON block
    config = _config(response.text)
    assert config["query"] == QUERY and config["run"] is True
    assert config["endpoint"].endswith("/sparql")


def test_the_editor_completes_from_our_terms_and_offers_the_named_queries(client) -> None:
    config = _config(client.get("/sparql", headers={"Accept": BROWSER}).text)
    assert "https://w3id.org/llgraph/ontology#Partnership" in config["terms"]["class"]
    assert "https://w3id.org/llgraph/ontology#domesticRegion" in config["terms"]["property"]
    assert config["prefixes"]["llo"] == "https://w3id.org/llgraph/ontology#"
    names = {e["name"] for e in config["examples"]}
    assert "partners-of-region" in names and config["run"] is False


def test_the_page_loads_only_vendored_files_with_integrity(client: TestClient) -> None:
    html = client.get("/sparql", headers={"Accept": BROWSER}).text
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(s.startswith(("/", "#", "data:")) for s in sources), sources
    assert 'integrity="sha384-' in html


def test_machine_clients_are_unchanged(client: TestClient) -> None:
    for accept in ("*/*", "application/sparql-results+json", ""):
        answer = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": accept})
        assert answer.headers["content-type"].startswith("application/sparql-results+json")
    described = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert described.headers["content-type"].startswith("text/turtle")
    forced = client.get(
        "/sparql", params={"query": "ASK {}", "format": "json"}, headers={"Accept": BROWSER}
    )
    assert forced.headers["content-type"].startswith("application/sparql-results+json")


def test_a_named_query_stands_alone_with_its_values(client: TestClient) -> None:
    text = standalone("#+ title: t\nSELECT ?x WHERE { FILTER(?x = ?name) }", {})
    assert text.startswith("SELECT") and "#+" not in text
    from rdflib import Literal

    bound = standalone("SELECT ?x WHERE {\n  BIND(?name AS ?x)\n}", {"name": Literal("大連")})
    assert 'VALUES (?name) { ("大連") }' in bound
    answer = client.get("/sparql", params={"query": bound, "format": "json"})
    assert answer.json()["results"]["bindings"][0]["x"]["value"] == "大連"
