"""The bank's returns (decision 0017): finance imports the bank's result file and each instruction is settled.
A confirmation is the payment: the ledger's payment row, dated by the bank, and the award paid; a failure goes
back to finance with the bank's reason, and the payee is told either way.

A file is checked whole before anything is written: a reference zhijiao never sent, one twice in the file, or a
result for an instruction already settled is refused by row, and nothing of the file is applied. What is applied
is applied in one transaction (one statement per table), and the database keeps one result per instruction."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.authz import Permission, Principal, require
from zhijiao.engine.errors import InputError, Problem
from zhijiao.engine.policy import Policy
from zhijiao.formatting import money
from zhijiao.fulfilment.applications import now
from zhijiao.fulfilment.bank_models import BankReturn, PaymentInstruction
from zhijiao.fulfilment.bulk_moves import move_all
from zhijiao.fulfilment.entities import chunks
from zhijiao.fulfilment.instructions import close_settled_batches
from zhijiao.fulfilment.models import Application, LedgerEntry, PaymentBatch
from zhijiao.fulfilment.payments import latest_decisions
from zhijiao.language import Lang

CONFIRMED, FAILED = "confirmed", "failed"
SETTLED_AS = {"confirmed": ("到账", "confirmed"), "failed": ("退回失败", "failed"), "withdrawn": ("撤回", "withdrawn")}


@dataclass(frozen=True)
class BankResult:
    """One row of a bank's result file, as read."""

    row: int
    reference: str
    result: str  # confirmed | failed
    bank_date: dt.date | None
    reason: str = ""


@dataclass(frozen=True)
class Settled:
    confirmed: list[PaymentInstruction] = field(default_factory=list)
    failed: list[PaymentInstruction] = field(default_factory=list)
    closed_batches: list[str] = field(default_factory=list)


def _problem(row: int, column: str, zh: str, en: str) -> Problem:
    return Problem({"zh": f"第{row}行", "en": f"row {row}"}, column, zh, en)


def _checked(session: Session, results: Sequence[BankResult]) -> dict[str, PaymentInstruction]:
    """The instructions the rows name, locked; every row that cannot be applied is named, and then none is."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for r in results:
        if r.reference in seen:
            first = seen[r.reference]
            problems.append(_problem(r.row, "reference", f"业务参考号 {r.reference} 与第{first}行重复",
                                     f"reference {r.reference} repeats row {first}"))  # fmt: skip
        seen.setdefault(r.reference, r.row)
        if r.result == CONFIRMED and r.bank_date is None:
            problems.append(
                _problem(r.row, "date", "成功的支付须有银行日期", "a confirmed payment needs the bank's date")
            )
    found: dict[str, PaymentInstruction] = {}
    query = select(PaymentInstruction).order_by(PaymentInstruction.id).with_for_update()
    for part in chunks(seen):
        found.update((i.reference, i) for i in session.scalars(query.where(PaymentInstruction.reference.in_(part))))
    for r in results:
        instruction = found.get(r.reference)
        if instruction is None:
            problems.append(_problem(r.row, "reference", f"业务参考号 {r.reference} 不是本平台发出的支付指令",
                                     f"reference {r.reference} is not an instruction zhijiao sent"))  # fmt: skip
        elif instruction.status != "outstanding" and seen[r.reference] == r.row:
            state = SETTLED_AS[instruction.status]
            problems.append(_problem(r.row, "reference", f"支付指令 {r.reference} 已{state[0]}，不能再次处理",
                                     f"instruction {r.reference} is already {state[1]}"))  # fmt: skip
    if problems:
        raise InputError(problems)
    return found


def amount_mismatch(
    filename: str, rows: Sequence[tuple[int, str, int]], known: Mapping[str, PaymentInstruction]
) -> InputError:
    """The rows whose amount is not the instruction's: the bank paid, or says it paid, another sum."""
    problems = []
    for row, reference, amount in rows:
        sent = known[reference].amount_fen
        zh = f"金额 {money(amount, Lang.zh)} 与支付指令 {reference} 的 {money(sent, Lang.zh)} 不符"
        en = f"amount {money(amount, Lang.en)} is not instruction {reference}'s {money(sent, Lang.en)}"
        problems.append(
            Problem({"zh": f"文件 {filename} 第{row}行", "en": f"file {filename} row {row}"}, "amount", zh, en)
        )
    return InputError(problems)


