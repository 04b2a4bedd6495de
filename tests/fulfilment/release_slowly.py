"""Releases a payment batch as finance and stops to wait after its second instruction: the kill-mid-batch
test stops this process with SIGKILL there and checks that the database holds the whole batch or none of it.

    DATABASE_URL=... python release_slowly.py BATCH_ID
"""

from __future__ import annotations

import sys
import time

from sqlalchemy import select

from zhijiao.accounts.models import User
from zhijiao.accounts.service import principal_of
from zhijiao.fulfilment.payments import release_batch
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.storage.database import unit_of_work

PAUSE_AFTER = 2  # rows written (uncommitted) when the worker stops to be killed
PAUSE_SECONDS = 60  # far longer than the test waits before it kills this process


def report(done: int, total: int) -> None:
    print(f"row {done} of {total}", flush=True)  # noqa: T201 -- the test reads this to know when to kill
    if done == PAUSE_AFTER:
        time.sleep(PAUSE_SECONDS)


def main() -> None:
    batch_id = int(sys.argv[1])
    with unit_of_work() as session:
        finance = session.scalar(select(User).where(User.username == "finance"))
        assert finance is not None
        release_batch(session, principal_of(finance), load(), batch_id, progress=report)


if __name__ == "__main__":
    main()
