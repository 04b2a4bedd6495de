"""Payment batches and the ledger.

The city schedules approved awards into a batch, declaring its count and total; finance releases it.
Release is one transaction: every row of the batch enters the ledger, or none does (a process killed
half-way leaves nothing). A batch whose rows do not add up to its declaration is refused whole. Before
money moves, each approval's inputs are compared with the registry as it is now: one that changed is
taken out of the batch and flagged for re-review instead of being paid on stale data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.authz import Permission, Principal, require
from zhijiao.engine.policy import Policy
from zhijiao.engine.rules import Period
from zhijiao.fulfilment.applications import check_shown, latest_decision, move, now
from zhijiao.fulfilment.compute import Frames, digest, situation_for
from zhijiao.fulfilment.entities import payee_of, payer_of
from zhijiao.fulfilment.models import Application, Decision, LedgerEntry, PaymentBatch
from zhijiao.fulfilment.states import BatchStatus
from zhijiao.refusals import Invalid, NotAllowed, OutOfScope, WrongState
from zhijiao.registry.snapshot import frames_for_year

Progress = Callable[[int, int], None]  # (rows written, rows in all)


def _payer(session: Session, policy: Policy, application: Application) -> tuple[str, str | None]:
    payee = payee_of(session, application.school_id, application.enterprise_id, application.platform_id)
    return payer_of(policy, payee, policy.entitlements_by_id[application.entitlement])


def prepare_batch(
    session: Session,
    actor: Principal,
    policy: Policy,
    application_ids: Sequence[int],
    *,
    declared_count: int,
    declared_total_fen: int,
) -> PaymentBatch:
    """A batch of approved awards of one payer, checked against the declared count and total."""
    require(actor, Permission.schedule_payment)
    if not application_ids:
        raise Invalid("批次中没有申报。", "The batch holds no application.")
    ids = sorted(set(application_ids))
    applications = list(session.scalars(select(Application).where(Application.id.in_(ids)).with_for_update()))
    if len(applications) != len(ids):
        raise OutOfScope
    payers = {_payer(session, policy, a) for a in applications}
    if len(payers) != 1:
        raise Invalid(
            "一个批次只能有一个付款方（市财政或同一县财政）。", "A batch has one payer: the city or one county."
        )
    decisions = [latest_decision(session, a.id) for a in applications]
    total = sum(d.amount_fen for d in decisions if d is not None)
    if declared_count != len(applications) or declared_total_fen != total:
        raise Invalid(
            f"申报的笔数与金额（{declared_count}笔，{declared_total_fen}分）与批次明细（{len(applications)}笔，"
            f"{total}分）不符，整批不予受理。",
            f"The declared count and total ({declared_count}, {declared_total_fen} fen) do not match the batch's rows "
            f"({len(applications)}, {total} fen): the batch is refused whole.",
            code="declaration_mismatch",
        )
    ((payer, county),) = payers
    batch = PaymentBatch(
        number=f"tmp-{actor.user_id}-{now().timestamp()}"[:30],
        payer=payer,
        payer_county_code=county,
        declared_count=declared_count,
        declared_total_fen=declared_total_fen,
        status=BatchStatus.prepared.value,
        prepared_by=actor.user_id,
        prepared_at=now(),
    )
    session.add(batch)
    session.flush()
    batch.number = f"PB{batch.prepared_at:%Y}-{batch.id:06d}"
    for application in applications:
        if application.needs_re_review:
            raise WrongState(
                f"申报 {application.number} 待重新审核。", f"Application {application.number} needs re-review."
            )
        application.batch_id = batch.id
        move(session, actor, policy, application, "schedule_payment", batch=batch.number)
    audit.record(session, actor, "batch.prepare", "payment_batch", batch.number, after=_batch_snapshot(batch))
    return batch


def _batch_snapshot(batch: PaymentBatch) -> dict[str, object]:
    return {
        "number": batch.number,
        "payer": batch.payer,
        "payer_county_code": batch.payer_county_code,
        "declared_count": batch.declared_count,
        "declared_total_fen": batch.declared_total_fen,
        "status": batch.status,
    }


@dataclass(frozen=True)
class Release:
    batch: PaymentBatch
    released: bool
    entries: list[LedgerEntry] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # applications taken out for re-review


def stale_applications(session: Session, policy: Policy, applications: Sequence[Application]) -> list[Application]:
    """Approvals whose entity's registry data differ from what the decision was computed from. The registry
    is read once per year of the batch, not once per award: a city-wide batch checks thousands of awards."""
    stale = []
    registry: dict[int, Frames] = {}
    for application in applications:
        decision = latest_decision(session, application.id)
        if decision is None:
            stale.append(application)
            continue
        entitlement = policy.entitlements_by_id[application.entitlement]
        payee = payee_of(session, application.school_id, application.enterprise_id, application.platform_id)
        year = application.year
        if year not in registry:
            registry[year] = frames_for_year(session, policy, Period(year))
        options = policy.options.resolve(decision.options)
        situation = situation_for(policy, registry[year], entitlement.entity, payee.code, year, options)
        if digest(situation) != decision.inputs_digest:
            stale.append(application)
    return stale


def _flag(session: Session, actor: Principal, policy: Policy, application: Application, batch: PaymentBatch) -> None:
    application.needs_re_review = True
    application.re_review_reason = "登记数据在审批后发生变化 / registry data changed after approval"
    application.batch_id = None
    application.reviewed_by, application.reviewed_at = None, None  # the county reviews it again
    move(session, actor, policy, application, "re_review", batch=batch.number, reason="registry changed after approval")


def _cancel(
    session: Session,
    actor: Principal,
    policy: Policy,
    batch: PaymentBatch,
    applications: list[Application],
    stale: list[Application],
) -> Release:
    """Stale approvals go back for re-review, the others back to approved; the batch is cancelled, committed."""
    for application in stale:
        _flag(session, actor, policy, application, batch)
    for application in (a for a in applications if a not in stale):
        application.batch_id = None
        move(session, actor, policy, application, "unschedule", batch=batch.number)
    batch.status = BatchStatus.cancelled.value
    audit.record(session, actor, "batch.cancel", "payment_batch", batch.number,
                 after=_batch_snapshot(batch) | {"stale": [a.number for a in stale]})  # fmt: skip
    return Release(batch, released=False, stale=[a.number for a in stale])


def _decisions(session: Session, actor: Principal, applications: list[Application]) -> dict[int, Decision]:
    decisions: dict[int, Decision] = {}
    for application in applications:
        decision = latest_decision(session, application.id)
        if decision is None:
            raise WrongState(
                f"申报 {application.number} 没有审批决定。", f"Application {application.number} has no decision."
            )
        if decision.approved_by == actor.user_id:
            raise NotAllowed("审批人不能拨付自己审批的款项。", "Whoever approved an award cannot release its payment.")
        decisions[application.id] = decision
    return decisions


def _lock_batch(session: Session, actor: Principal, batch_id: int) -> PaymentBatch:
    batch = session.scalar(select(PaymentBatch).where(PaymentBatch.id == batch_id).with_for_update())
    if batch is None:
        raise OutOfScope("拨付批次", "payment batch")
    if not BatchStatus(batch.status).can_become(BatchStatus.released):  # nor cancelled: only a prepared batch
        raise WrongState(
            f"批次 {batch.number} 已{batch.status}，不能再次拨付。", f"Batch {batch.number} is {batch.status}."
        )
    if batch.prepared_by == actor.user_id:
        raise NotAllowed("编制批次的人不能拨付该批次。", "Whoever prepared a batch cannot release it.")
    return batch


def release_batch(
    session: Session,
    actor: Principal,
    policy: Policy,
    batch_id: int,
    *,
    progress: Progress | None = None,
    shown_total_fen: int | None = None,
) -> Release:
    """Finance releases the batch: one ledger row per award, all in this transaction. ``shown_total_fen``, the
    total the page showed beside the button, must still be the batch's total."""
    require(actor, Permission.release_payment)
    batch = _lock_batch(session, actor, batch_id)
    query = select(Application).where(Application.batch_id == batch.id).order_by(Application.id).with_for_update()
    applications = list(session.scalars(query))
    stale = stale_applications(session, policy, applications)
    if stale:
        return _cancel(session, actor, policy, batch, applications, stale)
    decisions = _decisions(session, actor, applications)
    total = sum(d.amount_fen for d in decisions.values())
    check_shown(shown_total_fen, total)
    if len(applications) != batch.declared_count or total != batch.declared_total_fen:
        raise Invalid(
            f"批次 {batch.number} 明细（{len(applications)}笔，{total}分）与申报数（{batch.declared_count}笔，"
            f"{batch.declared_total_fen}分）不符，整批不予拨付。",
            f"Batch {batch.number}'s rows ({len(applications)}, {total} fen) do not match its declaration "
            f"({batch.declared_count}, {batch.declared_total_fen} fen): nothing is paid.",
            code="declaration_mismatch",
        )
    moment = now()
    entries = []
    for number, application in enumerate(applications, start=1):
        decision = decisions[application.id]
        payer, payer_county = _payer(session, policy, application)
        entry = LedgerEntry(
            kind="payment",
            award_key=application.award_key,
            payment_number=_next_payment_number(session, application.award_key),
            amount_fen=decision.amount_fen,
            payer=payer,
            payer_county_code=payer_county,
            article=application.article,
            entitlement=application.entitlement,
            school_id=application.school_id,
            enterprise_id=application.enterprise_id,
            platform_id=application.platform_id,
            county_code=application.county_code,
            year=application.year,
            level=application.level,
            application_id=application.id,
            decision_id=decision.id,
            batch_id=batch.id,
            approved_by=decision.approved_by,
            released_by=actor.user_id,
            recorded_by=actor.user_id,
            recorded_at=moment,
        )
        session.add(entry)
        session.flush()  # the unique award key refuses a second payment here, whatever called us
        move(session, actor, policy, application, "release", ledger_entry=entry.id, amount_fen=entry.amount_fen)
        entries.append(entry)
        if progress:
            progress(number, len(applications))
    batch.status, batch.released_by, batch.released_at = BatchStatus.released.value, actor.user_id, moment
    audit.record(session, actor, "batch.release", "payment_batch", batch.number,
                 after=_batch_snapshot(batch) | {"entries": [e.id for e in entries], "total_fen": total})  # fmt: skip
    return Release(batch, released=True, entries=entries)


def _next_payment_number(session: Session, award_key: str) -> int:
    """1 for a first payment; after a reversal, one more than the payments before (the database checks)."""
    paid = (
        select(func.count())
        .select_from(LedgerEntry)
        .where(LedgerEntry.award_key == award_key, LedgerEntry.kind == "payment")
    )
    return (session.scalar(paid) or 0) + 1
