"""The bank's side of a payment in tests: finance releases a batch (the instructions go out) and the bank's file
comes back with a result per instruction (decision 0017). Used by every test that needs an award paid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.authz import Principal
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import payments, returns
from zhijiao.fulfilment.bank_models import PaymentInstruction
from zhijiao.fulfilment.models import LedgerEntry
from zhijiao.fulfilment.returns import BankResult

BANK_DATE = dt.date(2025, 3, 3)
REFUSED = "户名与账号不符"  # what a bank writes when an account's name does not match its number


def bank_answers(
    db: Session,
    finance: Principal,
    policy: Policy,
    instructions: Collection[PaymentInstruction],
    *,
    failing: Collection[str] = (),
) -> returns.Settled:
    """The bank's file for ``instructions``: each confirmed on ``BANK_DATE``, but those whose reference is in
    ``failing``, which fail with ``REFUSED``."""
    rows = [
        BankResult(number, i.reference, "failed", None, REFUSED)
        if i.reference in failing
        else BankResult(number, i.reference, "confirmed", BANK_DATE)
        for number, i in enumerate(sorted(instructions, key=lambda i: i.reference), start=2)
    ]
    return returns.settle(db, finance, policy, rows, "0" * 64)


def paid(db: Session, finance: Principal, policy: Policy, batch_id: int) -> list[LedgerEntry]:
    """Finance releases the batch and the bank confirms every payment: the ledger's payments, in the order of the
    batch's applications."""
    release = payments.release_batch(db, finance, policy, batch_id)
    assert release.released, release.stale
    bank_answers(db, finance, policy, release.instructions)
    query = select(LedgerEntry).where(LedgerEntry.batch_id == batch_id, LedgerEntry.kind == "payment")
    return sorted(db.scalars(query), key=lambda e: (e.application_id or 0, e.id))


def instructions_of(db: Session, batch_id: int) -> list[PaymentInstruction]:
    query = select(PaymentInstruction).where(PaymentInstruction.batch_id == batch_id)
    return list(db.scalars(query.order_by(PaymentInstruction.reference)))
