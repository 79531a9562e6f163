"""The REST collections and items under /api, against the real data."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph, URIRef
from starlette.testclient import TestClient

from llgraph.namespaces import ID, LLO

PARTNERSHIP = str(ID["partnership/"])
FUKUSHIMA_SWEDEN = PARTNERSHIP + "ll-fukushima-sweden"


def get(client: TestClient, path: str, **params: object) -> dict:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def ids(page: dict) -> list[str]:
    return [item["id"] for item in page["items"]]


KINDS = {
    "regions": "region",
    "partnerships": "partnership",
    "industries": "industry",
    "institutions": "org",
    "programmes": "programme",
    "activities": "activity",
    "outcomes": "outcome",
    "success-factors": "success-factor",
    "datasets": "dataset",
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_collection_lists_its_kind_with_urls_this_server_answers(
    client: TestClient, kind: str
) -> None:
    page = get(client, f"/api/{kind}", limit=500)
    assert page["total"] == len(page["items"]) > 0
    prefix = str(ID[f"{KINDS[kind]}/"])
    for item in page["items"]:
        assert item["id"].startswith(prefix)
        assert item["url"] == "http://testserver/id/" + item["id"].removeprefix(str(ID))
        assert item["label"]["ja"] or item["label"]["en"]
    first = page["items"][0]
    key = first["id"].removeprefix(prefix)
    detail = get(client, f"/api/{kind}/{key}")
    assert detail["id"] == first["id"]
    assert detail["label"] == first["label"]
    assert detail["properties"]


def test_partnerships_of_fukushima_include_sweden_in_medical_welfare_fy2003_2006(
    client: TestClient,
) -> None:
    page = get(client, "/api/partnerships", domestic_region="jp-fukushima")
    assert FUKUSHIMA_SWEDEN in ids(page)
    item = next(i for i in page["items"] if i["id"] == FUKUSHIMA_SWEDEN)
    assert item["programme"]["id"] == str(ID["programme/ll"])
    assert str(ID["region/se"]) in {r["id"] for r in item["overseas_regions"]}
    assert item["domestic_regions"][0]["label"]["ja"] == "福島県"
    assert "医療" in item["industries"][0]["label"]["ja"]
    assert (item["start_fiscal_year"], item["end_fiscal_year"]) == (2003, 2006)


@pytest.mark.parametrize(
    ("params", "included"),
    [
        ({"programme": "ll"}, True),
        ({"programme": "rit"}, False),
        ({"overseas_country": "SE"}, True),
        ({"overseas_country": "se"}, True),
        ({"overseas_country": "CN"}, False),
        ({"overseas_region": "se"}, True),
        ({"industry": "ll/medical-welfare-equipment"}, True),
        ({"industry": "ll/food"}, False),
        ({"from_year": 2006}, True),
        ({"from_year": 2007}, False),
        ({"to_year": 2003}, True),
        ({"to_year": 2002}, False),
        ({"from_year": 2003, "to_year": 2006, "domestic_region": "jp-bureau-tohoku"}, True),
    ],
)
def test_partnership_filters(client: TestClient, params: dict, included: bool) -> None:
    page = get(client, "/api/partnerships", limit=500, **params)
    assert page["items"], f"{params} matched nothing"
    assert (FUKUSHIMA_SWEDEN in ids(page)) is included


def test_partnership_filters_select_what_they_name(client: TestClient) -> None:
    rit = get(client, "/api/partnerships", programme="rit", limit=500)
    assert all(i["programme"]["id"] == str(ID["programme/rit"]) for i in rit["items"])
    city = ids(get(client, "/api/partnerships", overseas_region="cn-dalian", limit=500))
    area = ids(get(client, "/api/partnerships", overseas_region="cn-dalian-area", limit=500))
    assert PARTNERSHIP + "ll-suwa-dalian" in city and FUKUSHIMA_SWEDEN not in city
    assert PARTNERSHIP + "rit-iwate-dalian" in area
    years = get(client, "/api/partnerships", from_year=2007, limit=500)["items"]
    for i in years:
        assert (
            max(i["fiscal_years"] + [i["end_fiscal_year"] or i["start_fiscal_year"] or 0]) >= 2007
        )


def test_rit_partnerships_name_the_ll_theme_they_continue(client: TestClient) -> None:
    texas = get(client, "/api/partnerships/rit-shimane-texas")
    assert [p["id"] for p in texas["continuation_of"]] == [PARTNERSHIP + "ll-shimane-texas"]
    assert texas["continuation_of"][0]["url"] == "http://testserver/id/partnership/ll-shimane-texas"
    assert get(client, "/api/partnerships/ll-shimane-texas")["continuation_of"] == []


def test_sorting_and_paging_walk_the_whole_collection_once(client: TestClient) -> None:
    everything = get(client, "/api/partnerships", limit=500, sort="start_fiscal_year")
    starts = [i["start_fiscal_year"] for i in everything["items"] if i["start_fiscal_year"]]
    assert starts == sorted(starts) and len(set(starts)) > 1
    descending = get(client, "/api/partnerships", limit=500, sort="label", order="desc")
    labels = [i["label"]["ja"] for i in descending["items"]]
    assert labels == sorted(labels, reverse=True)
    seen, url = [], "/api/partnerships?limit=7"
    while url:
        page = client.get(url).json()
        assert page["total"] == everything["total"]
        seen += ids(page)
        url = page["next"]
    assert sorted(seen) == sorted(ids(everything)) and len(seen) == len(set(seen))
    last = client.get(f"/api/partnerships?limit=7&offset={everything['total'] - 1}").json()
    assert last["next"] is None and last["previous"].endswith("offset=" + str(last["offset"] - 7))


def test_region_filters(client: TestClient) -> None:
    overseas = get(client, "/api/regions", side="overseas", limit=500)["items"]
    assert overseas and all(r["side"] == "overseas" for r in overseas)
    prefectures = get(client, "/api/regions", level="prefecture", limit=500)["items"]
    assert {r["level"]["id"] for r in prefectures} == {str(ID["region-level/prefecture"])}
    fukushima = ids(get(client, "/api/regions", prefecture="07"))
    assert str(ID["region/jp-fukushima"]) in fukushima
    china = ids(get(client, "/api/regions", country="cn", limit=500))
    assert str(ID["region/cn-dalian"]) in china and str(ID["region/jp"]) not in china
    inside = ids(get(client, "/api/regions", within="jp-bureau-tohoku", limit=500))
    assert str(ID["region/jp-iwate"]) in inside and str(ID["region/jp-nagano"]) not in inside


def test_region_item_links_to_what_contains_it(client: TestClient) -> None:
    region = get(client, "/api/regions/jp-fukushima")
    assert region["side"] == "domestic" and region["prefecture_code"] == "07"
    assert region["contained_in"][0]["id"] == str(ID["region/jp-bureau-tohoku"])
    assert region["contained_in"][0]["url"] == "http://testserver/id/region/jp-bureau-tohoku"
    referrers = {p["property"]["id"]: p["values"] for p in region["referenced_by"]}
    assert FUKUSHIMA_SWEDEN in {v["id"] for v in referrers[str(LLO.domesticRegion)]}


def test_industries_per_scheme(client: TestClient) -> None:
    assert get(client, "/api/industries", scheme="ll")["total"] == 11
    assert get(client, "/api/industries", scheme="survey")["total"] == 9
    food = get(client, "/api/industries/ll/food")
    assert food["label"]["ja"] == "食品・食品加工・飲料"
    assert food["schemes"][0]["id"] == str(ID["scheme/industry-ll"])


def test_institutions_by_role(client: TestClient) -> None:
    domestic = ids(get(client, "/api/institutions", role="domestic-implementing-body"))
    overseas = ids(get(client, "/api/institutions", role="overseas-implementing-body"))
    assert str(ID["org/fukushima-prefecture"]) in domestic
    assert str(ID["org/lund-university"]) in overseas
    assert str(ID["org/lund-university"]) not in domestic
    lund = get(client, "/api/institutions/lund-university")
    assert any("ll-fukushima-sweden" in m["id"] for m in lund["memberships"])


def test_programmes_activities_outcomes_and_success_factors(client: TestClient) -> None:
    programmes = ids(get(client, "/api/programmes"))
    assert programmes == [str(ID["programme/ll"]), str(ID["programme/rit"])]
    activities = get(client, "/api/activities", partnership="ll-fukushima-sweden")["items"]
    assert activities and all(a["partnership"]["id"] == FUKUSHIMA_SWEDEN for a in activities)
    assert any(a["number_of_times"] == 4 for a in activities)
    outcomes = get(client, "/api/outcomes", partnership="ll-suwa-dalian")["items"]
    assert outcomes and all(o["partnership"]["id"].endswith("ll-suwa-dalian") for o in outcomes)
    factors = get(client, "/api/success-factors", sort="notation")
    assert factors["total"] == 8
    assert {f["phase"]["id"] for f in factors["items"]} == {
        str(ID[f"phase/{p}"]) for p in ("conception", "organisation", "action")
    }


def test_datasets_list_dimensions_and_observations(client: TestClient) -> None:
    datasets = get(client, "/api/datasets")["items"]
    assert datasets and all(d["dimensions"] and d["measures"] for d in datasets)
    table = max(datasets, key=lambda d: d["observation_count"])
    key = table["id"].removeprefix(str(ID["dataset/"]))
    detail = get(client, f"/api/datasets/{key}")
    assert len(detail["observations"]) == table["observation_count"] > 0
    dims = {d["id"] for d in table["dimensions"]}
    for obs in detail["observations"]:
        assert set(obs["dimensions"]) <= dims and obs["measures"]
        assert all(v >= 0 for v in obs["measures"].values())


def test_item_shows_its_source_in_the_report(client: TestClient) -> None:
    item = get(client, "/api/partnerships/ll-fukushima-sweden")
    sources = {s["id"]: s for s in item["sources"]}
    case = sources[str(ID["report/jetro-2008/ll-case-fukushima-sweden"])]
    assert case["url"] == "http://testserver/id/report/jetro-2008/ll-case-fukushima-sweden"
    assert case["label"]["ja"]


def test_csv_on_request(client: TestClient) -> None:
    for response in (
        client.get("/api/partnerships?format=csv&domestic_region=jp-fukushima"),
        client.get(
            "/api/partnerships?domestic_region=jp-fukushima", headers={"Accept": "text/csv"}
        ),
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        row = next(r for r in rows if r["id"] == FUKUSHIMA_SWEDEN)
        assert row["label_ja"] == "福島県—スウェーデン(医療福祉機器産業)"
        assert row["start_fiscal_year"] == "2003"
        assert str(ID["region/se"]) in row["overseas_regions"].split()


def test_csv_of_an_empty_page_still_has_every_column(client: TestClient) -> None:
    response = client.get("/api/partnerships?format=csv&from_year=2100")
    header = response.text.splitlines()[0].split(",")
    assert header[:4] == ["id", "url", "label_ja", "label_en"]
    assert {"programme", "start_fiscal_year", "fiscal_years"} <= set(header)
    assert len(response.text.splitlines()) == 1


def test_json_ld_uses_the_context_the_api_serves(client: TestClient) -> None:
    response = client.get(
        "/api/partnerships/ll-fukushima-sweden", headers={"Accept": "application/ld+json"}
    )
    assert response.headers["content-type"] == "application/ld+json"
    body = response.json()
    assert body["@context"] == "http://testserver/api/context.jsonld"
    context = client.get("/api/context.jsonld")
    assert context.headers["content-type"] == "application/ld+json"
    body["@context"] = context.json()["@context"]
    graph = Graph().parse(data=json.dumps(body), format="json-ld")
    subject = URIRef(FUKUSHIMA_SWEDEN)
    assert (subject, LLO.programme, URIRef(ID["programme/ll"])) in graph
    assert (subject, LLO.overseasRegion, URIRef(ID["region/se"])) in graph
    page = client.get("/api/partnerships?format=jsonld&domestic_region=jp-fukushima").json()
    assert page["@context"] == "http://testserver/api/context.jsonld"
    page["@context"] = context.json()["@context"]
    graph = Graph().parse(data=json.dumps(page), format="json-ld")
    member = URIRef("http://www.w3.org/ns/hydra/core#member")
    assert (None, member, subject) in graph
    assert (subject, LLO.domesticRegion, URIRef(ID["region/jp-fukushima"])) in graph


def test_etag_and_not_modified(client: TestClient) -> None:
    first = client.get("/api/partnerships/ll-fukushima-sweden")
    etag = first.headers["etag"]
    again = client.get("/api/partnerships/ll-fukushima-sweden", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and not again.content
    csv_etag = client.get("/api/partnerships?format=csv").headers["etag"]
    assert csv_etag != etag
    changed = client.get("/api/partnerships/ll-fukushima-sweden", headers={"If-None-Match": '"x"'})
    assert changed.status_code == 200


def test_unknown_id_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/api/partnerships/no-such-partnership")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "no-such-partnership" in response.json()["detail"]
    assert client.get("/api/regions/ll-fukushima-sweden").status_code == 404


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("/api/partnerships?limit=0", "limit"),
        ("/api/partnerships?programme=xx", "programme"),
        ("/api/partnerships?from_year=1800", "from_year"),
        ("/api/partnerships?industry=food", "industry"),
        ("/api/regions?country=CHN", "country"),
        ("/api/regions?side=abroad", "side"),
        ("/api/partnerships?sort=colour", "sort"),
        ("/api/industries/xx/food", "scheme"),
        ("/api/regions/Not%20A%20Slug", "key"),
    ],
)
def test_bad_parameter_is_a_422_naming_it(client: TestClient, query: str, parameter: str) -> None:
    response = client.get(query)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert parameter in {e["parameter"] for e in body["errors"]}
    assert parameter in body["detail"]


def test_fiscal_years_count_when_no_start_year_is_known(client: TestClient) -> None:
    iwate = PARTNERSHIP + "rit-iwate-dalian"  # FY2007 start, listed for FY2007 and FY2008
    assert iwate in ids(get(client, "/api/partnerships", from_year=2008, limit=500))
    assert iwate not in ids(get(client, "/api/partnerships", from_year=2009, limit=500))
    empty = client.get("/api/partnerships", params={"from_year": 2007, "to_year": 2003})
    assert empty.status_code == 422  # an empty range is a mistake to report, not 0 rows
