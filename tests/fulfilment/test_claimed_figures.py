"""Figures into money: before each approval the person sees the amount it fixes; where the applicant's claimed
figures differ from the registry's, the county chooses which stand; the city approves exactly what the county
froze; the ledger pays that amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flows import PART_TIME, YEAR, engine_amount, school_code
from sqlalchemy import func, select, update

import bank
from zhijiao.audit.models import AuditRecord
from zhijiao.fulfilment import applications, payments
from zhijiao.fulfilment.assessment import assess
from zhijiao.fulfilment.models import Application, LedgerEntry, Notice, Review
from zhijiao.fulfilment.states import Status
from zhijiao.refusals import Invalid, WrongState
from zhijiao.registry.models import TeacherStats


def _registered(db, school_id: int) -> TeacherStats:
    row = db.scalar(select(TeacherStats).where(TeacherStats.school_id == school_id, TeacherStats.year == YEAR))
    assert row is not None
    return row


def _claim(db, persona, policy, **figures: str) -> Application:
    """The demo school's Art. 13 application with its own figures, submitted."""
    school = persona("school")
    draft = applications.create(db, school, policy, entitlement_id=PART_TIME, entity_code=school_code(db, school),
                                year=YEAR, figures=figures)  # fmt: skip
    applications.submit(db, school, policy, draft.id)
    db.commit()
    return draft


def _more_part_time(db, persona, policy, extra: int = 5) -> tuple[Application, int, int]:
    school = persona("school")
    registered = _registered(db, school.scope.school_id)
    claimed_count = registered.part_time + extra
    draft = _claim(db, persona, policy, part_time_teachers=str(claimed_count))
    return draft, registered.part_time, claimed_count


def test_the_reviewer_sees_both_figures_and_both_amounts_before_choosing(db, persona, policy):
    draft, registered, claimed = _more_part_time(db, persona, policy)
    found = assess(db, policy, draft)
    (line,) = found.differences
    assert (line.variable.name, line.claimed, line.registry) == ("part_time_teachers", claimed, registered)
    assert found.on_registry.amount_fen == engine_amount(db, policy, school_code(db, persona("school")))
    assert found.on_claimed is not None
    assert found.on_claimed.amount_fen != found.on_registry.amount_fen
    assert found.at_stake_fen is None  # the county must choose first
    assert found.on_claimed.explanation["zh"]  # each amount comes with its steps
    with pytest.raises(Invalid) as refused:
        applications.county_approve(db, persona("county"), policy, draft.id)
    assert refused.value.code == "figures_basis_required"
    with pytest.raises(Invalid, match="needs a reason"):
        applications.county_approve(db, persona("county"), policy, draft.id, basis="registry")
    db.rollback()
    assert db.get(Application, draft.id).status == Status.submitted


def test_accepting_the_claim_updates_the_registry_and_the_city_pays_what_the_county_saw(db, persona, policy):
    draft, _registered_count, claimed = _more_part_time(db, persona, policy)
    seen = assess(db, policy, draft)
    assert seen.on_claimed is not None
    review = applications.county_approve(
        db, persona("county"), policy, draft.id, basis="claimed", shown_fen=seen.on_claimed.amount_fen
    )
    db.commit()
    assert (review.amount_fen, review.figures_basis) == (seen.on_claimed.amount_fen, "claimed")
    assert _registered(db, persona("school").scope.school_id).part_time == claimed  # the registry took the claim
    accepted = db.scalar(select(AuditRecord).where(AuditRecord.action == "application.figures_accepted"))
    assert accepted is not None
    assert accepted.object_id == draft.number
    assert engine_amount(db, policy, school_code(db, persona("school"))) == review.amount_fen
    told = db.scalars(select(Notice.message_zh).where(Notice.application_id == draft.id)).all()
    assert any("采用了您申报的数据" in message for message in told)

    city = assess(db, policy, draft)
    assert (city.review is not None, city.at_stake_fen) == (True, review.amount_fen)
    with pytest.raises(WrongState) as moved:
        applications.city_approve(db, persona("admin"), policy, draft.id, shown_fen=review.amount_fen + 1)
    assert moved.value.code == "amount_changed"
    db.rollback()
    decision = applications.city_approve(db, persona("admin"), policy, draft.id, shown_fen=review.amount_fen)
    assert (decision.amount_fen, decision.review_id, decision.inputs_digest) == (
        review.amount_fen, review.id, review.inputs_digest,
    )  # fmt: skip
    batch = payments.prepare_batch(db, persona("admin"), policy, [draft.id], declared_count=1,
                                   declared_total_fen=decision.amount_fen)  # fmt: skip
    (paid,) = bank.paid(db, persona("finance"), policy, batch.id)
    db.commit()
    assert paid.amount_fen == seen.on_claimed.amount_fen


