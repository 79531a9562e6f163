"""The /network page in Chromium: it draws what the API returns, plays the fiscal years,
opens a node's page on click, and fetches nothing from outside (the page fixture checks)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.request import urlopen

import pytest

CN = "https://w3id.org/llgraph/id/region/cn"
SETTLED = "#status[data-layout=stopped][data-total]"


def api_graph(server: str, projection: str, level: str = "") -> dict:
    query = f"?level={level}" if level else ""
    with urlopen(f"{server}/api/network/{projection}.json{query}", timeout=30) as response:
        return json.load(response)


def open_network(page, query: str = "") -> None:
    page.goto(f"/network{query}")
    page.wait_for_selector(SETTLED, state="attached", timeout=30_000)
    page.wait_for_selector("#sigma[data-drawn]", state="attached")


def test_default_view_draws_every_node_the_api_returns(sized_page, width, server, screenshot):
    page = sized_page
    open_network(page)
    expected = api_graph(server, "region-region", "bureau-area:country")
    status = page.locator("#status")
    assert int(status.get_attribute("data-total")) == len(expected["nodes"]) == 24
    assert int(page.locator("#sigma").get_attribute("data-drawn")) == len(expected["nodes"])
    assert int(status.get_attribute("data-edges")) == len(expected["edges"])
    drawn = page.evaluate("window.llgraphNetwork.graph().nodes().length")
    assert drawn == len(expected["nodes"])
    screenshot(page, f"network-{width}")


@pytest.mark.parametrize(
    ("query", "projection", "level"),
    [
        ("?projection=region-region&domestic=&overseas=", "region-region", ""),
        (
            "?projection=region-industry&domestic=prefecture&overseas=country",
            "region-industry",
            "prefecture:country",
        ),
        ("?projection=institution", "institution", ""),
        ("?projection=full", "full", ""),
    ],
)
def test_each_projection_draws_as_many_nodes_as_the_api(page, server, query, projection, level):
    open_network(page, query)
    expected = api_graph(server, projection, level)
    assert int(page.locator("#status").get_attribute("data-total")) == len(expected["nodes"])
    assert page.locator("#projection").input_value() == projection


def active_in(data: dict, year: int) -> set[str]:
    """The nodes active in ``year`` by the API's spells: their own years, or an edge's."""
    nodes = {n["id"] for n in data["nodes"] if year in (n.get("fiscal_years") or [])}
    for e in data["edges"]:
        if year in (e.get("fiscal_years") or []):
            nodes |= {e["source"], e["target"]}
    return nodes


def test_fy2007_shows_only_what_was_active(page, server, screenshot):
    open_network(page, "?projection=region-region&domestic=&overseas=")
    data = api_graph(server, "region-region")
    page.locator("#year").fill("2007")
    page.wait_for_function("document.querySelector('#year-label').textContent === 'FY2007'")
    shown = set(page.evaluate("window.llgraphNetwork.shown()"))
    assert shown == active_in(data, 2007)
    assert 0 < len(shown) < len(data["nodes"])
    assert not page.locator("#all-years").is_checked()
    assert "year=2007" in page.url  # the view is a link
    ll_only = [n["id"] for n in data["nodes"] if max(n["fiscal_years"]) < 2007]
    assert ll_only and not set(ll_only) & shown
    screenshot(page, "network-fy2007")
    page.locator("#all-years").check()
    assert len(page.evaluate("window.llgraphNetwork.shown()")) == len(data["nodes"])


def test_play_steps_through_the_years(page):
    open_network(page, "?year=2005")
    assert page.locator("#year-label").text_content() == "FY2005"
    page.locator("#play").click()
    page.wait_for_function("document.querySelector('#year-label').textContent === 'FY2006'")
    page.locator("#play").click()  # pause


def test_click_lists_partnerships_then_opens_the_node_page(page, server, screenshot):
    open_network(page)
    data = api_graph(server, "region-region", "bureau-area:country")
    china = next(n for n in data["nodes"] if n["id"] == CN)
    where = page.evaluate(f"window.llgraphNetwork.screenPosition({json.dumps(CN)})")
    page.mouse.click(where["x"], where["y"])
    items = page.locator("#partnership-list li")
    items.first.wait_for()
    assert items.count() == len(china["partnerships"])
    assert page.locator("#open-page").get_attribute("href") == "/id/region/cn"
    screenshot(page, "network-selected")
    page.mouse.click(where["x"], where["y"])
    page.wait_for_url("**/id/region/cn")
    assert "中国" in page.locator("h1").inner_text()


def test_search_finds_and_selects_a_node(page):
    open_network(page, "?lang=en")
    page.locator("#find").fill("China")
    page.locator("#find").press("Enter")
    page.locator("#selected h2").wait_for()
    assert page.locator("#selected h2").inner_text() == "China"


def test_downloads_of_the_view(page, server):
    open_network(page)
    gexf = page.locator("#dl-gexf").get_attribute("href")
    assert "layout=true" in gexf and "level=bureau-area%3Acountry" in gexf
    with urlopen(server + gexf, timeout=30) as response:
        assert b"viz:position" in response.read()
    with page.expect_download() as download:
        page.locator("#dl-svg").click()
    svg = Path(download.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and svg.count("<circle") == 24
    with page.expect_download() as download:
        page.locator("#dl-png").click()
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_graph_comes_gzipped_with_only_the_fast_scores(page, server):
    open_network(page)
    sent = page.evaluate(
        "performance.getEntriesByType('resource').filter((e) => e.name.includes('.json?'))"
        ".map((e) => [e.name, e.encodedBodySize, e.decodedBodySize])"
    )
    ((name, encoded, decoded),) = sent
    assert "metrics=degree" in name and "metrics=weighted-degree" in name
    assert 0 < encoded < decoded / 2  # gzip on the wire
    node = page.evaluate(f"window.llgraphNetwork.graph().getNodeAttributes('{CN}')")
    assert "weighted_degree" in node and "betweenness" not in node


def test_sizing_by_a_slow_metric_fetches_its_scores(page, server):
    open_network(page, "?lang=en")
    page.select_option("#size", "betweenness")
    page.wait_for_selector("#status:not([data-computing])", state="attached")
    has = f"window.llgraphNetwork.graph().getNodeAttribute('{CN}', 'betweenness')"
    for _ in range(100):
        if page.evaluate(has) is not None:
            break
        page.wait_for_timeout(100)
    url = f"{server}/api/network/region-region/scores?metric=betweenness&level=bureau-area:country"
    with urlopen(url, timeout=30) as response:
        scores = json.load(response)["values"]
    assert page.evaluate(has) == pytest.approx(scores[CN])
    assert "size=betweenness" in page.url
    assert page.locator("#legend").inner_text().count("betweenness") == 1


def test_the_layout_pauses_while_the_camera_moves(page):
    open_network(page, "?projection=region-region&domestic=&overseas=")
    page.locator("#relayout").click()  # run it again
    assert page.get_attribute("#status", "data-layout") == "running"
    page.evaluate(
        "window.llgraphNetwork.renderer().getCamera().setState({ratio: 0.8, x: 0.45, y: 0.5})"
    )
    assert page.evaluate("window.llgraphNetwork.layoutPaused()")
    page.wait_for_selector(SETTLED, state="attached", timeout=30_000)  # resumed, then done
    steps = page.evaluate("window.llgraphNetwork.layoutSteps")
    assert steps[-1]["type"] == "done" and steps[-1]["iterations"] > 0
    assert page.get_attribute("#sigma", "data-programs") == "full"  # small: circles and widths
