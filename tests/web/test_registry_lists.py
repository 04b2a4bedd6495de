"""The registry's lists as users browse them: search, filters, sorting and pages over the demo city, each
compared with the database read independently; and each scoped user sees only its own rows."""

from __future__ import annotations

from fastapi.testclient import TestClient
from personas import sign_in
from registry_html import codes, query, table_rows

from zhijiao.language import Lang
from zhijiao.web.i18n import money, number

YEAR = 2024
END = "2024-12-31"
RUIAN = "瑞安市"


def _school_codes(client: TestClient, where: str = "1 = 1", **params: object) -> list[str]:
    found = query(
        client,
        f"SELECT s.code FROM schools s JOIN counties c ON c.code = s.county_code WHERE {where} ORDER BY s.code",  # noqa: S608
        **params,
    )
    return [code for (code,) in found]


def test_schools_filter_by_county_and_sort_by_students(client: TestClient):
    sign_in(client, "admin")
    params = {"county": RUIAN, "year": YEAR, "sort": "students", "desc": 1}
    rows = table_rows(client.get("/registry/schools", params=params).text, "registry-schools")
    expected = query(
        client,
        "SELECT s.code, st.enrolled, t.full_time FROM schools s JOIN counties c ON c.code = s.county_code "
        "LEFT JOIN student_stats st ON st.school_id = s.id AND st.year = :year "
        "LEFT JOIN teacher_stats t ON t.school_id = s.id AND t.year = :year "
        "WHERE c.name = :county ORDER BY st.enrolled DESC NULLS LAST, s.code",
        year=YEAR,
        county=RUIAN,
    )
    assert len(expected) > 3
    assert [row[0] for row in rows] == [code for code, _students, _teachers in expected]
    assert [row[6] for row in rows] == [number(students, Lang.zh) for _code, students, _teachers in expected]
    assert [row[7] for row in rows] == [number(teachers, Lang.zh) for _code, _students, teachers in expected]
    assert all(row[2] == RUIAN for row in rows)


def test_schools_are_paged_in_code_order_with_the_filters_kept(client: TestClient):
    sign_in(client, "admin")
    every = _school_codes(client)
    assert len(every) > 50
    first = client.get("/registry/schools", params={"year": YEAR}).text
    assert codes(first, "schools") == every[:25]
    assert f"第 1 / {-(-len(every) // 25)} 页，共 {len(every)} 条" in first
    assert 'href="?year=2024&amp;page=2"' in first
    second = client.get("/registry/schools", params={"year": YEAR, "page": 2}).text
    assert codes(second, "schools") == every[25:50]


def test_search_finds_names_and_codes(client: TestClient):
    sign_in(client, "admin")
    by_name = client.get("/registry/schools", params={"q": "技工"}).text
    assert codes(by_name, "schools") == _school_codes(client, "s.name LIKE :q", q="%技工%")
    assert len(codes(by_name, "schools")) >= 2
    by_code = client.get("/registry/schools", params={"q": "SCH-001"}).text
    assert codes(by_code, "schools") == [f"SCH-001{n}" for n in range(10)]


def test_school_type_and_double_high_filters(client: TestClient):
    sign_in(client, "admin")
    page = client.get("/registry/schools", params={"kind": "secondary", "level": "provincial", "year": YEAR}).text
    expected = query(
        client,
        "SELECT s.code FROM schools s JOIN school_years y ON y.school_id = s.id AND y.year = :year "
        "WHERE s.school_type = 'secondary' AND y.double_high = 'provincial' ORDER BY s.code",
        year=YEAR,
    )
    assert codes(page, "schools") == [code for (code,) in expected]
    assert expected


def _enterprises_at(client: TestClient, level: str, higher: list[str]) -> list[str]:
    in_force = f"certified_on <= '{END}' AND (revoked_on IS NULL OR revoked_on > '{END}')"
    excluded = ", ".join(f"'{h}'" for h in higher) or "''"
    found = query(
        client,
        f"SELECT e.code FROM enterprises e WHERE EXISTS (SELECT 1 FROM enterprise_certifications c "  # noqa: S608
        f"WHERE c.enterprise_id = e.id AND c.level = :level AND {in_force}) AND NOT EXISTS ("
        f"SELECT 1 FROM enterprise_certifications c WHERE c.enterprise_id = e.id AND c.level IN ({excluded}) "
        f"AND {in_force}) ORDER BY e.code",
        level=level,
    )
    return [code for (code,) in found]


