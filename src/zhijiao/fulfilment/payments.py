"""Payment batches.

The city schedules approved awards into a batch, declaring its count and total; finance releases it.
Release is one transaction: every row of the batch gets its payment instruction to the bank, or none does (a
process killed half-way leaves nothing); the ledger records a payment when the bank confirms it (decision
0017). A batch whose rows do not add up to its declaration is refused whole. Before money moves, each approval's
inputs are compared with the registry as it is now: one that changed is taken out of the batch and flagged for
re-review instead of being paid on stale data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.authz import Permission, Principal, require
from zhijiao.engine.policy import Policy
from zhijiao.engine.rules import Period
from zhijiao.formatting import money
from zhijiao.fulfilment import instructions
from zhijiao.fulfilment.applications import check_shown, now
from zhijiao.fulfilment.bank_models import PaymentInstruction
from zhijiao.fulfilment.bulk_moves import move_all
from zhijiao.fulfilment.compute import digest
from zhijiao.fulfilment.entities import CHUNK, EntityIds, Payee, chunks, payees_of, payer_of
from zhijiao.fulfilment.models import Application, Decision, PaymentBatch
from zhijiao.fulfilment.situations import Frames, Situations
from zhijiao.fulfilment.states import BatchStatus
from zhijiao.language import Lang
from zhijiao.refusals import Invalid, NotAllowed, OutOfScope, WrongState
from zhijiao.registry.models import Platform, School
from zhijiao.registry.snapshot import frames_for_year

Progress = Callable[[int, int], None]  # (rows written, rows in all)


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
    query = select(Application).order_by(Application.id).with_for_update()
    applications = [a for part in chunks(ids) for a in session.scalars(query.where(Application.id.in_(part)))]
    if len(applications) != len(ids):
        raise OutOfScope
    payees = payees_of(session, [_entity_ids(a) for a in applications])
    payers = {payer_of(policy, payees[_entity_ids(a)], policy.entitlements_by_id[a.entitlement]) for a in applications}
    if len(payers) != 1:
        raise Invalid(
            "一个批次只能有一个付款方（市财政或同一县财政）。", "A batch has one payer: the city or one county."
        )
    total = sum(d.amount_fen for d in latest_decisions(session, ids).values())
    if declared_count != len(applications) or declared_total_fen != total:
        raise Invalid(
            f"申报的笔数与金额（{declared_count}笔，{money(declared_total_fen, Lang.zh)}）与批次明细"
            f"（{len(applications)}笔，{money(total, Lang.zh)}）不符，整批不予受理。",
            f"The declared count and total ({declared_count}, {money(declared_total_fen, Lang.en)}) do not match the "
            f"batch's rows ({len(applications)}, {money(total, Lang.en)}): the batch is refused whole.",
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
    extras = [{"batch": batch.number}] * len(applications)
    changes = move_all(session, policy, applications, "schedule_payment", extras, values={"batch_id": batch.id})
    changes.append(audit.Change("batch.prepare", "payment_batch", batch.number, after=_batch_snapshot(batch)))
    audit.record_many(session, actor, changes)
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
    instructions: list[PaymentInstruction] = field(default_factory=list)  # one per payment, to the bank
    stale: list[str] = field(default_factory=list)  # applications taken out for re-review


@dataclass(frozen=True)
class Decided:
    """What a release needs of an application's latest decision: not its inputs or explanation, which are large
    and which the digest stands for."""

    id: int
    application_id: int
    amount_fen: int
    options: dict[str, object]
    inputs_digest: str
    approved_by: int


def latest_decisions(session: Session, application_ids: Sequence[int]) -> dict[int, Decided]:
    """Each application's latest decision (``applications.latest_decision``), one query per 5,000 applications."""
    columns = select(Decision.id, Decision.application_id, Decision.amount_fen, Decision.options,
                     Decision.inputs_digest, Decision.approved_by)  # fmt: skip
    out: dict[int, Decided] = {}
    for part in chunks(application_ids):
        latest = select(func.max(Decision.id)).where(Decision.application_id.in_(part))
        for row in session.execute(columns.where(Decision.id.in_(latest.group_by(Decision.application_id)))):
            out[row.application_id] = Decided(*row)
    return out


def _frames(session: Session, policy: Policy, year: int, payees: Collection[Payee]) -> Frames:
    """The year's registry as the staleness check needs it: only the batch's entities (and a platform's school)."""
    only: dict[str, set[str]] = defaultdict(set)
    for payee in payees:
        only[payee.kind].add(payee.code)
    if only["platform"]:
        query = select(School.code).join(Platform, Platform.school_id == School.id)
        for part in chunks(only["platform"]):
            only["school"].update(session.scalars(query.where(Platform.code.in_(part))))
    if sum(len(v) for v in only.values()) > CHUNK:  # past one IN list, the whole registry is as quick a read
        return frames_for_year(session, policy, Period(year))
    return frames_for_year(session, policy, Period(year), only)


