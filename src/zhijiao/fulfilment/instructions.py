"""Payment instructions (decision 0017): what finance's release sends the bank — or, for a public school's money
from its own same-level finance, the budget system — one per payment, under a unique reference, with the payee's
details as confirmed when the batch was prepared. A failed payment is instructed again under a new reference
naming the one it replaces, after the account is corrected by two people, or withdrawn to be paid in another batch.

The database refuses a second outstanding instruction for a payment, any instruction once the bank confirmed one
(unless the ledger reversed that payment), and any step back (migration 0013); these functions only spare the user
the refusal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.authz import Permission, Principal, require
from zhijiao.engine.explain_text import article_name
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment.applications import load, move, now
from zhijiao.fulfilment.bank_models import PaymentInstruction
from zhijiao.fulfilment.entities import chunks, payees_of, payer_of
from zhijiao.fulfilment.models import Application, PayeeAccount, PaymentBatch
from zhijiao.fulfilment.payees import confirmed_account
from zhijiao.fulfilment.states import BatchStatus, Status
from zhijiao.refusals import Invalid, WrongState
from zhijiao.registry.models import Platform, School

TRANSFER, ALLOCATION = "transfer", "allocation"
BANK, BUDGET = "bank", "budget"  # the kinds of payee account each needs


@dataclass(frozen=True)
class Holder:
    """Whose account an award is paid into: a school or an enterprise (a platform's award goes to its school)."""

    kind: str  # school | enterprise
    entity_id: int
    public_sponsor: str | None  # a public school's sponsor (city | county): its same-level finance; else None


def holders_of(session: Session, applications: Sequence[Application]) -> dict[int, Holder]:
    """Each application's account holder, in three queries whatever the number of applications."""
    platform_ids = {a.platform_id for a in applications if a.platform_id is not None}
    school_of_platform = dict(
        session.execute(select(Platform.id, Platform.school_id).where(Platform.id.in_(platform_ids))).all()
    ) if platform_ids else {}  # fmt: skip
    school_ids = {a.school_id for a in applications if a.school_id is not None} | set(school_of_platform.values())
    schools = {
        row.id: (row.ownership, row.sponsor)
        for row in session.execute(select(School.id, School.ownership, School.sponsor).where(School.id.in_(school_ids)))
    } if school_ids else {}  # fmt: skip
    out: dict[int, Holder] = {}
    for application in applications:
        if application.enterprise_id is not None:
            out[application.id] = Holder("enterprise", application.enterprise_id, None)
            continue
        school_id = application.school_id if application.school_id is not None else school_of_platform[
            cast("int", application.platform_id)
        ]  # fmt: skip
        ownership, sponsor = schools[school_id]
        out[application.id] = Holder("school", school_id, sponsor if ownership == "public" else None)
    return out


def kind_of(holder: Holder, payer: str) -> str:
    """An allocation to the budget unit when a public school is paid by its own same-level finance (预算指标);
    a bank transfer otherwise."""
    return ALLOCATION if holder.public_sponsor is not None and holder.public_sponsor == payer else TRANSFER


def accounts_as_of(
    session: Session, holders: Sequence[Holder], moment: dt.datetime
) -> dict[tuple[str, int, str], PayeeAccount]:
    """Each holder's account of each kind (bank, budget) that was the confirmed one at ``moment`` — the last
    confirmed by then, whether still current or superseded since — by (holder kind, id, account kind): one query
    per kind of holder, whatever their number."""
    found: dict[tuple[str, int, str], PayeeAccount] = {}
    for kind, column in (("school", PayeeAccount.school_id), ("enterprise", PayeeAccount.enterprise_id)):
        ids = {h.entity_id for h in holders if h.kind == kind}
        for part in chunks(ids):
            query = (
                select(PayeeAccount)
                .where(column.in_(part), PayeeAccount.status.in_(("confirmed", "superseded")),
                       PayeeAccount.decided_at <= moment)
                .order_by(PayeeAccount.decided_at, PayeeAccount.id)
            )  # fmt: skip
            for account in session.scalars(query):  # the later overwrites the earlier
                found[kind, cast("int", getattr(account, f"{kind}_id")), account.kind] = account
    return found


def current_account(session: Session, holder: Holder, kind: str) -> PayeeAccount | None:
    """The holder's confirmed account of ``kind`` (the same question the payee pages ask, by the holder's id)."""
    return confirmed_account(session, holder.kind, holder.entity_id, kind)


def purpose(policy: Policy, application: Application) -> str:
    """The payment's 用途 as the bank shows the payee: the award, its article and its number."""
    label = policy.entitlements_by_id[application.entitlement].label["zh"]
    return f"{label}（{article_name(application.article, 'zh')}，{application.number}）"


def _details(kind: str, account: PayeeAccount) -> dict[str, object]:
    """The payee's details as an instruction keeps them: every column, the other kind's empty (the rows of one
    batch go to the database in one statement, so each names the same columns)."""
    transfer = kind == TRANSFER
    return {
        "payee_account_id": account.id,
        "account_name": account.account_name if transfer else None,
        "bank_name": account.bank_name if transfer else None,
        "account_number": account.account_number if transfer else None,
        "budget_unit_code": None if transfer else account.budget_unit_code,
        "budget_unit_name": None if transfer else account.budget_unit_name,
    }


def _missing(application: Application, kind: str) -> str:
    account = "预算单位" if kind == ALLOCATION else "银行账户"
    return f"{application.number}（{account}）"


def instruct(
    session: Session,
    actor: Principal,
    policy: Policy,
    batch: PaymentBatch,
    applications: Sequence[Application],
    amounts: Mapping[int, int],
    moment: dt.datetime,
) -> list[PaymentInstruction]:
    """The release's instructions, one per application, in one statement. Every payee needs the account of its
    kind confirmed when the batch was prepared; otherwise nothing is instructed and the refusal names them."""
    holders = holders_of(session, applications)
    payees = payees_of(session, [(a.school_id, a.enterprise_id, a.platform_id) for a in applications])
    accounts = accounts_as_of(session, list(holders.values()), batch.prepared_at)
    rows, missing = [], []
    for sequence, application in enumerate(applications, start=1):
        payee = payees[application.school_id, application.enterprise_id, application.platform_id]
        payer, county = payer_of(policy, payee, policy.entitlements_by_id[application.entitlement])
        holder = holders[application.id]
        kind = kind_of(holder, payer)
        account = accounts.get((holder.kind, holder.entity_id, BUDGET if kind == ALLOCATION else BANK))
        if account is None:
            missing.append(_missing(application, kind))
            continue
        rows.append(
            {"reference": f"{batch.number}-{sequence:04d}", "application_id": application.id, "batch_id": batch.id,
             "sequence": 1, "kind": kind, "amount_fen": amounts[application.id], "payer": payer,
             "payer_county_code": county, "article": application.article, "purpose": purpose(policy, application),
             "status": "outstanding", "created_by": actor.user_id, "created_at": moment}
            | _details(kind, account)
        )  # fmt: skip
    if missing:
        listed = "、".join(missing[:20]) + ("等" if len(missing) > 20 else "")  # noqa: PLR2004 -- a readable list
        raise Invalid(
            f"以下奖补的收款账户在批次编制时尚未确认，整批未发出支付指令：{listed}。请先由两人确认收款账户，再重新编制批次。",
            f"{len(missing)} award(s) had no confirmed payee account when the batch was prepared ({listed}); nothing "
            "was instructed. Have the accounts confirmed by two people, then prepare the batch again.",
            code="payee_account_missing",
        )
    session.connection().execute(insert(cast("Table", PaymentInstruction.__table__)), rows)
    query = select(PaymentInstruction).where(PaymentInstruction.batch_id == batch.id, PaymentInstruction.sequence == 1)
    return sorted(session.scalars(query), key=lambda i: i.reference)


def latest_instruction(session: Session, application_id: int) -> PaymentInstruction | None:
    query = (
        select(PaymentInstruction)
        .where(PaymentInstruction.application_id == application_id)
        .order_by(PaymentInstruction.sequence.desc(), PaymentInstruction.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def _failed(session: Session, actor: Principal, application_id: int) -> tuple[Application, PaymentInstruction]:
    require(actor, Permission.release_payment)
    application = load(session, actor, application_id)
    instruction = latest_instruction(session, application.id)
    if application.status != Status.payment_failed or instruction is None or instruction.status != "failed":
        raise WrongState(
            f"奖补 {application.number} 没有待处理的支付失败。", f"Award {application.number} has no failed payment."
        )
    return application, instruction


def reinstruct(session: Session, actor: Principal, policy: Policy, application_id: int) -> PaymentInstruction:
    """A failed payment instructed again under a new reference, with the payee's account confirmed now (a
    corrected account needs two people, as any change does), naming the instruction it replaces."""
    application, failed = _failed(session, actor, application_id)
    holder = holders_of(session, [application])[application.id]
    kind = failed.kind
    account = current_account(session, holder, BUDGET if kind == ALLOCATION else BANK)
    if account is None:
        raise Invalid(
            "收款账户尚未确认，不能重新发出支付指令。", "The payee's account is not confirmed: nothing is instructed.",
            code="payee_account_missing",
        )  # fmt: skip
    moment = now()
    base = failed.reference.split("-R")[0]
    again = PaymentInstruction(
        reference=f"{base}-R{failed.sequence}", application_id=application.id, batch_id=failed.batch_id,
        sequence=failed.sequence + 1, replaces_id=failed.id, kind=kind, amount_fen=failed.amount_fen,
        payer=failed.payer, payer_county_code=failed.payer_county_code, article=failed.article,
        purpose=failed.purpose, status="outstanding", created_by=actor.user_id, created_at=moment,
        **_details(kind, account),
    )  # fmt: skip
    session.add(again)
    session.flush()
    move(session, actor, policy, application, "reinstruct", instruction=again.reference, replaces=failed.reference,
         amount_fen=again.amount_fen)  # fmt: skip
    return again


def withdraw(session: Session, actor: Principal, policy: Policy, application_id: int, reason: str) -> Application:
    """Finance gives up on a failed payment: the instruction is withdrawn and the award goes back to be paid in
    another batch; its batch can then close."""
    application, failed = _failed(session, actor, application_id)
    if not reason.strip():
        raise Invalid("请填写撤回原因。", "Give the reason for withdrawing the payment.")
    failed.status, failed.withdrawn_by = "withdrawn", actor.user_id
    batch_id, application.batch_id = failed.batch_id, None
    session.flush()
    move(session, actor, policy, application, "withdraw_payment", instruction=failed.reference, reason=reason.strip())
    changes: list[audit.Change] = []
    close_settled_batches(session, {batch_id}, changes)
    audit.record_many(session, actor, changes)
    return application


def close_settled_batches(session: Session, batch_ids: set[int], changes: list[audit.Change]) -> list[str]:
    """Closes each released batch whose payments are all confirmed or withdrawn (a failed one replaced by a new
    instruction counts by its successor)."""
    closed = []
    replaced = select(PaymentInstruction.replaces_id).where(PaymentInstruction.replaces_id.is_not(None))
    for batch in session.scalars(select(PaymentBatch).where(PaymentBatch.id.in_(batch_ids)).with_for_update()):
        if batch.status != BatchStatus.released.value:
            continue
        open_ones = session.scalar(
            select(func.count()).select_from(PaymentInstruction).where(
                PaymentInstruction.batch_id == batch.id,
                PaymentInstruction.status.in_(("outstanding", "failed")),
                PaymentInstruction.id.not_in(replaced),
            )
        )  # fmt: skip
        if open_ones == 0:
            batch.status = BatchStatus.closed.value
            changes.append(audit.Change("batch.close", "payment_batch", batch.number, after={"status": batch.status}))
            closed.append(batch.number)
    session.flush()
    return closed
