"""GET /network: the page, its settings for the script, its scripts (vendored, with SRI)."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from llgraph.centrality import METRICS
from llgraph.network import PROJECTIONS
from llgraph.web.templating import vendored

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _config(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="network-config">(.*?)</script>', html)
    assert found, "the page carries its settings as JSON"
    return json.loads(found.group(1))


def test_network_page_settings_and_scripts(client: TestClient) -> None:
    response = client.get("/network", headers={"Accept": BROWSER})
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "worker-src 'self'" in csp and "blob:" not in csp and "script-src 'self';" in csp
    html = response.text
    config = _config(html)
    assert set(config["projections"]) == set(PROJECTIONS)
    assert set(config["metrics"]) == set(METRICS)
    assert config["fastMetrics"] == ["degree", "weighted-degree"]  # the first picture's scores
    assert config["defaults"] == {
        "projection": "region-region",
        "domestic": "bureau-area",
        "overseas": "country",
    }
    assert config["base"] == "https://w3id.org/llgraph/"
    for path in ("sigma/sigma.min.js", "graphology/graphology.umd.min.js"):
        assert f'src="/static/vendor/{path}" integrity="{vendored()[path]}"' in html
    assert '<a href="/network">Network</a>' in html


def test_vendored_scripts_and_page_script_are_served(client: TestClient) -> None:
    for path in ("/static/network.js", "/static/network.css", "/static/vendor/sigma/sigma.min.js"):
        assert client.get(path).status_code == 200, path
    script = client.get("/static/network.js").text
    assert "http://" not in script.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in script
