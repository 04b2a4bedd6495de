"""``zhijiao calc`` and ``POST /api/v1/calculate`` under plans in force in turn (``ZHIJIAO_PLANS``; the demo's
successor adopted): a 2027 calculation cites the successor, a 2024 one the plan of 2023."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from zhijiao.cli.common import DEMO_PLANS, PLANS_VARIABLE, the_plans
from zhijiao.cli.main import app as cli
from zhijiao.cli.platform import create_app
from zhijiao.storage.database import engine_for
from zhijiao.storage.migrate import upgrade

runner = CliRunner()
IN_TURN = ",".join(DEMO_PLANS)
SCHOOL = {"id": "S1", "county": "瑞安市", "school_type": "secondary", "ownership": "public", "sponsor": "county",
          "full_time_teachers": 100, "part_time_teachers": 50, "local_avg_teacher_salary": 150000}  # fmt: skip


def _situation(year: int) -> dict[str, Any]:
    return {"year": year, "schools": [SCHOOL]}


def _calc(tmp_path: Path, year: int, plans: str) -> Any:
    path = tmp_path / f"{year}.json"
    path.write_text(json.dumps(_situation(year), ensure_ascii=False), encoding="utf-8")
    done = runner.invoke(cli, ["calc", str(path), "--explain", "--lang", "en"], env={PLANS_VARIABLE: plans})
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def _cap_cited(answer: dict[str, Any]) -> list[str]:
    steps = answer["schools"]["S1"]["explanation"]
    return [p["cited"] for s in steps for p in s["parameters"] if p["id"] == "art13.part_time_share_cap"]


def test_zhijiao_calc_applies_the_plan_in_force_in_the_year(tmp_path: Path):
    later, earlier = _calc(tmp_path, 2027, IN_TURN), _calc(tmp_path, 2024, IN_TURN)
    assert later["rule_set"].startswith("wenzhou_vet_2026_demo@")
    assert _cap_cited(later) == ["Art. 12 of 温政办〔2026〕演示号"]
    assert later["schools"]["S1"]["funded_part_time_teachers"] == 47  # 47 of 147 teachers is 32%, 48 of 148 more
    assert earlier["rule_set"].startswith("wenzhou_vet_2023@")
    assert _cap_cited(earlier) == ["Art. 13 of 温政办〔2023〕32号"]
    assert earlier["schools"]["S1"]["funded_part_time_teachers"] == 42  # 42 of 142 is under 30%, 43 of 143 over
    # Without ZHIJIAO_PLANS only the plan of 2023 applies, whatever the year.
    assert _calc(tmp_path, 2027, "")["rule_set"].startswith("wenzhou_vet_2023@")


def test_an_unknown_plan_is_named(tmp_path: Path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(_situation(2027)), encoding="utf-8")
    done = runner.invoke(cli, ["calc", str(path)], env={PLANS_VARIABLE: "wenzhou_vet_2023,wenzhou_vet_2099"})
    assert done.exit_code == 2
    assert "wenzhou_vet_2099" in done.stderr
    assert "Traceback" not in done.output


@pytest.fixture
def api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.delenv(PLANS_VARIABLE, raising=False)
    engine = engine_for(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    upgrade(engine)
    return TestClient(create_app(engine, plans=the_plans(demo=True)))


def test_the_api_applies_the_plan_in_force_with_and_without_explanations(api: TestClient):
    for query in ("", "?explain=true&lang=en"):
        later = api.post(f"/api/v1/calculate{query}", json=_situation(2027)).json()
        earlier = api.post(f"/api/v1/calculate{query}", json=_situation(2024)).json()
        assert later["rule_set"].startswith("wenzhou_vet_2026_demo@"), query
        assert earlier["rule_set"].startswith("wenzhou_vet_2023@"), query
        assert (
            later["schools"]["S1"]["funded_part_time_teachers"],
            earlier["schools"]["S1"]["funded_part_time_teachers"],
        ) == (47, 42)
    explained = api.post("/api/v1/calculate?explain=true&lang=en", json=_situation(2027)).json()
    assert _cap_cited(explained) == ["Art. 12 of 温政办〔2026〕演示号"]
