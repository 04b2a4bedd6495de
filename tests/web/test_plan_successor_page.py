"""/plan/successor: the plans in force in turn compared article by article, in Chinese and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from zhijiao.cli.common import PLANS_VARIABLE, the_plans
from zhijiao.cli.platform import create_app
from zhijiao.storage.database import engine_for
from zhijiao.storage.migrate import upgrade


def _client(tmp_path: Path, *, demo: bool) -> TestClient:
    engine = engine_for(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    upgrade(engine)
    return TestClient(create_app(engine, plans=the_plans(demo=demo)))


@pytest.fixture(autouse=True)
def _no_plans_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PLANS_VARIABLE, raising=False)


def _row(page: str, parameter: str) -> str:
    start = page.index(f'data-parameter="{parameter}"')
    return page[start : page.index("</tr>", start)]


def test_the_successor_s_changes_beside_the_plan_it_follows(tmp_path: Path):
    client = _client(tmp_path, demo=True)
    page = client.get("/plan/successor").text
    assert "温政办〔2023〕32号 → 温政办〔2026〕演示号" in page
    award = _row(page, "art03.platform_award.provincial")
    assert award.index("300,000") < award.index("400,000")  # the plan of 2023's value, then the successor's
    cap = _row(page, "art13.part_time_share_cap")
    assert "第十三条" in cap  # cited where 2023's plan holds it
    assert "第十二条" in cap  # and where the successor does
    assert "art11.incentive_rate" not in page  # carried over unchanged: counted, not listed
    assert "项参数取值不变" in page
    window = page[page.index('data-option="plan_window"') :]
    assert window.index("2023-01-01..2025-12-31") < window.index("2026-01-01..2028-12-31")
    english = client.get("/plan/successor?lang=en").text
    assert "From January 1, 2026 calculations apply 温政办〔2026〕演示号" in english
    assert "Art. 12" in _row(english, "art13.part_time_share_cap")
    assert 'href="/plan/successor"' in client.get("/plan").text


def test_with_one_plan_in_force_the_page_says_so(tmp_path: Path):
    client = _client(tmp_path, demo=False)
    page = client.get("/plan/successor")
    assert page.status_code == 200
    assert "尚无已通过的继任方案" in page.text
    assert 'href="/plan/successor"' not in client.get("/plan").text


def test_the_calculator_page_applies_the_plan_in_force_in_the_year_chosen(tmp_path: Path):
    client = _client(tmp_path, demo=True)
    school = {"county": "瑞安市", "school_type": "secondary", "ownership": "public", "sponsor": "county"}
    teachers = {"full_time_teachers": "100", "part_time_teachers": "50", "local_avg_teacher_salary": "150000"}
    form = {"entity": "school", "action": "calculate", "period": "year"} | school | teachers
    later = client.get("/calculator", params=form | {"year": "2027"}).text
    earlier = client.get("/calculator", params=form | {"year": "2024"}).text
    assert '<option value="2028"' in client.get("/calculator").text  # the successor's years can be chosen
    assert "温政办〔2026〕演示号第十二条" in later
    assert "温政办〔2026〕演示号" not in earlier
    assert "温政办〔2023〕32号第十三条" in earlier
