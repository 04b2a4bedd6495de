"""A blank figure is not zero, as the officials who read the cost see it: the API's answer lists the blanks the cost
counted as zero, the dashboard and the simulation show a warning with the schools and fields, the workbooks and the
PDF report name them; with no blank, none of it appears."""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO
from pathlib import Path

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from personas import api_token, sign_in
from sqlalchemy import Engine, select

from zhijiao.api.schemas import CostOut
from zhijiao.registry import models as m
from zhijiao.storage.database import unit_of_work

YEAR = 2025  # the dashboard's default year: the plan's last, complete in the demo registry
FIELD = "base_appropriation_per_student"


def _blank_appropriation(client: TestClient) -> tuple[str, str, str]:
    """Blanks the base appropriation of the first public double-high school (its Art. 20 uplift uses it): its code,
    name and county."""
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    with unit_of_work(engine) as session:
        found = session.execute(
            select(m.School, m.County.name, m.SchoolYear)
            .join(m.County, m.School.county_code == m.County.code)
            .join(m.SchoolYear, m.SchoolYear.school_id == m.School.id)
            .where(m.SchoolYear.year == YEAR, m.SchoolYear.double_high != "none", m.School.ownership == "public")
            .order_by(m.School.code)
        ).first()
        assert found is not None
        school, county, figures = found
        figures.base_appropriation_per_student_fen = None
        return school.code, school.name, county


def test_the_api_lists_the_blank_in_the_requests_language(client: TestClient):
    headers = api_token(client, "finance")
    complete = client.get("/api/v1/cost", headers=headers).json()
    assert complete["year"] == YEAR
    assert complete["missing_inputs"] == []

    code, name, county = _blank_appropriation(client)
    answer = client.get("/api/v1/cost", headers=headers).json()
    CostOut.model_validate(answer)
    assert answer["missing_inputs"] == [
        {"entity": "school", "entity_label": "学校", "code": code, "name": name, "county": county, "field": FIELD,
         "label": "生均财政拨款（上浮前）", "articles": ["art20"], "outputs": ["appropriation_uplift_amount"]}
    ]  # fmt: skip
    english = client.get("/api/v1/cost?by=article", headers=headers | {"Accept-Language": "en"}).json()
    assert [(r["entity_label"], r["field"], r["label"]) for r in english["missing_inputs"]] == [
        ("school", FIELD, "base per-student appropriation")
    ]
    reform = {"name": "省级平台40万", "parameters": {"art03.platform_award.provincial": 400000}}
    simulated = client.post(
        "/api/v1/cost/simulate", headers=api_token(client, "analyst"), json={"year": YEAR, "reform": reform}
    )
    assert simulated.status_code == 200, simulated.text
    assert [r["code"] for r in simulated.json()["missing_inputs"]] == [code]

    # A county officer sees its own county's blanks only, as it sees its own county's money.
    own = client.get("/api/v1/cost", headers=api_token(client, "county")).json()
    assert [r["code"] for r in own["missing_inputs"]] == ([code] if county == own["county"] else [])


def test_the_dashboard_warns_with_the_school_and_field(client: TestClient):
    sign_in(client, "finance")
    assert 'id="missing-inputs"' not in client.get("/dashboard").text

    code, name, county = _blank_appropriation(client)
    page = client.get("/dashboard").text
    panel = page.split('id="missing-inputs"', 1)[1].split("</section>", 1)[0]
    assert f'data-year="{YEAR}" data-count="1"' in panel
    assert f"{YEAR}年的财政成本使用了缺失数据（空白按零计算），相关金额可能偏低：涉及学校、企业或平台1个。" in panel
    assert "第二十条 经费保障：1个" in panel
    row = panel.split(f'<tr data-code="{code}" data-field="{FIELD}">', 1)[1].split("</tr>", 1)[0]
    assert f'href="/registry/schools/{code}?year={YEAR}"' in row
    for text in (name, county, "生均财政拨款（上浮前）", "第二十条 经费保障"):
        assert text in row
    assert panel.count("<tr data-code=") == 1

    english = client.get("/dashboard?lang=en").text
    assert f"The fiscal cost of {YEAR} was computed with missing inputs" in english
    assert "Schools, enterprises or platforms concerned: 1." in english
    assert "base per-student appropriation" in english
    # Another year, complete, shows no warning.
    assert 'id="missing-inputs"' not in client.get(f"/dashboard?year={YEAR - 1}").text


def test_the_simulation_warns_and_its_workbook_lists_the_blank(client: TestClient):
    sign_in(client, "analyst")
    query = f"/simulation?run=1&year={YEAR}&art03.platform_award.provincial=400000"
    assert 'id="missing-inputs"' not in client.get(query).text
    code, _name, _county = _blank_appropriation(client)
    page = client.get(query).text
    assert f'<tr data-code="{code}" data-field="{FIELD}">' in page
    assert f"{YEAR}年1个" in page.split('id="missing-years"', 1)[1].split("</p>", 1)[0]

    workbook = load_workbook(BytesIO(client.get(query.replace("/simulation?", "/simulation/export.xlsx?")).content))
    rows = list(workbook["缺失数据"].iter_rows(values_only=True))
    assert [(row[1], row[5], row[6]) for row in rows[1:]] == [(code, FIELD, "第二十条 经费保障")]


def test_the_reports_name_the_blank_in_the_cost_section(client: TestClient, tmp_path: Path):
    sign_in(client, "finance")
    complete = load_workbook(BytesIO(client.get(f"/reports/cost.xlsx?year={YEAR}").content))
    assert "缺失数据" not in complete.sheetnames
    assert ("缺失数据", "无：计算所用数据完整。") in list(complete["说明"].iter_rows(values_only=True))

    code, name, county = _blank_appropriation(client)
    workbook = load_workbook(BytesIO(client.get(f"/reports/cost.xlsx?year={YEAR}").content))
    about = dict(row[:2] for row in workbook["说明"].iter_rows(values_only=True))
    assert "涉及学校、企业或平台1个（第二十条 经费保障：1个）" in about["缺失数据"]
    rows = list(workbook["缺失数据"].iter_rows(values_only=True))
    assert rows[1:] == [("学校", code, name, county, "生均财政拨款（上浮前）", FIELD, "第二十条 经费保障")]

    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils is installed by `make`"
    path = tmp_path / "report.pdf"
    path.write_bytes(client.get(f"/reports/dashboard.pdf?year={YEAR}").content)
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    text = "".join(text.split())  # as read, not as wrapped across lines
    assert "涉及学校、企业或平台1个" in text
    assert code in text
    assert FIELD in text
