"""What the browser tests share besides fixtures: watching a page, signing in, screenshots.

Screenshots go to ``var/screenshots/`` (ignored by git), or to ``ZHIJIAO_SCREENSHOTS`` when set.
Imported as ``e2e_support`` (a name no other test folder uses: ``conftest`` would be ambiguous).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import ConsoleMessage, Page, Request

from zhijiao.demo.accounts import DEMO_PASSWORD

SCREENSHOTS = Path(os.environ.get("ZHIJIAO_SCREENSHOTS") or Path(__file__).parents[2] / "var" / "screenshots")


@dataclass
class Watched:
    """A page with what it did: console errors, uncaught exceptions, every request it made."""

    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.errors.clear()
        self.requests.clear()


def watch(page: Page) -> Watched:
    watched = Watched(page)

    def console(message: ConsoleMessage) -> None:
        source = message.location.get("url", "")
        # Chromium asks every site for /favicon.ico on its own; the platform has none yet (not a page's error).
        if message.type == "error" and not source.endswith("/favicon.ico"):
            watched.errors.append(f"console: {message.text} @ {source}")

    def request(sent: Request) -> None:
        watched.requests.append(sent.url)

    page.on("console", console)
    page.on("pageerror", lambda error: watched.errors.append(f"page error: {error}"))
    page.on("request", request)
    return watched


def sign_in_through_the_form(watched: Watched, server: str, username: str) -> None:
    page = watched.page
    page.goto(f"{server}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
