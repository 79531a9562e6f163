"""The report's tables in Chromium: the data set page shows every cell and the totals."""

from __future__ import annotations


def test_a_data_set_page_shows_the_reports_cells_and_totals(sized_page, width, screenshot):
    page = sized_page
    page.goto("/id/dataset/survey-obstacles")
    table = page.locator("table#cube")
    assert table.locator("tbody tr").count() == 10  # 全体 and the 9 obstacles
    assert table.locator("thead th").count() == 11  # the label column, 合計 and 9 groups
    total = table.locator("tbody tr.total")
    assert total.locator("td").first.inner_text() == "131"
    assert table.locator("td.shade-1").count() > 0
    page.locator("details summary").click()
    assert page.locator("table.residuals").is_visible()
    screenshot(page, f"dataset-obstacles-{width}")


def test_the_tables_page_lists_every_table(page, screenshot):
    page.goto("/tables")
    assert page.locator("ul.cards li").count() >= 5
    screenshot(page, "tables-desktop")
