"""The last mile's guards, tried past the services with plain SQL (decision 0017, migration 0013): a payment is
never instructed twice at once, never instructed again once the bank confirmed it, a settled instruction never
moves back or changes, a result is given once and never changed, and a ledger payment names one instruction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flows import approved_application
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from zhijiao.authz import Principal
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment.bank_models import BankReturn, PaymentInstruction
from zhijiao.fulfilment.models import Application, PaymentBatch

MOMENT = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)


def _batch(db: Session, finance: Principal) -> int:
    batch = PaymentBatch(
        number="PB-TEST-0001", payer="county", payer_county_code="330381", declared_count=1, declared_total_fen=100,
        status="released", prepared_by=finance.user_id, prepared_at=MOMENT,
    )  # fmt: skip
    db.add(batch)
    db.flush()
    return batch.id


def _instruction(application_id: int, batch_id: int, by: int, reference: str, **changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "reference": reference, "application_id": application_id, "batch_id": batch_id, "sequence": 1,
        "kind": "transfer", "amount_fen": 630_000_000, "payer": "county", "payer_county_code": "330381",
        "article": "art13", "purpose": "第十三条 兼职教师经费", "account_name": "瑞安市某职业学校",
        "bank_name": "中国工商银行瑞安支行", "account_number": "6222021203000123456", "status": "outstanding",
        "created_by": by, "created_at": MOMENT,
    }  # fmt: skip
    return row | changes


@pytest.fixture
def instructed(db: Session, persona: Callable[[str], Principal], policy: Policy) -> tuple[int, int, int]:
    """An approved application, a released batch and one outstanding instruction: (application, batch, by)."""
    application_id = approved_application(db, persona, policy)
    finance = persona("finance")
    batch_id = _batch(db, finance)
    db.execute(insert(PaymentInstruction), [_instruction(application_id, batch_id, finance.user_id, "ZJ-T-0001")])
    db.commit()
    return application_id, batch_id, finance.user_id


def _run(db: Session, statement: object, params: object) -> None:
    db.execute(statement, params)  # type: ignore[call-overload]
    db.flush()


def _refused(db: Session, statement: object, params: object = None) -> None:
    with pytest.raises(DBAPIError):
        _run(db, statement, params)
    db.rollback()


def _instruction_id(db: Session, reference: str) -> int:
    found = db.scalar(select(PaymentInstruction.id).where(PaymentInstruction.reference == reference))
    assert found is not None
    return found


def test_a_payment_has_one_outstanding_instruction_and_none_after_the_bank_confirmed_it(db, instructed):
    application_id, batch_id, by = instructed
    second = _instruction(application_id, batch_id, by, "ZJ-T-0002", sequence=2)
    _refused(db, insert(PaymentInstruction), [second])
    first = _instruction_id(db, "ZJ-T-0001")
    settle = {"status": "confirmed", "settled_at": MOMENT, "bank_date": dt.date(2025, 3, 3)}
    db.execute(update(PaymentInstruction).where(PaymentInstruction.id == first).values(**settle))
    db.commit()
    # Confirmed: not even a re-instruction naming the first may follow, outstanding or settled.
    _refused(db, insert(PaymentInstruction), [second | {"replaces_id": first}])
    _refused(db, insert(PaymentInstruction), [second | {"status": "confirmed", "settled_at": MOMENT,
                                                         "bank_date": dt.date(2025, 3, 4)}])  # fmt: skip
    assert db.scalar(select(Application.id).where(Application.id == application_id)) == application_id


def test_a_failed_payment_may_be_instructed_again_under_a_new_reference(db, instructed):
    application_id, batch_id, by = instructed
    first = _instruction_id(db, "ZJ-T-0001")
    failed = {"status": "failed", "settled_at": MOMENT, "bank_reason": "户名不符"}
    db.execute(update(PaymentInstruction).where(PaymentInstruction.id == first).values(**failed))
    again = _instruction(application_id, batch_id, by, "ZJ-T-0001-R1", sequence=2, replaces_id=first)
    db.execute(insert(PaymentInstruction), [again])
    db.commit()
    _refused(db, insert(PaymentInstruction), [again | {"reference": "ZJ-T-0001-R2", "sequence": 3}])  # replaced once


@pytest.mark.usefixtures("instructed")
def test_a_settled_instruction_never_moves_back_or_changes_and_none_is_deleted(db):
    first = _instruction_id(db, "ZJ-T-0001")
    rows = update(PaymentInstruction).where(PaymentInstruction.id == first)
    _refused(db, rows.values(amount_fen=1))  # an outstanding instruction's amount is what the bank was sent
    _refused(db, rows.values(account_number="6222000000000000000"))
    db.execute(rows.values(status="confirmed", settled_at=MOMENT, bank_date=dt.date(2025, 3, 3)))
    db.commit()
    _refused(db, rows.values(status="outstanding", settled_at=None))
    _refused(db, rows.values(status="failed", bank_reason="退票"))
    _refused(db, text("DELETE FROM payment_instructions WHERE id = :id"), {"id": first})
    assert db.scalar(select(PaymentInstruction.status).where(PaymentInstruction.id == first)) == "confirmed"


def test_only_a_failed_instruction_may_be_withdrawn_and_then_it_stays(db, instructed):
    application_id, batch_id, by = instructed
    first = _instruction_id(db, "ZJ-T-0001")
    rows = update(PaymentInstruction).where(PaymentInstruction.id == first)
    db.execute(rows.values(status="failed", settled_at=MOMENT, bank_reason="账户不存在"))
    db.execute(rows.values(status="withdrawn", withdrawn_by=by))
    db.commit()
    _refused(db, rows.values(status="failed"))
    _refused(db, rows.values(status="outstanding", settled_at=None))
    # Withdrawn, the payment may go out again in another batch, under its own reference.
    db.execute(insert(PaymentInstruction), [_instruction(application_id, batch_id, by, "ZJ-T-0002")])
    db.commit()


def test_an_instruction_carries_the_details_its_kind_needs(db, instructed):
    application_id, batch_id, by = instructed
    _refused(db, insert(PaymentInstruction), [_instruction(application_id, batch_id, by, "X1", account_number=None)])
    allocation = _instruction(application_id, batch_id, by, "X2", kind="allocation", status="outstanding")
    _refused(db, insert(PaymentInstruction), [allocation])  # an allocation names a budget unit, not an account
    _refused(db, insert(PaymentInstruction), [_instruction(application_id, batch_id, by, "X3", amount_fen=0)])


def test_the_bank_gives_one_result_per_instruction_never_changed(db, instructed):
    _application_id, _batch_id, by = instructed
    first = _instruction_id(db, "ZJ-T-0001")
    result = {
        "instruction_id": first, "result": "failed", "bank_date": dt.date(2025, 3, 3), "reason": "账户不存在",
        "file_sha256": "0" * 64, "row_number": 2, "imported_by": by, "imported_at": MOMENT,
    }  # fmt: skip
    db.execute(insert(BankReturn), [result])
    db.commit()
    _refused(db, insert(BankReturn), [result | {"result": "confirmed", "row_number": 3}])
    _refused(db, text("UPDATE bank_returns SET result = 'confirmed' WHERE instruction_id = :id"), {"id": first})
    _refused(db, text("DELETE FROM bank_returns WHERE instruction_id = :id"), {"id": first})
    assert db.scalar(select(BankReturn.result).where(BankReturn.instruction_id == first)) == "failed"
