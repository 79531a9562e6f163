"""The report's tables as pages: cells, totals, unit, base, shading, CSV, association figures."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from llgraph.web.routes.cube_table import shade_of

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
OBSTACLES = "/id/dataset/survey-obstacles"


def test_the_shading_follows_the_reports_legend() -> None:
    assert [shade_of(n, 100) for n in (10, 33, 49, 50, 65, 66, 100)] == [0, 1, 1, 2, 2, 3, 3]
    assert shade_of(None, 10) == 0 and shade_of(3, None) == 0


def test_a_data_set_page_shows_the_printed_table(client: TestClient) -> None:
    response = client.get(OBSTACLES, headers={"Accept": BROWSER})
    html = response.text
    assert response.status_code == 200 and "Content-Security-Policy" in response.headers
    assert "交流相手先との意思疎通" in html and "communication with the exchange partner" in html
    assert "全体" in html and "合計" in html and "Respondent base: <strong>131</strong>" in html
    assert '<td class="num shade-1" title="33.6 % of 131">44</td>' in html  # 44 of 131
    assert "Cramér's V" in html and "p-value" in html and "no p-value is shown" in html


def test_the_csv_is_the_table_as_printed(client: TestClient) -> None:
    response = client.get("/tables/survey-obstacles.csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:4] == ["row_ja", "row_en", "合計", "IT産業"]
    assert rows[1][:4] == ["全体", "all respondents", "131", "29"]
    first = ["交流相手先との意思疎通", "communication with the exchange partner", "44"]
    assert rows[2][:3] == first
    assert len(rows) == 11


def test_a_table_without_printed_totals_says_so(client: TestClient) -> None:
    html = client.get("/id/dataset/survey-involvement-outcomes", headers={"Accept": BROWSER}).text
    assert "Respondent base: <strong>not printed</strong>" in html


def test_tables_lists_the_data_sets_and_the_charts_without_figures(client: TestClient) -> None:
    html = client.get("/tables", headers={"Accept": BROWSER}).text
    assert 'href="/id/dataset/survey-obstacles"' in html
    assert 'href="/id/report/jetro-2008/spillover-effects-1"' in html
    assert "does not give their numbers" in html


def test_rdf_clients_still_get_the_data_set_as_rdf(client: TestClient) -> None:
    response = client.get(OBSTACLES, headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
