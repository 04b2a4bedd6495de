"""A wrong payment is reversed and the award decided again: paid once more, or rejected. At no time do two
payments of one award stand un-reversed, whatever code writes the ledger."""

from __future__ import annotations

import pytest
from flows import approved_application, batch_of, corrected, payment_row
from sqlalchemy import func, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError

import bank
from zhijiao.fulfilment import applications
from zhijiao.fulfilment.models import Application, LedgerEntry
from zhijiao.fulfilment.states import Status
from zhijiao.refusals import WrongState


def _paid(db, persona, policy) -> tuple[int, LedgerEntry]:
    application_id = approved_application(db, persona, policy)
    (payment,) = bank.paid(db, persona("finance"), policy, batch_of(db, persona, policy, [application_id]))
    db.commit()
    return application_id, payment


def test_a_reversed_payment_goes_back_to_the_city_and_is_paid_again_once(db, persona, policy):
    application_id, first = _paid(db, persona, policy)
    reversal = corrected(db, persona, policy, first.id, "收款账户有误")
    db.commit()
    assert reversal.payment_number == first.payment_number == 1
    application = db.get(Application, application_id)
    assert (application.status, application.needs_re_review) == (Status.county_reviewed, True)
    assert "收款账户有误" in (application.re_review_reason or "")
    with pytest.raises(WrongState):  # not schedulable until the city decides again
        batch_of(db, persona, policy, [application_id])
    db.rollback()

    decision = applications.city_approve(db, persona("admin"), policy, application_id)
    db.commit()
    (second,) = bank.paid(db, persona("finance"), policy, batch_of(db, persona, policy, [application_id]))
    db.commit()
    assert (first.payment_number, second.payment_number) == (1, 2)
    assert second.amount_fen == decision.amount_fen
    paid = select(func.sum(LedgerEntry.amount_fen)).where(LedgerEntry.award_key == application.award_key)
    assert db.scalar(paid) == decision.amount_fen  # once, net
    assert db.get(Application, application_id).status == Status.paid


def test_a_reversed_award_the_city_rejects_is_closed_with_nothing_paid(db, persona, policy):
    application_id, first = _paid(db, persona, policy)
    corrected(db, persona, policy, first.id, "不符合条件，误拨")
    applications.city_reject(db, persona("admin"), policy, application_id, "核查后不符合条件")
    db.commit()
    assert db.get(Application, application_id).status == Status.rejected
    assert db.scalar(select(func.sum(LedgerEntry.amount_fen))) == 0


def test_a_claw_back_does_not_reopen_the_award(db, persona, policy):
    application_id, first = _paid(db, persona, policy)
    corrected(db, persona, policy, first.id, "认定撤销", kind="clawback")
    db.commit()
    assert db.get(Application, application_id).status == Status.paid


def test_the_database_refuses_a_second_payment_unless_the_first_was_reversed(db, persona, policy):
    """Straight to the table, past every service."""
    application_id, first = _paid(db, persona, policy)
    application = db.get(Application, application_id)
    decision = applications.latest_decision(db, application_id)
    row = payment_row(application, decision, persona("finance").user_id) | {"payment_number": 2}
    with pytest.raises(DBAPIError, match="needs payment n - 1"):
        db.execute(insert(LedgerEntry).values(**row))
    db.rollback()
    with pytest.raises(DBAPIError, match="needs payment n - 1"):
        db.execute(insert(LedgerEntry).values(**(row | {"payment_number": 0})))
    db.rollback()
    corrected(db, persona, policy, first.id, "收款账户有误")
    db.commit()
    with pytest.raises(IntegrityError):  # a decision pays once, even after a reversal (migration 0010)
        db.execute(insert(LedgerEntry).values(**row))
    db.rollback()
    decided_again = applications.city_approve(db, persona("admin"), policy, application_id)
    row = row | {"decision_id": decided_again.id}
    db.execute(insert(LedgerEntry).values(**row))  # now it may stand: paid again under the new decision
    db.commit()
    with pytest.raises(DBAPIError, match="needs payment n - 1"):  # but not a third beside it
        db.execute(insert(LedgerEntry).values(**(row | {"payment_number": 3})))
    db.rollback()
    assert db.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == "payment")) == 2
