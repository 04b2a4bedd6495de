"""Browser tests: the real app served by uvicorn over a copy of the demo city, driven by Debian's Chromium.

One server and one browser for the whole run; a signed-in context for the administrator and a fresh one
for anonymous visitors. What the tests use besides fixtures is in ``e2e_support.py``.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from e2e_support import Watched, sign_in_through_the_form, watch
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from zhijiao.cli.platform import create_app
from zhijiao.storage.database import engine_for

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 900}
STARTUP_SECONDS = 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def server(sqlite_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The platform on a free port of 127.0.0.1, in a thread of this process: its origin."""
    path = tmp_path_factory.mktemp("e2e") / "demo.sqlite3"
    shutil.copy(sqlite_demo, path)
    engine = engine_for(f"sqlite:///{path}")
    port = _free_port()
    config = uvicorn.Config(create_app(engine, demo=True), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, name="uvicorn-e2e", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not instance.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the platform did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: `make test` installs chromium (target system)")
        pytest.skip("no Chromium: run through `make test`, which installs it")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield instance
    instance.close()


def _context(browser: Browser, server: str) -> BrowserContext:
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORT, base_url=server, accept_downloads=True)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture(scope="session")
def admin(browser: Browser, server: str) -> Iterator[Watched]:
    """The city administrator's tab, signed in through the sign-in form once for the whole run."""
    context = _context(browser, server)
    watched = watch(context.new_page())
    sign_in_through_the_form(watched, server, "admin")
    yield watched
    context.close()


@pytest.fixture
def visitor(browser: Browser, server: str) -> Iterator[Watched]:
    """A visitor who has not signed in, in a context of its own (no cookies)."""
    context = _context(browser, server)
    yield watch(context.new_page())
    context.close()
