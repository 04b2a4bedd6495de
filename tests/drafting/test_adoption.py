"""Adopting a draft version (decision 0019): the demo draft's consultation version, adopted, is exactly the demo
successor the platform ships (policies/wenzhou_vet_2026_demo/adopted.yaml), and a value the rules cannot take is
refused before anything is written."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from sqlalchemy import select
from typer.testing import CliRunner

from zhijiao.cli.main import app as cli
from zhijiao.demo.drafting_2026 import CODE, load_2026_demo
from zhijiao.drafting import versions
from zhijiao.drafting.adoption import Decision, adopted
from zhijiao.drafting.models import DraftPlan, DraftVersion
from zhijiao.policies import wenzhou_vet_2026_demo

DECISION = Decision(
    "wenzhou_vet_2026_demo",
    "温政办〔2026〕演示号",
    "温州市职业教育高质量发展三年行动计划（2026—2028年）（演示）",
    "Wenzhou three-year action plan for high-quality vocational education (2026–2028) (demo)",
    dt.date(2026, 1, 1),
    dt.date(2028, 12, 31),
    dt.date(2026, 1, 1),
)


def _version(db, number: int) -> DraftVersion:
    plan = db.scalar(select(DraftPlan).where(DraftPlan.code == CODE))
    return db.scalar(select(DraftVersion).where(DraftVersion.plan_id == plan.id, DraftVersion.number == number))


@pytest.fixture
def demo_draft(db, policy):
    load_2026_demo(db, versions.wenzhou_today(), policy)
    db.commit()


@pytest.mark.usefixtures("demo_draft")
def test_the_demo_successor_is_the_demo_draft_s_version_3_adopted(db, policy):
    written = adopted(db, policy, _version(db, 3).id, DECISION)
    shipped = yaml.safe_load((wenzhou_vet_2026_demo.ROOT / "adopted.yaml").read_text(encoding="utf-8"))
    for part in ("values", "articles"):
        assert written[part] == shipped[part], part
    assert {k: {"from": str(v["from"]), "to": str(v["to"])} for k, v in written["options"].items()} == {
        k: {"from": str(v["from"]), "to": str(v["to"])} for k, v in shipped["options"].items()
    }
    assert written["document"]["period"] == {"from": "2026-01-01", "to": "2028-12-31"}
    # The first draft raised the award further: adopting it would have said so.
    assert adopted(db, policy, _version(db, 1).id, DECISION)["values"]["art03.platform_award.national"] == 1_000_000


@pytest.mark.usefixtures("demo_draft")
def test_adopting_a_version_that_does_not_exist_writes_nothing(demo_engine, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    out = tmp_path / "adopted.yaml"
    done = CliRunner().invoke(cli, ["policy", "adopt", "999999", *_options(out), "--lang", "en"])
    assert done.exit_code == 2
    assert "Not written: No such version." in done.stderr
    assert not out.exists()


def _options(out) -> list[str]:
    return ["--name", DECISION.name, "--number", DECISION.number, "--title", DECISION.title_zh,
            "--title-en", DECISION.title_en, "--from", "2026-01-01", "--to", "2028-12-31", "--issued", "2026-01-01",
            "--out", str(out)]  # fmt: skip


@pytest.mark.usefixtures("demo_draft")
def test_zhijiao_policy_adopt_writes_the_file(db, tmp_path, demo_engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    out = tmp_path / "adopted.yaml"
    done = CliRunner().invoke(cli, ["policy", "adopt", str(_version(db, 3).id), *_options(out), "--lang", "en"])
    assert done.exit_code == 0, done.output
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert written["values"]["art13.part_time_share_cap"] == 0.32
    assert written["articles"] == {"第十三条": "第十二条"}
    assert out.read_text(encoding="utf-8").startswith("# The successor of 温政办〔2023〕32号")
