"""The server's pages in Chromium: they render at both widths, alone, with no console error."""

from __future__ import annotations


def test_home_page_renders_at_both_widths(sized_page, width, screenshot) -> None:
    response = sized_page.goto("/")
    assert response.status == 200
    assert sized_page.locator("h1").first.is_visible()
    screenshot(sized_page, f"home-{width}")
