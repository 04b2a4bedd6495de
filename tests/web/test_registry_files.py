"""Import and export pages: templates, exports limited to a county officer's county, and uploads checked
whole — a report of what changed, or every problem by row, column and reason with nothing written."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from personas import csrf_token, sign_in
from registry_html import changed, query, snapshot

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


def _ruian_enterprise(client: TestClient) -> tuple[str, str]:
    ((code, name),) = query(
        client,
        "SELECT e.code, e.name FROM enterprises e JOIN counties c ON c.code = e.county_code "
        "WHERE c.name = :county ORDER BY e.code LIMIT 1",
        county=RUIAN,
    )
    return str(code), str(name)


def test_every_table_has_its_template(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "analyst")
    for name in ("schools", "teacher_stats", "enterprise_certifications", "national_brands"):
        response = client.get(f"/registry/files/{name}/template")
        assert response.status_code == 200
        assert response.headers["content-disposition"] == f'attachment; filename="{name}-template.xlsx"'
        workbook = load_workbook(io.BytesIO(response.content))
        first = workbook.worksheets[0]
        assert [cell.value for cell in first[1]] == header(BY_NAME[name], "zh")
        assert workbook.sheetnames[1] == "说明"
    assert client.get("/registry/files/no_such_table/template").status_code == 404


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
    own_code, _name = _ruian_enterprise(client)
    ((other,),) = query(
        client,
        "SELECT e.code FROM enterprises e JOIN counties c ON c.code = e.county_code WHERE c.name = '鹿城区' "
        "ORDER BY e.code LIMIT 1",
    )
    content = _csv(
        [
            ["code", "name", "county", "industry"],
            ["TEST-E-1", "瑞安市测试企业一", RUIAN, "智能装备"],
            ["TEST-E-2", "测试企业二", "火星市", ""],
            ["TEST-E-3", "", RUIAN, ""],
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
    assert "未导入：企业名录.csv" in page
    assert {table: snapshot(client, table) for table in ("enterprises", "audit_records")} == before


def test_an_upload_is_imported_and_reported(client: TestClient):
    sign_in(client, "county")
    own_code, own_name = _ruian_enterprise(client)
    content = _csv(
        [
            ["企业编号（统一社会信用代码）", "企业名称", "所在县（市、区）", "所属行业"],
            ["TEST-E-1", "瑞安市测试企业一", RUIAN, "智能装备"],
            ["TEST-E-2", "瑞安市测试企业二", "330381", ""],
            [own_code, own_name + "（更名）", RUIAN, "鞋服"],
        ]
    )
    before = snapshot(client, "enterprises")
    status, page = _upload(client, "enterprises", "enterprises.csv", content)
    assert status == 200, page
    assert 'data-count="inserted">2<' in page
    assert 'data-count="updated">1<' in page
    after = snapshot(client, "enterprises")
    difference = changed(before, after)
    assert sorted(row[1] for row in difference.values()) == sorted(["TEST-E-1", "TEST-E-2", own_code])
    ((actor, action, table),) = query(
        client, "SELECT actor, action, object_type FROM audit_records WHERE action = 'registry.import'"
    )
    assert (actor, action, table) == ("county", "registry.import", "enterprises")
    again_status, again = _upload(client, "enterprises", "enterprises.csv", content)
    assert again_status == 200
    assert 'data-count="unchanged">3<' in again
    assert snapshot(client, "enterprises") == after


def test_city_level_tables_are_not_imported_by_a_county(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "county")
    content = _csv([["code", "name"], ["COM-TEST", "测试共同体"]])
    status, page = _upload(client, "communities", "communities.csv", content)
    assert status == 422
    assert "产教融合共同体为市级数据，只能由市级导入" in page


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        ("schools.txt", b"code,name\n", 415, "仅支持 .xlsx 或 .csv 文件。"),
        ("schools.xlsx", b"code,name\nS1,x\n", 415, "该文件不是 xlsx 工作簿。"),
        ("schools.csv", b"\x00\x01\x02binary", 415, "该文件不是文本 CSV。"),
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
    client = sign_in(sqlite_client, "admin")
    content = _csv([["code", "name"]] + [["X" * 30, "y" * 30]] * 20_000)
    assert len(content) > 1024 * 1024
    status, page = _upload(client, "schools", "big.csv", content)
    assert status == 413
    assert "文件超过 1 MB。" in page
