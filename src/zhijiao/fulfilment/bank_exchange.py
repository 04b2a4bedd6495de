"""What finance exchanges with the bank and the budget system (decision 0017): a batch's instruction files out,
in the payer's layout (zhijiao.fulfilment.bank_layouts), and the bank's result file in.

A batch's files are made from its instructions as stored, so asking again gives the same bytes: the first round
is what the release instructed, each later round the payments instructed again after a failure."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.authz import Permission, Principal, require
from zhijiao.engine.explain_text import article_name
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import returns
from zhijiao.fulfilment.bank_files import AllocationRow, InstructionRow, check_references, read_returns
from zhijiao.fulfilment.bank_layouts import PayerLayout, load_layouts
from zhijiao.fulfilment.bank_models import PaymentInstruction
from zhijiao.fulfilment.instructions import ALLOCATION, TRANSFER
from zhijiao.fulfilment.models import PaymentBatch
from zhijiao.refusals import Invalid, OutOfScope


@dataclass(frozen=True)
class ExchangeFile:
    filename: str
    media_type: str
    data: bytes


def layout_of(batch: PaymentBatch) -> PayerLayout:
    return load_layouts().for_payer(batch.payer, batch.payer_county_code)


def instructions_of(session: Session, batch_id: int, sequence: int) -> list[PaymentInstruction]:
    query = select(PaymentInstruction).where(
        PaymentInstruction.batch_id == batch_id, PaymentInstruction.sequence == sequence
    )
    return list(session.scalars(query.order_by(PaymentInstruction.reference)))


def batch_file(session: Session, actor: Principal, batch_id: int, kind: str, sequence: int = 1) -> ExchangeFile:
    """The batch's transfers for its bank (``kind`` transfer) or allocations for the budget system (allocation),
    of one round: 1, the release; 2 and on, the payments instructed again."""
    require(actor, Permission.release_payment)
    batch = session.get(PaymentBatch, batch_id)
    if batch is None:
        raise OutOfScope("拨付批次", "payment batch")
    rows = [i for i in instructions_of(session, batch_id, sequence) if i.kind == kind]
    if not rows:
        raise Invalid(
            f"批次 {batch.number} 第{sequence}轮没有{'预算指标' if kind == ALLOCATION else '转账'}支付指令。",
            f"Batch {batch.number} has no {'allocation' if kind == ALLOCATION else 'transfer'} in round {sequence}.",
        )
    layout = layout_of(batch)
    suffix = "-R" + str(sequence - 1) if sequence > 1 else ""
    if kind == TRANSFER:
        from zhijiao.fulfilment.bank_files import instruction_file  # noqa: PLC0415 -- openpyxl only when written

        data = instruction_file(layout, [_transfer(i) for i in rows], batch=batch.number)
        chosen = layout.instruction
        name = f"{batch.number}{suffix}-代付指令{chosen.suffix}"
    else:
        from zhijiao.fulfilment.bank_files import allocation_file  # noqa: PLC0415

        data = allocation_file(layout, [_allocation(i) for i in rows], batch=batch.number)
        chosen = layout.allocation
        name = f"{batch.number}{suffix}-预算指标{chosen.suffix}"
    return ExchangeFile(name, chosen.media_type, data)


def _transfer(instruction: PaymentInstruction) -> InstructionRow:
    return InstructionRow(
        reference=instruction.reference,
        account_name=instruction.account_name or "",
        account_number=instruction.account_number or "",
        bank_name=instruction.bank_name or "",
        amount_fen=instruction.amount_fen,
        purpose=instruction.purpose,
    )


def _allocation(instruction: PaymentInstruction) -> AllocationRow:
    return AllocationRow(
        reference=instruction.reference,
        budget_unit_code=instruction.budget_unit_code or "",
        budget_unit_name=instruction.budget_unit_name or "",
        amount_fen=instruction.amount_fen,
        purpose=instruction.purpose,
        article=article_name(instruction.article, "zh"),
    )


def import_returns(
    session: Session, actor: Principal, policy: Policy, data: bytes, filename: str, payer: str = "city",
    county_code: str | None = None,
) -> returns.Settled:  # fmt: skip
    """The bank's result file, read in the payer's layout and applied whole, or refused naming every row that
    cannot be: unreadable, a reference zhijiao never sent or sent to another payer, twice in the file, already
    settled, or an amount that is not the instruction's."""
    require(actor, Permission.release_payment)
    layout = load_layouts().for_payer(payer, county_code)
    read = read_returns(layout, data, filename)
    references = [row.reference for row in read.rows]
    query = select(PaymentInstruction).where(PaymentInstruction.reference.in_(references))
    known = {i.reference: i for i in session.scalars(query)}
    refusal = read.refusal(check_references(read, known))
    if refusal is not None:
        raise refusal
    results = [returns.BankResult(row.row, row.reference, row.result, row.bank_date, row.reason) for row in read.rows]
    mismatched = [
        row for row in read.rows if row.amount_fen is not None and row.amount_fen != known[row.reference].amount_fen
    ]
    if mismatched:
        raise returns.amount_mismatch(filename, [(r.row, r.reference, r.amount_fen or 0) for r in mismatched], known)
    return returns.settle(session, actor, policy, results, read.digest)
