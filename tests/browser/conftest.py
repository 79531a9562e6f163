"""Browser tests: `llgraph serve` on a free port, driven by Playwright through Debian's Chromium.

Playwright cannot download its own browser here, so the system ``chromium`` (or the one named
by LLGRAPH_CHROMIUM) is launched. Without it the tests skip saying so; under CI=true they fail.
A test fails when its page logs a console error or requests anything from another host.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest
from processes import CHROMIUM_ARGS, chromium_path, clean_env, free_port

SCREENSHOTS = Path(__file__).parent / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run; `make system-deps` installs it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium per test module. Not one per session: query workers that
    later tests fork inherit Playwright's pipes, and its exit would wait for them."""
    executable = chromium_path()
    if executable is None:
        _missing("chromium is missing (Debian: apt-get install chromium, or `make system-deps`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed: pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _up(url: str) -> bool:
    try:
        with urlopen(url + "/api/programmes", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`llgraph serve` (Oxigraph in memory, one worker) on a free 127.0.0.1 port; its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = clean_env()
    command = [sys.executable, "-m", "llgraph", "--store", "oxigraph", "serve"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while not _up(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"llgraph serve did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass
class Watch:
    """What a page did that a test must not allow: console errors and foreign requests."""

    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)

    def expect_error_status(self, url: str) -> None:
        """The page at ``url`` answers an error status on purpose (an error page test):
        Chromium's "Failed to load resource" for that document is no fault."""
        self.expected.append(url)

    def faults(self) -> list[str]:
        """The console errors, less the expected error statuses."""
        return [
            e
            for e in self.errors
            if not (e.startswith("Failed to load resource") and any(u in e for u in self.expected))
        ]


def _watch(page: object, server: str) -> Watch:
    watch = Watch()
    own = urlsplit(server).netloc

    def on_request(route: object) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own:
            watch.foreign.append(url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", on_request)
    page.on("console", lambda m: m.type == "error" and watch.errors.append(_console(m)))
    page.on("pageerror", lambda e: watch.errors.append(f"uncaught: {e}"))
    return watch


def _console(message: object) -> str:
    where = message.location or {}
    return f"{message.text} ({where.get('url', '')}:{where.get('lineNumber', '')})"


@pytest.fixture(params=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> str:
    """Run a test at both widths: ``desktop`` (1280 px) and ``phone`` (390 px)."""
    return request.param


def _page(browser: object, server: str, size: tuple[int, int]) -> Iterator[object]:
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]}, base_url=server, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.watch = _watch(page, server)
    yield page
    context.close()
    assert not page.watch.foreign, f"requests outside the server: {page.watch.foreign}"
    assert not page.watch.faults(), f"console errors: {page.watch.faults()}"


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    """A 1280 px page on the server; fails the test on a console error or a foreign request."""
    yield from _page(browser, server, WIDTHS["desktop"])


@pytest.fixture
def sized_page(browser: object, server: str, width: str) -> Iterator[object]:
    """Like ``page``, once per width in WIDTHS (``width`` names it)."""
    yield from _page(browser, server, WIDTHS[width])


def save_screenshot(page: object, name: str) -> Path:
    """Save a full-page screenshot as tests/browser/screenshots/NAME.png (ignored by git)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot() -> Callable[[object, str], Path]:
    """``screenshot(page, name)`` saves the page as tests/browser/screenshots/NAME.png."""
    return save_screenshot
