"""The database guards of payees' accounts (migration 0012), tried past the services with plain SQL on SQLite and
PostgreSQL: one person cannot decide their own proposal, a payee has one waiting proposal and one confirmed account
of each kind, a status only moves forward, the details never change, and no account is deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from zhijiao.fulfilment.models import PayeeAccount
from zhijiao.registry.models import Enterprise, School

NOW = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)
INSERT = text(
    "INSERT INTO payee_accounts (school_id, enterprise_id, kind, account_name, bank_name, account_number, "
    "budget_unit_code, budget_unit_name, status, reason, note, proposed_by, proposed_at, decided_by, decided_at, "
    "supersedes_id, version) VALUES (:school_id, :enterprise_id, :kind, :account_name, :bank_name, :account_number, "
    ":budget_unit_code, :budget_unit_name, :status, :reason, :note, :proposed_by, :proposed_at, :decided_by, "
    ":decided_at, :supersedes_id, 1)"
)


def _without_account(db, skip: int = 0) -> int:
    """An enterprise the demo gave no account (it gives one to each that receives money)."""
    held = select(PayeeAccount.enterprise_id).where(PayeeAccount.enterprise_id.is_not(None))
    return int(db.scalar(select(Enterprise.id).where(Enterprise.id.not_in(held)).order_by(Enterprise.id).offset(skip)))


def _count(db) -> int:
    return int(db.scalar(select(func.count()).select_from(PayeeAccount)) or 0)


@pytest.fixture
def row(db, persona) -> dict[str, object]:
    """A confirmable bank account of an enterprise without one, proposed by finance."""
    enterprise = _without_account(db)
    return {
        "school_id": None, "enterprise_id": enterprise, "kind": "bank", "account_name": "温州某某有限公司",
        "bank_name": "温州银行", "account_number": "905000120190012345", "budget_unit_code": None,
        "budget_unit_name": None, "status": "proposed", "reason": "新设", "note": None,
        "proposed_by": persona("finance").user_id, "proposed_at": NOW, "decided_by": None, "decided_at": None,
        "supersedes_id": None,
    }  # fmt: skip


def _insert(db, values: dict[str, object]) -> int:
    db.execute(INSERT, values)
    return int(db.scalar(select(func.max(PayeeAccount.id))))


def _refused(db, statement: str, values: dict[str, object], error: type[Exception] = DBAPIError) -> None:
    with pytest.raises(error):
        db.execute(text(statement), values)
    db.rollback()


def test_rows_that_break_the_checks_are_refused(db, persona, row):
    finance = persona("finance").user_id
    school = db.scalar(select(School.id).order_by(School.id).limit(1))
    before = _count(db)
    broken = [
        row | {"status": "confirmed", "decided_by": finance, "decided_at": NOW},  # decided by its proposer
        row | {"school_id": school},  # two payees
        row | {"enterprise_id": None},  # none
        row | {"account_number": "6222 0212 3456"},  # spaces are taken out before it is stored
        row | {"account_number": "1234567"},  # too short
        row | {"account_number": "1" * 31},
        row | {"bank_name": None},
        row | {"budget_unit_code": "301001"},  # a bank account with a budget unit
        row | {"kind": "budget", "account_name": None, "bank_name": None, "account_number": None},  # nothing
        row | {"reason": "  "},
        row | {"status": "refused", "decided_by": persona("finance2").user_id, "decided_at": NOW},  # no note
        row | {"status": "paid"},
    ]
    for values in broken:
        with pytest.raises(DBAPIError):  # PostgreSQL refuses 31 digits as too long for the column, before the CHECK
            db.execute(INSERT, values)
        db.rollback()
    assert _count(db) == before


def test_one_waiting_proposal_and_one_confirmed_account_per_payee_and_kind(db, persona, row):
    second = persona("finance2").user_id
    before = _count(db)
    _insert(db, row)
    db.commit()
    with pytest.raises(IntegrityError):
        db.execute(INSERT, row | {"account_number": "905000120190099999"})
    db.rollback()
    confirmed = row | {"status": "confirmed", "decided_by": second, "decided_at": NOW}
    _insert(db, confirmed)
    db.commit()
    with pytest.raises(IntegrityError):
        db.execute(INSERT, confirmed | {"account_number": "905000120190077777"})
    db.rollback()
    _insert(db, confirmed | {"enterprise_id": _without_account(db, skip=1)})  # another payee has its own
    db.commit()
    assert _count(db) == before + 3


def test_a_status_only_moves_forward_and_the_details_never_change(db, persona, row):
    finance, second = persona("finance").user_id, persona("finance2").user_id
    proposed = _insert(db, row)
    db.commit()
    update = "UPDATE payee_accounts SET {} WHERE id = :id"
    for change in ("account_number = '905000120190054321'", "bank_name = '中国银行'", "reason = '改'",
                   "proposed_by = :other", "enterprise_id = enterprise_id + 1", "status = 'superseded'"):  # fmt: skip
        _refused(db, update.format(change), {"id": proposed, "other": second})
    db.execute(
        text(update.format("status = 'confirmed', decided_by = :by, decided_at = :at")),
        {"id": proposed, "by": second, "at": NOW},
    )
    db.commit()
    for change in ("status = 'proposed', decided_by = NULL, decided_at = NULL", "status = 'refused', note = 'x'",
                   "decided_by = :other", "note = '后补'"):  # fmt: skip
        _refused(db, update.format(change), {"id": proposed, "other": finance})
    db.execute(text(update.format("status = 'superseded'")), {"id": proposed})
    db.commit()
    _refused(db, update.format("status = 'confirmed'"), {"id": proposed})
    _refused(db, "DELETE FROM payee_accounts WHERE id = :id", {"id": proposed})
    assert db.scalar(select(PayeeAccount.status).where(PayeeAccount.id == proposed)) == "superseded"
    assert db.scalar(select(PayeeAccount.account_number).where(PayeeAccount.id == proposed)) == row["account_number"]
