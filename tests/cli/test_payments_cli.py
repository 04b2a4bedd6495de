"""``zhijiao payments``: finance writes a released batch's file for the bank and imports the bank's result file, as
a named officer; a file with a row that cannot be applied, an unknown account or a role that may not are refused
with exit code 2, every problem named, nothing applied."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from returns_file import returns_csv
from zhijiao.accounts.models import User
from zhijiao.accounts.service import principal_of
from zhijiao.authz import Principal
from zhijiao.cli.main import app
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import applications, bank_exchange, payments, proactive
from zhijiao.fulfilment.bank_models import BankReturn, PaymentInstruction
from zhijiao.fulfilment.models import Application, LedgerEntry, PaymentBatch
from zhijiao.storage.database import unit_of_work

runner = CliRunner()
YEAR, COUNTY = 2024, "330381"  # 瑞安市, the demo county officer's


def _as(session: object, username: str) -> Principal:
    user = session.scalar(select(User).where(User.username == username))  # type: ignore[attr-defined]
    assert user is not None
    return principal_of(user)


@pytest.fixture
def released(sqlite_engine: Engine, policy: Policy, monkeypatch: pytest.MonkeyPatch) -> tuple[Engine, str, str, int]:
    """(engine, batch number, reference, amount): a proactive Art. 7 award of 瑞安市 approved, batched and released."""
    monkeypatch.setenv("DATABASE_URL", str(sqlite_engine.url))
    with unit_of_work(sqlite_engine) as session:
        proactive.run(session, _as(session, "admin"), policy, YEAR)
        award = session.scalar(select(Application.id).where(
            Application.county_code == COUNTY, Application.entitlement == "art07.integration_subsidy"
        ).order_by(Application.id))  # fmt: skip
        assert award is not None
        applications.county_approve(session, _as(session, "county"), policy, award)
        decision = applications.city_approve(session, _as(session, "admin"), policy, award)
        batch = payments.prepare_batch(session, _as(session, "admin"), policy, [award], declared_count=1,
                                       declared_total_fen=decision.amount_fen)  # fmt: skip
        (sent,) = payments.release_batch(session, _as(session, "finance"), policy, batch.id).instructions
        return sqlite_engine, batch.number, sent.reference, sent.amount_fen


def test_finance_writes_the_bank_file_and_imports_the_result(released: tuple[Engine, str, str, int], tmp_path: Path):
    engine, number, reference, amount = released
    written = tmp_path / "指令.xlsx"
    made = runner.invoke(app, ["payments", "instructions", number, "--out", str(written), "--as", "finance"])
    assert made.exit_code == 0, made.output
    with unit_of_work(engine) as session:
        batch_id = session.scalar(select(PaymentBatch.id).where(PaymentBatch.number == number))
        assert batch_id is not None
        expected = bank_exchange.batch_file(session, _as(session, "finance"), batch_id, "transfer", 1).data
    assert written.read_bytes() == expected
    bank_file = tmp_path / "回单.csv"
    bank_file.write_bytes(returns_csv((reference, "成功", "2025-03-05", "")))
    imported = runner.invoke(app, ["payments", "returns", str(bank_file), "--payer", "瑞安市", "--as", "finance"])
    assert imported.exit_code == 0, imported.output
    assert "到账 1 笔" in imported.output
    assert f"已结清批次：{number}" in imported.output
    with unit_of_work(engine) as session:
        entry = session.scalar(select(LedgerEntry))
        assert entry is not None
        assert (entry.amount_fen, str(entry.value_date)) == (amount, "2025-03-05")
        assert session.scalar(select(PaymentBatch.status).where(PaymentBatch.number == number)) == "closed"


def test_a_bad_result_file_is_refused_whole_with_every_row_named(
    released: tuple[Engine, str, str, int], tmp_path: Path
):
    engine, number, reference, _amount = released
    bank_file = tmp_path / "回单.csv"
    bank_file.write_bytes(returns_csv((reference, "成功", "2025-03-05", ""), ("ZJ-NOT-OURS", "成功", "2025-03-05", ""),
                                      (reference, "失败", "", "重复")))  # fmt: skip
    refused = runner.invoke(app, ["payments", "returns", str(bank_file), "--payer", COUNTY, "--as", "finance"])
    assert refused.exit_code == 2, refused.output
    assert "第3行" in refused.output
    assert "ZJ-NOT-OURS" in refused.output
    assert "第4行" in refused.output
    with unit_of_work(engine) as session:
        assert session.scalar(select(func.count()).select_from(BankReturn)) == 0
        status = session.scalar(select(PaymentInstruction.status).where(PaymentInstruction.reference == reference))
        assert status == "outstanding"
    nobody = runner.invoke(app, ["payments", "returns", str(bank_file), "--payer", COUNTY, "--as", "nobody"])
    assert (nobody.exit_code, "没有账号 nobody" in nobody.output) == (2, True)
    auditor = runner.invoke(app, ["payments", "instructions", number, "--out", str(tmp_path / "x"), "--as", "auditor"])
    assert auditor.exit_code == 2, auditor.output
    assert not (tmp_path / "x").exists()
    county = runner.invoke(app, ["payments", "returns", str(bank_file), "--payer", "火星县", "--as", "finance"])
    assert (county.exit_code, "火星县" in county.output) == (2, True)