def test_enterprises_by_the_level_of_their_certifications_in_force(client: TestClient):
    sign_in(client, "admin")
    for level, higher in (("national", []), ("provincial", ["national"]), ("city", ["provincial", "national"])):
        expected = _enterprises_at(client, level, higher)
        found: list[str] = []
        page_number = 1
        while True:
            page = client.get("/registry/enterprises", params={"level": level, "year": YEAR, "page": page_number}).text
            found += codes(page, "enterprises")
            if "下一页" not in page:
                break
            page_number += 1
        assert found == expected, level
        assert expected, level


def test_projects_under_way_in_a_year_sorted_by_planned_investment(client: TestClient):
    sign_in(client, "admin")
    page = client.get(
        "/registry/projects", params={"year": 2023, "sort": "planned_investment", "desc": 1, "kind": "new"}
    ).text
    expected = query(
        client,
        "SELECT code, planned_investment_fen FROM projects WHERE kind = 'new' AND started_on <= '2023-12-31' "
        "AND (completed_on IS NULL OR completed_on >= '2023-01-01') ORDER BY planned_investment_fen DESC, code",
    )
    rows = table_rows(page, "registry-projects")
    assert [row[0] for row in rows] == [code for code, _fen in expected]
    assert [row[5] for row in rows] == [money(fen, Lang.zh) for _code, fen in expected]
    assert expected


def test_the_filter_form_updates_only_the_results_through_htmx(client: TestClient):
    sign_in(client, "admin")
    headers = {"HX-Request": "true", "HX-Target": "results"}
    fragment = client.get("/registry/platforms", params={"kind": "research"}, headers=headers)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert 'id="registry-platforms"' in fragment.text
    expected = query(client, "SELECT code FROM platforms WHERE kind = 'research' ORDER BY code")
    assert codes(fragment.text, "platforms") == [code for (code,) in expected][:25]
    whole = client.get("/registry/platforms", params={"kind": "research"})
    assert "<html" in whole.text
    assert codes(whole.text, "platforms") == codes(fragment.text, "platforms")


def test_a_header_sorts_and_a_second_click_reverses(client: TestClient):
    sign_in(client, "admin")
    page = client.get("/registry/enterprises", params={"sort": "name"}).text
    assert 'href="?year=2025&amp;sort=name&amp;desc=1"' in page  # the plan's latest year with data
    assert 'aria-sort="ascending"' in page


def test_an_unknown_filter_value_is_refused_by_name(client: TestClient):
    sign_in(client, "admin")
    response = client.get("/registry/schools", params={"kind": "university"})
    assert response.status_code == 422
    assert "university" in response.text
    fragment = client.get(
        "/registry/schools", params={"kind": "university"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert fragment.status_code == 422
    assert "<html" not in fragment.text
    assert "类型“university”不是可选值（higher、secondary、technical）。" in fragment.text


def test_a_county_officer_sees_only_its_county(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "county")
    own = _school_codes(client, "c.name = :county", county=RUIAN)
    page = client.get("/registry/schools", params={"county": "鹿城区"}).text
    assert codes(page, "schools") == own
    assert 'name="county"' not in page  # no county to choose
    enterprises = client.get("/registry/enterprises").text
    counties = {row[2] for row in table_rows(enterprises, "registry-enterprises")}
    assert counties == {RUIAN}


def test_a_school_user_sees_its_school_and_its_platforms(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "school")
    ((school_id, code),) = query(client, "SELECT u.school_id, s.code FROM users u JOIN schools s ON s.id = u.school_id")
    assert codes(client.get("/registry/schools").text, "schools") == [code]
    platforms = query(client, "SELECT code FROM platforms WHERE school_id = :id ORDER BY code", id=school_id)
    assert codes(client.get("/registry/platforms").text, "platforms") == [p for (p,) in platforms]
    assert codes(client.get("/registry/enterprises").text, "enterprises") == []


def test_an_enterprise_user_sees_only_its_enterprise(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "enterprise")
    ((code,),) = query(client, "SELECT e.code FROM users u JOIN enterprises e ON e.id = u.enterprise_id")
    assert codes(client.get("/registry/enterprises").text, "enterprises") == [code]
    assert codes(client.get("/registry/schools").text, "schools") == []
    assert codes(client.get("/registry/projects").text, "projects") == []
