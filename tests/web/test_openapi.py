"""The published contract: api/openapi.json is the app's schema, and the schema is exact."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from llgraph.config import PROJECT_ROOT, Settings
from llgraph.store import Store, open_store
from llgraph.web.app import create_app
from llgraph.web.openapi import openapi_text

PUBLISHED = PROJECT_ROOT / "api" / "openapi.json"


@pytest.fixture(scope="module")
def app(settings: Settings) -> FastAPI:
    """The schema does not depend on the data: an empty store will do."""
    return create_app(settings, store=open_store("memory"))


@pytest.fixture(scope="module")
def document(app: FastAPI) -> dict:
    return json.loads(openapi_text(app))


def test_published_schema_is_the_apps(app: FastAPI) -> None:
    assert PUBLISHED.read_text(encoding="utf-8") == openapi_text(app), (
        "api/openapi.json is stale: run `llgraph openapi > api/openapi.json`"
    )


def test_default_document_is_the_same(app: FastAPI) -> None:
    assert openapi_text() == openapi_text(app)


def operations(document: dict, prefix: str = "/api/") -> list[tuple[str, dict]]:
    return [
        (path, op)
        for path, methods in document["paths"].items()
        if path.startswith(prefix)
        for op in methods.values()
    ]


def test_every_resource_route_is_typed_and_documents_its_errors(document: dict) -> None:
    ours = [
        (path, op)
        for path, op in operations(document)
        if {"resources", "search"} & set(op.get("tags", []))
    ]
    assert len(ours) == 20
    ids = [op["operationId"] for _, op in ours]
    assert len(set(ids)) == len(ids)
    for path, op in ours:
        ok = op["responses"]["200"]["content"]
        assert "$ref" in ok["application/json"]["schema"], path
        if "{" in path:
            problem = op["responses"]["404"]["content"]["application/problem+json"]["schema"]
            assert problem == {"$ref": "#/components/schemas/Problem"}
        if op.get("parameters"):
            assert "application/problem+json" in op["responses"]["422"]["content"], path


def test_collections_offer_csv_and_json_ld(document: dict) -> None:
    listing = document["paths"]["/api/partnerships"]["get"]
    assert listing["operationId"] == "list_partnerships"
    content = listing["responses"]["200"]["content"]
    assert set(content) == {"application/json", "application/ld+json", "text/csv"}
    params = {p["name"] for p in listing["parameters"]}
    assert {"programme", "domestic_region", "overseas_country", "industry"} <= params
    assert {"from_year", "to_year", "sort", "order", "limit", "offset", "format"} <= params
    page = document["components"]["schemas"]["Page_PartnershipSummary_"]
    assert {"total", "next", "previous", "items"} <= set(page["required"])


# ------------------------------------------------------------- the consumer's guide

GUIDE = PROJECT_ROOT / "api" / "README.md"
SERVER = "http://127.0.0.1:8000"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def client(settings: Settings, store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(settings, store=store), base_url=SERVER) as client:
        yield client


def curl_examples() -> list[str]:
    return [line for block in blocks("sh") for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize("line", curl_examples())
def test_guide_curl_examples(client: TestClient, line: str) -> None:
    command, _, comment = line.partition("#")
    words = shlex.split(command)
    assert words[0] == "curl"
    url = next(w for w in words if w.startswith(SERVER))
    headers = dict(words[i + 1].split(": ", 1) for i, w in enumerate(words) if w == "-H")
    response = client.get(url.removeprefix(SERVER), headers=headers)
    expected = int(comment.split(",")[0]) if comment.strip() else 200
    assert response.status_code == expected, response.text
    if expected == 200:
        assert response.content
    else:
        assert response.headers["content-type"] == "application/problem+json"


def test_guide_has_examples() -> None:
    assert len(curl_examples()) >= 10 and blocks("python")


def test_guide_httpx_example(client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    for code in blocks("python"):
        code = code.replace(f'httpx.Client(base_url="{SERVER}")', "client")
        exec(compile(code, str(GUIDE), "exec"), {"client": client})
    printed = capsys.readouterr().out
    assert "Fukushima" in printed and "大連" in printed
