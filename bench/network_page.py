"""The /network page at scale, in Chromium: payload, time to first picture, layout, frame rate.

    python -m bench.network_page [--triples 750000] [--projection full]

Synthetic data of ``--triples`` (``bench/generate.py``, seed 1, under ``bench/data/``) is
loaded with ``data/ttl`` into an Oxigraph store (not validated again: the generator's output
conforms, see its tests), served by the real app on 127.0.0.1 in this process, and the page
is opened on the chosen projection in headless Chromium (Playwright, the system chromium).
Prints the figures as JSON; ``bench/RESULTS.md`` keeps them. Software WebGL (SwiftShader)
in headless Chromium: a desktop GPU draws faster.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import threading
import time
from pathlib import Path
from typing import Any
from urllib.request import urlopen

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
MOVEMENT_JS = """() => {
  const g = window.llgraphNetwork.graph(), xs = [];
  g.forEachNode((n, a) => xs.push([a.x, a.y]));
  return xs;
}"""
PAYLOAD_JS = """() => performance.getEntriesByType("navigation").concat(
  performance.getEntriesByType("resource")).map((e) => ({
    name: e.name, bytes: e.encodedBodySize, transfer: e.transferSize, ms: e.duration }))"""


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


def _movement(before: list, after: list) -> float:
    """Mean node displacement between two samples, as a share of the drawing's width."""
    xs = [x for x, _ in after]
    width = (max(xs) - min(xs)) or 1.0
    moved = [
        ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 for a, b in zip(before, after, strict=True)
    ]
    return sum(moved) / len(moved) / width


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
    """While the worker lays out: redraws per second, and how far nodes move per second."""
    trace, before = [], page.evaluate(MOVEMENT_JS)
    while page.get_attribute("#status", "data-layout") == "running":
        time.sleep(1.0)
        after = page.evaluate(MOVEMENT_JS)
        trace.append(round(_movement(before, after), 4))
        before = after
    probe = page.evaluate(
        "(({layoutStopped: b, layoutStarted: a, layoutRenders: n}) => ({s: (b - a) / 1000, n}))"
        "(window.llgraphNetwork)"
    )
    return {
        "layout_s": round(probe["s"], 1),
        "renders_per_s_while_layout": round(probe["n"] / probe["s"], 1),
        "movement_per_s": trace,
        "idle": page.evaluate(IDLE_FRAMES_JS, 2000),
    }


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
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            started = time.perf_counter()
            cold = _open(page, f"{url}/network?projection={projection}&lang=en")
            result["cold_first_picture_wall_s"] = round(time.perf_counter() - started, 1)
            result["cold"] = {k: cold[k] for k in ("first_picture_s", "steps_s")}
            result.update(_layout(page))
            result["pan_zoom"] = page.evaluate(FRAMES_JS, 4000)
            result["nodes"] = int(page.get_attribute("#status", "data-total"))
            result["edges"] = page.evaluate("window.llgraphNetwork.graph().size")
            page.close()
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            warm = _open(page, f"{url}/network?projection={projection}&lang=en")
            result["warm"] = {k: warm[k] for k in ("first_picture_s", "steps_s")}
            result["payload"] = _payload(warm["resources"])
            for name, query in (("json", ""), ("compact_json", "&compact=true")):
                address = f"{url}/api/network/{projection}.json?lang=en{query}"
                with urlopen(address, timeout=600) as response:
                    body = response.read()
                result[f"{name}_bytes"] = len(body)
                result[f"{name}_gzip_bytes"] = len(gzip.compress(body, 6))
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return result


def _payload(resources: list[dict[str, Any]]) -> dict[str, Any]:
    total = sum(r["bytes"] for r in resources)
    return {
        "bytes": total,
        "files": len(resources),
        "largest": sorted(
            ({"name": r["name"].split("/")[-1][:60], "bytes": r["bytes"]} for r in resources),
            key=lambda r: -r["bytes"],
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
