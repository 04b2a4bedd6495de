"""The counties' salary standards (Art. 13's funding basis) over the API and the pages, on the demo city: a county
officer reads and writes its own county's standards only, by the key (county, year, school type), a school user reads
its county's, the files API imports them within the county, and a school's page funds its part-time teachers at its
county's standard."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from fastapi.testclient import TestClient
from personas import api_token, csrf_token, sign_in
from registry_html import changed, execute, form_values, query, snapshot

from zhijiao.formatting import money
from zhijiao.language import Lang
from zhijiao.registry.exporter import header
from zhijiao.registry.tables import BY_NAME

API = "/api/v1/registry"
YEAR = 2024
SPEC = BY_NAME["salary_standards"]


def _standards(client: TestClient, county: str) -> list[tuple[str, int, int]]:
    rows = query(
        client,
        "SELECT w.school_type, w.year, w.avg_teacher_salary_fen FROM salary_standards w "
        "JOIN counties c ON c.code = w.county_code WHERE c.name = :county ORDER BY w.year, w.school_type",
        county=county,
    )
    return [(str(t), int(y), int(f)) for t, y, f in rows]


def test_the_table_is_described_as_scoped_by_its_county(sqlite_client: TestClient):
    tables = sqlite_client.get(API, headers=api_token(sqlite_client, "auditor")).json()
    described = next(t for t in tables if t["name"] == "salary_standards")
    assert described["key"] == ["county", "year", "school_type"]
    assert described["scoped"] is True
    assert [c["name"] for c in described["columns"]] == [
        "county", "year", "school_type", "avg_teacher_salary", "source", "published_on",
    ]  # fmt: skip


def test_a_county_officer_and_a_school_user_read_their_countys_standards(client: TestClient):
    ruian = _standards(client, "瑞安市")
    assert ruian, "the demo holds Rui'an's standards"
    for persona in ("county", "school"):
        found = client.get(f"{API}/salary_standards", params={"per_page": 200}, headers=api_token(client, persona))
        body = found.json()
        assert {row["county"] for row in body["rows"]} == {"瑞安市"}, persona
        shown = [(r["school_type"], r["year"], int(Decimal(str(r["avg_teacher_salary"])) * 100)) for r in body["rows"]]
        assert sorted(shown, key=lambda r: (r[1], r[0])) == ruian
    admin = client.get(f"{API}/salary_standards", params={"county": "鹿城区"}, headers=api_token(client, "admin"))
    assert {row["county"] for row in admin.json()["rows"]} == {"鹿城区"}
    assert admin.json()["total"] == len(_standards(client, "鹿城区"))
    enterprise = client.get(f"{API}/salary_standards", headers=api_token(client, "enterprise")).json()
    assert enterprise["total"] == 0


def test_a_county_officer_changes_its_own_standard_and_no_other_countys(client: TestClient):
    headers = api_token(client, "county")
    path = f"{API}/salary_standards/瑞安市/{YEAR}/secondary"
    current = client.get(path, headers=headers).json()
    assert (current["county"], current["year"], current["school_type"]) == ("瑞安市", YEAR, "secondary")
    body = current | {"avg_teacher_salary": 161234.56, "source": "瑞安市统计局（更正）", "published_on": "2024-05-06"}
    response = client.put(path, json=body, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json() == body
    ((fen,),) = query(
        client,
        "SELECT avg_teacher_salary_fen FROM salary_standards WHERE county_code = '330381' AND year = :year "
        "AND school_type = 'secondary'",
        year=YEAR,
    )
    assert fen == 16_123_456
    ((action, key),) = query(
        client, "SELECT action, object_id FROM audit_records WHERE object_type = 'salary_standards'"
    )
    assert (action, key) == ("registry.update", f"瑞安市/{YEAR}/secondary")
    by_code = client.get(f"{API}/salary_standards/330381/{YEAR}/中职学校", headers=headers)
    assert by_code.json() == body  # a county by its code, a type by its label: the same row

    before = {table: snapshot(client, table) for table in ("salary_standards", "audit_records")}
    other = client.put(f"{API}/salary_standards/鹿城区/{YEAR}/secondary", json=body, headers=headers)
    assert other.status_code == 404
    new = body | {"county": "鹿城区", "year": 2030}
    refused = client.post(f"{API}/salary_standards", json=new, headers=headers)
    assert refused.status_code == 422
    assert [p["message"] for p in refused.json()["problems"]] == ["不属于本县（市、区），无权修改"]
    assert {table: snapshot(client, table) for table in ("salary_standards", "audit_records")} == before
    created = client.post(f"{API}/salary_standards", json=new | {"county": "瑞安市"}, headers=headers)
    assert created.status_code == 201, created.text
    assert created.headers["Location"] == f"{API}/salary_standards/%E7%91%9E%E5%AE%89%E5%B8%82/2030/secondary"


def test_a_county_officers_file_of_standards_imports_within_its_county(client: TestClient):
    headers = api_token(client, "county")
    rows = [header(SPEC, "zh"), ["瑞安市", "2027", "中职", "170000", "瑞安市统计局", "2027-03-01"]]
    elsewhere = [*rows, ["鹿城区", "2027", "中职", "1", "改动", "2027-03-01"]]
    before = snapshot(client, "salary_standards")

    def post(table_rows: list[list[str]], **params: str) -> object:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(table_rows)
        content = buffer.getvalue().encode("gbk")
        files = {"file": ("工资标准.csv", content, "text/csv")}
        return client.post(f"{API}/files/salary_standards/import", params=params, files=files, headers=headers)

    refused = post(elsewhere)
    assert refused.status_code == 422
    assert refused.json()["problems"] == [
        {"record": "第3行", "field": "县（市、区）", "message": "不属于本县（市、区），无权导入"}
    ]
    assert snapshot(client, "salary_standards") == before
    preview = post(rows, dry_run="true").json()
    assert (preview["inserted"], preview["changes"][0]["key"]) == (1, "瑞安市/2027/secondary")
    imported = post(rows, confirm=preview["fingerprint"])
    assert imported.status_code == 200, imported.text
    assert ("secondary", 2027, 17_000_000) in _standards(client, "瑞安市")


def test_the_pages_import_a_file_of_standards_in_two_steps(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "admin")
    template = client.get("/registry/files/salary_standards/template")
    assert template.status_code == 200
    content = f"{','.join(header(SPEC, 'zh'))}\n泰顺县,2027,技工院校,120000.5,泰顺县统计局,2027-03-01\n".encode()
    page = client.post(
        "/registry/files/import",
        data={"table": "salary_standards", "csrf_token": csrf_token(client)},
        files={"file": ("standards.csv", content, "application/octet-stream")},
    )
    assert page.status_code == 200
    assert "泰顺县/2027/technical" in page.text
    assert ("technical", 2027, 12_000_050) not in _standards(client, "泰顺县")  # previewed, not written
    form = page.text[page.text.index('id="confirm-import"') :].split("</form>", 1)[0]
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form))
    confirmed = client.post("/registry/files/import/confirm", data=fields | {"csrf_token": csrf_token(client)})
    assert confirmed.status_code == 200
    assert ("technical", 2027, 12_000_050) in _standards(client, "泰顺县")


def _funding(client: TestClient, code: str) -> str:
    page = client.get(f"/registry/schools/{code}", params={"year": YEAR}).text
    return page.split('data-output="part_time_teacher_funding">', 1)[1].split("<", 1)[0]


def _set_standard(client: TestClient, county: str, kind: str, fen: int) -> None:
    execute(
        client,
        "UPDATE salary_standards SET avg_teacher_salary_fen = :fen "
        "WHERE county_code = :county AND year = :year AND school_type = :kind",
        fen=fen, county=county, year=YEAR, kind=kind,
    )  # fmt: skip


def test_a_schools_page_funds_part_time_teachers_at_its_countys_standard(client: TestClient):
    sign_in(client, "admin")
    (code, county, kind, part_time), *_ = query(
        client,
        "SELECT s.code, s.county_code, s.school_type, t.part_time FROM schools s "
        "JOIN teacher_stats t ON t.school_id = s.id AND t.year = :year "
        "WHERE t.part_time > 0 AND t.part_time * 7 <= t.full_time * 3 ORDER BY s.code",  # within the 30% cap
        year=YEAR,
    )
    ((other,),) = query(
        client, "SELECT MIN(county_code) FROM salary_standards WHERE county_code <> :county", county=county
    )
    _set_standard(client, county, kind, 10_000_000)
    assert _funding(client, code) == money(part_time * 10_000_000, Lang.zh)
    _set_standard(client, other, kind, 1)
    _set_standard(client, county, "technical" if kind != "technical" else "secondary", 1)
    assert _funding(client, code) == money(part_time * 10_000_000, Lang.zh)  # not another county's, nor type's
    _set_standard(client, county, kind, 12_345_678)
    assert _funding(client, code) == money(part_time * 12_345_678, Lang.zh)


def test_a_county_officer_edits_its_standard_in_the_form_and_cannot_reach_another_countys(client: TestClient):
    sign_in(client, "county")
    path = f"/registry/rows/salary_standards/瑞安市/{YEAR}/secondary/edit"
    page = client.get(path)
    assert page.status_code == 200, page.text
    form = form_values(page.text) | {"csrf_token": csrf_token(client)}
    assert form["salary_standards.county"] == "瑞安市"
    before = snapshot(client, "salary_standards")
    form |= {"salary_standards.avg_teacher_salary": "158,000.10", "salary_standards.published_on": "2024-04-01"}
    saved = client.post(path, data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    ((ident, row),) = changed(before, snapshot(client, "salary_standards")).items()
    assert row[1:6] == (*before[ident][1:4], 15_800_010, before[ident][5])
    assert str(row[6]) == "2024-04-01"  # a date on PostgreSQL, its text on SQLite
    assert client.get(f"/registry/rows/salary_standards/鹿城区/{YEAR}/secondary/edit").status_code == 404
    new = client.get("/registry/rows/salary_standards/new").text
    options = re.findall(r'<select name="salary_standards.county"[^>]*>(.*?)</select>', new, re.DOTALL)[0]
    assert re.findall(r'<option value="([^"]*)"', options) == ["瑞安市"]  # only its own county is offered
