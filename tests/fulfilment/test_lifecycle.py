"""From application to payment: each step, its person, and what the ledger and the audit trail keep."""

from __future__ import annotations

import pytest
from flows import PART_TIME, YEAR, approved_application, engine_amount, school_code
from sqlalchemy import func, select

import bank
from zhijiao import audit
from zhijiao.audit.models import AuditRecord
from zhijiao.fulfilment import applications, payments, proactive
from zhijiao.fulfilment.compute import compute
from zhijiao.fulfilment.models import Application, LedgerEntry, Notice, PaymentBatch
from zhijiao.fulfilment.states import Status
from zhijiao.policies.wenzhou_vet_2023.entitlements import BY_ID
from zhijiao.refusals import NotAllowed, OutOfScope, WrongState
from zhijiao.registry.models import School


def test_an_application_goes_from_draft_to_paid(db, persona, policy):
    before = db.scalar(select(func.max(AuditRecord.id))) or 0  # what loading the demo recorded
    school = persona("school")
    code = school_code(db, school)
    draft = applications.create(db, school, policy, entitlement_id=PART_TIME, entity_code=code, year=YEAR)
    assert draft.status == Status.draft
    assert draft.number.startswith(f"SQ{YEAR}-")
    applications.submit(db, school, policy, draft.id)
    applications.county_approve(db, persona("county"), policy, draft.id, "材料齐全")
    decision = applications.city_approve(db, persona("admin"), policy, draft.id)
    expected = engine_amount(db, policy, code)
    assert decision.amount_fen == expected > 0
    assert decision.explanation[0]["zh"]  # the explanation is frozen with the amount
    batch = payments.prepare_batch(db, persona("admin"), policy, [draft.id], declared_count=1,
                                   declared_total_fen=expected)  # fmt: skip
    release = payments.release_batch(db, persona("finance"), policy, batch.id)
    db.commit()
    assert release.released
    (instruction,) = release.instructions  # released is instructed, not yet paid: the ledger waits for the bank
    assert (instruction.status, instruction.amount_fen, instruction.reference) == ("outstanding", expected,
                                                                                  f"{batch.number}-0001")  # fmt: skip
    assert db.get(Application, draft.id).status == Status.instructed
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 0
    bank.bank_answers(db, persona("finance"), policy, release.instructions)
    db.commit()
    (entry,) = db.scalars(select(LedgerEntry)).all()
    assert (entry.kind, entry.amount_fen, entry.article, entry.year) == ("payment", expected, "art13", YEAR)
    assert (entry.instruction_id, entry.value_date) == (instruction.id, bank.BANK_DATE)  # dated by the bank
    assert entry.approved_by == persona("admin").user_id
    assert entry.released_by == persona("finance").user_id
    assert db.get(Application, draft.id).status == Status.paid
    assert db.get(PaymentBatch, batch.id).status == "closed"  # every payment confirmed: reconciled
    actions = db.scalars(select(AuditRecord.action).where(AuditRecord.id > before).order_by(AuditRecord.id)).all()
    assert actions == [
        "application.create", "application.submit", "application.county_approve", "application.city_approve",
        "application.schedule_payment", "batch.prepare", "application.release", "batch.release",
        "application.bank_confirm", "payment.returns", "batch.close",
    ]  # fmt: skip
    assert audit.verify(db).intact


def test_the_frozen_decision_recomputes_to_the_same_amount_from_itself(db, persona, policy):
    application_id = approved_application(db, persona, policy)
    decision = applications.latest_decision(db, application_id)
    assert decision is not None
    code = decision.inputs["schools"][0]["id"]
    again = compute(policy, decision.inputs, BY_ID[PART_TIME], code, None)
    assert again.amount_fen == decision.amount_fen
    assert again.inputs_digest == decision.inputs_digest
    assert again.rule_set == decision.rule_set


def test_proactive_awards_are_found_once_and_the_entity_is_told(db, persona, policy):
    first = proactive.run(db, persona("admin"), policy, YEAR)
    db.commit()
    assert first.found > 0
    assert len(first.created) == first.found
    assert all(number.startswith(f"MS{YEAR}-") for number in first.created)
    again = proactive.run(db, persona("admin"), policy, YEAR)
    db.commit()
    assert (again.created, again.skipped) == ([], first.found)
    pending = db.scalars(select(Application).where(Application.origin == "proactive")).all()
    assert {a.status for a in pending} == {Status.pending}
    notices = db.scalar(select(func.count()).select_from(Notice))
    assert notices == first.found
    award = pending[0]
    assert award.claimed_fen is not None
    assert award.claimed_fen > 0


def test_a_school_user_cannot_apply_for_another_school_nor_see_its_application(db, persona, policy):
    school = persona("school")
    other = db.scalar(select(School.code).where(School.id != school.scope.school_id))
    with pytest.raises(NotAllowed):
        applications.create(db, school, policy, entitlement_id=PART_TIME, entity_code=other, year=YEAR)
    application_id = approved_application(db, persona, policy)
    with pytest.raises(OutOfScope):
        applications.withdraw(db, persona("enterprise"), policy, application_id)


def test_an_award_is_claimed_once_while_its_application_is_open(db, persona, policy):
    school = persona("school")
    code = school_code(db, school)
    applications.create(db, school, policy, entitlement_id=PART_TIME, entity_code=code, year=YEAR)
    with pytest.raises(WrongState, match="cannot be claimed twice"):
        applications.create(db, school, policy, entitlement_id=PART_TIME, entity_code=code, year=YEAR)


def test_a_second_release_of_the_same_batch_instructs_nothing_more(db, persona, policy):
    application_id = approved_application(db, persona, policy)
    decision = applications.latest_decision(db, application_id)
    batch = payments.prepare_batch(db, persona("admin"), policy, [application_id], declared_count=1,
                                   declared_total_fen=decision.amount_fen)  # fmt: skip
    bank.paid(db, persona("finance"), policy, batch.id)
    db.commit()
    with pytest.raises(WrongState):
        payments.release_batch(db, persona("finance"), policy, batch.id)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 1
    assert len(bank.instructions_of(db, batch.id)) == 1
