"""Art. 10's majors on the page and in the API: a county's duplicated and old majors with the thresholds that
flagged them, the majors serving the listed industries, the county's trend chart and the city's heat map of
duplication, in Chinese and English; a county officer sees its own county only."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from english_pages import chinese_left, data_runs
from fastapi.testclient import TestClient
from personas import api_token, sign_in
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from zhijiao.engine.policy import Policy
from zhijiao.majors.city import duplication_map, enrolment_trend
from zhijiao.registry.counties import county_codes

YEAR = 2025


def test_the_page_lists_a_countys_flags_with_their_thresholds_in_both_languages(
    sqlite_client: TestClient, sqlite_engine: Engine
) -> None:
    sign_in(sqlite_client, "admin")
    page = sqlite_client.get("/majors", params={"county": "瑞安市", "year": YEAR}).text
    duplicated = page.split('id="duplicated"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'data-kind="duplicated" data-threshold="art10.small_enrolment"', duplicated)
    assert "所学校开设" in duplicated
    assert "温政办〔2023〕32号第十条" in page.split('id="thresholds"', 1)[1].split("</section>", 1)[0]
    english = sqlite_client.get("/majors", params={"county": "瑞安市", "year": YEAR, "lang": "en"}).text
    assert "Art. 10 of 温政办〔2023〕32号" in english
    assert chinese_left(english, data_runs(sqlite_engine))[0] == set()


def test_a_county_officer_sees_its_own_county_and_the_api_gives_the_same_flags(sqlite_client: TestClient) -> None:
    sign_in(sqlite_client, "county")  # 瑞安市's officer
    assert sqlite_client.get("/majors", params={"county": "乐清市"}).status_code == 404
    assert sqlite_client.get("/majors", params={"county": "瑞安市", "year": YEAR}).status_code == 200
    headers = api_token(sqlite_client, "county")
    found = sqlite_client.get("/api/v1/majors", params={"county": "瑞安市", "year": YEAR}, headers=headers).json()
    assert found["county_code"] == "330381"
    assert found["duplicated"]
    assert {f["threshold"] for f in found["duplicated"]} == {"art10.small_enrolment"}
    refused = sqlite_client.get("/api/v1/majors", params={"county": "乐清市", "year": YEAR}, headers=headers)
    assert refused.status_code == 404


def _chart(page: str, chart_id: str) -> dict[str, Any]:
    found = re.search(rf'<script type="application/json" id="{chart_id}-options">(.*?)</script>', page, re.DOTALL)
    assert found, f"no {chart_id} on the page"
    options: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return options


def test_the_page_shows_the_majors_serving_the_industries_with_the_lists_citation(sqlite_client: TestClient) -> None:
    sign_in(sqlite_client, "admin")
    page = sqlite_client.get("/majors", params={"county": "瑞安市", "year": YEAR}).text
    headers = api_token(sqlite_client, "admin")
    found = sqlite_client.get("/api/v1/majors", params={"county": "瑞安市", "year": YEAR}, headers=headers).json()
    found = found["industries"]
    section = page.split('id="industries"', 1)[1].split("</section>", 1)[0]
    assert "温政办〔2023〕32号第十条" in section
    assert "本平台默认清单" in section
    split = dict(re.findall(r'data-split="(\w+)"><th>[^<]*</th><td class="num">(\d+)</td>', section))
    assert split == {"serving": str(found["students_serving"]), "other": str(found["students_other"])}
    assert 'data-serving="smart_equipment"><td>数控技术应用</td><td>660103</td><td>智能装备</td>' in section
    declining = page.split('id="declining"', 1)[1].split("</section>", 1)[0]
    assert 'data-kind="declining" data-threshold="art10.decline_years"' in declining
    assert "2023—2025年" in declining
    assert 'data-direction="shrinking"' in page
    assert 'data-direction="growing"' in page
    english = sqlite_client.get("/majors", params={"county": "瑞安市", "year": YEAR, "lang": "en"}).text
    assert "Majors serving key and emerging industries" in english
    assert "Art. 10 of 温政办〔2023〕32号" in english.split('id="industries"', 1)[1].split("</section>", 1)[0]
    assert "<h1>Structure of majors · Rui&#39;an City · " in english


def test_the_charts_carry_the_countys_trend_and_the_citys_duplication(
    sqlite_client: TestClient, sqlite_engine: Engine, policy: Policy
) -> None:
    sign_in(sqlite_client, "admin")
    page = sqlite_client.get("/majors", params={"county": "瑞安市", "year": YEAR}).text
    trend = _chart(page, "chart-majors-trend")
    assert trend["xAxis"]["data"] == ["2023", "2024", "2025"]
    with Session(sqlite_engine) as s:
        expected = enrolment_trend(s, "330381", YEAR)
        city = duplication_map(s, policy.parameters, YEAR, [(n, c) for n, c in county_codes(s).items()
                                                             if n != "市直属"])  # fmt: skip
    drawn = {series["name"]: series["data"] for series in trend["series"]}
    assert drawn == {m: [expected.students[m].get(y) for y in expected.years] for m in expected.majors}
    assert sum(v or 0 for v in [d[-1] for d in drawn.values()]) == sum(
        expected.students[m].get(YEAR, 0) for m in expected.majors
    )
    heat = _chart(page, "chart-majors-duplication")
    assert heat["series"][0]["type"] == "heatmap"
    assert heat["yAxis"]["data"][:2] == ["鹿城区", "龙湾区"]
    assert heat["xAxis"]["data"] == city.majors
    cells = {(heat["yAxis"]["data"][y], heat["xAxis"]["data"][x]): v for x, y, v in heat["series"][0]["data"]}
    assert cells == {(c, m): city.duplicated(c, m) for c in city.counties for m in city.majors if city.duplicated(c, m)}
    assert cells  # the demo city has majors several schools of a county run small
    english = sqlite_client.get("/majors", params={"county": "瑞安市", "year": YEAR, "lang": "en"}).text
    assert _chart(english, "chart-majors-trend")["title"]["text"] == "Students per major in Rui'an City"
    assert "Lucheng District" in _chart(english, "chart-majors-duplication")["yAxis"]["data"]
    sign_in(sqlite_client, "county")  # a county officer sees its own county's trend, not the other counties
    own = sqlite_client.get("/majors", params={"county": "瑞安市", "year": YEAR}).text
    assert "chart-majors-trend-options" in own
    assert "chart-majors-duplication" not in own
