"""Registry files over the API: the template and the export, an import's dry run that writes nothing, the import
itself, one conditional on its preview, and a refused file named by row, column and reason."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from personas import api_token
from registry_html import execute, first_enterprise, new_credit_code, query, snapshot

API = "/api/v1/registry/files"
RUIAN = "瑞安市"


def _post(client: TestClient, headers: dict[str, str], content: str, **params: str) -> object:
    return client.post(
        f"{API}/enterprises/import",
        params=params,
        files={"file": ("企业.csv", content.encode("gbk"), "text/csv")},
        headers=headers,
    )


def test_a_dry_run_previews_and_the_import_writes_exactly_that(client: TestClient):
    headers = api_token(client, "county")
    code, name = first_enterprise(client, RUIAN)
    new = new_credit_code(5)
    head = "企业编号（统一社会信用代码）,企业名称,所在县（市、区）"
    content = f"{head}\n{code},{name}（更名）,瑞安市\n{new},新企业,Rui'an City\n"
    before = {table: snapshot(client, table) for table in ("enterprises", "audit_records")}
    preview = _post(client, headers, content, dry_run="true")
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["dry_run"], body["inserted"], body["updated"], body["unchanged"]) == (True, 1, 1, 0)
    assert body["untouched"] == ["industry"]
    assert body["counts"]["name"] == {"added": 1, "changed": 1, "cleared": 0, "unchanged": 0}
    assert body["changes"][0] == {
        "row": 2,
        "key": code,
        "action": "update",
        "cells": [{"column": "name", "before": name, "after": f"{name}（更名）"}],
    }
    assert {table: snapshot(client, table) for table in ("enterprises", "audit_records")} == before

    imported = _post(client, headers, content, confirm=body["fingerprint"])
    assert imported.status_code == 200, imported.text
    assert imported.json()["fingerprint"] == body["fingerprint"]
    assert imported.json()["dry_run"] is False
    assert query(client, "SELECT name FROM enterprises WHERE code = :code", code=new) == [("新企业",)]
    ((summary,),) = query(client, "SELECT payload FROM audit_records WHERE action = 'registry.import'")
    assert '"fingerprint"' in str(summary)


def test_an_import_conditional_on_an_outrun_preview_writes_nothing(client: TestClient):
    headers = api_token(client, "county")
    code, name = first_enterprise(client, RUIAN)
    content = f"企业编号（统一社会信用代码）,企业名称\n{code},{name}（更名）\n"
    fingerprint = _post(client, headers, content, dry_run="true").json()["fingerprint"]
    execute(client, "UPDATE enterprises SET name = :name WHERE code = :code", name="别处改名", code=code)
    before = snapshot(client, "enterprises")
    response = _post(client, headers, content, confirm=fingerprint)
    assert response.status_code == 409
    assert response.json()["code"] == "preview_outdated"
    assert snapshot(client, "enterprises") == before


def test_a_refused_file_names_every_problem(sqlite_client: TestClient):
    headers = api_token(sqlite_client, "admin")
    content = "企业编号（统一社会信用代码）,企业名称,所在县（市、区）\n9133030,某企业,瑞安市\n"
    before = snapshot(sqlite_client, "enterprises")
    response = _post(sqlite_client, headers, content)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "file_not_imported"
    assert body["detail"] == "文件未导入，未写入任何数据。"
    assert body["problems"] == [
        {"record": "第2行", "field": "企业编号（统一社会信用代码）", "message": "统一社会信用代码应为18位，实为7位"}
    ]
    english = _post(sqlite_client, headers | {"Accept-Language": "en"}, content)
    assert english.json()["problems"][0]["message"] == "a unified social credit code has 18 characters, this has 7"
    pdf = sqlite_client.post(
        f"{API}/enterprises/import", files={"file": ("a.pdf", b"%PDF", "application/pdf")}, headers=headers
    )
    assert pdf.status_code == 415
    assert snapshot(sqlite_client, "enterprises") == before


def test_template_and_export_in_the_request_language(sqlite_client: TestClient):
    headers = api_token(sqlite_client, "analyst")
    template = sqlite_client.get(f"{API}/schools/template", headers=headers | {"Accept-Language": "en"})
    assert template.status_code == 200
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["code", "name", "county", "school_type", "ownership", "sponsor"]
    exported = sqlite_client.get(f"{API}/schools/export", params={"format": "csv"}, headers=headers)
    assert exported.status_code == 200
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "学校编号,学校名称,所在县（市、区）,学校类型,办学性质,举办者"
    assert any(line.endswith(",公办,县属") for line in lines[1:])
    assert sqlite_client.get(f"{API}/no_such/template", headers=headers).status_code == 404
    assert sqlite_client.get(f"{API}/schools/template").status_code == 401
