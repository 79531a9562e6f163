"""Named-query pages in Chromium: the form's choice list runs the query with that value."""

from __future__ import annotations


def test_a_named_query_form_gives_the_rows_of_the_chosen_value(sized_page, width, screenshot):
    page = sized_page
    page.goto("/queries/partnerships-by-programme")
    assert page.locator("table.results tbody tr").count() == 19  # default: RIT, 19 themes
    page.select_option("#param-programme", "id:programme/ll")
    page.locator("form.params button[type=submit]").click()
    page.wait_for_url("**programme=id%3Aprogramme%2Fll**")
    assert page.locator("table.results tbody tr").count() == 10
    screenshot(page, f"query-page-{width}")


def test_the_form_works_by_keyboard(page):
    page.goto("/queries/partners-of-region")
    page.locator("#param-name").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("スイス")
    page.keyboard.press("Enter")
    page.wait_for_url("**name=**")
    assert page.locator("table.results tbody tr").count() > 0
    assert "スイス" in page.locator("table.results").inner_text()
