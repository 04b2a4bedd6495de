"""Obligations: what falls due, what was approved, paid and reversed, adding up to the fen."""

from __future__ import annotations

from decimal import Decimal

from flows import YEAR, approved_application, batch_of, corrected
from openpyxl import load_workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

import bank
from zhijiao.audit.models import AuditRecord
from zhijiao.cli.main import app
from zhijiao.fulfilment import applications, payments
from zhijiao.fulfilment.compute import entitlements_of, registry_result
from zhijiao.fulfilment.models import Application, LedgerEntry
from zhijiao.fulfilment.obligations import obligations, statement, totals
from zhijiao.fulfilment.obligations_xlsx import write_obligations
from zhijiao.storage.database import engine_for


def test_obligations_add_up_from_due_to_paid_and_reversed(db, persona, policy, tmp_path):
    application_id = approved_application(db, persona, policy)
    application = db.get(Application, application_id)
    amount = applications.latest_decision(db, application_id).amount_fen
    before = totals(obligations(db, policy, YEAR))
    due = sum(e.amount_fen for e in entitlements_of(registry_result(db, policy, YEAR)))
    assert before == {"due": due, "approved": amount, "instructed": 0, "paid": 0, "reversed": 0}

    batch_id = batch_of(db, persona, policy, [application_id])
    release = payments.release_batch(db, persona("finance"), policy, batch_id)
    with_the_bank = totals(obligations(db, policy, YEAR))  # instructed: with the bank, not yet paid
    assert (with_the_bank["instructed"], with_the_bank["paid"]) == (amount, 0)
    bank.bank_answers(db, persona("finance"), policy, release.instructions)
    payment = db.scalars(select(LedgerEntry).where(LedgerEntry.kind == "payment")).one()
    corrected(db, persona, policy, payment.id, "重复拨付核查")
    db.commit()
    lines = obligations(db, policy, YEAR, county_code=application.county_code)
    mine = next(x for x in lines if x.article == "art13" and x.amounts["approved"])
    assert (mine.amounts["paid"], mine.amounts["reversed"]) == (amount, -amount)
    assert mine.outstanding == amount  # reversed, so owed again
    assert {x.county for x in lines} == {mine.county}  # a county's view holds its county only
    assert [e.amount_fen for e in statement(db, "school", application.school_id)] == [amount, -amount]

    path = tmp_path / "obligations.xlsx"
    write_obligations(lines, path)
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("付款方", "条款", "县（市、区）", "年度")
    assert rows[-1][0] == "合计"
    assert rows[0][6:8] == ("已发出支付指令未到账（元）", "已到账（元）")
    assert Decimal(str(rows[-1][7])) == Decimal(amount) / 100  # paid, exact to the fen


def test_the_command_line_verifies_the_audit_chain(db, persona, policy, demo_engine, monkeypatch):
    before = db.scalar(select(func.count()).select_from(AuditRecord))  # what loading the demo recorded
    approved_application(db, persona, policy)
    url = demo_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    result = CliRunner().invoke(app, ["audit", "verify", "--lang", "en"])
    engine_for(url).dispose()  # the command's engine: its pooled connection would outlive the test
    assert result.exit_code == 0, result.output
    assert f"Audit trail intact: {before + 4} records" in result.stdout
