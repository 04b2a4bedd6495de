"""What users do, start to finish, in a real browser: find a school and read its entitlements, use the
public calculator, run a reform, export the meeting report."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal

from e2e_support import SCREENSHOTS, Watched, screenshot

from zhijiao.engine.situation import calculate_situation
from zhijiao.policies.wenzhou_vet_2023 import load

CHARTS_DRAWN = "s => [...document.querySelectorAll(s + ' [data-chart]')].every(e => e.dataset.chartDrawn === 'true')"


def _wan(text: str) -> Decimal:
    """12,345.67万元 → 12345.67 (the sign kept)."""
    number = re.search(r"-?[\d,]+\.\d+", text)
    assert number, text
    return Decimal(number.group().replace(",", ""))


def test_an_analyst_runs_a_reform_and_sees_its_cost_beside_the_baseline(admin: Watched, server: str):
    """Raising the per-student public-expenditure base (Art. 20) can only raise the cost: the page must say so."""
    page = admin.page
    admin.clear()
    page.goto(f"{server}/simulation")
    page.fill("input[name='art20.public_expenditure_base']", "3000")
    page.click("#simulation-form button[type=submit]")
    page.wait_for_selector("#simulation-result")
    page.wait_for_function(CHARTS_DRAWN, arg="#result")
    screenshot(page, "simulation-reform")
    baseline = _wan(page.inner_text("#kpi-baseline .value"))
    reform = _wan(page.inner_text("#kpi-reform .value"))
    difference = _wan(page.inner_text("#kpi-difference .value"))
    assert reform > baseline > 0
    assert difference == reform - baseline
    assert "art20.public_expenditure_base" in page.inner_text("#simulation-result")
    assert page.locator("#result [data-chart]").count() >= 3
    assert admin.errors == []


def test_an_official_exports_the_meeting_report_as_pdf(admin: Watched, server: str):
    page = admin.page
    page.goto(f"{server}/reports")
    screenshot(page, "reports-download")
    with page.expect_download() as started:
        page.click("a[data-report=pdf]")
    download = started.value
    assert download.suggested_filename.endswith(".pdf")
    assert "职业教育政策落实报告" in download.suggested_filename
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    saved = SCREENSHOTS / "report.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:  # the report's pages as pictures, next to the screenshots, for people to look at
        subprocess.run([pdftoppm, "-png", "-r", "60", str(saved), str(SCREENSHOTS / "report-page")], check=True)  # noqa: S603


def test_an_official_downloads_the_cost_workbook(admin: Watched, server: str):
    page = admin.page
    page.goto(f"{server}/reports")
    with page.expect_download() as started:
        page.click("a[data-report=cost]")
    assert started.value.suggested_filename.endswith("财政成本.xlsx")


SCHOOL = {  # the README's example school: a county-run provincial double-high secondary school in 瑞安市
    "county": "瑞安市",
    "school_type": "secondary",
    "ownership": "public",
    "sponsor": "county",
    "double_high": "provincial",
    "students": "1200",
    "base_appropriation_per_student": "10000",
    "full_time_teachers": "100",
    "part_time_teachers": "50",
    "local_avg_teacher_salary": "150000",
    "market_service_income": "2000000",
    "capital_donations": "1000000",
}


def test_a_school_uses_the_public_calculator_without_signing_in(visitor: Watched, server: str):
    """A school accountant fills in the school's figures and reads each entitlement, its article and its steps."""
    page = visitor.page
    page.goto(f"{server}/calculator?entity=school")
    page.select_option("select[name=year]", "2024")
    for name, value in SCHOOL.items():
        if page.locator(f"select[name={name}]").count():
            page.select_option(f"select[name={name}]", value)
        else:
            page.fill(f"input[name={name}]", value)
    page.click("p.actions button[value=calculate]")
    page.wait_for_selector("#result")
    expected = calculate_situation(load(), {"year": 2024, "schools": [{"id": "S1", **_typed(SCHOOL)}]})
    fiscal_cost = expected.baseline.as_json()["totals"]["fiscal_cost"]
    assert Decimal(str(fiscal_cost)) > 0
    shown = page.locator("#result [data-total=fiscal_cost] .value")
    assert Decimal(shown.get_attribute("data-value") or "") == Decimal(str(fiscal_cost))
    assert "/plan/articles/art20" in page.inner_html("#result")  # each entitlement cites its article
    page.locator("#result details.explanation summary").first.click()
    steps = page.locator("#result details.explanation ol.steps > li")
    assert steps.count() > 0
    assert re.search(r"[\u4e00-\u9fff]", steps.first.inner_text())  # explained in plain Chinese
    screenshot(page, "calculator-result")
    assert visitor.errors == []
    assert all(url.startswith((f"{server}/", "data:")) for url in visitor.requests)


def _typed(figures: dict[str, str]) -> dict[str, object]:
    """The form's text as the situation contract's numbers."""
    return {name: int(value) if value.isdigit() else value for name, value in figures.items()}


def test_an_official_finds_a_school_and_reads_how_its_entitlements_were_calculated(admin: Watched, server: str):
    page = admin.page
    admin.clear()
    page.goto(f"{server}/registry/schools")
    wanted = "瑞安市职业中等专业学校"  # the demo school of the school user's account
    with page.expect_response(lambda response: "q=" in response.url):
        page.fill("input[name=q]", "瑞安市职业中等")
    rows = page.locator("main table tbody tr")
    page.wait_for_function("n => document.querySelectorAll('main table tbody tr').length <= n", arg=3)
    assert wanted in rows.first.inner_text()
    with page.expect_navigation():
        rows.first.locator("a[href^='/registry/schools/']").first.click()
    assert wanted in page.inner_text("h1")
    panel = page.locator("#entitlements")
    assert panel.is_visible()
    assert panel.locator("[data-output]").count() > 0
    steps = panel.locator("ol.steps > li")
    assert steps.count() > 0
    assert re.search(r"第[一二三四五六七八九十]+条", panel.inner_text())  # each result cites its article
    screenshot(page, "registry-school-entitlements")
    assert admin.errors == []
