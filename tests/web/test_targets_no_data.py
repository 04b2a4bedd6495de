"""Missing is not zero, wherever targets are shown: one county's 2024 figures of T5, T7 and T9 are blanked in
the demo registry (as an import leaving the columns empty would), another county's are entered as zeros. The
blanked county says 无数据 / no data in the service, the API, the targets page and its charts, the dashboard
and the reports; the zeros stay zeros, judged like any value."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from io import BytesIO
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from personas import api_token, sign_in
from sqlalchemy import Engine, Select, select, update
from sqlalchemy.orm import Session

from zhijiao.language import Lang
from zhijiao.monitoring.measures import CITY
from zhijiao.monitoring.targets import progress, progress_by_county
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.registry.models import County, School, SchoolYear, StudentStats, TeacherStats
from zhijiao.reports import content, pdf
from zhijiao.simulation.cost_view import county_names
from zhijiao.storage.database import unit_of_work

BLANK, ZERO, YEAR = "瑞安市", "鹿城区", 2024  # 瑞安市 is the demo county officer's county
BLANKED = ("T5", "T7", "T9")


def _schools(county: str) -> Select[int]:
    return select(School.id).join(County, School.county_code == County.code).where(County.name == county)


def _set(engine: Engine, county: str, years: tuple[int, ...], trained: int | None, training: int | None, *,
         meets: bool | None) -> None:  # fmt: skip
    with Session(engine) as session, session.begin():
        session.execute(
            update(TeacherStats)
            .where(TeacherStats.school_id.in_(_schools(county)), TeacherStats.year.in_(years))
            .values(double_qualified_trained=trained)
        )
        session.execute(
            update(SchoolYear)
            .where(SchoolYear.school_id.in_(_schools(county)), SchoolYear.year.in_(years))
            .values(social_training_person_times=training, meets_national_standard=meets)
        )


def _prepare(client: TestClient) -> Engine:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    _set(engine, BLANK, (YEAR,), None, None, meets=None)
    _set(engine, ZERO, (YEAR - 1, YEAR), 0, 0, meets=False)
    return engine


def _cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>|\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]


def _table(page: str) -> dict[tuple[str, str], list[str]]:
    """The progress table's rows by (target, scope), as their cells' text."""
    body = page.split('class="data targets-table"', 1)[1].split("</table>", 1)[0].split("<tbody>", 1)[1]
    rows = [_cells(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL)]
    return {(cells[0], cells[2]): cells for cells in rows}


def _chart(page: str, chart_id: str) -> dict[str, Any]:
    found = re.search(rf'<script type="application/json" id="{chart_id}-options">(.*?)</script>', page, re.DOTALL)
    assert found, chart_id
    options: dict[str, Any] = json.loads(found.group(1))
    return options


def test_the_service_and_the_api_say_no_data_and_keep_a_real_zero(client: TestClient):
    engine = _prepare(client)
    with unit_of_work(engine) as session:
        rows = {(r.target, r.county): r for r in progress(session, load(), YEAR, BLANK)}
        zeros = {(r.target, r.county): r for r in progress(session, load(), YEAR, ZERO)}
        before = {r.target: r for r in progress(session, load(), YEAR - 1, BLANK) if r.county == BLANK}
    for target in BLANKED:
        mine = rows[(target, BLANK)]
        assert (mine.value, mine.share, mine.expected, mine.status) == (None, None, None, "no_data")
        assert rows[(target, CITY)].value is not None  # the other counties still hold figures
        assert before[target].value is not None  # 2023 is untouched
    assert zeros[("T5", ZERO)].value == zeros[("T7", ZERO)].value == Decimal(0)
    assert zeros[("T5", ZERO)].status == "contribution"
    assert (zeros[("T9", ZERO)].value, zeros[("T9", ZERO)].status) == (Decimal(0), "behind")  # a real 0 %

    for username in ("analyst", "county"):
        answer = client.get(f"/api/v1/targets?year={YEAR}&county={BLANK}", headers=api_token(client, username))
        assert answer.status_code == 200, answer.text
        api = {(r["target"], r["county"]): r for r in answer.json()["rows"]}
        for target in BLANKED:
            assert api[(target, BLANK)] | {"indicator": None} == {
                "target": target, "indicator": None, "county": BLANK, "year": YEAR, "unit": rows[(target, BLANK)].unit,
                "value": None, "goal": api[(target, BLANK)]["goal"], "share": None, "expected": None,
                "status": "no_data",
            }  # fmt: skip
    answer = client.get(f"/api/v1/targets?year={YEAR}&county={ZERO}&target=T9", headers=api_token(client, "analyst"))
    assert [(r["value"], r["status"]) for r in answer.json()["rows"] if r["county"] == ZERO] == [("0.0000", "behind")]


def test_the_targets_page_and_its_charts(client: TestClient):
    _prepare(client)
    sign_in(client, "admin")
    page = client.get(f"/targets?year={YEAR}&county={BLANK}").text
    table = _table(page)
    for target in BLANKED:
        cells = table[(target, BLANK)]
        assert (cells[3], cells[5], cells[6], cells[7]) == ("—", "—", "—", "无数据"), cells
        assert table[(target, "全市")][3] not in {"—", "0", "0.0%"}
    zero = _table(client.get(f"/targets?year={YEAR}&county={ZERO}").text)
    assert (zero[("T5", ZERO)][3], zero[("T9", ZERO)][3], zero[("T9", ZERO)][7]) == ("0", "0.0%", "滞后")

    for target in BLANKED:  # the county's line has a gap in 2024, not a point at 0
        chart = _chart(page, f"chart-{target}")
        years = chart["xAxis"]["data"]
        line = next(s for s in chart["series"] if s["name"] == BLANK)
        assert line["data"][years.index(str(YEAR))] is None
        assert line["data"][years.index(str(YEAR - 1))] is not None
        assert all(s["connectNulls"] is False for s in chart["series"])

    matrix = client.get(f"/targets?year={YEAR}").text.split('id="by-county"', 1)[1].split("</table>", 1)[0]
    header = re.findall(r'<th class="num">(T\d+)</th>', matrix)
    row = re.search(rf">{BLANK}</a></td>(.*?)</tr>", matrix, re.DOTALL)
    assert row
    cells = dict(zip(header, _cells(row.group(1)), strict=True))
    assert [cells[t] for t in BLANKED] == ["无数据"] * 3
    assert cells["T6"] not in {"无数据", "—"}

    english = _table(client.get(f"/targets?year={YEAR}&county={BLANK}&lang=en").text)
    assert [english[(t, BLANK)][7] for t in BLANKED] == ["no data"] * 3


def test_the_county_officers_dashboard_says_no_data(client: TestClient):
    _prepare(client)
    sign_in(client, "county")
    table = _table(client.get(f"/dashboard?year={YEAR}").text)
    for target in BLANKED:
        cells = table[(target, BLANK)]
        assert (cells[3], cells[5], cells[-1]) == ("—", "—", "无数据"), cells


def test_the_reports_say_no_data(client: TestClient):
    engine = _prepare(client)
    sign_in(client, "county")
    for lang, words in ((Lang.zh, "无数据"), (Lang.en, "no data")):
        response = client.get(f"/reports/targets.xlsx?year={YEAR}&lang={lang.value}")
        assert response.status_code == 200, response.text
        sheet = next(iter(load_workbook(BytesIO(response.content)).worksheets[1:]))
        rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
        for target in BLANKED:
            value, share, path, status = rows[target][4], rows[target][6], rows[target][7], rows[target][8]
            assert (value, share, path, status) == (None, None, None, words), rows[target]
        assert rows["T6"][4] is not None
    with unit_of_work(engine) as session:
        report = content.build(session, load(), YEAR, BLANK)
    html = pdf.render_html(report, Lang.zh)
    for target in BLANKED:
        row = re.search(rf"<tr><td>{target}</td>(.*?)</tr>", html, re.DOTALL)
        assert row, target
        assert _cells(row.group(1))[-1] == "无数据"
        assert "滞后" not in row.group(1)


def test_rising_each_year_is_one_rule_for_the_city_and_every_county(client: TestClient):
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    policy = load()
    with unit_of_work(engine) as session:
        counties = county_names(session, policy)
        first, second = (progress_by_county(session, policy, y, counties) for y in (YEAR - 1, YEAR))
        first[CITY] = {r.target: r for r in progress(session, policy, YEAR - 1)}
        second[CITY] = {r.target: r for r in progress(session, policy, YEAR)}
    judged = 0
    for scope in [CITY, *counties]:
        before, now = first[scope]["T11"], second[scope]["T11"]
        assert before.status == ("no_data" if before.value is None else "baseline"), scope
        if before.value is not None and now.value is not None:
            assert (now.expected, now.status) == (before.value, "achieved" if now.value > before.value else "behind")
            judged += 1
    assert judged > 1

    # 瑞安市 enters no integrated counts for 2023: its figures start in 2024, its baseline year.
    with Session(engine) as session, session.begin():
        session.execute(
            update(StudentStats)
            .where(StudentStats.school_id.in_(_schools(BLANK)), StudentStats.year == YEAR - 1)
            .values(integrated_secondary_higher=None, integrated_secondary_undergraduate=None)
        )
    with unit_of_work(engine) as session:
        rows = {(r.target, r.county): r for r in progress(session, policy, YEAR, BLANK)}
    assert rows[("T11", BLANK)].status == "baseline"
    assert rows[("T11", CITY)].status == second[CITY]["T11"].status != "baseline"
    sign_in(client, "county")
    table = _table(client.get(f"/targets?year={YEAR}").text)
    assert table[("T11", BLANK)][-1] == "基线年"
