"""Import and export pages: templates, exports limited to a county officer's county, and uploads checked
whole — a report of what changed, or every problem by row, column and reason with nothing written."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from personas import csrf_token, sign_in
from registry_html import changed, execute, first_enterprise, new_credit_code, query, snapshot, table_rows

from zhijiao.registry import uploads
from zhijiao.registry.exporter import header
from zhijiao.registry.tables import BY_NAME
from zhijiao.web.pages import registry_files

RUIAN = "瑞安市"


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _upload(client: TestClient, table: str, name: str, content: bytes) -> tuple[int, str]:
    response = client.post(
        "/registry/files/import",
        data={"table": table, "csrf_token": csrf_token(client)},
        files={"file": (name, content, "application/octet-stream")},
    )
    return response.status_code, response.text


def _form(page: str, form_id: str) -> dict[str, str]:
    """The hidden fields of the form with ``form_id`` on a page."""
    form = page[page.index(f'id="{form_id}"') :].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form))


def _confirm(client: TestClient, page: str) -> tuple[int, str]:
    fields = _form(page, "confirm-import") | {"csrf_token": csrf_token(client)}
    response = client.post("/registry/files/import/confirm", data=fields)
    return response.status_code, response.text


def test_every_table_has_its_template(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "analyst")
    for name in ("schools", "teacher_stats", "enterprise_certifications", "national_brands"):
        response = client.get(f"/registry/files/{name}/template")
        assert response.status_code == 200
        disposition = f"attachment; filename=\"{name}-template.xlsx\"; filename*=UTF-8''{name}-template.xlsx"
        assert response.headers["content-disposition"] == disposition
        workbook = load_workbook(io.BytesIO(response.content))
        first = workbook.worksheets[0]
        assert [cell.value for cell in first[1]] == header(BY_NAME[name], "zh")
        assert workbook.sheetnames[1] == "说明"
    assert client.get("/registry/files/no_such_table/template").status_code == 404


def test_the_upload_form_offers_every_format_the_importer_reads(sqlite_client: TestClient):
    page = sign_in(sqlite_client, "county").get("/registry/files").text
    assert 'accept=".xlsx,.xls,.csv,.txt"' in page  # .txt: Excel's "Unicode text"


def test_a_county_officer_exports_only_its_county(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "county")
    response = client.get("/registry/files/enterprises/export", params={"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == header(BY_NAME["enterprises"], "zh")
    expected = query(
        client,
        "SELECT e.code FROM enterprises e JOIN counties c ON c.code = e.county_code WHERE c.name = :county "
        "ORDER BY e.code",
        county=RUIAN,
    )
    assert [row[0] for row in rows[1:]] == [code for (code,) in expected]
    assert {row[2] for row in rows[1:]} == {RUIAN}
    workbook = client.get("/registry/files/enterprises/export", params={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    assert sheet.max_row == len(expected) + 1


def test_a_malformed_upload_lists_every_problem_and_writes_nothing(client: TestClient):
    sign_in(client, "county")
    own_code, _name = first_enterprise(client, RUIAN)
    ((other,),) = query(
        client,
        "SELECT e.code FROM enterprises e JOIN counties c ON c.code = e.county_code WHERE c.name = '鹿城区' "
        "ORDER BY e.code LIMIT 1",
    )
    content = _csv(
        [
            ["code", "name", "county", "industry"],
            [new_credit_code(1), "瑞安市测试企业一", RUIAN, "智能装备"],
            [new_credit_code(2), "测试企业二", "火星市", ""],
            [new_credit_code(3), "", RUIAN, ""],
            [other, "改名企业", "鹿城区", ""],
            [own_code, "重复企业", RUIAN, ""],
            [own_code, "重复企业", RUIAN, ""],
        ]
    )
    before = {table: snapshot(client, table) for table in ("enterprises", "audit_records")}
    status, page = _upload(client, "enterprises", "企业名录.csv", content)
    assert status == 422
    for line in (
        "第3行 所在县（市、区）: “火星市” 不是温州市的县（市、区）",
        "第4行 企业名称: 必填项为空",
        "第5行 所在县（市、区）: 不属于本县（市、区），无权导入",
        f"第7行 企业编号（统一社会信用代码）: 编号重复（{own_code}）",
    ):
        assert line in page, line
    assert "文件未导入：企业名录.csv" in page
    assert {table: snapshot(client, table) for table in ("enterprises", "audit_records")} == before


def test_an_upload_is_previewed_then_imported_as_confirmed(client: TestClient):
    sign_in(client, "county")
    own_code, own_name = first_enterprise(client, RUIAN)
    first, second = new_credit_code(1), new_credit_code(2)
    content = _csv(
        [
            ["企业编号（统一社会信用代码）", "企业名称", "所在县（市、区）", "所属行业"],
            [first, "瑞安市测试企业一", RUIAN, "智能装备"],
            [second, "瑞安市测试企业二", "330381", ""],
            [own_code, own_name + "（更名）", RUIAN, "鞋服"],
        ]
    )
    before = {table: snapshot(client, table) for table in ("enterprises", "audit_records")}
    status, page = _upload(client, "enterprises", "enterprises.csv", content)
    assert status == 200, page
    assert 'data-state="preview"' in page
    assert 'data-count="inserted">2<' in page
    assert 'data-count="updated">1<' in page
    assert {table: snapshot(client, table) for table in ("enterprises", "audit_records")} == before  # not yet
    names = {row[3]: row[4:] for row in table_rows(page, "row-changes") if len(row) == 6}
    assert names["企业名称"] == [own_name, own_name + "（更名）"]

    status, page = _confirm(client, page)
    assert status == 200, page
    assert 'data-state="imported"' in page
    after = snapshot(client, "enterprises")
    difference = changed(before["enterprises"], after)
    assert sorted(row[1] for row in difference.values()) == sorted([first, second, own_code])
    ((actor, action, table),) = query(
        client, "SELECT actor, action, object_type FROM audit_records WHERE action = 'registry.import'"
    )
    assert (actor, action, table) == ("county", "registry.import", "enterprises")
    again_status, again = _upload(client, "enterprises", "enterprises.csv", content)
    assert again_status == 200
    assert 'data-count="unchanged">3<' in again
    assert 'id="nothing-to-import"' in again
    assert 'id="confirm-import"' not in again
    assert snapshot(client, "enterprises") == after


def test_a_preview_the_registry_outran_is_shown_again_and_not_imported(client: TestClient):
    sign_in(client, "county")
    own_code, own_name = first_enterprise(client, RUIAN)
    content = _csv([["企业编号（统一社会信用代码）", "企业名称"], [own_code, own_name + "（更名）"]])
    status, page = _upload(client, "enterprises", "rename.csv", content)
    assert status == 200, page
    execute(client, "UPDATE enterprises SET name = :name WHERE code = :code", name=own_name + "（另改）", code=own_code)
    before = snapshot(client, "enterprises")
    status, outdated = _confirm(client, page)
    assert status == 409
    assert "登记库在预览之后已有变化" in outdated
    assert snapshot(client, "enterprises") == before
    names = {row[3]: row[4:] for row in table_rows(outdated, "row-changes") if len(row) == 6}
    assert names["企业名称"] == [own_name + "（另改）", own_name + "（更名）"]  # the new preview
    status, done = _confirm(client, outdated)
    assert status == 200, done
    ((name,),) = query(client, "SELECT name FROM enterprises WHERE code = :code", code=own_code)
    assert name == own_name + "（更名）"
    assert _confirm(client, outdated)[0] == 410  # the staged file is gone once imported


def test_a_partial_file_changes_only_its_columns_and_a_cancelled_preview_writes_nothing(client: TestClient):
    sign_in(client, "county")
    own_code, own_name = first_enterprise(client, RUIAN)
    ((industry,),) = query(client, "SELECT industry FROM enterprises WHERE code = :code", code=own_code)
    content = _csv([["企业编号（统一社会信用代码）", "企业名称"], [own_code, own_name + "（更名）"]])
    status, page = _upload(client, "enterprises", "rename.csv", content)
    assert status == 200
    assert "文件中没有以下列，这些值保持不变：所在县（市、区）、所属行业" in page
    fields = _form(page, "cancel-import") | {"csrf_token": csrf_token(client)}
    before = snapshot(client, "enterprises")
    cancelled = client.post("/registry/files/import/cancel", data=fields)
    assert "已取消，未导入任何数据。" in cancelled.text
    assert snapshot(client, "enterprises") == before
    assert _confirm(client, page)[0] == 410
    _status, page = _upload(client, "enterprises", "rename.csv", content)
    assert _confirm(client, page)[0] == 200
    assert query(client, "SELECT name, industry FROM enterprises WHERE code = :code", code=own_code) == [
        (own_name + "（更名）", industry)
    ]


def test_city_level_tables_are_not_imported_by_a_county(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "county")
    content = _csv([["code", "name"], ["COM-TEST", "测试共同体"]])
    status, page = _upload(client, "communities", "communities.csv", content)
    assert status == 422
    assert "产教融合共同体为市级数据，只能由市级导入" in page


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        ("schools.pdf", b"code,name\n", 415, "仅支持 .xlsx、.xls、.csv 或 .txt 文件。"),
        ("schools.xlsx", b"code,name\nS1,x\n", 422, "不是 xlsx 文件（不是 zip 压缩包）"),
        ("schools.xls", b"<html><table><tr><td>code</td></tr></table></html>", 422, "另存为 .xlsx"),
        ("schools.csv", b"\x00\x01\x02binary", 422, "空字符（NUL）"),
        ("schools.csv", b"", 422, "文件为空。"),
    ],
)
def test_an_upload_of_the_wrong_kind_is_refused(
    sqlite_client: TestClient, name: str, content: bytes, status: int, message: str
):
    client = sign_in(sqlite_client, "admin")
    before = snapshot(client, "schools")
    got, page = _upload(client, "schools", name, content)
    assert got == status
    assert message in page
    assert snapshot(client, "schools") == before


def test_an_upload_over_the_size_limit_is_refused(sqlite_client: TestClient, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(registry_files, "MAX_UPLOAD_BYTES", 1024 * 1024)
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1024 * 1024)
    client = sign_in(sqlite_client, "admin")
    content = _csv([["code", "name"]] + [["X" * 30, "y" * 30]] * 20_000)
    assert len(content) > 1024 * 1024
    status, page = _upload(client, "schools", "big.csv", content)
    assert status == 413
    assert "文件超过 1 MB。" in page
