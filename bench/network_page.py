"""The /network page at scale, in Chromium: payload, time to first picture, layout, frame rate.

    python -m bench.network_page [--triples 750000] [--projection full]

Synthetic data of ``--triples`` (``bench/generate.py``, seed 1, under ``bench/data/``) is
loaded with ``data/ttl`` into an Oxigraph store (not validated again: the generator's output
conforms, see its tests), served by the real app on 127.0.0.1 in this process, and the page
is opened on the chosen projection in headless Chromium (Playwright, the system chromium).
Prints the figures as JSON; ``bench/RESULTS.md`` keeps them. Software WebGL (SwiftShader)
in headless Chromium: a desktop GPU draws faster. ``floor`` is the frame rate of the same
camera moves with every node and edge hidden: what this browser and machine give at best.
"""

from __future__ import annotations

import argparse
import json
import shutil
import threading
import time
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

import uvicorn
from rdflib import Graph

from bench.common import bench_settings, data_files, free_port
from bench.generate import BENCH_DATA, generate
from llgraph.store import open_store
from llgraph.web.app import create_app

__all__ = ["measure"]

FRAMES_JS = """async (ms) => {
  const r = window.llgraphNetwork.renderer();
  let renders = 0, frames = 0, done = false, began = 0;
  const costs = [];
  const onBefore = () => { began = performance.now(); };
  const onRender = () => { renders += 1; costs.push(performance.now() - began); };
  r.on("beforeRender", onBefore);
  r.on("afterRender", onRender);
  const tick = () => { frames += 1; if (!done) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const cam = r.getCamera(), start = performance.now();
  const step = async (state) => new Promise((ok) => cam.animate(state, { duration: ms / 4 }, ok));
  await step({ ratio: 0.35, x: 0.4, y: 0.45 });
  await step({ x: 0.6, y: 0.55 });
  await step({ ratio: 1.2, x: 0.5, y: 0.5 });
  await step({ ratio: 1, x: 0.5, y: 0.5 });
  done = true;
  r.off("afterRender", onRender);
  r.off("beforeRender", onBefore);
  const seconds = (performance.now() - start) / 1000;
  costs.sort((a, b) => a - b);
  const median = costs.length ? costs[Math.floor(costs.length / 2)] : null;
  return { seconds, renders_per_s: renders / seconds, frames_per_s: frames / seconds,
           main_thread_ms_per_render_p50: median };
}"""
IDLE_FRAMES_JS = """async (ms) => {
  const r = window.llgraphNetwork.renderer();
  let renders = 0, frames = 0, done = false;
  const onRender = () => { renders += 1; };
  r.on("afterRender", onRender);
  const tick = () => { frames += 1; if (!done) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  await new Promise((ok) => setTimeout(ok, ms));
  done = true;
  r.off("afterRender", onRender);
  return { renders_per_s: renders * 1000 / ms, frames_per_s: frames * 1000 / ms };
}"""
PAYLOAD_JS = """() => performance.getEntriesByType("navigation").concat(
  performance.getEntriesByType("resource")).map((e) => ({
    name: e.name, bytes: e.encodedBodySize, decoded: e.decodedBodySize, ms: e.duration }))"""
HIDE_ALL_JS = """() => { const r = window.llgraphNetwork.renderer();
  r.setSetting("edgeReducer", (e, a) => ({ ...a, hidden: true }));
  r.setSetting("nodeReducer", (n, a) => ({ ...a, hidden: true })); }"""
STEPS_JS = "window.llgraphNetwork.layoutSteps"
WEBGL_JS = """() => { const gl = document.createElement("canvas").getContext("webgl2");
  const info = gl.getExtension("WEBGL_debug_renderer_info");
  return { renderer: gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER),
           device_pixel_ratio: devicePixelRatio }; }"""


def _serve(data_dir: Path) -> tuple[uvicorn.Server, str, threading.Thread]:
    settings = bench_settings(data_dir, store="oxigraph")
    store = open_store("oxigraph")
    started = time.perf_counter()
    store.replace(Graph(), fingerprint="bench-network", files=data_files(settings))
    print(f"loaded in {time.perf_counter() - started:.1f} s", flush=True)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, store=store), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}", thread


def _open(page: Any, url: str) -> dict[str, Any]:
    page.goto(url)
    page.wait_for_selector("#sigma[data-drawn]", state="attached", timeout=600_000)
    first = page.evaluate("window.llgraphNetwork.firstPicture")
    resources = page.evaluate(PAYLOAD_JS)
    steps = page.evaluate("window.llgraphNetwork.timings")
    return {
        "first_picture_s": round(first / 1000, 2),
        "steps_s": {k: round(v / 1000, 2) for k, v in steps.items()},
        "resources": resources,
    }


