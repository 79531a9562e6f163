"""Search and browse in Chromium: the search box on every page, facets, keyboard use."""

from __future__ import annotations

import pytest

PAGES = [
    "/",
    "/sparql",
    "/queries",
    "/queries/partners-of-region",
    "/tables",
    "/id/dataset/survey-obstacles",
    "/partnerships",
    "/regions",
    "/institutions",
    "/industries",
    "/activities",
    "/outcomes",
    "/id/region/cn-dalian",
    "/ontology",
    "/search?q=Dalian",
    "/no/such/page",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_search_box_and_stays_on_the_server(sized_page, width, path):
    if path == "/no/such/page":  # the HTML 404 page
        sized_page.watch.expect_error_status(path)
    sized_page.goto(path)
    box = sized_page.locator("form.search input[name=q]")
    assert box.is_visible()
    overflow = sized_page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{path} is wider than the {width} window by {overflow} px"


def test_the_search_box_finds_dalian_from_full_width_input(page, screenshot):
    page.goto("/tables")
    page.locator("form.search input[name=q]").fill("Ｄａｌｉａｎ")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=**")
    hits = page.locator("ol.hits li")
    assert hits.count() > 0
    assert "大連" in page.locator("ol.hits").inner_text()
    screenshot(page, "search-desktop")


def test_the_search_box_finds_daren_in_kanji_from_full_width(page):
    page.goto("/")
    page.locator("form.search input[name=q]").fill("大連")
    page.locator("form.search button").click()
    page.wait_for_url("**/search?q=**")
    assert page.locator("ol.hits li").count() > 0


def test_facets_narrow_the_partnerships(sized_page, width, screenshot):
    page = sized_page
    page.goto("/partnerships")
    page.locator(".facet a", has_text="LL事業").click()
    page.wait_for_url("**programme=ll**")
    assert "10 partnerships matching" in page.locator("main").inner_text()
    screenshot(page, f"partnerships-{width}")


def test_home_is_a_portal_usable_by_keyboard(page, screenshot):
    page.goto("/")
    screenshot(page, "home-portal-desktop")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("() => document.activeElement.className") == "skip"
    page.keyboard.press("Enter")  # skips the header: the next Tab is inside the content
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('href')") == "/sparql":
            break
    else:
        raise AssertionError("the editor's card is not reachable by Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sparql")
