"""Every page of the navigation in a real browser: it answers, speaks Chinese in real glyphs, draws its
charts, logs no error and fetches nothing from outside the platform (government intranets have no
internet). A screenshot of each page is kept for people to look at."""

from __future__ import annotations

import re

import pytest
from e2e_support import Watched, screenshot, sign_in_through_the_form, watch
from playwright.sync_api import Browser

from zhijiao.authz import Role, allows
from zhijiao.web.nav import NAV

CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_CHINESE_CHARACTERS = 10  # a page with a heading and a menu has far more; an error page in English none
CHARTS_DRAWN = "() => [...document.querySelectorAll('[data-chart]')].every(e => e.dataset.chartDrawn === 'true')"
CHART_SHAPES = """() => [...document.querySelectorAll('[data-chart]')].map(e => ({
    id: e.id, drawn: e.dataset.chartDrawn, shapes: e.querySelectorAll('svg path, svg rect, svg text').length}))"""
# Pages beyond the navigation: sign-in (visited anonymously), an article of the plan, the reports.
EXTRA = ("/plan/articles/art20",)
# The administrator's navigation; the consulted unit's page is visited as the unit (test_drafting_round.py).
ADMIN_PAGES = [item.path for item in NAV if item.permission is None or allows(Role.city_admin, item.permission)]
PAGES = ADMIN_PAGES + list(EXTRA)


def _name(path: str) -> str:
    return path.strip("/").replace("/", "-") or "home"


def _outside(watched: Watched, origin: str) -> list[str]:
    """Requests that left the platform. data: URLs are drawn in the page itself (ECharts' SVG), not fetched."""
    return [url for url in watched.requests if not url.startswith((f"{origin}/", "data:", "blob:"))]


def check_page(watched: Watched, origin: str, path: str) -> None:
    """Opens ``path`` and checks what every page owes its reader; keeps a screenshot."""
    page = watched.page
    watched.clear()
    response = page.goto(f"{origin}{path}")
    assert response is not None
    assert response.status == 200, f"{path}: HTTP {response.status}"
    page.wait_for_load_state("networkidle")
    try:
        page.wait_for_function(CHARTS_DRAWN, timeout=5_000)
    finally:
        screenshot(page, _name(path))
    charts = page.evaluate(CHART_SHAPES)
    assert [c for c in charts if c["drawn"] != "true" or c["shapes"] < 3] == [], f"{path}: charts not drawn"
    assert page.get_attribute("html", "lang") == "zh-CN"
    text = page.inner_text("body")
    assert len(CJK.findall(text)) >= MIN_CHINESE_CHARACTERS, f"{path}: little Chinese text"
    assert watched.errors == [], f"{path}: {watched.errors}"
    assert _outside(watched, origin) == [], f"{path}: requests left the platform"


@pytest.mark.parametrize("path", PAGES)
def test_each_page_renders_in_chinese_with_its_charts_and_nothing_from_outside(admin: Watched, server: str, path: str):
    check_page(admin, server, path)


def test_a_schools_page(admin: Watched, server: str):
    """The first school of the registry's list, reached the way a user does: by its link."""
    admin.page.goto(f"{server}/registry/schools")
    link = admin.page.locator("main a[href^='/registry/schools/']").first
    href = link.get_attribute("href")
    assert href, "the list links to each school's page"
    check_page(admin, server, href.split("?")[0])


def test_the_sign_in_page_to_a_visitor(visitor: Watched, server: str):
    check_page(visitor, server, "/login")
    assert visitor.page.locator("text=演示账号").is_visible()  # demo mode lists one account per role


def test_signing_in_through_the_form_opens_the_users_start_page(browser: Browser, server: str):
    context = browser.new_context(locale="zh-CN", base_url=server)
    context.set_default_timeout(10_000)
    try:
        watched = watch(context.new_page())
        sign_in_through_the_form(watched, server, "county")
        page = watched.page
        assert page.url == f"{server}/awards?view=todo"  # the county's review queue (issue 16)
        assert page.locator(".account .who").inner_text().startswith("瑞安市教育局经办人")
        assert watched.errors == []
    finally:
        context.close()


def test_a_wrong_password_is_refused_on_the_form(visitor: Watched, server: str):
    page = visitor.page
    page.goto(f"{server}/login")
    page.fill("input[name=username]", "auditor")  # not the administrator the other tests are signed in as
    page.fill("input[name=password]", "not-the-password")
    page.click("form[action='/login'] button[type=submit]")
    assert page.locator("[role=alert]").is_visible()
    assert CJK.search(page.locator("[role=alert]").inner_text())
    assert page.url.startswith(f"{server}/login")