def _stale(
    session: Session,
    policy: Policy,
    applications: Sequence[Application],
    decisions: Mapping[int, Decided],
    payees: Mapping[EntityIds, Payee],
) -> list[Application]:
    """Approvals whose entity's registry data differ from what the decision was computed from, or that have no
    decision, in the order given. The registry is read once per year, and only for the entities at stake."""
    groups: dict[tuple[int, str], list[Application]] = defaultdict(list)
    for application in applications:
        if application.id in decisions:
            groups[application.year, policy.entitlements_by_id[application.entitlement].entity].append(application)
    registry: dict[int, Frames] = {}
    current = set()
    for (year, entity), members in groups.items():
        if year not in registry:
            of_year = [payees[_entity_ids(a)] for a in applications if a.year == year and a.id in decisions]
            registry[year] = _frames(session, policy, year, of_year)
        mine = [payees[_entity_ids(a)] for a in members]
        situations = Situations(policy, registry[year], entity, {p.code for p in mine})
        for application, payee in zip(members, mine, strict=True):
            decision = decisions[application.id]
            situation = situations.of(payee.code, year, policy.options.resolve(decision.options))
            if digest(situation) == decision.inputs_digest:
                current.add(application.id)
    return [a for a in applications if a.id not in current]


def stale_applications(session: Session, policy: Policy, applications: Sequence[Application]) -> list[Application]:
    """Approvals whose entity's registry data differ from what the decision was computed from: a city-wide batch
    checks thousands of awards, with a few queries for all of them."""
    decisions = latest_decisions(session, [a.id for a in applications])
    payees = payees_of(session, [_entity_ids(a) for a in applications])
    return _stale(session, policy, applications, decisions, payees)


def _entity_ids(application: Application) -> EntityIds:
    return application.school_id, application.enterprise_id, application.platform_id


def _cancel(
    session: Session,
    actor: Principal,
    policy: Policy,
    batch: PaymentBatch,
    applications: list[Application],
    stale: list[Application],
) -> Release:
    """Stale approvals go back for re-review (the county reviews them again), the others back to approved; the
    batch is cancelled, committed."""
    flagged = {
        "needs_re_review": True,
        "re_review_reason": "登记数据在审批后发生变化 / registry data changed after approval",
        "batch_id": None,
        "reviewed_by": None,
        "reviewed_at": None,
    }
    why = {"batch": batch.number, "reason": "registry changed after approval"}
    changes = move_all(session, policy, stale, "re_review", [why] * len(stale), values=flagged)
    current = [a for a in applications if a not in stale]
    changes += move_all(session, policy, current, "unschedule", [{"batch": batch.number}] * len(current),
                        values={"batch_id": None})  # fmt: skip
    batch.status = BatchStatus.cancelled.value
    cancelled = _batch_snapshot(batch) | {"stale": [a.number for a in stale]}
    changes.append(audit.Change("batch.cancel", "payment_batch", batch.number, after=cancelled))
    audit.record_many(session, actor, changes)
    return Release(batch, released=False, stale=[a.number for a in stale])


def _check_decisions(actor: Principal, applications: list[Application], decisions: Mapping[int, Decided]) -> None:
    for application in applications:
        decision = decisions.get(application.id)
        if decision is None:
            raise WrongState(
                f"申报 {application.number} 没有审批决定。", f"Application {application.number} has no decision."
            )
        if decision.approved_by == actor.user_id:
            raise NotAllowed("审批人不能拨付自己审批的款项。", "Whoever approved an award cannot release its payment.")


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
    """Finance releases the batch: one payment instruction per award, all in this transaction (the ledger's
    payment row follows the bank's confirmation: zhijiao.fulfilment.returns). ``shown_total_fen``, the
    total the page showed beside the button, must still be the batch's total.

    Set-based: the batch's applications (locked), decisions and payees are read with one query each, the registry
    once per year for the batch's entities; the instructions, the applications' state changes, their notices and
    audit records are written with one statement each, whatever the batch's size."""
    require(actor, Permission.release_payment)
    batch = _lock_batch(session, actor, batch_id)
    query = select(Application).where(Application.batch_id == batch.id).order_by(Application.id).with_for_update()
    applications = list(session.scalars(query))
    decisions = latest_decisions(session, [a.id for a in applications])
    payees = payees_of(session, [_entity_ids(a) for a in applications])
    stale = _stale(session, policy, applications, decisions, payees)
    if stale:
        return _cancel(session, actor, policy, batch, applications, stale)
    _check_decisions(actor, applications, decisions)
    total = sum(decisions[a.id].amount_fen for a in applications)
    check_shown(shown_total_fen, total)
    if len(applications) != batch.declared_count or total != batch.declared_total_fen:
        raise Invalid(
            f"批次 {batch.number} 明细（{len(applications)}笔，{money(total, Lang.zh)}）与申报数"
            f"（{batch.declared_count}笔，{money(batch.declared_total_fen, Lang.zh)}）不符，整批不予拨付。",
            f"Batch {batch.number}'s rows ({len(applications)}, {money(total, Lang.en)}) do not match its declaration "
            f"({batch.declared_count}, {money(batch.declared_total_fen, Lang.en)}): nothing is paid.",
            code="declaration_mismatch",
        )
    moment = now()
    amounts = {a.id: decisions[a.id].amount_fen for a in applications}
    sent = instructions.instruct(session, actor, policy, batch, applications, amounts, moment)
    if progress:
        for number in range(1, len(applications) + 1):
            progress(number, len(applications))
    by_application = {i.application_id: i for i in sent}
    extras = [{"instruction": by_application[a.id].reference, "amount_fen": amounts[a.id]} for a in applications]
    changes = move_all(session, policy, applications, "release", extras)
    batch.status, batch.released_by, batch.released_at = BatchStatus.released.value, actor.user_id, moment
    released = _batch_snapshot(batch) | {"instructions": [i.reference for i in sent], "total_fen": total}
    changes.append(audit.Change("batch.release", "payment_batch", batch.number, after=released))
    audit.record_many(session, actor, changes)
    return Release(batch, released=True, instructions=sent)
