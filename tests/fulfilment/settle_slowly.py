"""Applies the bank's result for every outstanding instruction of a batch as finance, and stops to wait once the
ledger rows are written: the kill-mid-import test stops this process with SIGKILL there and checks that nothing of
the file was applied.

    DATABASE_URL=... python settle_slowly.py BATCH_ID
"""

from __future__ import annotations

import datetime as dt
import sys
import time

from sqlalchemy import select

from zhijiao.accounts.models import User
from zhijiao.accounts.service import principal_of
from zhijiao.fulfilment.bank_models import PaymentInstruction
from zhijiao.fulfilment.returns import BankResult, settle
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.storage.database import unit_of_work

PAUSE_AT = "ledger"  # the step after which the worker stops to be killed
PAUSE_SECONDS = 60  # far longer than the test waits before it kills this process


def report(step: str) -> None:
    print(f"step {step}", flush=True)  # noqa: T201 -- the test reads this to know when to kill
    if step == PAUSE_AT:
        time.sleep(PAUSE_SECONDS)


def main() -> None:
    batch_id = int(sys.argv[1])
    with unit_of_work() as session:
        finance = session.scalar(select(User).where(User.username == "finance"))
        assert finance is not None
        query = select(PaymentInstruction.reference).where(PaymentInstruction.batch_id == batch_id)
        references = sorted(session.scalars(query))
        rows = [BankResult(n, r, "confirmed", dt.date(2025, 3, 3)) for n, r in enumerate(references, start=2)]
        settle(session, principal_of(finance), load(), rows, "1" * 64, progress=report)


if __name__ == "__main__":
    main()
