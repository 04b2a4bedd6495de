"""What must never happen, tried: wrong transitions, one person in two roles, paying twice, a batch that
does not add up, stale data, editing the ledger or the audit trail."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flows import PART_TIME, YEAR, approved_application, corrected, engine_amount, payment_row, school_code, tamper
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

import bank
from zhijiao import audit
from zhijiao.audit.models import AuditRecord
from zhijiao.authz import Role
from zhijiao.fulfilment import applications, payments
from zhijiao.fulfilment.models import Application, Decision, LedgerEntry, PaymentBatch
from zhijiao.fulfilment.states import TRANSITIONS, Status
from zhijiao.refusals import Invalid, NotAllowed, WrongState
from zhijiao.registry.models import TeacherStats

# transition → (persona, call)
CALLS = {
    "submit": ("school", applications.submit),
    "withdraw": ("school", applications.withdraw),
    "return_for_information": (
        "county",
        lambda db, who, p, i: applications.return_for_information(db, who, p, i, "缺"),
    ),
    "county_approve": ("county", applications.county_approve),
    "county_reject": ("county", lambda db, who, p, i: applications.county_reject(db, who, p, i, "不符合条件")),
    "city_approve": ("admin", applications.city_approve),
    "city_reject": ("admin", lambda db, who, p, i: applications.city_reject(db, who, p, i, "不符合条件")),
}


def test_every_transition_is_refused_from_every_state_the_table_does_not_allow(db, persona, policy):
    school = persona("school")
    draft = applications.create(
        db, school, policy, entitlement_id=PART_TIME, entity_code=school_code(db, school), year=YEAR
    )
    db.commit()
    refused = 0
    for transition, (who, call) in CALLS.items():
        sources, _target = TRANSITIONS[transition]
        for status in set(Status) - sources:
            db.execute(update(Application).where(Application.id == draft.id).values(status=status.value))
            db.commit()
            with pytest.raises(WrongState):
                call(db, persona(who), policy, draft.id)
            db.rollback()
            assert db.scalar(select(Application.status).where(Application.id == draft.id)) == status
            refused += 1
    assert refused == sum(len(set(Status) - TRANSITIONS[t][0]) for t in CALLS)


def test_whoever_reviewed_cannot_approve_even_with_a_new_role(db, persona, policy):
    school = persona("school")
    draft = applications.create(
        db, school, policy, entitlement_id=PART_TIME, entity_code=school_code(db, school), year=YEAR
    )
    applications.submit(db, school, policy, draft.id)
    county = persona("county")
    applications.county_approve(db, county, policy, draft.id)
    promoted = replace(county, role=Role.city_admin)  # the same person, later a city administrator
    with pytest.raises(NotAllowed, match="reviewed"):
        applications.city_approve(db, promoted, policy, draft.id)


def test_whoever_approved_cannot_release_and_whoever_prepared_cannot_release(db, persona, policy):
    application_id = approved_application(db, persona, policy)
    decision = applications.latest_decision(db, application_id)
    admin = persona("admin")
    batch = payments.prepare_batch(db, admin, policy, [application_id], declared_count=1,
                                   declared_total_fen=decision.amount_fen)  # fmt: skip
    db.commit()
    as_finance = replace(admin, role=Role.finance_officer)
    with pytest.raises(NotAllowed, match="prepared"):
        payments.release_batch(db, as_finance, policy, batch.id)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 0


def test_the_database_refuses_one_person_in_two_roles_whatever_the_code(db, persona, policy):
    application_id = approved_application(db, persona, policy)
    decision = applications.latest_decision(db, application_id)
    admin = persona("admin").user_id
    with pytest.raises(IntegrityError):
        db.execute(update(Decision).where(Decision.id == decision.id).values(reviewed_by=admin))
    db.rollback()
    batch = payments.prepare_batch(db, persona("admin"), policy, [application_id], declared_count=1,
                                   declared_total_fen=decision.amount_fen)  # fmt: skip
    db.commit()
    with pytest.raises(IntegrityError):
        db.execute(update(PaymentBatch).where(PaymentBatch.id == batch.id).values(released_by=admin))
    db.rollback()


def test_no_code_path_can_pay_the_same_award_twice(db, persona, policy):
    """Straight to the table, past every service: the unique paid award key refuses the second row."""
    application_id = approved_application(db, persona, policy)
    application = db.get(Application, application_id)
    decision = applications.latest_decision(db, application_id)
    row = payment_row(application, decision, persona("finance").user_id)
    db.execute(insert(LedgerEntry).values(**row))
    db.commit()
    with pytest.raises(IntegrityError):
        db.execute(insert(LedgerEntry).values(**row))
    db.rollback()
    with pytest.raises(IntegrityError):  # and the approver cannot be the one releasing
        db.execute(insert(LedgerEntry).values(**(row | {"award_key": "other", "released_by": decision.approved_by})))
    db.rollback()
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 1


def test_a_second_payment_is_refused_whatever_the_award_keys_text(db, persona, policy):
    """One payment per decision and per application, declared in the schema: a key with a trailing space, another
    application's key, or no application at all do not get a second payment past the database."""
    application_id = approved_application(db, persona, policy)
    application = db.get(Application, application_id)
    decision = applications.latest_decision(db, application_id)
    row = payment_row(application, decision, persona("finance").user_id)
    db.execute(insert(LedgerEntry).values(**row))
    db.commit()
    disguised = [
        row | {"award_key": application.award_key + " "},  # the same decision and application, the key padded
        row | {"award_key": application.award_key + " ", "decision_id": None},  # no decision named
        row | {"award_key": application.award_key + " ", "application_id": None, "decision_id": None},
        row | {"award_key": "art13.part_time_teacher_funding:school:SCH-9999:2024"},  # not its application's key
    ]
    for attempt in disguised:
        with pytest.raises(IntegrityError):
            db.execute(insert(LedgerEntry).values(**attempt))
        db.rollback()
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 1