def _layout(page: Any) -> dict[str, Any]:
    """While the worker lays out: how fast the page answers, its idle frame rate, and pan and
    zoom (the layout pauses meanwhile); then how long the layout ran and why it stopped."""
    answers, during = [], None
    while page.get_attribute("#status", "data-layout") == "running":
        started = time.perf_counter()
        page.evaluate("1")
        answers.append(time.perf_counter() - started)
        if during is None and len(answers) > 2:
            during = {
                "idle": page.evaluate(IDLE_FRAMES_JS, 1000),
                "pan_zoom": page.evaluate(FRAMES_JS, 2000),
            }
        time.sleep(0.5)
    steps = page.evaluate(STEPS_JS)
    last = steps[-1] if steps else {}
    return {
        "layout_wall_s": round(last.get("ms", 0) / 1000, 1),
        "layout_running_s": round(last.get("runMs", 0) / 1000, 1),
        "layout_iterations": last.get("iterations"),
        "layout_stopped_because": last.get("reason"),
        "layout_updates": len(steps),
        "movement_per_iteration": [s["moved"] and round(s["moved"], 6) for s in steps],
        "page_answer_ms_while_layout": {
            "median": round(1000 * sorted(answers)[len(answers) // 2], 1) if answers else None,
            "max": round(1000 * max(answers), 1) if answers else None,
        },
        "while_layout": during,
    }


def _metric_on_demand(page: Any, metric: str) -> float:
    """Seconds from picking ``metric`` as the size to the page having its scores."""
    started = time.perf_counter()
    page.select_option("#size", metric)
    has = f"window.llgraphNetwork.graph().someNode((n, a) => a[{json.dumps(metric)}] !== undefined)"
    while not page.evaluate(has):  # wait_for_function would eval, which the page's CSP forbids
        time.sleep(0.2)
    return round(time.perf_counter() - started, 1)


def measure(data_dir: Path, projection: str) -> dict[str, Any]:
    """Open the page on ``projection`` twice (cold server, then warm) and measure it."""
    from playwright.sync_api import sync_playwright

    server, url, thread = _serve(data_dir)
    result: dict[str, Any] = {"projection": projection}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=shutil.which("chromium"), args=["--headless", "--no-sandbox"]
            )
            result["webgl"] = _webgl(browser)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            started = time.perf_counter()
            cold = _open(page, f"{url}/network?projection={projection}&lang=en")
            result["cold_first_picture_wall_s"] = round(time.perf_counter() - started, 1)
            result["cold"] = {k: cold[k] for k in ("first_picture_s", "steps_s")}
            result.update(_layout(page))
            result["pan_zoom"] = page.evaluate(FRAMES_JS, 4000)
            result["betweenness_on_demand_s"] = _metric_on_demand(page, "betweenness")
            page.evaluate(HIDE_ALL_JS)
            result["floor"] = page.evaluate(FRAMES_JS, 4000)
            result["nodes"] = int(page.get_attribute("#status", "data-total"))
            result["edges"] = page.evaluate("window.llgraphNetwork.graph().size")
            page.close()
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            warm = _open(page, f"{url}/network?projection={projection}&lang=en")
            result["warm"] = {k: warm[k] for k in ("first_picture_s", "steps_s")}
            result["payload"] = _payload(warm["resources"])
            for name, query in (("json", ""), ("compact_json", "&compact=true")):
                address = f"{url}/api/network/{projection}.json?lang=en{query}"
                result[f"{name}_bytes"] = _size(address, "identity")
                result[f"{name}_gzip_bytes"] = _size(address, "gzip")
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return result


def _size(address: str, encoding: str) -> int:
    """The bytes the server sends for ``address`` to a client accepting ``encoding``."""
    with urlopen(Request(address, headers={"Accept-Encoding": encoding}), timeout=600) as response:
        assert (response.headers.get("Content-Encoding") == "gzip") is (encoding == "gzip")
        return len(response.read())


def _webgl(browser: Any) -> dict[str, Any]:
    """The WebGL renderer this Chromium draws with (SwiftShader: software)."""
    page = browser.new_page()
    found = page.evaluate(WEBGL_JS)
    page.close()
    return found


def _payload(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "bytes_sent": sum(r["bytes"] for r in resources),
        "bytes_decoded": sum(r["decoded"] for r in resources),
        "files": len(resources),
        "largest": sorted(
            (
                {"name": r["name"].split("/")[-1][:60], "sent": r["bytes"], "decoded": r["decoded"]}
                for r in resources
            ),
            key=lambda r: -r["decoded"],
        )[:5],
    }


def main() -> None:
    """Generate (once) and measure; print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=750_000)
    parser.add_argument("--projection", default="full")
    args = parser.parse_args()
    data_dir = BENCH_DATA / f"network-{args.triples}"
    if not data_dir.is_dir():
        generate(args.triples, seed=1, out=data_dir)
    print(json.dumps(measure(data_dir, args.projection), indent=1))


if __name__ == "__main__":
    main()
