"""Money in a real browser, by three people: the city administrator runs the proactive awards, the county
officer reviews one, the city administrator approves it and prepares a batch, the finance officer releases
the batch (an instruction to the bank), the bank's file says the payment failed, the account is corrected by two
finance officers, the payment is instructed again and the bank confirms it, and the ledger page shows the payment
at the decision's amount. Then money back, by two people
too: the finance officer proposes a reversal, a second finance officer confirms it, and the payment nets out
of the ledger. A screenshot of each step."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

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


def _bank_file(folder: Path, name: str, rows: list[tuple[str, str, str, str]]) -> Path:
    """The bank's result file as its system exports it: GBK CSV, a title line above the header."""
    lines = ["中国工商银行 批量代付结果", "业务参考号,交易结果,交易日期,失败原因"]
    lines += [",".join(row) for row in rows]
    path = folder / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


def _import(finance: Watched, server: str, path: Path) -> None:
    page = finance.page
    page.goto(f"{server}/payments/returns")
    page.select_option("#returns-form select[name=payer]", f"county:{COUNTY}")
    page.set_input_files("#returns-form input[name=file]", str(path))
    with page.expect_navigation():
        page.click("#returns-form button[type=submit]")


def _released_and_failed(finance: Watched, server: str, folder: Path, award: tuple[str, str, int, str]) -> str:
    """Finance releases the batch; the bank's file says the payment failed. The reference it failed under."""
    number, award_url, amount, batch_url = award
    page = finance.page
    # The finance officer releases the batch: the payment goes to the bank as an instruction, not yet paid.
    page.goto(batch_url)
    screenshot(page, "fulfilment-6-batch-to-release")
    _click_and_wait(finance, "#release-batch")
    assert page.inner_text("#batch-status") == "已发出支付指令"
    sent = page.locator("#instruction-rows tr", has_text=number)
    reference = sent.get_attribute("data-reference") or ""
    assert (sent.get_attribute("data-status"), sent.locator("td[data-fen]").get_attribute("data-fen")) == (
        "outstanding", str(amount))  # fmt: skip
    page.goto(award_url)
    assert page.inner_text("#award-status") == "已发出支付指令"

    # The bank's file: the payment failed. It comes back to finance with the bank's reason; nothing is paid.
    _import(finance, server, _bank_file(folder, "failed.csv", [(reference, "失败", "2024-12-20", "户名与账号不符")]))
    assert page.locator("#returns-failed tr", has_text=reference).count() == 1
    page.goto(batch_url)
    failed = page.locator(f"#failed-rows tr[data-failed='{reference}']")
    assert "户名与账号不符" in failed.inner_text()
    screenshot(page, "fulfilment-7-payment-failed")
    return reference


def _account_corrected(finance: Watched, second: Watched, batch_url: str, reference: str) -> None:
    """The payee's account corrected by two people: one finance officer proposes it, a second confirms it."""
    page = finance.page
    page.goto(batch_url)
    with page.expect_navigation():
        page.locator(f"#failed-rows tr[data-failed='{reference}'] td[data-current-account] a").click()
    page.fill("#propose input[name=account_name]", "温州市鹿城区示范产教融合企业有限公司")
    page.fill("#propose input[name=bank_name]", "温州银行鹿城支行")
    page.fill("#propose input[name=account_number]", "9050 1234 5678 9012 34")
    page.fill("#propose input[name=reason]", "银行退票：户名与账号不符，单位来函更正")
    _click_and_wait(finance, "#propose-account")
    assert page.locator("#waiting-rows button.confirm-account").count() == 0  # not for the proposer
    payee_url = page.url.split("?", 1)[0]
    second.page.goto(payee_url)
    _click_and_wait(second, "#waiting-rows button.confirm-account")
    assert "新账户已启用" in second.page.inner_text("#done")


def _instructed_again_and_paid(finance: Watched, server: str, folder: Path, award: tuple[str, str, int, str],
                               reference: str) -> None:  # fmt: skip
    number, award_url, amount, batch_url = award
    page = finance.page
    # Finance instructs the payment again, to the corrected account, under a new reference naming the old one.
    page.goto(batch_url)
    _click_and_wait(finance, f"#failed-rows tr[data-failed='{reference}'] button[data-action=reinstruct]")
    page.goto(batch_url)
    again = page.locator("#instruction-rows tr[data-status=outstanding]", has_text=number)
    second_reference = again.get_attribute("data-reference") or ""
    assert second_reference != reference
    assert reference in again.inner_text()  # the instruction it replaces
    screenshot(page, "fulfilment-8-instructed-again")

    # The bank confirms the second instruction: paid, in the ledger to the fen, dated by the bank; the batch closes.
    _import(finance, server, _bank_file(folder, "paid.csv", [(second_reference, "成功", "2024-12-23", "")]))
    assert page.locator("#returns-confirmed tr", has_text=second_reference).count() == 1
    page.goto(batch_url)
    assert page.inner_text("#batch-status") == "已对账结清"
    page.goto(f"{server}/ledger?year={YEAR}")
    payment = page.locator("#ledger-rows tr[data-kind=payment]", has_text=number)
    assert payment.count() == 1
    assert payment.locator("td[data-fen]").get_attribute("data-fen") == str(amount)
    screenshot(page, "fulfilment-9-ledger")
    page.goto(award_url)
    assert page.inner_text("#award-status") == "已到账"


def test_three_officials_take_a_proactive_award_to_payment(tab: Callable[[str], Watched], server: str, tmp_path: Path):
    admin, county, finance = tab("admin"), tab("county"), tab("finance")
    _city_runs_proactive_awards(admin, server)
    number, award_url = _county_reviews_a_subsidy(county, server)
    amount, batch_url = _city_approves_and_batches(admin, number, award_url)

    award = (number, award_url, amount, batch_url)
    reference = _released_and_failed(finance, server, tmp_path, award)
    second = tab("finance2")
    _account_corrected(finance, second, batch_url, reference)
    _instructed_again_and_paid(finance, server, tmp_path, award, reference)
    page = finance.page

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
    screenshot(page, "fulfilment-10-reversal-proposed")

    page = second.page
    page.goto(f"{server}/ledger?year={YEAR}")
    before = int(page.get_attribute("#ledger-net", "data-fen") or "0")  # other tests' payments may stand too
    _click_and_wait(second, "#correction-rows button.confirm-correction")
    assert "已复核并记入冲正记录" in page.inner_text("#done")
    reversal = page.locator("#ledger-rows tr[data-kind=reversal]", has_text=number)
    assert reversal.locator("td[data-fen]").get_attribute("data-fen") == str(-amount)
    assert int(page.get_attribute("#ledger-net", "data-fen") or "0") == before - amount  # the payment nets out
    screenshot(page, "fulfilment-11-reversal-confirmed")
    page.goto(award_url)
    assert page.inner_text("#award-status") == "县级已审核"  # back to the city, to be decided again
    for watched in (admin, county, finance, second):
        assert watched.errors == []
