"""A whole consultation round in a real browser: the drafting staff write a plan and send its version to two
units, the unit's user submits its items before the deadline, the drafting staff propose dispositions (one by
hand, one from a template), the city administrator confirms them, and the plan's statistics and generated
drafting explanation state the counts. Screenshots of each step go next to the others."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from e2e_support import Watched, screenshot, sign_in_through_the_form, watch
from playwright.sync_api import Browser
from test_pages import check_page

from zhijiao.drafting.versions import wenzhou_today

CODE = "wenzhou-vet-2026-e2e"
TITLE = "温州市职业教育三年行动计划（2026—2028年）征求意见稿"
LINES = (
    "一、总体要求",
    "指导思想：坚持产教融合、校企合作。",
    "发展目标：到2028年，建成一批高水平职业学校和专业群。",
    "二、主要任务",
    "办学条件：改善中职学校办学条件。",
    "双师队伍：加强“双师型”教师队伍建设。",
    "三、保障措施",
    "经费保障：落实生均拨款制度。",
    "组织实施：各地制定实施方案。",
)
OUTLINE = "\n".join(LINES)
CHARTS_DRAWN = "s => [...document.querySelectorAll(s + ' [data-chart]')].every(e => e.dataset.chartDrawn === 'true')"


def _tab(browser: Browser, server: str, username: str) -> Iterator[Watched]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, base_url=server)
    context.set_default_timeout(15_000)
    watched = watch(context.new_page())
    sign_in_through_the_form(watched, server, username)
    yield watched
    context.close()


@pytest.fixture
def drafter(browser: Browser, server: str) -> Iterator[Watched]:
    yield from _tab(browser, server, "drafter")


@pytest.fixture
def unit(browser: Browser, server: str) -> Iterator[Watched]:
    yield from _tab(browser, server, "unit")


def _write_and_send(drafter: Watched, server: str) -> str:
    """The drafting staff write the plan and send its version to two units: the round's address."""
    page = drafter.page
    page.goto(f"{server}/drafting")
    page.fill("#new-plan input[name=title]", TITLE)
    page.fill("#new-plan input[name=code]", CODE)
    page.fill("#new-plan input[name=period]", "2026—2028")
    page.select_option("#new-plan select[name=stage]", "consultation")
    page.fill("#new-plan textarea[name=outline]", OUTLINE)
    with page.expect_navigation():
        page.click("[data-action=create-plan]")
    assert page.locator("article.draft-article").count() == 6
    assert page.inner_text("#article-4 h3") == "第4条双师队伍"
    screenshot(page, "drafting-1-version")

    deadline = wenzhou_today() + dt.timedelta(days=14)
    page.check("#send input[data-unit='市发改委']")
    page.check("#send input[data-unit='市经信局']")
    page.fill("#send input[name=deadline]", deadline.isoformat())
    with page.expect_navigation():
        page.click("[data-action=send]")
    assert "已发出征求意见，该版本已冻结。" in page.inner_text("#done")
    assert page.inner_text("#unit-count") == "2"
    screenshot(page, "drafting-2-round-sent")
    return page.url.split("?")[0]


def _unit_replies(unit: Watched, server: str, round_id: str) -> None:
    mine = unit.page
    mine.goto(f"{server}/consultations")
    mine.click(f"tr[data-round='{round_id}'] a")
    mine.wait_for_selector("#reply-form")
    mine.locator("#reply-form select[name=article]").nth(0).select_option("4")
    texts = mine.locator("#reply-form textarea[name=text]")
    texts.nth(0).fill("建议明确“双师型”教师的认定标准。")
    texts.nth(1).fill("建议增加对山区县的倾斜支持。")  # on the whole text
    with mine.expect_navigation():
        mine.click("[data-action=submit-items]")
    assert "已提交意见。" in mine.inner_text("#done")
    assert mine.locator("#mine tr[data-item]").count() == 2
    assert "第4条 双师队伍" in mine.inner_text("#mine")
    screenshot(mine, "drafting-3-unit-reply")


def _propose(drafter: Watched, round_url: str) -> None:
    """One disposition by hand with its reason, one from a template."""
    page = drafter.page
    page.goto(round_url)
    first_item = page.locator("tr[data-item]").nth(0)
    first_item.locator("summary").click()
    first_item.locator("select[name=disposition]").select_option("partially_adopted")
    first_item.locator("input[name=reason]").fill("认定标准将在配套文件中明确，本条作原则性规定。")
    with page.expect_navigation():
        first_item.locator("[data-action=propose]").click()
    page.locator("tr[data-item]").nth(1).locator("input[type=checkbox]").check()
    page.select_option("#bulk-propose select[name=template]", "not_scope")
    with page.expect_navigation():
        page.click("[data-action=bulk-propose]")
    assert page.locator("tr[data-disposition=partially_adopted]").count() == 1
    assert page.locator("tr[data-disposition=not_adopted]").count() == 1
    screenshot(page, "drafting-4-proposed")


def _confirm_and_count(admin: Watched, round_url: str) -> None:
    page = admin.page
    page.goto(round_url)
    for box in page.locator("tr[data-item] input[type=checkbox]").all():
        box.check()
    with page.expect_navigation():
        page.click("[data-action=bulk-confirm]")
    assert "已确认处理意见。" in page.inner_text("#done")
    assert page.locator("[data-action=confirm]").count() == 0  # nothing left to confirm
    screenshot(page, "drafting-5-confirmed")

    page.click("main > p:first-child a")  # back to the plan
    page.wait_for_function(CHARTS_DRAWN, arg="#statistics")
    assert page.inner_text("#kpi-units") == "2"
    assert page.inner_text("#kpi-items") == "2"
    explanation = page.inner_text(".explanation-text")
    assert "向2家单位发函征求意见，共收到反馈意见2条，拟采纳0条，拟部分采纳1条，拟不采纳1条。" in explanation
    cells = [
        f"#by-disposition tr[data-disposition={d}] td.num" for d in ("adopted", "partially_adopted", "not_adopted")
    ]
    assert [page.inner_text(cell) for cell in cells] == ["0", "1", "1"]
    screenshot(page, "drafting-6-statistics")


def test_a_round_from_sending_to_the_generated_statistics(drafter: Watched, unit: Watched, admin: Watched, server: str):
    admin.clear()
    round_url = _write_and_send(drafter, server)
    _unit_replies(unit, server, round_url.rsplit("/", 1)[1])
    _propose(drafter, round_url)
    _confirm_and_count(admin, round_url)
    assert drafter.errors == []
    assert unit.errors == []
    assert admin.errors == []


@pytest.mark.parametrize("path", ["/consultations", "/drafting/units"])
def test_the_units_pages_render_like_every_page(unit: Watched, drafter: Watched, server: str, path: str):
    """/consultations is the consulted unit's page (the administrator's role does not open it): checked as the unit."""
    check_page(unit if path == "/consultations" else drafter, server, path)
