"""Corrections of the ledger, by two people (冲正与追回的复核).

A payment is corrected, never edited: a new row of the opposite amount names it. Money moves back only
with two people, as it moved out: one finance officer proposes the correction with its reason, another
confirms it, and only then is the row written (the database refuses a correction row without a standing
proposal by someone else, migration 0006). The second person may refuse it instead, with a note; the
proposer may withdraw it while it waits. A payment has at most one proposal waiting or confirmed.

A reversal (a wrong payment) leaves the award owed: its application goes back to the city for a new
decision, to be paid again or rejected. A claw-back (the certification was revoked) closes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from zhijiao import audit
from zhijiao.authz import Permission, Principal, require
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import notices
from zhijiao.fulfilment.applications import move, now
from zhijiao.fulfilment.models import Application, LedgerCorrection, LedgerEntry
from zhijiao.fulfilment.states import CorrectionStatus, Status
from zhijiao.refusals import Invalid, NotAllowed, OutOfScope, WrongState
from zhijiao.storage.locks import serialize

KINDS = ("reversal", "clawback")
_DONE_ZH = {
    CorrectionStatus.confirmed: "复核通过",
    CorrectionStatus.refused: "被退回",
    CorrectionStatus.withdrawn: "撤回",
}


def _snapshot(correction: LedgerCorrection) -> dict[str, Any]:
    return {
        "payment": correction.payment_id,
        "kind": correction.kind,
        "reason": correction.reason,
        "status": correction.status,
        "proposed_by": correction.proposed_by,
        "decided_by": correction.decided_by,
        "decision_note": correction.decision_note,
        "entry": correction.entry_id,
    }


def _pending() -> WrongState:
    return WrongState(
        "该笔付款已有待复核的冲正或追回申请。",
        "A correction of this payment is already waiting for confirmation.",
        code="correction_pending",
    )


def _decided() -> WrongState:
    return WrongState(
        "该冲正申请已被他人处理。", "Someone else has just decided this correction.", code="correction_decided"
    )


def _flush(session: Session, refusal: Callable[[], WrongState]) -> None:
    """Writes now; a database guard that refuses (the other of two people acting at once, where rows are not
    locked, as on SQLite) answers as ``refusal``, a clear 409, not an error."""
    try:
        session.flush()
    except (IntegrityError, StaleDataError) as error:
        raise refusal() from error


def _payment(session: Session, payment_id: int) -> LedgerEntry:
    serialize(session, LedgerEntry.__tablename__, payment_id)  # no row lock: the ledger is append-only
    payment = session.scalar(select(LedgerEntry).where(LedgerEntry.id == payment_id))
    if payment is None:
        raise OutOfScope("台账记录", "ledger entry")
    if payment.kind != "payment":
        raise WrongState("只能冲正付款记录。", "Only a payment can be reversed.")
    corrected = select(func.count()).select_from(LedgerEntry).where(LedgerEntry.reverses_id == payment.id)
    if session.scalar(corrected):
        raise WrongState(
            "该笔付款已被冲正或追回。", "This payment was already reversed or clawed back.", code="already_reversed"
        )
    return payment


def waiting_for(session: Session, payment_id: int) -> LedgerCorrection | None:
    """The proposal waiting for a second person on this payment, if any."""
    query = select(LedgerCorrection).where(
        LedgerCorrection.payment_id == payment_id, LedgerCorrection.status == CorrectionStatus.proposed.value
    )
    return session.scalar(query)


def propose(
    session: Session, actor: Principal, payment_id: int, reason: str, *, kind: str = "reversal"
) -> LedgerCorrection:
    """A finance officer proposes correcting a payment; nothing is written to the ledger yet."""
    require(actor, Permission.release_payment)
    if kind not in KINDS:
        raise Invalid(f"更正类型“{kind}”无效。", f"{kind!r} is not a kind of correction.")
    reason = reason.strip()
    if not reason:
        raise Invalid("冲正须写明理由。", "A reversal needs a reason.")
    payment = _payment(session, payment_id)
    if waiting_for(session, payment.id) is not None:
        raise _pending()
    correction = LedgerCorrection(
        payment_id=payment.id,
        kind=kind,
        reason=reason,
        status=CorrectionStatus.proposed.value,
        proposed_by=actor.user_id,
        proposed_at=now(),
    )
    session.add(correction)
    _flush(session, _pending)  # the partial unique index refuses a second live proposal here, whatever called us
    audit.record(session, actor, f"ledger.{kind}.propose", "ledger_correction", correction.id,
                 after=_snapshot(correction))  # fmt: skip
    return correction


def _waiting(session: Session, correction_id: int) -> LedgerCorrection:
    correction = session.scalar(select(LedgerCorrection).where(LedgerCorrection.id == correction_id).with_for_update())
    if correction is None:
        raise OutOfScope("冲正申请", "correction")
    current = CorrectionStatus(correction.status)
    if current.final:  # decided already
        raise WrongState(
            f"该冲正申请已{_DONE_ZH[current]}。",
            f"This correction was already {correction.status}.",
            code="correction_decided",
        )
    return correction


def _decide(correction: LedgerCorrection, status: CorrectionStatus) -> str:
    """The status a waiting correction moves to, as the table allows (``_waiting`` found it waiting)."""
    if not CorrectionStatus(correction.status).can_become(status):
        raise _decided()
    return status.value


def _second_person(actor: Principal, correction: LedgerCorrection) -> None:
    if correction.proposed_by == actor.user_id:
        raise NotAllowed(
            "提出冲正的人不能复核自己的申请，须由另一名财政人员复核。",
            "Whoever proposed a correction cannot confirm or refuse it: another finance officer must.",
        )


def confirm(session: Session, actor: Principal, policy: Policy, correction_id: int) -> LedgerEntry:
    """A second finance officer confirms: the correction row enters the ledger, naming its proposer. ``policy``,
    the plan the award was granted under, names the award to its entity."""
    require(actor, Permission.release_payment)
    correction = _waiting(session, correction_id)
    _second_person(actor, correction)
    before = _snapshot(correction)
    original = _payment(session, correction.payment_id)
    entry = LedgerEntry(
        kind=correction.kind,
        award_key=original.award_key,
        payment_number=original.payment_number,  # the payment it corrects
        amount_fen=-original.amount_fen,
        payer=original.payer,
        payer_county_code=original.payer_county_code,
        article=original.article,
        entitlement=original.entitlement,
        school_id=original.school_id,
        enterprise_id=original.enterprise_id,
        platform_id=original.platform_id,
        county_code=original.county_code,
        year=original.year,
        level=original.level,
        application_id=original.application_id,
        decision_id=original.decision_id,
        reverses_id=original.id,
        reason=correction.reason,
        proposed_by=correction.proposed_by,
        recorded_by=actor.user_id,
        recorded_at=now(),
    )
    session.add(entry)
    _flush(session, _decided)  # the trigger checks the standing proposal and the two people here
    correction.status, correction.entry_id = _decide(correction, CorrectionStatus.confirmed), entry.id
    correction.decided_by, correction.decided_at = actor.user_id, entry.recorded_at
    _flush(session, _decided)
    audit.record(session, actor, f"ledger.{correction.kind}", "ledger_entry", entry.id,
                 before=before, after=_snapshot(correction) | {"amount_fen": entry.amount_fen})  # fmt: skip
    if correction.kind == "reversal" and original.application_id is not None:
        _reopen(session, actor, policy, original.application_id, entry, correction.reason)
    elif original.application_id is not None:  # a claw-back leaves the award closed; its entity is told
        application = session.get(Application, original.application_id)
        if application is not None:
            details = {"amount_fen": entry.amount_fen, "reason": entry.reason}
            notices.tell(session, policy, application, "clawback", details)
    return entry


def refuse(session: Session, actor: Principal, correction_id: int, note: str) -> LedgerCorrection:
    """The second person refuses the correction, saying why; the payment stands."""
    require(actor, Permission.release_payment)
    note = note.strip()
    if not note:
        raise Invalid("退回冲正申请须写明理由。", "Refusing a correction needs a reason.")
    correction = _waiting(session, correction_id)
    _second_person(actor, correction)
    before = _snapshot(correction)
    correction.status, correction.decision_note = _decide(correction, CorrectionStatus.refused), note
    correction.decided_by, correction.decided_at = actor.user_id, now()
    _flush(session, _decided)
    audit.record(session, actor, f"ledger.{correction.kind}.refuse", "ledger_correction", correction.id,
                 before=before, after=_snapshot(correction))  # fmt: skip
    return correction


def withdraw(session: Session, actor: Principal, correction_id: int) -> LedgerCorrection:
    """The proposer takes back a correction that is still waiting."""
    require(actor, Permission.release_payment)
    correction = _waiting(session, correction_id)
    if correction.proposed_by != actor.user_id:
        raise NotAllowed("只有提出人可以撤回冲正申请。", "Only whoever proposed a correction can withdraw it.")
    before = _snapshot(correction)
    correction.status = _decide(correction, CorrectionStatus.withdrawn)
    correction.decided_by, correction.decided_at = actor.user_id, now()
    _flush(session, _decided)
    audit.record(session, actor, f"ledger.{correction.kind}.withdraw", "ledger_correction", correction.id,
                 before=before, after=_snapshot(correction))  # fmt: skip
    return correction


def _reopen(
    session: Session, actor: Principal, policy: Policy, application_id: int, reversal: LedgerEntry, reason: str
) -> None:
    application = session.scalar(select(Application).where(Application.id == application_id).with_for_update())
    if application is None or application.status != Status.paid:
        return  # nothing to reopen: the award was decided otherwise since (only a standing payment reopens it)
    application.needs_re_review = True
    application.re_review_reason = f"付款已冲正：{reason} / payment reversed: {reason}"
    move(session, actor, policy, application, "reverse_payment", ledger_entry=reversal.id, reason=reason)
