"""Corrections take two people: one finance officer proposes, another confirms, and only then does the
ledger record the reversal; the database refuses a correction row any other way."""

from __future__ import annotations

import threading

import pytest
from flows import approved_application, batch_of
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import sessionmaker

import bank
from zhijiao.accounts.models import User
from zhijiao.accounts.service import principal_of
from zhijiao.audit.models import AuditRecord
from zhijiao.fulfilment import corrections
from zhijiao.fulfilment.models import Application, LedgerCorrection, LedgerEntry
from zhijiao.fulfilment.states import Status
from zhijiao.refusals import Invalid, NotAllowed, WrongState


def _payment(db, persona, policy) -> LedgerEntry:
    application_id = approved_application(db, persona, policy)
    (payment,) = bank.paid(db, persona("finance"), policy, batch_of(db, persona, policy, [application_id]))
    db.commit()
    return payment


def _ledger_net(db) -> int:
    return db.scalar(select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0)))


def test_a_proposal_records_nothing_until_a_second_finance_officer_confirms_it(db, persona, policy):
    payment = _payment(db, persona, policy)
    finance, second = persona("finance"), persona("finance2")
    proposal = corrections.propose(db, finance, payment.id, "  收款账户有误  ")
    db.commit()
    assert (proposal.status, proposal.reason, proposal.proposed_by) == ("proposed", "收款账户有误", finance.user_id)
    assert _ledger_net(db) == payment.amount_fen  # nothing moved yet
    assert db.get(Application, payment.application_id).status == Status.paid

    with pytest.raises(NotAllowed, match="another finance officer"):
        corrections.confirm(db, finance, policy, proposal.id)
    db.rollback()
    with pytest.raises(NotAllowed):  # nor may the proposer refuse it
        corrections.refuse(db, finance, proposal.id, "算了")
    db.rollback()

    reversal = corrections.confirm(db, second, policy, proposal.id)
    db.commit()
    assert (reversal.kind, reversal.amount_fen, reversal.reverses_id) == ("reversal", -payment.amount_fen, payment.id)
    assert (reversal.proposed_by, reversal.recorded_by) == (finance.user_id, second.user_id)
    assert _ledger_net(db) == 0
    db.refresh(proposal)
    assert (proposal.status, proposal.entry_id, proposal.decided_by) == ("confirmed", reversal.id, second.user_id)
    assert db.get(Application, payment.application_id).status == Status.county_reviewed  # back to the city
    actions = db.scalars(select(AuditRecord.action).order_by(AuditRecord.id)).all()
    assert actions[-3:] == ["ledger.reversal.propose", "ledger.reversal", "application.reverse_payment"]

    with pytest.raises(WrongState, match="already confirmed"):
        corrections.confirm(db, persona("finance2"), policy, proposal.id)
    db.rollback()
    with pytest.raises(WrongState, match="already reversed"):
        corrections.propose(db, finance, payment.id, "again")
    db.rollback()


def test_a_refused_correction_leaves_the_payment_standing_and_may_be_proposed_again(db, persona, policy):
    payment = _payment(db, persona, policy)
    proposal = corrections.propose(db, persona("finance"), payment.id, "金额有误")
    db.commit()
    with pytest.raises(Invalid):
        corrections.refuse(db, persona("finance2"), proposal.id, "  ")
    db.rollback()
    refused = corrections.refuse(db, persona("finance2"), proposal.id, "核对无误，金额正确")
    db.commit()
    assert (refused.status, refused.decision_note, refused.entry_id) == ("refused", "核对无误，金额正确", None)
    assert _ledger_net(db) == payment.amount_fen
    assert db.get(Application, payment.application_id).status == Status.paid
    with pytest.raises(WrongState, match="already refused"):
        corrections.confirm(db, persona("finance2"), policy, proposal.id)
    db.rollback()
    again = corrections.propose(db, persona("finance2"), payment.id, "复查后确认收款账户有误")
    db.commit()
    assert again.id != proposal.id
    assert corrections.confirm(db, persona("finance"), policy, again.id).amount_fen == -payment.amount_fen


