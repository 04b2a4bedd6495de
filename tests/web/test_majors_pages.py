"""Art. 10's majors on the page and in the API: a county's duplicated and old majors with the thresholds that
flagged them, in Chinese and English; a county officer sees its own county only."""

from __future__ import annotations

import re

from english_pages import chinese_left, data_runs
from fastapi.testclient import TestClient
from personas import api_token, sign_in
from sqlalchemy import Engine

YEAR = 2025


def test_the_page_lists_a_countys_flags_with_their_thresholds_in_both_languages(
    sqlite_client: TestClient, sqlite_engine: Engine
):
    sign_in(sqlite_client, "admin")
    page = sqlite_client.get("/majors", params={"county": "瑞安市", "year": YEAR}).text
    duplicated = page.split('id="duplicated"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'data-kind="duplicated" data-threshold="art10.small_enrolment"', duplicated)
    assert "所学校开设" in duplicated
    assert "温政办〔2023〕32号第十条" in page.split('id="thresholds"', 1)[1].split("</section>", 1)[0]
    english = sqlite_client.get("/majors", params={"county": "瑞安市", "year": YEAR, "lang": "en"}).text
    assert "Art. 10 of 温政办〔2023〕32号" in english
    assert chinese_left(english, data_runs(sqlite_engine))[0] == set()


def test_a_county_officer_sees_its_own_county_and_the_api_gives_the_same_flags(sqlite_client: TestClient):
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
