"""``zhijiao policy text load``: a preview prints the review and stores nothing; ``--confirm`` stores the text as the
named official's load, audited; a hostile file or an unknown account is refused with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from zhijiao.accounts.service import add_user
from zhijiao.authz import Role
from zhijiao.cli.main import app
from zhijiao.demo.accounts import DEMO_PASSWORD
from zhijiao.storage.database import unit_of_work
from zhijiao.storage.migrate import upgrade

runner = CliRunner()
SAMPLE = Path(__file__).parents[1] / "fixtures" / "plan_text" / "sample-plan.zh.txt"
SOURCE = "温州市人民政府网 公开文件"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    engine = create_engine(url)
    upgrade(engine)
    with unit_of_work(engine) as session:
        add_user(session, username="admin", password=DEMO_PASSWORD, role=Role.city_admin)
        add_user(session, username="analyst", password=DEMO_PASSWORD, role=Role.analyst)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _count(url: str, sql: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = int(connection.execute(text(sql)).scalar_one())
    engine.dispose()
    return found


def test_a_preview_stores_nothing_and_confirm_stores_the_load(database: str, tmp_path: Path):
    gbk = tmp_path / "方案.txt"
    gbk.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("gbk"))
    args = ["policy", "text", "load", str(gbk), "--source", SOURCE, "--as", "admin", "--lang", "zh"]
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0, shown.output
    assert "共建产业学院" in shown.output
    assert "文本中7个部分、20条；方案应有7个部分、20条。" in shown.output
    assert "未保存" in shown.output
    assert _count(database, "SELECT count(*) FROM plan_texts") == 0
    stored = runner.invoke(app, [*args, "--confirm"])
    assert stored.exit_code == 0, stored.output
    assert "已保存为方案正式文本" in stored.output
    assert _count(database, "SELECT count(*) FROM plan_texts WHERE loaded_by_name = 'admin'") == 1
    assert _count(database, "SELECT count(*) FROM plan_text_sections WHERE kind = 'article'") == 20
    assert _count(database, "SELECT count(*) FROM audit_records WHERE action = 'policy.text.load'") == 1


def test_a_hostile_file_an_unknown_account_or_a_role_that_may_not_load_is_refused(database: str, tmp_path: Path):
    bomb = tmp_path / "plan.txt"
    bomb.write_bytes(b"\x00" * 100)
    refused = runner.invoke(app, ["policy", "text", "load", str(bomb), "--source", SOURCE, "--as", "admin"])
    assert refused.exit_code == 2
    assert "空字符" in refused.output
    for who, reason in (("nobody", "没有账号 nobody"), ("analyst", "您的角色无权进行此操作")):
        result = runner.invoke(
            app, ["policy", "text", "load", str(SAMPLE), "--source", SOURCE, "--as", who, "--confirm"]
        )
        assert result.exit_code == 2
        assert reason in result.output
    assert _count(database, "SELECT count(*) FROM plan_texts") == 0
