"""What users do, start to finish, in a real browser: export the meeting report."""

from __future__ import annotations

import shutil
import subprocess

from e2e_support import SCREENSHOTS, Watched, screenshot


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
