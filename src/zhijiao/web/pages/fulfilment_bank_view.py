"""What a released batch's page shows of the last mile (decision 0017): its reconciliation, every instruction
with the bank's answer, the files of each round, and the failed payments waiting for finance with the account
they would be paid into now. Account numbers are whole for finance, masked for everyone else."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.authz import Principal
from zhijiao.fulfilment import reconciliation
from zhijiao.fulfilment.bank_models import PaymentInstruction
from zhijiao.fulfilment.instructions import ALLOCATION, BANK, BUDGET, Holder, current_account, holders_of
from zhijiao.fulfilment.models import Application, PayeeAccount, PaymentBatch
from zhijiao.fulfilment.payees import shown_number
from zhijiao.fulfilment.queries import entity_names
from zhijiao.registry.models import Enterprise, School

KINDS = {"transfer": {"zh": "转账", "en": "bank transfer"}, "allocation": {"zh": "预算指标", "en": "budget allocation"}}
STANDINGS = {
    "instructed": {"zh": "已发出", "en": "instructed"},
    "confirmed": {"zh": "已到账", "en": "confirmed"},
    "failed": {"zh": "支付失败", "en": "failed"},
    "withdrawn": {"zh": "已撤回", "en": "withdrawn"},
    "outstanding": {"zh": "待银行回单", "en": "with the bank"},
}
FILE_KINDS = {
    "transfer": {"zh": "代付指令文件（银行）", "en": "transfer file (bank)"},
    "allocation": {"zh": "预算指标文件（预算系统）", "en": "allocation file (budget system)"},
}


@dataclass(frozen=True)
class InstructionRow:
    instruction: PaymentInstruction
    award_number: str
    payee: str
    account: str  # the bank account as the viewer may see it, or the budget unit
    replaces: str  # the reference of the instruction it replaces, if any


@dataclass(frozen=True)
class Failed:
    """A failed payment waiting for finance, with the account a new instruction would now use."""

    instruction: PaymentInstruction
    award_number: str
    payee: str
    account: str  # "" when none is confirmed: re-instructing is refused until one is
    payee_page: str


@dataclass(frozen=True)
class BankView:
    figures: list[tuple[str, int, int]]  # (standing, count, total fen)
    rows: list[InstructionRow]
    files: list[tuple[int, str]]  # (round, kind)
    failed: list[Failed]


def destination(user: Principal, kind: str, source: PaymentInstruction | PayeeAccount | None) -> str:
    """Where an instruction sends the money, or where a payee account would receive it, as ``user`` may read it:
    the budget unit of an allocation, else the bank account with its number whole or masked."""
    if source is None:
        return ""
    if kind == ALLOCATION:
        return f"{source.budget_unit_code or ''} {source.budget_unit_name or ''}".strip()
    number = shown_number(user, source.account_number)
    return " · ".join(x for x in (source.account_name, source.bank_name, number) if x)


def _payee_codes(session: Session, holders: dict[int, Holder]) -> dict[tuple[str, int], str]:
    out: dict[tuple[str, int], str] = {}
    for kind, model in (("school", School), ("enterprise", Enterprise)):
        ids = {h.entity_id for h in holders.values() if h.kind == kind}
        if ids:
            out.update(
                ((kind, i), str(c)) for i, c in session.execute(select(model.id, model.code).where(model.id.in_(ids)))
            )
    return out


def bank_view(session: Session, user: Principal, batch: PaymentBatch) -> BankView:
    found = reconciliation.of_batch(session, batch.id)
    figures = [("instructed", found.instructed.count, found.instructed.total_fen)]
    figures += [(s, f.count, f.total_fen) for s, f in found.by_standing.items()]
    query = select(PaymentInstruction).where(PaymentInstruction.batch_id == batch.id)
    every = list(session.scalars(query.order_by(PaymentInstruction.reference)))
    wanted = select(Application).where(Application.id.in_({i.application_id for i in every}))
    applications = {a.id: a for a in session.scalars(wanted)} if every else {}
    names = entity_names(session, [(a.school_id, a.enterprise_id, a.platform_id) for a in applications.values()])

    def payee(application: Application) -> str:
        name = names.get((application.school_id, application.enterprise_id, application.platform_id))
        return name.name if name else ""

    references = {i.id: i.reference for i in every}
    rows = [
        InstructionRow(i, applications[i.application_id].number, payee(applications[i.application_id]),
                       destination(user, i.kind, i), references.get(i.replaces_id or 0, ""))
        for i in every
    ]  # fmt: skip
    files = sorted({(i.sequence, i.kind) for i in every})
    waiting = found.by_standing["failed"].instructions
    holders = holders_of(session, [applications[i.application_id] for i in waiting]) if waiting else {}
    codes = _payee_codes(session, holders)
    failed = []
    for instruction in waiting:
        application = applications[instruction.application_id]
        holder = holders[application.id]
        now = current_account(session, holder, BUDGET if instruction.kind == ALLOCATION else BANK)
        code = codes.get((holder.kind, holder.entity_id), "")
        failed.append(
            Failed(instruction, application.number, payee(application), destination(user, instruction.kind, now),
                   f"/payees/{holder.kind}/{code}")
        )  # fmt: skip
    return BankView(figures, rows, files, failed)
