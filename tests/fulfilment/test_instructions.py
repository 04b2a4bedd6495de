"""The last mile through the services (decision 0017): a release instructs, the bank's file settles, a failure goes
back to finance, an account changed after the batch was prepared does not move money already instructed, a failed
payment is instructed again under a new reference or withdrawn, and a batch closes only when every payment is
confirmed or withdrawn."""

from __future__ import annotations

import pytest
from flows import approved_proactive, batch_of
from sqlalchemy import func, select

import bank
from zhijiao.engine.errors import InputError
from zhijiao.fulfilment import instructions, payees, payments, reconciliation, returns
from zhijiao.fulfilment.models import Application, LedgerEntry, PaymentBatch
from zhijiao.fulfilment.payees import Details
from zhijiao.fulfilment.returns import BankResult
from zhijiao.fulfilment.states import Status
from zhijiao.refusals import WrongState
from zhijiao.registry.models import Enterprise


def _one_released(db, persona, policy) -> tuple[Application, payments.Release]:
    (award_id, *_rest) = approved_proactive(db, persona, policy)
    release = payments.release_batch(db, persona("finance"), policy, batch_of(db, persona, policy, [award_id]))
    db.commit()
    return db.get(Application, award_id), release


def _new_account(db, persona, code: str, number: str) -> None:
    details = Details("bank", account_name="更正后的户名有限公司", bank_name="温州银行鹿城支行", account_number=number)
    proposal = payees.propose(db, persona("finance"), "enterprise", code, details, "银行退票，单位来函更正")
    payees.confirm(db, persona("finance2"), proposal.id)
    db.commit()


def test_an_account_changed_after_the_batch_was_prepared_does_not_move_money_already_batched(db, persona, policy):
    (award_id, *_rest) = approved_proactive(db, persona, policy)
    batch_id = batch_of(db, persona, policy, [award_id])
    code = db.scalar(select(Enterprise.code).join(Application).where(Application.id == award_id))
    before = payees.current_account(db, payees.reachable(db, persona("finance"), "enterprise", code))
    assert before is not None
    _new_account(db, persona, code, "905012345678901234")
    (sent,) = payments.release_batch(db, persona("finance"), policy, batch_id).instructions
    assert (sent.account_number, sent.payee_account_id) == (before.account_number, before.id)  # frozen with the batch


def test_a_failure_goes_back_to_finance_and_is_paid_once_under_a_new_reference(db, persona, policy):
    application, release = _one_released(db, persona, policy)
    (first,) = release.instructions
    settled = bank.bank_answers(db, persona("finance"), policy, release.instructions, failing={first.reference})
    db.commit()
    assert [i.reference for i in settled.failed] == [first.reference]
    db.refresh(application)
    assert application.status == Status.payment_failed
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 0
    assert not reconciliation.of_batch(db, first.batch_id).settled  # a failure waits for finance: not closed

    code = db.scalar(select(Enterprise.code).where(Enterprise.id == application.enterprise_id))
    _new_account(db, persona, code, "905012345678901234")
    again = instructions.reinstruct(db, persona("finance"), policy, application.id)
    db.commit()
    assert (again.reference, again.replaces_id, again.sequence) == (f"{first.reference}-R1", first.id, 2)
    assert again.account_number == "905012345678901234"  # the corrected account, confirmed by two people
    with pytest.raises(WrongState):
        instructions.reinstruct(db, persona("finance"), policy, application.id)  # outstanding already
    db.rollback()
    with pytest.raises(InputError, match="already"):  # the first one's result again: refused, nothing applied
        returns.settle(db, persona("finance"), policy, [BankResult(2, first.reference, "confirmed", bank.BANK_DATE)],
                       "2" * 64)  # fmt: skip
    db.rollback()

    bank.bank_answers(db, persona("finance"), policy, [again])
    db.commit()
    (payment,) = db.scalars(select(LedgerEntry)).all()
    assert (payment.instruction_id, payment.amount_fen, payment.value_date) == (
        again.id, again.amount_fen, bank.BANK_DATE)  # fmt: skip
    figures = reconciliation.of_batch(db, first.batch_id)
    assert (figures.instructed.count, figures.by_standing["confirmed"].count) == (1, 1)  # counted once
    assert db.get(PaymentBatch, first.batch_id).status == "closed"


def test_a_withdrawn_failure_closes_its_batch_and_the_award_waits_for_another(db, persona, policy):
    application, release = _one_released(db, persona, policy)
    (first,) = release.instructions
    bank.bank_answers(db, persona("finance"), policy, release.instructions, failing={first.reference})
    instructions.withdraw(db, persona("finance"), policy, application.id, "单位账户已注销，待单位提供新账户")
    db.commit()
    db.refresh(application)
    assert (application.status, application.batch_id) == (Status.city_approved, None)
    assert db.get(PaymentBatch, first.batch_id).status == "closed"
    figures = reconciliation.of_batch(db, first.batch_id)
    assert figures.by_standing["withdrawn"].total_fen == first.amount_fen


def test_a_bank_file_naming_an_unknown_or_repeated_reference_applies_nothing(db, persona, policy):
    _application, release = _one_released(db, persona, policy)
    (sent,) = release.instructions
    rows = [
        BankResult(2, sent.reference, "confirmed", bank.BANK_DATE),
        BankResult(3, "PB1999-999999-0001", "confirmed", bank.BANK_DATE),
        BankResult(4, sent.reference, "failed", bank.BANK_DATE, "退票"),
    ]
    with pytest.raises(InputError) as refused:
        returns.settle(db, persona("finance"), policy, rows, "3" * 64)
    db.rollback()
    messages = refused.value.messages("en")
    assert any(m.startswith("row 3 reference") and "not an instruction zhijiao sent" in m for m in messages)
    assert any(m.startswith("row 4 reference") and "repeats row 2" in m for m in messages)
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 0
    assert {i.status for i in bank.instructions_of(db, sent.batch_id)} == {"outstanding"}
