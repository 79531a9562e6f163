"""The SPARQL editor in Chromium: shared links, running an edited query, examples, downloads."""

from __future__ import annotations

from urllib.parse import quote

QUERY = """PREFIX llo: <https://w3id.org/llgraph/ontology#>
SELECT ?programme (COUNT(?p) AS ?n) WHERE { ?p a llo:Partnership ; llo:programme ?programme }
GROUP BY ?programme ORDER BY ?programme"""


def _table(page):
    page.wait_for_selector(".yasr table.dataTable tbody tr", timeout=20_000)
    return page.locator(".yasr table.dataTable tbody tr")


def test_a_shared_link_opens_the_editor_and_shows_the_result_table(sized_page, width, screenshot):
    page = sized_page
    response = page.goto("/sparql?query=" + quote(QUERY))
    assert response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    rows = _table(page)
    assert rows.count() == 2
    first = rows.first.locator("a.iri").first
    page.wait_for_function(
        "() => [...document.querySelectorAll('.yasr a.iri')]"
        ".some(a => !a.textContent.includes(':'))"
    )
    assert first.get_attribute("href").startswith("/id/programme/")
    screenshot(page, f"sparql-editor-{width}")


def test_running_an_edited_query_updates_table_and_link(page):
    page.goto("/sparql?query=" + quote(QUERY))
    _table(page)
    edited = (
        "SELECT (COUNT(*) AS ?partnerships) "
        "WHERE { ?p a <https://w3id.org/llgraph/ontology#Partnership> }"
    )
    page.locator(".yasqe .CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(edited)  # typed into the editor, then run by keyboard
    page.keyboard.press("Control+Enter")
    page.wait_for_function("() => location.search.includes('partnerships')")
    page.wait_for_function(
        "() => document.querySelectorAll('.yasr table.dataTable tbody tr').length === 1"
    )
    cell = page.locator(".yasr table.dataTable tbody tr td").nth(1).inner_text()
    assert int(cell.strip().strip('"').split('"')[0]) == 29  # the partnerships of the data
    csv = page.locator("#download-csv").get_attribute("href")
    assert csv.startswith("http://127.0.0.1") and csv.endswith("&format=csv")


def test_an_example_runs_a_named_query(page):
    page.goto("/sparql")
    page.select_option("#examples", "partnerships-by-programme")
    rows = _table(page)
    assert rows.count() >= 1


def test_machine_clients_still_get_results(server):
    import httpx

    answer = httpx.get(server + "/sparql", params={"query": QUERY}, headers={"Accept": "*/*"})
    assert answer.headers["content-type"].startswith("application/sparql-results+json")
