"""The targets page: T1–T11 by county and year as ``zhijiao targets`` computes them, each with its course
over the plan's years against the path to the deadline."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient
from personas import sign_in

from zhijiao.language import Lang
from zhijiao.monitoring.targets import Progress, progress
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.storage.database import unit_of_work
from zhijiao.web.pages.targets_data import measure

TARGETS = [f"T{n}" for n in range(1, 12)]
COUNTY = "瑞安市"


def _progress(client: TestClient, year: int, county: str | None = None) -> list[Progress]:
    with unit_of_work(client.app.state.engine) as session:
        return progress(session, load(), year, county)


def _chart(page: str, chart_id: str) -> dict[str, Any]:
    found = re.search(rf'<script type="application/json" id="{chart_id}-options">(.*?)</script>', page, re.DOTALL)
    assert found, chart_id
    options: dict[str, Any] = json.loads(found.group(1))
    return options


def _rows(page: str) -> list[list[str]]:
    """The progress table's rows as their cells' text."""
    body = page.split('class="data targets-table"', 1)[1].split("</table>", 1)[0].split("<tbody>", 1)[1]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL):
        cells = [
            re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        ]
        rows.append([re.sub(r"\s+", " ", c) for c in cells])
    return rows


def test_each_target_is_shown_with_its_value_goal_path_and_status(client: TestClient):
    sign_in(client, "admin")
    page = client.get("/targets?year=2024").text
    expected = _progress(client, 2024)
    rows = _rows(page)
    assert [row[0] for row in rows] == TARGETS
    status = {"achieved": "已完成", "on_track": "按进度", "behind": "滞后", "baseline": "基线年", "no_data": "无数据"}
    for row, wanted in zip(rows, expected, strict=True):
        assert row[3] == measure(wanted.value, wanted.unit, Lang.zh)
        assert row[4] == ("逐年提高" if wanted.goal is None else measure(wanted.goal, wanted.unit, Lang.zh))
        assert row[6] == measure(wanted.expected, wanted.unit, Lang.zh)
        assert row[7] == status[wanted.status]
    assert {r.status for r in expected} >= {"behind", "on_track"}  # the demo shows more than one state
    for target in TARGETS:
        assert f'id="target-{target}"' in page


def test_a_targets_chart_is_its_course_against_the_path(client: TestClient):
    sign_in(client, "auditor")
    page = client.get("/targets?year=2024").text
    years = [2023, 2024, 2025]
    course = [next(r for r in _progress(client, y) if r.target == "T3") for y in years]
    chart = _chart(page, "chart-T3")
    assert chart["xAxis"]["data"] == [str(y) for y in years]
    series = {s["name"]: s["data"] for s in chart["series"]}
    assert series["全市实际"] == [float(r.value) if r.value is not None else None for r in course]
    assert series["进度线（应达值）"] == [float(r.expected) if r.expected is not None else None for r in course]
    assert all(s["type"] == "line" for s in chart["series"])


def test_the_counties_are_listed_side_by_side_for_the_city(client: TestClient):
    sign_in(client, "analyst")
    page = client.get("/targets?year=2024").text
    matrix = page.split('id="by-county"', 1)[1].split("</table>", 1)[0]
    mine = {r.target: r for r in _progress(client, 2024, COUNTY) if r.county == COUNTY}
    row = re.search(rf">{COUNTY}</a></td>(.*?)</tr>", matrix, re.DOTALL)
    assert row
    cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.DOTALL)]
    # A county without data for a target (here T8: no higher-vocational college) says so, not "—" or 0.
    shown = [
        "无数据" if mine[t].status == "no_data" else measure(mine[t].value, mine[t].unit, Lang.zh) for t in TARGETS
    ]
    assert cells == shown
    assert "无数据" in cells


def test_a_county_filter_shows_the_countys_rows_beside_the_city(client: TestClient):
    sign_in(client, "admin")
    page = client.get(f"/targets?year=2024&county={COUNTY}").text
    rows = _rows(page)
    assert [row[2] for row in rows] == ["全市", COUNTY] * len(TARGETS)
    assert 'id="by-county"' not in page
    assert client.get("/targets?county=不存在县").status_code == 404


def test_a_county_officer_sees_its_own_county_and_no_other(client: TestClient):
    sign_in(client, "county")
    page = client.get("/targets?year=2024").text
    rows = _rows(page)
    assert {row[2] for row in rows} == {"全市 （背景）", COUNTY}
    assert 'id="by-county"' not in page
    assert "鹿城区" not in page.split('<main id="main">', 1)[1]
    assert client.get("/targets?county=鹿城区").status_code == 404
    mine = {r.target: r for r in _progress(client, 2024, COUNTY) if r.county == COUNTY}
    county_rows = [row for row in rows if row[2] == COUNTY]
    assert [row[3] for row in county_rows] == [measure(mine[t].value, mine[t].unit, Lang.zh) for t in TARGETS]


def test_the_targets_page_speaks_english(client: TestClient):
    sign_in(client, "finance")
    page = client.get("/targets?year=2024&lang=en").text
    assert '<html lang="en">' in page
    for text in ("Progress toward each target", "Share achieved", "Path (expected)", "Values by county"):
        assert text in page, text
    assert "各目标完成情况" not in page
    assert "total investment in vocational school projects" in page
