"""A county officer's file, in a real browser: exported, cut down to three columns and one changed figure, saved
as Excel on Chinese Windows saves CSV (GBK), uploaded, previewed — nothing written yet — and imported on
confirmation, exactly as previewed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import Watched, screenshot, sign_in_through_the_form, watch
from playwright.sync_api import Browser

VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture
def county(browser: Browser, server: str) -> Iterator[Watched]:
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORT, base_url=server, accept_downloads=True)
    context.set_default_timeout(20_000)
    watched = watch(context.new_page())
    sign_in_through_the_form(watched, server, "county")
    yield watched
    context.close()


def test_a_county_officer_previews_a_partial_gbk_file_and_imports_it_on_confirmation(
    county: Watched, server: str, tmp_path: Path
):
    page = county.page
    page.goto(f"{server}/registry/files")
    with page.expect_download() as started:
        page.click("a[href='/registry/files/student_stats/export?format=csv']")
    exported = list(csv.reader(io.StringIO(Path(started.value.path()).read_text(encoding="utf-8-sig"))))
    header, first = exported[0], exported[1]
    aided = header.index("受资助学生数")
    new_value = int(first[aided] or 0) + 7
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [["学校编号", "年度", "受资助学生数"], [first[0], first[1], str(new_value)]]
    )
    upload = tmp_path / "受资助学生.csv"
    upload.write_bytes(buffer.getvalue().encode("gbk"))

    page.select_option("select[name=table]", "student_stats")
    page.set_input_files("input[type=file]", str(upload))
    with page.expect_navigation():
        page.click(".upload-form button[type=submit]")
    report = page.locator("#import-report")
    assert report.get_attribute("data-state") == "preview"
    assert page.inner_text("[data-count=updated]") == "1"
    assert page.inner_text("#column-counts [data-column=aided] [data-count=changed]") == "1"
    assert "在校生数" in page.inner_text("#untouched-columns")  # the columns the file lacks stay as they are
    change = page.inner_text("#row-changes tbody tr")
    assert f"{first[0]}/{first[1]}" in change
    assert str(new_value) in change
    screenshot(page, "registry-import-preview")

    with page.expect_navigation():
        page.click("#confirm-import button[type=submit]")
    assert page.locator("#import-report").get_attribute("data-state") == "imported"
    assert page.inner_text("[data-count=updated]") == "1"
    screenshot(page, "registry-import-done")

    with page.expect_download() as again:
        page.click("a[href='/registry/files/student_stats/export?format=csv']")
    rows = list(csv.reader(io.StringIO(Path(again.value.path()).read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows[1:] if r[:2] == first[:2])
    assert row[aided] == str(new_value)
    assert [v for i, v in enumerate(row) if i != aided] == [v for i, v in enumerate(first) if i != aided]
    assert county.errors == []