def settle(
    session: Session,
    actor: Principal,
    policy: Policy,
    results: Sequence[BankResult],
    file_sha256: str,
    *,
    progress: Callable[[str], None] | None = None,
) -> Settled:
    """Applies the bank's results, all of them or none. ``progress`` hears each step as it is written (a test
    kills the process there to show that nothing of the file is applied half-way)."""
    step = progress or (lambda _name: None)
    require(actor, Permission.release_payment)
    if not results:
        raise InputError([Problem({"zh": "文件", "en": "file"}, "", "没有结果行", "holds no result rows")])
    found = _checked(session, results)
    moment = now()
    session.connection().execute(
        insert(cast("Table", BankReturn.__table__)),
        [{"instruction_id": found[r.reference].id, "result": r.result, "bank_date": r.bank_date,
          "reason": r.reason or None, "file_sha256": file_sha256, "row_number": r.row,
          "imported_by": actor.user_id, "imported_at": moment} for r in results],
    )  # fmt: skip
    step("results")
    confirmed = [r for r in results if r.result == CONFIRMED]
    failed = [r for r in results if r.result == FAILED]
    table = cast("Table", PaymentInstruction.__table__)
    session.connection().execute(  # one executemany: each row has its own date and reason
        update(table).where(table.c.id == bindparam("settled_id")).values(
            status=bindparam("new_status"), settled_at=moment, bank_date=bindparam("new_date"),
            bank_reason=bindparam("new_reason"),
        ),
        [{"settled_id": found[r.reference].id, "new_status": r.result, "new_date": r.bank_date,
          "new_reason": r.reason or None} for r in results],
    )  # fmt: skip
    ids = [i.id for i in found.values()]
    fresh = select(PaymentInstruction).where(PaymentInstruction.id.in_(ids)).execution_options(populate_existing=True)
    found = {i.reference: i for i in session.scalars(fresh)}
    applications = _applications(session, [found[r.reference].application_id for r in results])
    changes: list[audit.Change] = []
    if confirmed:
        paid = [applications[found[r.reference].application_id] for r in confirmed]
        entries = _ledger(session, actor, [found[r.reference] for r in confirmed], paid, moment)
        extras = [{"instruction": r.reference, "ledger_entry": e.id, "amount_fen": e.amount_fen,
                   "bank_date": str(r.bank_date)} for r, e in zip(confirmed, entries, strict=True)]  # fmt: skip
        step("ledger")
        changes += move_all(session, policy, paid, "bank_confirm", extras)
    if failed:
        bounced = [applications[found[r.reference].application_id] for r in failed]
        extras = [{"instruction": r.reference, "reason": r.reason, "amount_fen": found[r.reference].amount_fen}
                  for r in failed]  # fmt: skip
        changes += move_all(session, policy, bounced, "bank_fail", extras)
    counts = {"rows": len(results), "confirmed": len(confirmed), "failed": len(failed)}
    changes.append(audit.Change("payment.returns", "bank_file", file_sha256[:16], after=counts))
    closed = close_settled_batches(session, {i.batch_id for i in found.values()}, changes)
    audit.record_many(session, actor, changes)
    return Settled([found[r.reference] for r in confirmed], [found[r.reference] for r in failed], closed)


def import_file(
    session: Session, actor: Principal, policy: Policy, results: Sequence[BankResult], data: bytes
) -> Settled:
    """``settle`` for a file's rows, each result naming the file by its digest."""
    return settle(session, actor, policy, results, hashlib.sha256(data).hexdigest())


def _applications(session: Session, ids: Sequence[int]) -> dict[int, Application]:
    query = select(Application).order_by(Application.id).with_for_update()
    return {a.id: a for part in chunks(ids) for a in session.scalars(query.where(Application.id.in_(part)))}


def _ledger(
    session: Session,
    actor: Principal,
    instructions: Sequence[PaymentInstruction],
    applications: Sequence[Application],
    moment: dt.datetime,
) -> list[LedgerEntry]:
    """One payment row per confirmed instruction, dated by the bank, in one statement: the database's keys and
    triggers (one payment per award key and per decision, the releaser not the approver) check each."""
    decisions = latest_decisions(session, [a.id for a in applications])
    batches = {b.id: b for b in session.scalars(select(PaymentBatch).where(
        PaymentBatch.id.in_({i.batch_id for i in instructions})))}  # fmt: skip
    keys = [a.award_key for a in applications]
    made = dict(
        session.execute(
            select(LedgerEntry.award_key, func.count())
            .where(LedgerEntry.award_key.in_(keys), LedgerEntry.kind == "payment")
            .group_by(LedgerEntry.award_key)
        ).all()
    )  # fmt: skip
    rows = []
    for instruction, application in zip(instructions, applications, strict=True):
        decision = decisions[application.id]
        rows.append(
            {"kind": "payment", "award_key": application.award_key,
             "payment_number": made.get(application.award_key, 0) + 1, "amount_fen": instruction.amount_fen,
             "payer": instruction.payer, "payer_county_code": instruction.payer_county_code,
             "article": application.article, "entitlement": application.entitlement,
             "school_id": application.school_id, "enterprise_id": application.enterprise_id,
             "platform_id": application.platform_id, "county_code": application.county_code,
             "year": application.year, "level": application.level, "application_id": application.id,
             "decision_id": decision.id, "batch_id": instruction.batch_id, "approved_by": decision.approved_by,
             "released_by": batches[instruction.batch_id].released_by, "recorded_by": actor.user_id,
             "recorded_at": moment, "instruction_id": instruction.id, "value_date": instruction.bank_date}
        )  # fmt: skip
    session.connection().execute(insert(cast("Table", LedgerEntry.__table__)), rows)
    query = select(LedgerEntry).where(LedgerEntry.instruction_id.in_([i.id for i in instructions]))
    written = {e.instruction_id: e for e in session.scalars(query)}
    return [written[i.id] for i in instructions]
