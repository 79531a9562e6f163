"""``python -m bench.pages`` (``make bench-pages``): page timings in Chromium on loopback.

Starts ``llgraph serve`` (Oxigraph, 2 HTTP workers) on a free port and drives Debian's
Chromium (or LLGRAPH_CHROMIUM) with Playwright. Each run opens a new browser context
(an empty cache, as a first visit) and measures:

* a shared ``/sparql?query=`` link: from navigation start to the first row of the result
  table (target < 1.5 s);
* a data set page (``/id/dataset/survey-obstacles``): to its table (target < 0.5 s);

and the bytes each page transferred (document and every resource). Prints a table and the
JSON of the figures (median and worst of ``--runs``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from processes import CHROMIUM_ARGS, chromium_path, clean_env, free_port  # noqa: E402

QUERY = """PREFIX llo: <https://w3id.org/llgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?partnership ?label ?programme WHERE {
  ?partnership a llo:Partnership ; rdfs:label ?label ; llo:programme ?programme .
  FILTER (lang(?label) = "en")
} ORDER BY ?partnership"""
PAGES = {
    "shared /sparql?query= link": (
        "/sparql?query=" + quote(QUERY),
        ".yasr table.dataTable tbody tr",
        1.5,
    ),
    "data set page": ("/id/dataset/survey-obstacles", "table#cube tbody tr", 0.5),
}
_BYTES = """() => performance.getEntriesByType('navigation').concat(
  performance.getEntriesByType('resource')).reduce((n, e) => n + (e.transferSize || 0), 0)"""


def _serve(port: int) -> subprocess.Popen:
    env = clean_env()
    command = [
        sys.executable,
        "-m",
        "llgraph",
        "--store",
        "oxigraph",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urlopen(f"http://127.0.0.1:{port}/api/programmes", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("llgraph serve did not start")


def _measure(browser, base: str, path: str, selector: str) -> tuple[float, int]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(base + path, wait_until="commit")
    page.wait_for_selector(selector, timeout=30_000)
    seconds = time.perf_counter() - started
    page.wait_for_load_state("networkidle")
    loaded = int(page.evaluate(_BYTES))
    context.close()
    return seconds, loaded


def main() -> int:
    """Measure every page ``--runs`` times; print the table and the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    chromium = chromium_path()
    if not chromium:
        raise SystemExit("chromium is missing (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = _serve(port)
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            base = f"http://127.0.0.1:{port}"
            for name, (path, selector, target) in PAGES.items():
                _measure(browser, base, path, selector)  # the server's first answer: not timed
                runs = [_measure(browser, base, path, selector) for _ in range(args.runs)]
                times = [t for t, _ in runs]
                results[name] = {
                    "median_s": round(statistics.median(times), 3),
                    "worst_s": round(max(times), 3),
                    "target_s": target,
                    "bytes": runs[-1][1],
                    "runs": args.runs,
                }
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    for name, r in results.items():
        verdict = "ok" if r["median_s"] < r["target_s"] else "OVER TARGET"
        print(
            f"{name:<28} median {r['median_s']:.3f} s  worst {r['worst_s']:.3f} s  "
            f"target {r['target_s']} s  {r['bytes'] / 1024:.0f} KiB  {verdict}"
        )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
