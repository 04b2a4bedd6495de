"""Editing the registry through forms: a school's figures for a year, an enterprise's data, a new
certification. A change writes exactly its row (and an audit record); a refused form names every problem
with the importer's words and writes nothing; a county officer cannot reach another county's rows."""

from __future__ import annotations

from fastapi.testclient import TestClient
from personas import csrf_token, sign_in
from registry_html import changed, columns, form_values, query, snapshot

YEAR = 2024
OWN_SCHOOL = "SCH-0016"  # 瑞安市职业中等专业学校, in the county officer's county
OTHER_SCHOOL = "SCH-0001"  # a city-run school
YEARLY = ("school_years", "teacher_stats", "student_stats")


def _form(client: TestClient, path: str) -> dict[str, str]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return form_values(response.text) | {"csrf_token": csrf_token(client)}


def _id(client: TestClient, table: str, code: str) -> int:
    ((ident,),) = query(
        client,
        f"SELECT t.id FROM {table} t JOIN schools s ON s.id = t.school_id WHERE s.code = :code AND t.year = :year",  # noqa: S608
        code=code,
        year=YEAR,
    )
    return int(ident)


def test_a_county_officer_edits_a_schools_yearly_figures_and_only_that_row_changes(client: TestClient):
    sign_in(client, "county")
    path = f"/registry/schools/{OWN_SCHOOL}/years/{YEAR}/edit"
    form = _form(client, path)
    assert form["school_years.school_code"] == OWN_SCHOOL
    before = {table: snapshot(client, table) for table in YEARLY}
    form["school_years.base_appropriation_per_student"] = "14,000.55"
    form["teacher_stats.part_time"] = "40"
    response = client.post(path, data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/registry/schools/{OWN_SCHOOL}?year={YEAR}"
    after = {table: snapshot(client, table) for table in YEARLY}

    year_id, teacher_id = _id(client, "school_years", OWN_SCHOOL), _id(client, "teacher_stats", OWN_SCHOOL)
    assert set(changed(before["school_years"], after["school_years"])) == {year_id}
    assert set(changed(before["teacher_stats"], after["teacher_stats"])) == {teacher_id}
    assert changed(before["student_stats"], after["student_stats"]) == {}
    names = columns(client, "school_years")
    differs = [
        n
        for n, old, new in zip(names, before["school_years"][year_id], after["school_years"][year_id], strict=True)
        if old != new
    ]
    assert differs == ["base_appropriation_per_student_fen"]
    assert after["school_years"][year_id][names.index("base_appropriation_per_student_fen")] == 1_400_055
    teacher_names = columns(client, "teacher_stats")
    assert after["teacher_stats"][teacher_id][teacher_names.index("part_time")] == 40

    audit = query(
        client,
        "SELECT actor, action, object_type, object_id FROM audit_records WHERE action LIKE 'registry.%' ORDER BY id",
    )
    assert audit[-2:] == [
        ("county", "registry.update", "school_years", f"{OWN_SCHOOL}/{YEAR}"),
        ("county", "registry.update", "teacher_stats", f"{OWN_SCHOOL}/{YEAR}"),
    ]
    page = client.get(response.headers["location"]).text
    history = page.split('id="history"', 1)[1]
    assert "生均财政拨款（元）: 13708.66 → 14000.55" in history
    assert "兼职高技能人才数: 34 → 40" in history


def test_a_refused_form_names_every_problem_and_writes_nothing(client: TestClient):
    sign_in(client, "county")
    path = f"/registry/schools/{OWN_SCHOOL}/years/{YEAR}/edit"
    form = _form(client, path)
    before = {table: snapshot(client, table) for table in (*YEARLY, "audit_records")}
    form |= {
        "school_years.base_appropriation_per_student": "-5",
        "school_years.double_high": "world-class",
        "teacher_stats.full_time": "many",
        "student_stats.enrolled": "",
        "school_years.market_service_income": "1.234",
    }
    response = client.post(path, data=form, follow_redirects=False)
    assert response.status_code == 422
    page = response.text
    for message in (
        "生均财政拨款（元）：不能为负数（-5）",
        "“双高计划”建设单位：“world-class” 不是可选值（可填：无、省级、国家级）",
        "专任教师数：应为数字，实为“many”",
        "在校生数：必填项为空",
        "市场委托社会培训和企业服务收入（元）：1.234 的小数位超过 2 位",
    ):
        assert message in page.replace("&#34;", '"'), message
    assert "有 5 处问题，未作任何修改" in page
    assert 'value="many"' in page  # the form comes back as it was sent
    after = {table: snapshot(client, table) for table in (*YEARLY, "audit_records")}
    assert after == before


def test_a_county_officer_cannot_reach_another_countys_school(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "county")
    path = f"/registry/schools/{OTHER_SCHOOL}/years/{YEAR}/edit"
    assert client.get(path).status_code == 404
    before = {table: snapshot(client, table) for table in YEARLY}
    data = {"csrf_token": csrf_token(client), "school_years.base_appropriation_per_student": "1"}
    assert client.post(path, data=data).status_code == 404
    assert client.get(f"/registry/rows/schools/{OTHER_SCHOOL}/edit").status_code == 404
    response = client.post(f"/registry/rows/school_years/{OTHER_SCHOOL}/{YEAR}/edit", data=data)
    assert response.status_code == 404
    assert {table: snapshot(client, table) for table in YEARLY} == before


def _own_enterprise(client: TestClient) -> tuple[int, str]:
    ((ident, code),) = query(
        client,
        "SELECT e.id, e.code FROM enterprises e JOIN counties c ON c.code = e.county_code "
        "WHERE c.name = '瑞安市' ORDER BY e.code LIMIT 1",
    )
    return int(ident), str(code)


def test_an_enterprises_data_is_edited_within_the_county(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "county")
    ident, code = _own_enterprise(client)
    path = f"/registry/rows/enterprises/{code}/edit"
    form = _form(client, path)
    before = snapshot(client, "enterprises")
    moved = client.post(path, data=form | {"enterprises.county": "鹿城区"}, follow_redirects=False)
    assert moved.status_code == 422
    assert "不属于本县（市、区），无权修改" in moved.text
    assert snapshot(client, "enterprises") == before
    renamed = client.post(
        path, data=form | {"enterprises.name": "瑞安市新名称有限公司", "enterprises.industry": "智能装备"},
        follow_redirects=False,
    )  # fmt: skip
    assert renamed.status_code == 303
    assert renamed.headers["location"] == f"/registry/enterprises/{code}"
    after = snapshot(client, "enterprises")
    assert set(changed(before, after)) == {ident}
    assert after[ident][1:] == (code, "瑞安市新名称有限公司", before[ident][3], "智能装备")


def test_a_certification_is_added_and_shown_on_its_enterprise(client: TestClient):
    sign_in(client, "admin")
    ((code,),) = query(client, "SELECT code FROM enterprises ORDER BY code LIMIT 1")
    path = f"/registry/rows/enterprise_certifications/new?enterprise_code={code}"
    form = _form(client, path)
    assert form["enterprise_certifications.enterprise_code"] == code
    form |= {
        "enterprise_certifications.code": "EC-TEST-1",
        "enterprise_certifications.level": "provincial",
        "enterprise_certifications.certified_on": "2024-06-01",
    }
    before = snapshot(client, "enterprise_certifications")
    response = client.post("/registry/rows/enterprise_certifications/new", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/registry/enterprises/{code}"
    added = changed(before, snapshot(client, "enterprise_certifications"))
    assert len(added) == 1
    (row,) = added.values()
    names = columns(client, "enterprise_certifications")
    stored = dict(zip(names, row, strict=True))
    assert (stored["code"], stored["level"], str(stored["certified_on"])) == ("EC-TEST-1", "provincial", "2024-06-01")
    assert stored["revoked_on"] is None
    page = client.get(f"/registry/enterprises/{code}").text
    assert "EC-TEST-1" in page

    again = client.post("/registry/rows/enterprise_certifications/new", data=form, follow_redirects=False)
    assert again.status_code == 422
    assert "已存在（EC-TEST-1）" in again.text
    revoked = form | {
        "enterprise_certifications.revoked_on": "2024-05-01",
        "enterprise_certifications.code": "EC-TEST-2",
    }
    early = client.post("/registry/rows/enterprise_certifications/new", data=revoked, follow_redirects=False)
    assert early.status_code == 422
    assert "撤销日期（2024-05-01）早于2024-06-01" in early.text
    assert len(changed(before, snapshot(client, "enterprise_certifications"))) == 1


def test_a_county_officer_cannot_certify_another_countys_enterprise(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "county")
    ((code,),) = query(
        client,
        "SELECT e.code FROM enterprises e JOIN counties c ON c.code = e.county_code "
        "WHERE c.name = '鹿城区' ORDER BY e.code LIMIT 1",
    )
    before = snapshot(client, "enterprise_certifications")
    data = {
        "csrf_token": csrf_token(client),
        "enterprise_certifications.code": "EC-TEST-3",
        "enterprise_certifications.enterprise_code": code,
        "enterprise_certifications.level": "city",
        "enterprise_certifications.certified_on": "2024-06-01",
    }
    response = client.post("/registry/rows/enterprise_certifications/new", data=data)
    assert response.status_code == 422
    assert f"编号 {code} 不存在" in response.text
    assert snapshot(client, "enterprise_certifications") == before
