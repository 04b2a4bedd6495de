"""The demo shows the last mile: a batch the bank answered, all confirmed but one failed payment for finance."""

from __future__ import annotations

from flows import PART_TIME, YEAR, approved_proactive, batch_of, school_code
from sqlalchemy import func, select

from zhijiao.demo.payments import REFUSED, load_demo_payments
from zhijiao.fulfilment import applications, payments, reconciliation
from zhijiao.fulfilment.bank_models import PaymentInstruction
from zhijiao.fulfilment.models import Application, LedgerEntry, PaymentBatch
from zhijiao.fulfilment.states import Status


def test_the_demo_batch_has_confirmed_payments_and_one_failure_to_correct(db, policy):
    number = load_demo_payments(db, policy)
    db.commit()
    assert number is not None
    batch = db.scalars(select(PaymentBatch).where(PaymentBatch.number == number)).one()
    figures = reconciliation.of_batch(db, batch.id)
    confirmed, failed = figures.by_standing["confirmed"], figures.by_standing["failed"]
    assert (confirmed.count, failed.count) == (figures.instructed.count - 1, 1)
    assert confirmed.total_fen + failed.total_fen == batch.declared_total_fen
    assert db.scalar(select(func.sum(LedgerEntry.amount_fen))) == confirmed.total_fen  # only the bank's confirmed
    (bounced,) = failed.instructions
    assert bounced.bank_reason == REFUSED
    assert db.get(Application, bounced.application_id).status == Status.payment_failed
    assert batch.status == "released"  # not closed while a payment waits for finance
    assert load_demo_payments(db, policy) is None  # already there: left alone
    assert db.scalar(select(func.count()).select_from(PaymentInstruction)) == figures.instructed.count


def test_a_batch_of_transfers_and_allocations_is_instructed_in_one_release(db, persona, policy):
    """A public school's Art. 13 money from its own finance is an allocation to its budget unit; an enterprise's
    subsidy a bank transfer: one release instructs both, each with the details its kind needs."""
    county = persona("county")
    school = persona("school")
    draft = applications.create(db, school, policy, entitlement_id=PART_TIME, entity_code=school_code(db, school),
                                year=YEAR)  # fmt: skip
    applications.submit(db, school, policy, draft.id)
    applications.county_approve(db, county, policy, draft.id)
    applications.city_approve(db, persona("admin"), policy, draft.id)
    enterprise_awards = approved_proactive(db, persona, policy)
    ids = [draft.id, *enterprise_awards[:1]]
    payer = {i: db.get(Application, i).county_code for i in ids}
    assert len(set(payer.values())) == 1
    release = payments.release_batch(db, persona("finance"), policy, batch_of(db, persona, policy, ids))
    kinds = {i.application_id: i for i in release.instructions}
    allocation, transfer = kinds[draft.id], kinds[enterprise_awards[0]]
    assert (allocation.kind, allocation.account_number) == ("allocation", None)
    assert allocation.budget_unit_code
    assert (transfer.kind, transfer.budget_unit_code) == ("transfer", None)
    assert transfer.account_number
    assert transfer.account_number.isdigit()