def test_only_the_proposer_withdraws_and_a_withdrawn_proposal_cannot_be_confirmed(db, persona, policy):
    payment = _payment(db, persona, policy)
    proposal = corrections.propose(db, persona("finance"), payment.id, "收款账户有误")
    db.commit()
    with pytest.raises(NotAllowed, match="Only whoever proposed"):
        corrections.withdraw(db, persona("finance2"), proposal.id)
    db.rollback()
    corrections.withdraw(db, persona("finance"), proposal.id)
    db.commit()
    with pytest.raises(WrongState, match="already withdrawn"):
        corrections.confirm(db, persona("finance2"), policy, proposal.id)
    db.rollback()
    assert _ledger_net(db) == payment.amount_fen


def test_one_correction_waits_per_payment_and_only_finance_proposes(db, persona, policy):
    payment = _payment(db, persona, policy)
    corrections.propose(db, persona("finance"), payment.id, "收款账户有误")
    db.commit()
    with pytest.raises(WrongState, match="already waiting"):
        corrections.propose(db, persona("finance2"), payment.id, "金额有误")
    db.rollback()
    for username in ("admin", "auditor", "county", "analyst"):
        with pytest.raises(NotAllowed):
            corrections.propose(db, persona(username), payment.id, "收款账户有误")
        db.rollback()
    with pytest.raises(Invalid):
        corrections.propose(db, persona("finance"), payment.id, "", kind="reversal")
    db.rollback()


def test_the_database_refuses_a_second_live_proposal_and_a_self_confirmed_one(db, persona, policy):
    """Straight to the tables, past every service."""
    payment = _payment(db, persona, policy)
    finance = persona("finance").user_id
    proposal = corrections.propose(db, persona("finance"), payment.id, "收款账户有误")
    db.commit()
    row = {"payment_id": payment.id, "kind": "reversal", "reason": "x", "status": "proposed",
           "proposed_by": persona("finance2").user_id, "proposed_at": proposal.proposed_at}  # fmt: skip
    with pytest.raises(IntegrityError):
        db.execute(insert(LedgerCorrection).values(**row))
    db.rollback()
    with pytest.raises(IntegrityError, match="decider_not_proposer"):
        db.execute(
            update(LedgerCorrection)
            .where(LedgerCorrection.id == proposal.id)
            .values(status="refused", decided_by=finance, decided_at=proposal.proposed_at)
        )
    db.rollback()
    second = persona("finance2").user_id
    for values, check in (
        ({"status": "confirmed", "decided_by": second}, "confirmed_has_entry"),  # confirmed, yet nothing recorded
        ({"status": "refused"}, "decided_has_decider"),  # decided by nobody
        ({"decided_by": second}, "decided_has_decider"),  # still waiting, yet decided
    ):
        with pytest.raises(IntegrityError, match=check):
            db.execute(update(LedgerCorrection).where(LedgerCorrection.id == proposal.id).values(**values))
        db.rollback()


def _correction_row(payment: LedgerEntry, proposed_by: int | None, recorded_by: int) -> dict[str, object]:
    return {
        "kind": "reversal", "award_key": payment.award_key, "payment_number": payment.payment_number,
        "amount_fen": -payment.amount_fen, "payer": payment.payer, "article": payment.article,
        "entitlement": payment.entitlement, "school_id": payment.school_id, "county_code": payment.county_code,
        "year": payment.year, "application_id": payment.application_id, "reverses_id": payment.id,
        "reason": "直接写入", "proposed_by": proposed_by, "recorded_by": recorded_by,
        "recorded_at": payment.recorded_at,
    }  # fmt: skip


