"""Figures into money, in a real browser (issue 13): a school applies for its Art. 13 funding with its own
figures (142 full-time teachers, 38 part-time); the county officer sees them beside the registry's with the
differences marked and the amount on each, accepts the school's; the city administrator's approve button
carries exactly the reviewed amount; finance releases; the ledger pays the amount both approvers saw."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from e2e_support import Watched, screenshot
from playwright.sync_api import Page
from test_fulfilment_flow import YEAR, _bank_file, _click_and_wait, _import, tab  # noqa: F401 -- ``tab`` is a fixture

PART_TIME = "art13.part_time_teacher_funding"


def _fen(watched: Watched, selector: str, attribute: str = "data-fen") -> int:
    value = watched.page.get_attribute(selector, attribute)
    assert value is not None
    assert value.isdigit()
    return int(value)


def _released_and_allocated(finance: Watched, server: str, folder: Path, batch_url: str, number: str) -> Page:
    """Finance releases the batch: a public school's money from its own finance is an allocation to its budget unit,
    confirmed by the budget system's file."""
    page = finance.page
    page.goto(batch_url)
    _click_and_wait(finance, "#release-batch")
    assert page.inner_text("#batch-status") == "已发出支付指令"
    sent = page.locator("#instruction-rows tr", has_text=number)
    assert sent.locator("td[data-kind]").get_attribute("data-kind") == "allocation"
    reference = sent.get_attribute("data-reference") or ""
    _import(finance, server, _bank_file(folder, "allocated.csv", [(reference, "成功", "2024-12-23", "")]))
    assert page.locator("#returns-confirmed tr", has_text=reference).count() == 1
    return page


def test_a_claim_that_differs_from_the_registry_is_paid_at_the_amount_the_approvers_saw(
    tab: Callable[[str], Watched],  # noqa: F811 -- the fixture imported above
    server: str,
    tmp_path: Path,
):
    school, county, admin, finance = tab("school"), tab("county"), tab("admin"), tab("finance")

    page = school.page
    page.goto(f"{server}/awards/new?entitlement={PART_TIME}")
    page.select_option("#award-form select[name=year]", YEAR)
    page.fill("input[name='fig.full_time_teachers']", "142")
    page.fill("input[name='fig.part_time_teachers']", "38")
    _click_and_wait(school, "#submit-award")
    award_url = page.url.split("?", 1)[0]
    assert re.search(r"/awards/\d+$", award_url)
    assert page.inner_text("#award-status") == "已提交"

    # The county officer sees both figures, the differences and both amounts before choosing.
    page = county.page
    page.goto(award_url)
    comparison = page.locator("#figure-comparison tbody tr[data-differs=true]")
    assert comparison.count() == 2
    assert "142" in page.inner_text("#figure-comparison")
    on_registry, on_claimed = _fen(county, "#amount-on-registry"), _fen(county, "#amount-on-claimed")
    assert on_registry != on_claimed
    screenshot(page, "claimed-1-county-compares")
    page.check("input[name=basis][value=claimed]")
    _click_and_wait(county, "button[data-action=county_approve]")
    assert page.inner_text("#award-status") == "县级已审核"
    assert _fen(county, "#reviewed-amount") == on_claimed
    screenshot(page, "claimed-2-county-reviewed")

    # The city administrator's button stands beside exactly the reviewed amount.
    page = admin.page
    page.goto(award_url)
    button = "button[data-action=city_approve]"
    assert _fen(admin, button, "data-amount-fen") == on_claimed
    assert page.inner_text(button).replace(",", "").find(f"{on_claimed // 100}") >= 0
    screenshot(page, "claimed-3-city-approves")
    _click_and_wait(admin, button)
    assert page.inner_text("#award-status") == "市级已审批"
    assert _fen(admin, "#decision-amount") == on_claimed
    number = page.inner_text("h1 small")
    _click_and_wait(admin, "a[data-action=schedule_payment]")
    page.fill("input[name=declared_count]", "1")
    page.fill("input[name=declared_total]", f"{on_claimed // 100}.{on_claimed % 100:02d}")
    _click_and_wait(admin, "#prepare-batch")
    batch_url = page.url.split("?", 1)[0]

    page = _released_and_allocated(finance, server, tmp_path, batch_url, number)
    page.goto(f"{server}/ledger?year={YEAR}")
    payment = page.locator("#ledger-rows tr[data-kind=payment]", has_text=number)
    assert payment.locator("td[data-fen]").get_attribute("data-fen") == str(on_claimed)
    screenshot(page, "claimed-4-ledger")
    for watched in (school, county, admin, finance):
        assert watched.errors == []
