"""A record's page: its figures by year, its certifications with revocations, and its entitlements for the
chosen year exactly as the engine computes them from the registry, with the engine's explanation; and a
record outside the user's scope is not found."""

from __future__ import annotations

import html
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient
from personas import api_token, sign_in
from registry_html import query, table_rows

from zhijiao.engine.calculate import run
from zhijiao.engine.rules import Period
from zhijiao.language import Lang
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.registry.snapshot import frames_for_year
from zhijiao.storage.database import unit_of_work
from zhijiao.web.i18n import money, number

YEAR = 2024


def _engine(client: TestClient, entity: str, code: str, lang: str = "zh") -> tuple[dict[str, Any], list[Any]]:
    """The record's outputs (as the engine stores them) and its explanation, computed here from the registry."""
    policy = load()
    with unit_of_work(client.app.state.engine) as session:
        frames = frames_for_year(session, policy, Period(YEAR))
    result = run(policy, frames, Period(YEAR))
    row = result.frames[entity].filter(pl.col("id") == code).row(0, named=True)
    return row, result.explain(entity, [code], lang)[code]


def _outcome(page: str, output: str) -> str:
    return page.split(f'data-output="{output}">', 1)[1].split("<", 1)[0]


def _funded_school(client: TestClient) -> str:
    """A school of the demo with part-time teacher funding in the year, so the test compares a real amount."""
    found = query(
        client,
        "SELECT s.code FROM schools s JOIN teacher_stats t ON t.school_id = s.id AND t.year = :year "
        "JOIN salary_standards w ON w.county_code = s.county_code AND w.year = :year "
        "AND w.school_type = s.school_type "
        "WHERE t.part_time > 0 AND w.avg_teacher_salary_fen > 0 ORDER BY s.code",
        year=YEAR,
    )
    return str(found[0][0])


def test_a_school_page_shows_the_engines_entitlements_and_explanation(client: TestClient):
    sign_in(client, "admin")
    code = _funded_school(client)
    page = client.get(f"/registry/schools/{code}", params={"year": YEAR}).text
    row, steps = _engine(client, "school", code)
    assert row["part_time_teacher_funding"] > 0
    assert _outcome(page, "part_time_teacher_funding") == money(row["part_time_teacher_funding"], Lang.zh)
    assert _outcome(page, "appropriation_uplift_amount") == money(row["appropriation_uplift_amount"], Lang.zh)
    assert _outcome(page, "funded_part_time_teachers") == number(row["funded_part_time_teachers"], Lang.zh)
    funding = next(step for step in steps if step["output"] == "part_time_teacher_funding")
    assert funding["text"].startswith("第十三条")
    assert html.escape(funding["text"], quote=False) in page
    for step in steps:
        for note in step.get("why_not", []):
            assert html.escape(note["why"], quote=False) in page


def test_the_explanation_follows_the_language(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "admin")
    code = _funded_school(client)
    page = client.get(f"/registry/schools/{code}", params={"year": YEAR, "lang": "en"}).text
    _row, steps = _engine(client, "school", code, "en")
    funding = next(step for step in steps if step["output"] == "part_time_teacher_funding")
    assert funding["text"].startswith("Art. 13")
    assert html.escape(funding["text"], quote=False) in page


def test_the_school_page_lists_its_figures_by_year(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "admin")
    code = _funded_school(client)
    page = client.get(f"/registry/schools/{code}").text
    figures = query(
        client,
        "SELECT st.year, st.enrolled FROM student_stats st JOIN schools s ON s.id = st.school_id "
        "WHERE s.code = :code ORDER BY st.year",
        code=code,
    )
    students = next(row for row in table_rows(page, "year-student_stats") if row[0] == "在校生数")
    assert students[1:] == [number(enrolled, Lang.zh) for _year, enrolled in figures]
    assert f">{figures[-1][0]}</th>" in page


def test_an_enterprise_page_shows_a_revoked_certification_and_the_subsidy(client: TestClient):
    sign_in(client, "admin")
    ((code, cert, revoked_on),) = query(
        client,
        "SELECT e.code, c.code, c.revoked_on FROM enterprise_certifications c JOIN enterprises e "
        "ON e.id = c.enterprise_id WHERE c.revoked_on IS NOT NULL AND c.revoked_on <= :end "
        "ORDER BY c.code LIMIT 1",
        end=f"{YEAR}-12-31",
    )
    page = client.get(f"/registry/enterprises/{code}", params={"year": YEAR}).text
    certifications = {row[0]: row for row in table_rows(page, "rows-enterprise_certifications")}
    assert "已撤销" in certifications[cert]
    assert str(revoked_on.year if hasattr(revoked_on, "year") else revoked_on[:4]) in " ".join(certifications[cert])
    row, _steps = _engine(client, "enterprise", code)
    assert _outcome(page, "integration_subsidy") == money(row["integration_subsidy"], Lang.zh)


def test_a_platform_page_shows_its_award_as_the_engine_computes_it(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "admin")
    policy = load()
    with unit_of_work(client.app.state.engine) as session:
        frames = frames_for_year(session, policy, Period(YEAR))
    awarded = run(policy, frames, Period(YEAR)).frames["platform"].filter(pl.col("platform_award") > 0)
    code, award = awarded.row(0, named=True)["id"], awarded.row(0, named=True)["platform_award"]
    page = client.get(f"/registry/platforms/{code}", params={"year": YEAR}).text
    assert _outcome(page, "platform_award") == money(award, Lang.zh)
    assert "第三条" in page


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("county", "/registry/schools/SCH-0001"),  # a city-run school, not Ruian's
        ("school", "/registry/schools/SCH-0001"),
        ("enterprise", "/registry/schools/SCH-0016"),
        ("county", "/registry/enterprises/91330302101474002M"),  # an enterprise of Lucheng
        ("school", "/registry/platforms/PLT-0001"),
        ("county", "/registry/projects/PRJ-0006"),  # a project of Cangnan
        ("admin", "/registry/schools/NO-SUCH-SCHOOL"),
    ],
)
def test_a_record_outside_the_scope_is_not_found(sqlite_client: TestClient, username: str, path: str):
    client = sign_in(sqlite_client, username)
    response = client.get(path)
    assert response.status_code == 404
    assert "登记册中没有该记录，或不在您的查看范围内。" in response.text
    headers = api_token(client, username)
    api = client.get("/api/v1" + path, headers=headers)
    assert api.status_code == 404
    assert api.json()["code"] == "not_found"


def test_a_scoped_user_reaches_its_own_records(sqlite_client: TestClient):
    school = sign_in(sqlite_client, "school")
    ((code,),) = query(school, "SELECT s.code FROM users u JOIN schools s ON s.id = u.school_id")
    assert school.get(f"/registry/schools/{code}").status_code == 200
    county = sign_in(sqlite_client, "county")
    assert county.get(f"/registry/schools/{code}").status_code == 200  # the school user's school is in Ruian
    assert county.get("/registry/projects/PRJ-0010").status_code == 200


def test_a_year_without_data_is_refused_naming_the_years(sqlite_client: TestClient):
    client = sign_in(sqlite_client, "admin")
    response = client.get("/registry/schools/SCH-0001", params={"year": 2030})
    assert response.status_code == 422
    assert "2023、2024、2025、2026" in response.text