def test_a_batch_that_does_not_add_up_is_refused_whole(db, persona, policy):
    application_id = approved_application(db, persona, policy)
    decision = applications.latest_decision(db, application_id)
    with pytest.raises(Invalid, match="refused whole"):
        payments.prepare_batch(db, persona("admin"), policy, [application_id], declared_count=1,
                               declared_total_fen=decision.amount_fen + 1)  # fmt: skip
    db.rollback()
    assert db.scalar(select(func.count()).select_from(PaymentBatch)) == 0
    assert db.get(Application, application_id).status == Status.city_approved


def test_registry_changes_after_approval_send_the_award_back_for_review(db, persona, policy):
    application_id = approved_application(db, persona, policy)
    application = db.get(Application, application_id)
    decision = applications.latest_decision(db, application_id)
    batch = payments.prepare_batch(db, persona("admin"), policy, [application_id], declared_count=1,
                                   declared_total_fen=decision.amount_fen)  # fmt: skip
    db.execute(
        update(TeacherStats)
        .where(TeacherStats.school_id == application.school_id, TeacherStats.year == YEAR)
        .values(part_time=TeacherStats.part_time + 1)
    )
    db.commit()
    release = payments.release_batch(db, persona("finance"), policy, batch.id)
    db.commit()
    assert not release.released
    assert release.stale == [application.number]
    db.refresh(application)
    assert (application.status, application.needs_re_review) == (Status.submitted, True)  # the county's again
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 0
    review = applications.county_approve(db, persona("county"), policy, application_id)
    assert review.amount_fen == engine_amount(db, policy, school_code(db, persona("school")))
    new_decision = applications.city_approve(db, persona("admin"), policy, application_id, shown_fen=review.amount_fen)
    assert new_decision.id != decision.id
    assert (new_decision.amount_fen, new_decision.review_id) == (review.amount_fen, review.id)


def test_corrections_are_reversals_and_the_ledger_cannot_be_edited(db, persona, policy):
    application_id = approved_application(db, persona, policy)
    decision = applications.latest_decision(db, application_id)
    batch = payments.prepare_batch(db, persona("admin"), policy, [application_id], declared_count=1,
                                   declared_total_fen=decision.amount_fen)  # fmt: skip
    (payment,) = bank.paid(db, persona("finance"), policy, batch.id)
    reversal = corrected(db, persona, policy, payment.id, "付款账户有误")
    db.commit()
    assert reversal.amount_fen == -payment.amount_fen
    assert db.scalar(select(func.sum(LedgerEntry.amount_fen))) == 0
    with pytest.raises(WrongState):
        corrected(db, persona, policy, payment.id, "again")
    db.rollback()
    for statement in (
        text("UPDATE ledger_entries SET amount_fen = 1 WHERE id = :id"),
        text("DELETE FROM ledger_entries WHERE id = :id"),
        text("UPDATE audit_records SET actor = 'nobody' WHERE id = :id"),
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            db.execute(statement, {"id": payment.id})
        db.rollback()


def _new_records(db, before: int) -> list[int]:
    return list(db.scalars(select(AuditRecord.id).where(AuditRecord.id > before).order_by(AuditRecord.id)))


def test_audit_verify_finds_the_first_changed_or_deleted_record(db, persona, policy):
    before = db.scalar(select(func.max(AuditRecord.id))) or 0  # what loading the demo recorded
    approved_application(db, persona, policy)
    ids = _new_records(db, before)
    assert len(ids) == 4
    assert audit.verify(db).intact
    tamper(db, "UPDATE audit_records SET payload = replace(payload, 'county_reviewed', 'rejected') WHERE id = :id",
            {"id": ids[2]})  # fmt: skip
    result = audit.verify(db)
    assert result.first_break is not None
    assert result.first_break.record_id == ids[2]
    assert "changed" in result.first_break.reason_en


def test_audit_verify_finds_a_deleted_record(db, persona, policy):
    before = db.scalar(select(func.max(AuditRecord.id))) or 0
    approved_application(db, persona, policy)
    ids = _new_records(db, before)
    tamper(db, "DELETE FROM audit_records WHERE id = :id", {"id": ids[1]})
    result = audit.verify(db)
    assert result.first_break is not None
    assert result.first_break.record_id == ids[2]
    assert "deleted" in result.first_break.reason_en
