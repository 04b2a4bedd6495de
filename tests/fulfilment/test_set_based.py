"""The money path in bulk: a batch released, or a year's proactive awards created, in a fixed number of statements
whatever their size, and still one ledger row, one audit record, one state change and one notice per award."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flows import YEAR, approved_proactive, batch_of
from sqlalchemy import Engine, event, func, select, update
from sqlalchemy.orm import Session

import bank
from zhijiao import audit
from zhijiao.audit.models import AuditRecord
from zhijiao.engine.rules import Period
from zhijiao.fulfilment import applications, notices, payments, proactive
from zhijiao.fulfilment.bank_models import PaymentInstruction
from zhijiao.fulfilment.bulk_notices import Told, notice_row
from zhijiao.fulfilment.models import Application, LedgerEntry, Notice
from zhijiao.fulfilment.situations import Situations, situation_for
from zhijiao.fulfilment.states import Status
from zhijiao.registry.models import Enterprise, Platform, School
from zhijiao.registry.snapshot import frames_for_year


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements sent while the block runs (an executemany counts once, as one round trip)."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _count(db: Session, model, *where) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _release(db: Session, persona, policy, engine: Engine, ids: list[int]) -> tuple[int, payments.Release]:
    batch_id = batch_of(db, persona, policy, ids)
    db.expunge_all()  # as a new request: nothing of the batch in the session
    with statements(engine) as sent:
        release = payments.release_batch(db, persona("finance"), policy, batch_id)
        db.commit()
    return len(sent), release


def _answered(db: Session, persona, policy, engine: Engine, release: payments.Release) -> int:
    db.expunge_all()
    with statements(engine) as sent:
        bank.bank_answers(db, persona("finance"), policy, release.instructions)
        db.commit()
    return len(sent)


def test_a_batch_is_released_and_settled_in_the_same_statements_whatever_its_size(db, persona, policy, demo_engine):
    ids = approved_proactive(db, persona, policy)
    assert len(ids) >= 6
    small, large = ids[:2], ids[2:]
    sent_small, first = _release(db, persona, policy, demo_engine, small)
    sent_large, second = _release(db, persona, policy, demo_engine, large)
    assert first.released
    assert second.released
    assert sent_large == sent_small, (sent_small, sent_large)

    # one instruction, one release record, one state change and one notice per payment; one record per batch
    instructions = first.instructions + second.instructions
    assert _count(db, PaymentInstruction) == len(ids)
    assert sorted(i.application_id for i in instructions) == ids
    assert _count(db, LedgerEntry) == 0  # nothing is paid until the bank says so
    assert _count(db, AuditRecord, AuditRecord.action == "application.release") == len(ids)
    assert _count(db, AuditRecord, AuditRecord.action == "batch.release") == 2
    for application_id, instruction in zip(ids, instructions, strict=True):
        application = db.get(Application, application_id)
        assert application is not None
        assert (application.status, instruction.application_id) == (Status.instructed, application.id)
        records = list(db.scalars(select(AuditRecord).where(AuditRecord.object_id == application.number,
                                                            AuditRecord.action == "application.release")))  # fmt: skip
        assert len(records) == 1
        payload = json.loads(records[0].payload)
        assert payload["before"]["status"] == Status.payment_scheduled
        assert payload["after"] == {
            "number": application.number, "status": Status.instructed.value, "claimed_fen": application.claimed_fen,
            "batch_id": application.batch_id, "needs_re_review": False, "instruction": instruction.reference,
            "amount_fen": instruction.amount_fen,
        }  # fmt: skip
        assert _count(db, Notice, Notice.application_id == application_id) == 3  # found, approved, instructed
    last = select(AuditRecord.payload).where(AuditRecord.action == "batch.release").order_by(AuditRecord.id.desc())
    batch_record = json.loads(db.scalars(last).first() or "{}")
    assert batch_record["after"]["instructions"] == [i.reference for i in second.instructions]

    # The bank's file settles a batch of any size in the same statements too: one ledger row per payment.
    assert _answered(db, persona, policy, demo_engine, first) == _answered(db, persona, policy, demo_engine, second)
    assert _count(db, LedgerEntry, LedgerEntry.kind == "payment") == len(ids)
    assert {db.get(Application, i).status for i in ids} == {Status.paid}
    assert _count(db, Notice) >= 4 * len(ids)  # and each payee told its money arrived
    assert audit.verify(db).intact


def test_the_proactive_run_creates_the_years_awards_in_few_statements(db, persona, policy, demo_engine):
    with statements(demo_engine) as sent:
        run = proactive.run(db, persona("admin"), policy, YEAR)
        db.commit()
    assert run.created
    assert len(sent) < 40, len(sent)  # one award at a time took ~9 each
    numbers = list(db.scalars(select(Application.number).where(Application.year == YEAR).order_by(Application.id)))
    assert numbers == run.created
    ids = list(db.scalars(select(Application.id).order_by(Application.id)))
    assert numbers == [f"MS{YEAR}-{i:06d}" for i in ids]
    created = select(AuditRecord.object_id).where(AuditRecord.action == "application.create")
    assert list(db.scalars(created.order_by(AuditRecord.id))) == numbers
    assert _count(db, Notice) == len(numbers)
    for application in db.scalars(select(Application).order_by(Application.id).limit(20)):
        record = db.scalar(select(AuditRecord.payload).where(AuditRecord.object_id == application.number))
        assert json.loads(record or "{}")["after"] == applications.snapshot(application)
        assert application.version == 2  # as applications.create leaves it: inserted, then numbered
    assert {s for (s,) in db.execute(select(Application.status).distinct())} == {Status.pending.value}
    assert audit.verify(db).intact

    again = proactive.run(db, persona("admin"), policy, YEAR)
    db.commit()
    assert (again.created, again.skipped, again.found) == ([], run.found, run.found)


@pytest.mark.parametrize("entity", ["school", "enterprise", "platform"])
def test_the_situations_of_many_entities_are_those_read_one_by_one(db, policy, entity):
    model = {"school": School, "enterprise": Enterprise, "platform": Platform}[entity]
    codes = list(db.scalars(select(model.code).order_by(model.code)))
    everything = frames_for_year(db, policy, Period(YEAR))
    options = policy.options.resolve(None)
    found = Situations(policy, everything, entity, codes)
    for code in codes:
        assert found.of(code, YEAR, options) == situation_for(policy, everything, entity, code, YEAR, options)
    with pytest.raises(LookupError):
        found.of("NO-SUCH-CODE", YEAR, options)


@pytest.mark.parametrize("event", sorted(notices.MESSAGES))
def test_a_notice_written_in_bulk_reads_as_one_told_alone(db, persona, policy, event):
    (award_id, *_rest) = approved_proactive(db, persona, policy)
    application = db.get(Application, award_id)
    assert application is not None
    for details in (
        {"amount_fen": 1_234_567},
        {"amount_fen": -50_000, "reason": " 认定撤销 "},
        {"reason": "补充材料"},
        {},
    ):
        notices.tell(db, policy, application, event, details)
        db.flush()
        alone = db.scalars(select(Notice).order_by(Notice.id.desc())).first()
        assert alone is not None
        row = notice_row(policy, event, Told.of(application, details), alone.created_at)
        assert row == {c.key: getattr(alone, c.key) for c in Notice.__table__.columns if c.key != "id"}
    assert notice_row(policy, "county_approve", Told.of(application, {}), alone.created_at) is None
    db.rollback()


def test_a_batch_is_prepared_in_the_same_statements_whatever_its_size(db, persona, policy, demo_engine):
    ids = approved_proactive(db, persona, policy)
    sent = []
    for chosen in (ids[:2], ids[2:]):
        total = sum(d.amount_fen for d in payments.latest_decisions(db, chosen).values())
        db.expunge_all()
        with statements(demo_engine) as seen:
            batch = payments.prepare_batch(db, persona("admin"), policy, chosen, declared_count=len(chosen),
                                           declared_total_fen=total)  # fmt: skip
            db.commit()
        sent.append(len(seen))
        for application_id in chosen:
            application = db.get(Application, application_id)
            assert application is not None
            assert (application.status, application.batch_id) == (Status.payment_scheduled, batch.id)
            scheduled = AuditRecord.action == "application.schedule_payment"
            record = db.scalar(
                select(AuditRecord.payload).where(AuditRecord.object_id == application.number, scheduled)
            )
            payload = json.loads(record or "{}")
            # as move() after prepare_batch set the batch: the batch id is in the state before
            before = {"number": application.number, "status": Status.city_approved.value,
                      "claimed_fen": application.claimed_fen, "batch_id": batch.id,
                      "needs_re_review": False}  # fmt: skip
            assert payload["before"] == before
            assert payload["after"] == before | {"status": Status.payment_scheduled.value, "batch": batch.number}
    assert sent[0] == sent[1], sent
    assert audit.verify(db).intact


def test_a_batch_with_one_changed_entity_sends_that_one_back_and_the_others_to_approved(db, persona, policy):
    ids = approved_proactive(db, persona, policy)
    batch_id = batch_of(db, persona, policy, ids)
    changed = db.get(Application, ids[1])
    assert changed is not None
    db.execute(update(Enterprise).where(Enterprise.id == changed.enterprise_id).values(name="改名后的企业"))
    db.commit()
    release = payments.release_batch(db, persona("finance"), policy, batch_id)
    db.commit()
    assert not release.released
    assert release.stale == [changed.number]
    db.expire_all()
    states = {i: (a.status, a.needs_re_review, a.batch_id) for i in ids if (a := db.get(Application, i))}
    assert states.pop(changed.id) == (Status.submitted, True, None)
    assert set(states.values()) == {(Status.city_approved, False, None)}
    assert _count(db, LedgerEntry) == 0
    assert _count(db, AuditRecord, AuditRecord.action == "application.re_review") == 1
    assert _count(db, AuditRecord, AuditRecord.action == "application.unschedule") == len(ids) - 1
    assert audit.verify(db).intact
