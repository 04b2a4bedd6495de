"""Payees' accounts by two people (decision 0017): one proposes, a second finance officer confirms and the account
before it is superseded in the same transaction, or refuses it; the proposer may withdraw. A refused request
writes nothing; numbers are masked for everyone but finance and the city administrator."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from zhijiao.audit.models import AuditRecord
from zhijiao.fulfilment import payees
from zhijiao.fulfilment.entities import find_payee
from zhijiao.fulfilment.models import PayeeAccount
from zhijiao.fulfilment.payees import Details
from zhijiao.refusals import Invalid, NotAllowed, NotFound, WrongState
from zhijiao.registry.models import Enterprise, School

ICBC = Details("bank", "温州腾恒茶业有限公司", "中国工商银行温州分行", "1203 2031 0900 1234 567")
WZB = Details("bank", "温州腾恒茶业有限公司", "温州银行", "9050 0012 0190 0123 45")


def _enterprise(db) -> str:
    """An enterprise without an account yet (the demo gives one to each that receives money)."""
    held = select(PayeeAccount.enterprise_id).where(PayeeAccount.enterprise_id.is_not(None))
    return str(db.scalar(select(Enterprise.code).where(Enterprise.id.not_in(held)).order_by(Enterprise.code).limit(1)))


def _school(db, ownership: str) -> str:
    query = select(School.code).where(School.ownership == ownership).order_by(School.code).limit(1)
    return str(db.scalar(query))


def _counts(db) -> tuple[int, int]:
    return (
        db.scalar(select(func.count()).select_from(PayeeAccount)) or 0,
        db.scalar(select(func.count()).select_from(AuditRecord)) or 0,
    )


def test_an_account_takes_two_people_and_a_change_supersedes_the_one_before(db, persona):
    finance, second = persona("finance"), persona("finance2")
    code = _enterprise(db)
    payee = find_payee(db, "enterprise", code)
    first = payees.propose(db, finance, "enterprise", code, ICBC, "新设收款账户，依据开户许可证")
    db.commit()
    assert (first.status, first.account_number, first.supersedes_id) == ("proposed", "1203203109001234567", None)
    assert payees.current_account(db, payee) is None  # nothing is paid into a number one person typed
    with pytest.raises(NotAllowed, match="another finance officer"):
        payees.confirm(db, finance, first.id)
    db.rollback()
    with pytest.raises(NotAllowed, match="finance officer"):
        payees.confirm(db, persona("admin"), first.id)  # the city approves awards; finance confirms accounts
    db.rollback()
    payees.confirm(db, second, first.id)
    db.commit()
    assert payees.current_account(db, payee).id == first.id

    change = payees.propose(db, persona("admin"), "enterprise", code, WZB, "单位来函变更开户银行")
    db.commit()
    assert change.supersedes_id == first.id
    with pytest.raises(WrongState, match="already waiting"):
        payees.propose(db, second, "enterprise", code, ICBC, "again")
    db.rollback()
    payees.confirm(db, finance, change.id)  # the admin proposed: either finance officer may confirm
    db.commit()
    history = payees.accounts_of(db, payee)
    assert [(a.id, a.status) for a in history] == [(change.id, "confirmed"), (first.id, "superseded")]
    assert payees.current_account(db, payee).bank_name == "温州银行"
    actions = list(db.scalars(select(AuditRecord.action).order_by(AuditRecord.id.desc()).limit(4)))
    assert actions == ["payee.account.confirm", "payee.account.propose", "payee.account.confirm",
                       "payee.account.propose"]  # fmt: skip


def test_a_change_is_refused_with_a_note_or_withdrawn_and_the_current_account_stands(db, persona):
    finance, second = persona("finance"), persona("finance2")
    code = _enterprise(db)
    payee = find_payee(db, "enterprise", code)
    first = payees.propose(db, finance, "enterprise", code, ICBC, "新设")
    payees.confirm(db, second, first.id)
    change = payees.propose(db, finance, "enterprise", code, WZB, "来函变更")
    db.commit()
    before = _counts(db)
    with pytest.raises(Invalid, match="reason for refusing: required"):
        payees.refuse(db, second, change.id, "  ")
    db.rollback()
    with pytest.raises(NotAllowed, match="Only whoever proposed"):
        payees.withdraw(db, second, change.id)
    db.rollback()
    assert _counts(db) == before
    refused = payees.refuse(db, second, change.id, "来函未加盖公章")
    db.commit()
    assert (refused.status, refused.note, refused.decided_by) == ("refused", "来函未加盖公章", second.user_id)
    assert payees.current_account(db, payee).id == first.id
    with pytest.raises(WrongState, match="already decided"):
        payees.confirm(db, second, change.id)
    db.rollback()
    again = payees.propose(db, finance, "enterprise", code, WZB, "补交盖章来函")
    payees.withdraw(db, finance, again.id)
    db.commit()
    assert [a.status for a in payees.accounts_of(db, payee)] == ["withdrawn", "refused", "confirmed"]


def test_bad_input_is_refused_naming_each_field_and_writes_nothing(db, persona):
    finance = persona("finance")
    code = _enterprise(db)
    before = _counts(db)
    with pytest.raises(Invalid) as refused:
        payees.propose(db, finance, "enterprise", code, Details("bank", "", "中国银行", "6222-0212"), "")
    assert refused.value.en == (
        "account name: required; account number: 8 to 30 digits (spaces between groups allowed); reason: required."
    )
    assert "账号：须为 8 至 30 位数字" in refused.value.zh
    db.rollback()
    with pytest.raises(Invalid, match="Only a public school has a budget unit"):
        payees.propose(db, finance, "enterprise", code, Details("budget", budget_unit_code="301001",
                                                                 budget_unit_name="某企业"), "预算")  # fmt: skip
    db.rollback()
    with pytest.raises(NotAllowed):
        payees.propose(db, persona("enterprise"), "enterprise", code, ICBC, "本单位账户")
    db.rollback()
    with pytest.raises(NotFound):
        payees.propose(db, finance, "platform", code, ICBC, "平台")
    db.rollback()
    assert _counts(db) == before


def test_a_public_school_has_a_bank_account_and_a_budget_unit_side_by_side(db, persona):
    finance, second = persona("finance"), persona("finance2")
    code = _school(db, "public")
    payee = find_payee(db, "school", code)
    budget = Details("budget", budget_unit_code=" 330381 113 001", budget_unit_name="瑞安市职业中等专业学校")
    for details in (budget, Details("bank", payee.name, "浙江瑞安农村商业银行", "201000123456789")):
        payees.confirm(db, second, payees.propose(db, finance, "school", code, details, "新设").id)
    db.commit()
    assert payees.current_account(db, payee, "budget").budget_unit_code == "330381113001"
    assert payees.current_account(db, payee, "bank").account_number == "201000123456789"
    with pytest.raises(Invalid, match="nothing changes"):
        payees.propose(db, finance, "school", code, budget, "重复")
    db.rollback()
    private = _school(db, "private")
    with pytest.raises(Invalid, match="Only a public school"):
        payees.propose(db, finance, "school", private, budget, "预算")


def test_numbers_are_masked_for_everyone_but_finance(persona):
    assert payees.masked("6222021234561234") == "6222 **** **** 1234"
    assert payees.masked("1203203109001234567") == "1203 **** **** **** 4567"
    assert payees.masked("356012345678") == "3560 **** 5678"
    assert payees.masked("12345678") == "**** 5678"
    assert payees.shown_number(persona("finance"), "6222021234561234") == "6222 0212 3456 1234"
    assert payees.shown_number(persona("admin"), "6222021234561234") == "6222 0212 3456 1234"
    for username in ("county", "auditor", "school", "enterprise", "analyst"):
        assert payees.shown_number(persona(username), "6222021234561234") == "6222 **** **** 1234", username


def test_the_audit_trail_keeps_the_masked_number(db, persona):
    code = _enterprise(db)
    account = payees.propose(db, persona("finance"), "enterprise", code, ICBC, "新设")
    db.commit()
    record = db.scalar(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1))
    assert record.action == "payee.account.propose"
    assert record.object_id == str(account.id)
    assert "1203 **** **** **** 4567" in record.payload
    assert "1203203109001234567" not in record.payload


def test_the_statuses_say_themselves_and_move_only_as_the_trigger_allows():
    status = payees.AccountStatus
    assert {s.value: (s.zh, s.en) for s in status}["confirmed"] == ("现行账户", "current")
    assert all(s.zh and s.en for s in status)
    assert {s for s in status if not s.final} == {status.proposed, status.confirmed}
    assert status.confirmed.can_become(status.superseded)
    assert not status.superseded.can_become(status.confirmed)
    assert not status.refused.can_become(status.proposed)
