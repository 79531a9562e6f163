"""The API documentation pages work offline: every asset they load is served by llgraph."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_load_no_remote_asset(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']|url:\s*["']([^"']+)["']""", response.text)
    urls = [a or b for a, b in assets]
    assert urls, "the page names no assets"
    for url in urls:
        assert not url.startswith(("http:", "https:", "//")), url
        assert client.get(url).status_code == 200, url
