"""Money in a real browser, by three people: the city administrator runs the proactive awards, the county
officer reviews one, the city administrator approves it and prepares a batch, the finance officer releases
the batch, and the ledger page shows the payment at the decision's amount. Then money back, by two people
too: the finance officer proposes a reversal, a second finance officer confirms it, and the payment nets out
of the ledger. A screenshot of each step."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from e2e_support import Watched, screenshot, sign_in_through_the_form, watch
from playwright.sync_api import Browser, BrowserContext

YEAR = "2024"
COUNTY = "330381"  # 瑞安市, the demo county officer's county
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture
def tab(browser: Browser, server: str) -> Iterator[Callable[[str], Watched]]:
    """A signed-in tab per persona, each in a browser context of its own (its own cookies)."""
    contexts: list[BrowserContext] = []

    def open_as(username: str) -> Watched:
        context = browser.new_context(locale="zh-CN", viewport=VIEWPORT, base_url=server)
        context.set_default_timeout(20_000)
        contexts.append(context)
        watched = watch(context.new_page())
        sign_in_through_the_form(watched, server, username)
        return watched

    yield open_as
    for context in contexts:
        context.close()


def _click_and_wait(watched: Watched, selector: str) -> None:
    with watched.page.expect_navigation():
        watched.page.click(selector)


def _city_runs_proactive_awards(admin: Watched, server: str) -> None:
    page = admin.page
    page.goto(f"{server}/awards")
    page.select_option("#proactive select[name=year]", YEAR)
    _click_and_wait(admin, "#run-proactive")
    created = re.search(r"新生成(\d+)项", page.inner_text("#proactive-result"))
    assert created
    assert int(created.group(1)) > 0
    screenshot(page, "fulfilment-1-proactive-run")


def _county_reviews_a_subsidy(county: Watched, server: str) -> tuple[str, str]:
    """The officer finds an integration-enterprise subsidy in its queue and passes the review: (number, url)."""
    page = county.page
    page.goto(f"{server}/awards")
    row = page.locator("#awards tbody tr", has_text="第七条").first
    number = row.get_attribute("data-award")
    assert number
    assert number.startswith(f"MS{YEAR}-")
    screenshot(page, "fulfilment-2-county-queue")
    with page.expect_navigation():
        row.locator("a").first.click()
    page.fill("form[action$='/county-approve'] input[name=note]", "认定文件与登记一致")
    _click_and_wait(county, "button[data-action=county_approve]")
    assert page.inner_text("#award-status") == "县级已审核"
    screenshot(page, "fulfilment-3-county-reviewed")
    return number, page.url.split("?", 1)[0]


def _city_approves_and_batches(admin: Watched, number: str, award_url: str) -> tuple[int, str]:
    """The amount is frozen on approval; the batch for the county's finance declares it: (amount, batch url)."""
    page = admin.page
    page.goto(award_url)
    _click_and_wait(admin, "button[data-action=city_approve]")
    assert page.inner_text("#award-status") == "市级已审批"
    amount = int(page.get_attribute("#decision-amount", "data-fen") or "0")
    assert amount > 0
    assert "第七条" in page.inner_text("#decision-steps")
    screenshot(page, "fulfilment-4-city-approved")
    _click_and_wait(admin, "a[data-action=schedule_payment]")
    assert page.url.endswith(f"/batches?payer=county:{COUNTY}")
    assert page.locator(f"#candidates tr[data-award='{number}']").count() == 1
    page.fill("input[name=declared_count]", "1")
    page.fill("input[name=declared_total]", f"{amount // 100}.{amount % 100:02d}")
    screenshot(page, "fulfilment-5-batch-declared")
    _click_and_wait(admin, "#prepare-batch")
    assert re.search(r"/batches/\d+", page.url)
    assert page.locator("#release-batch").count() == 0  # whoever prepares does not release
    return amount, page.url.split("?", 1)[0]


def test_three_officials_take_a_proactive_award_to_payment(tab: Callable[[str], Watched], server: str):
    admin, county, finance = tab("admin"), tab("county"), tab("finance")
    _city_runs_proactive_awards(admin, server)
    number, award_url = _county_reviews_a_subsidy(county, server)
    amount, batch_url = _city_approves_and_batches(admin, number, award_url)

    # The finance officer releases the batch; the ledger shows the payment, to the fen.
    page = finance.page
    page.goto(batch_url)
    screenshot(page, "fulfilment-6-batch-to-release")
    _click_and_wait(finance, "#release-batch")
    assert "批次已拨付" in page.inner_text("#done")
    assert page.inner_text("#batch-status") == "已拨付"
    page.goto(f"{server}/ledger?year={YEAR}")
    payment = page.locator("#ledger-rows tr[data-kind=payment]", has_text=number)
    assert payment.count() == 1
    assert payment.locator("td[data-fen]").get_attribute("data-fen") == str(amount)
    screenshot(page, "fulfilment-7-ledger")
    page.goto(award_url)
    assert page.inner_text("#award-status") == "已拨付"

    # A reversal: proposed by one finance officer, recorded only when a second confirms it.
    page.goto(f"{server}/ledger?year={YEAR}")
    payment = page.locator("#ledger-rows tr[data-kind=payment]", has_text=number)
    payment.locator("details.reverse summary").click()
    payment.locator("input[name=reason]").fill("收款账户有误")
    with page.expect_navigation():
        payment.locator("button[type=submit]").click()
    assert "待另一名财政人员复核" in page.inner_text("#done")
    waiting = page.locator("#correction-rows tr[data-kind=reversal]")
    assert waiting.count() == 1
    assert waiting.locator("button.confirm-correction").count() == 0  # not for the proposer
    assert page.locator("#ledger-rows tr[data-kind=reversal]").count() == 0
    screenshot(page, "fulfilment-8-reversal-proposed")

    second = tab("finance2")
    page = second.page
    page.goto(f"{server}/ledger?year={YEAR}")
    before = int(page.get_attribute("#ledger-net", "data-fen") or "0")  # other tests' payments may stand too
    _click_and_wait(second, "#correction-rows button.confirm-correction")
    assert "已复核并记入冲正记录" in page.inner_text("#done")
    reversal = page.locator("#ledger-rows tr[data-kind=reversal]", has_text=number)
    assert reversal.locator("td[data-fen]").get_attribute("data-fen") == str(-amount)
    assert int(page.get_attribute("#ledger-net", "data-fen") or "0") == before - amount  # the payment nets out
    screenshot(page, "fulfilment-9-reversal-confirmed")
    page.goto(award_url)
    assert page.inner_text("#award-status") == "县级已审核"  # back to the city, to be decided again
    for watched in (admin, county, finance, second):
        assert watched.errors == []