def test_the_database_refuses_a_correction_without_a_second_person(db, persona, policy):
    """Whatever code writes the ledger: no proposal, a proposal by the recorder, or by someone who did not
    propose it, is refused; a standing proposal by someone else is what lets the row in."""
    payment = _payment(db, persona, policy)
    finance, second = persona("finance").user_id, persona("finance2").user_id
    for proposed_by, recorded_by in ((None, second), (finance, second), (second, second)):
        with pytest.raises(DBAPIError, match="standing proposal"):  # no proposal stands yet
            db.execute(insert(LedgerEntry).values(**_correction_row(payment, proposed_by, recorded_by)))
        db.rollback()
    corrections.propose(db, persona("finance"), payment.id, "收款账户有误")
    db.commit()
    for proposed_by, recorded_by in ((finance, finance), (second, finance), (None, second)):
        with pytest.raises(DBAPIError, match="standing proposal"):
            db.execute(insert(LedgerEntry).values(**_correction_row(payment, proposed_by, recorded_by)))
        db.rollback()
    db.execute(insert(LedgerEntry).values(**_correction_row(payment, finance, second)))
    db.commit()
    assert _ledger_net(db) == 0


def _at_once(engine, monkeypatch, pause: str, acts) -> list[str]:
    """Two finance officers acting at the same moment: each passes ``corrections.<pause>`` (its read), waits for
    the other to get there too, then writes. Returns what each was told."""
    barrier = threading.Barrier(len(acts), timeout=10)
    original = getattr(corrections, pause)

    def paused(*args):
        found = original(*args)
        barrier.wait()
        return found

    monkeypatch.setattr(corrections, pause, paused)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    outcomes: list[str] = []

    def attempt(username, act) -> None:
        with factory() as session:
            try:
                with session.begin():
                    act(session, principal_of(session.scalar(select(User).where(User.username == username))))
                outcomes.append("done")
            except WrongState as refused:
                outcomes.append(refused.code)
            except Exception as error:  # noqa: BLE001 -- any other outcome is recorded and fails the test
                outcomes.append(f"error: {error!r}")

    threads = [threading.Thread(target=attempt, args=pair) for pair in acts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_people_at_once_on_sqlite_get_one_result_and_a_clear_refusal(db, persona, policy, demo_engine, monkeypatch):
    """SQLite locks no row: the version counter and the database's guards refuse the second, as a 409."""
    if demo_engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL locks the row: test_faults races fifty people there")
    payment = _payment(db, persona, policy)
    proposals = _at_once(demo_engine, monkeypatch, "waiting_for", [
        ("finance", lambda s, u: corrections.propose(s, u, payment.id, "收款账户有误")),
        ("finance2", lambda s, u: corrections.propose(s, u, payment.id, "金额有误")),
    ])  # fmt: skip
    assert proposals == ["correction_pending", "done"]
    monkeypatch.undo()
    proposal_id = db.scalar(select(LedgerCorrection.id).where(LedgerCorrection.status == "proposed"))
    proposer = db.scalar(select(User.username).join(LedgerCorrection, LedgerCorrection.proposed_by == User.id))
    other = "finance2" if proposer == "finance" else "finance"
    decisions = _at_once(demo_engine, monkeypatch, "_waiting", [
        (proposer, lambda s, u: corrections.withdraw(s, u, proposal_id)),
        (other, lambda s, u: corrections.refuse(s, u, proposal_id, "核对无误")),
    ])  # fmt: skip
    assert decisions == ["correction_decided", "done"]
    db.expire_all()
    actions = db.scalars(select(AuditRecord.action).where(AuditRecord.object_type == "ledger_correction")).all()
    assert len(actions) == 2  # the proposal and one decision: the loser wrote nothing
    monkeypatch.undo()

    again = corrections.propose(db, persona("finance"), payment.id, "收款账户有误")
    db.commit()
    confirmations = _at_once(demo_engine, monkeypatch, "_waiting", [
        ("finance2", lambda s, u: corrections.confirm(s, u, policy, again.id)),
        ("finance2", lambda s, u: corrections.confirm(s, u, policy, again.id)),  # a double click
    ])  # fmt: skip
    assert confirmations == ["correction_decided", "done"]
    db.expire_all()
    assert _ledger_net(db) == 0