def test_keeping_the_registry_tells_the_applicant_why_and_changes_nothing_registered(db, persona, policy):
    draft, registered, _claimed = _more_part_time(db, persona, policy)
    seen = assess(db, policy, draft)
    reason = "兼职教师名单中5人未签订聘用合同"
    review = applications.county_approve(db, persona("county"), policy, draft.id, reason, basis="registry",
                                         shown_fen=seen.on_registry.amount_fen)  # fmt: skip
    db.commit()
    assert (review.amount_fen, review.note) == (seen.on_registry.amount_fen, reason)
    assert _registered(db, persona("school").scope.school_id).part_time == registered
    told = db.scalars(select(Notice.message_zh).where(Notice.application_id == draft.id)).all()
    assert any("未采用您申报的数据" in message and reason in message for message in told)


def test_an_amount_that_moved_after_the_page_was_shown_is_refused_and_nothing_is_written(db, persona, policy):
    draft, registered, _claimed = _more_part_time(db, persona, policy)
    seen = assess(db, policy, draft)
    assert seen.on_claimed is not None
    with pytest.raises(WrongState) as moved:
        applications.county_approve(
            db, persona("county"), policy, draft.id, basis="claimed", shown_fen=seen.on_registry.amount_fen
        )
    assert moved.value.code == "amount_changed"
    db.rollback()
    assert _registered(db, persona("school").scope.school_id).part_time == registered
    assert db.scalar(select(func.count()).select_from(Review)) == 0


def test_data_changed_after_the_review_go_back_to_the_county_not_to_payment(db, persona, policy):
    draft, _registered_count, _claimed = _more_part_time(db, persona, policy, extra=0)  # claims what is registered
    review = applications.county_approve(db, persona("county"), policy, draft.id)
    db.commit()
    db.execute(
        update(TeacherStats)
        .where(TeacherStats.school_id == draft.school_id, TeacherStats.year == YEAR)
        .values(full_time=TeacherStats.full_time + 40)
    )
    db.commit()
    now = assess(db, policy, draft)
    assert now.changed_since_review
    with pytest.raises(WrongState) as changed:
        applications.city_approve(db, persona("admin"), policy, draft.id, shown_fen=review.amount_fen)
    assert changed.value.code == "changed_since_review"
    db.rollback()
    applications.return_to_county(db, persona("admin"), policy, draft.id, "登记的专任教师数有变化")
    db.commit()
    assert (db.get(Application, draft.id).status, db.get(Application, draft.id).reviewed_by) == (Status.submitted, None)
    again = applications.county_approve(db, persona("county"), policy, draft.id)
    decision = applications.city_approve(db, persona("admin"), policy, draft.id, shown_fen=again.amount_fen)
    db.commit()
    assert decision.amount_fen == again.amount_fen == engine_amount(db, policy, school_code(db, persona("school")))
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 0


def test_the_county_salary_standard_is_not_a_figure_a_school_claims(db, persona, policy):
    with pytest.raises(Invalid, match="local_avg_teacher_salary"):
        _claim(db, persona, policy, local_avg_teacher_salary="156000")
    db.rollback()
    with pytest.raises(Invalid, match="is not a number"):
        _claim(db, persona, policy, part_time_teachers="as registered")
    db.rollback()
    draft = _claim(db, persona, policy, part_time_teachers="38", full_time_teachers="142")
    assert draft.figures == {"part_time_teachers": "38", "full_time_teachers": "142"}
    assert {line.variable.name: line.claimed for line in assess(db, policy, draft).differences} == {
        "part_time_teachers": Decimal(38), "full_time_teachers": Decimal(142),
    }  # fmt: skip
