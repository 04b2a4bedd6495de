"""Concurrency and faults: fifty people pressing the same button, and a process killed mid-batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from flows import approved_proactive, batch_of
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

import bank
from zhijiao.accounts.models import User
from zhijiao.accounts.service import principal_of
from zhijiao.engine.errors import InputError
from zhijiao.fulfilment import applications, corrections, payments, proactive, returns
from zhijiao.fulfilment.bank_models import BankReturn, PaymentInstruction
from zhijiao.fulfilment.models import Application, Decision, LedgerCorrection, LedgerEntry, PaymentBatch
from zhijiao.fulfilment.returns import BankResult
from zhijiao.fulfilment.states import Status
from zhijiao.refusals import WrongState

ATTEMPTS = 50
RELEASE_SLOWLY = Path(__file__).with_name("release_slowly.py")
SETTLE_SLOWLY = Path(__file__).with_name("settle_slowly.py")


def _race(url, work) -> list[str]:
    """Runs ``work(session)`` in ATTEMPTS threads at once, each in its own transaction; returns the outcomes."""
    engine = create_engine(url, pool_size=ATTEMPTS, max_overflow=0)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    start = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []

    def attempt() -> None:
        with factory() as session:
            start.wait()
            try:
                with session.begin():
                    work(session)
                outcomes.append("done")
            except (WrongState, InputError):  # a state refused, or a bank file already applied
                outcomes.append("refused")
            except Exception as error:  # noqa: BLE001 -- any other outcome is recorded and fails the test
                outcomes.append(f"error: {error!r}")

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    return outcomes


def _principal(session, username):
    return principal_of(session.scalar(select(User).where(User.username == username)))


def test_fifty_concurrent_approvals_and_releases_pay_exactly_once(db, persona, policy, demo_engine):
    if demo_engine.dialect.name != "postgresql":
        pytest.skip("concurrency is tested where it is real: PostgreSQL")
    url = demo_engine.url.render_as_string(hide_password=False)
    proactive.run(db, persona("admin"), policy, 2024)
    county = persona("county")
    target = db.scalar(
        select(Application.id).where(Application.county_code == county.scope.county_code).order_by(Application.id)
    )
    applications.county_approve(db, county, policy, target)
    db.commit()

    approvals = _race(url, lambda s: applications.city_approve(s, _principal(s, "admin"), policy, target))
    assert sorted(set(approvals)) == ["done", "refused"]
    assert approvals.count("done") == 1
    assert db.scalar(select(func.count()).select_from(Decision).where(Decision.application_id == target)) == 1

    batch_id = batch_of(db, persona, policy, [target])
    releases = _race(url, lambda s: payments.release_batch(s, _principal(s, "finance"), policy, batch_id))
    assert releases.count("done") == 1
    assert set(releases) == {"done", "refused"}
    db.expire_all()
    (instruction,) = bank.instructions_of(db, batch_id)  # one instruction to the bank, however many pressed
    # Fifty imports of the bank's file race too: one settles the payment, the others are refused whole.
    result = BankResult(2, instruction.reference, "confirmed", bank.BANK_DATE)
    imports = _race(url, lambda s: returns.settle(s, _principal(s, "finance"), policy, [result], "0" * 64))
    assert imports.count("done") == 1
    assert set(imports) == {"done", "refused"}
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 1
    assert db.get(Application, target).status == Status.paid

    # Money back takes two people too, and fifty of them pressing the buttons still record it once.
    payment_id = db.scalar(select(LedgerEntry.id))
    proposals = _race(url, lambda s: corrections.propose(s, _principal(s, "finance"), payment_id, "收款账户有误"))
    assert proposals.count("done") == 1
    assert set(proposals) == {"done", "refused"}  # the payment row is locked: the others see the proposal
    proposal_id = db.scalar(select(LedgerCorrection.id).where(LedgerCorrection.payment_id == payment_id))
    confirmations = _race(url, lambda s: corrections.confirm(s, _principal(s, "finance2"), policy, proposal_id))
    assert confirmations.count("done") == 1
    assert set(confirmations) == {"done", "refused"}
    db.expire_all()
    assert db.scalar(select(func.sum(LedgerEntry.amount_fen))) == 0
    assert db.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == "reversal")) == 1


def test_a_process_killed_mid_batch_leaves_the_whole_batch_or_none(db, persona, policy, demo_engine):
    ids = approved_proactive(db, persona, policy)
    assert len(ids) >= 3
    batch_id = batch_of(db, persona, policy, ids)
    environment = os.environ | {"DATABASE_URL": demo_engine.url.render_as_string(hide_password=False)}
    command = [sys.executable, str(RELEASE_SLOWLY), str(batch_id)]
    with subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, text=True) as worker:  # noqa: S603
        assert worker.stdout is not None
        seen = ""
        for line in worker.stdout:
            seen = line
            if line.startswith("row 2 "):
                break  # two ledger rows are written, uncommitted, and the worker is asleep
        assert seen.startswith("row 2 "), "the worker never got half-way through the batch"
        assert worker.poll() is None  # still alive, in the middle of the batch
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(PaymentInstruction)) == 0
    assert db.get(PaymentBatch, batch_id).status == "prepared"
    assert {db.get(Application, i).status for i in ids} == {Status.payment_scheduled}
    assert db.scalar(select(func.count()).select_from(PaymentInstruction)) == 0
    release = payments.release_batch(db, persona("finance"), policy, batch_id)  # and the batch can still be paid
    db.commit()
    assert len(release.instructions) == len(ids)


def test_a_process_killed_mid_import_of_the_banks_file_applies_none_of_it(db, persona, policy, demo_engine):
    ids = approved_proactive(db, persona, policy)
    batch_id = batch_of(db, persona, policy, ids)
    release = payments.release_batch(db, persona("finance"), policy, batch_id)
    db.commit()
    environment = os.environ | {"DATABASE_URL": demo_engine.url.render_as_string(hide_password=False)}
    command = [sys.executable, str(SETTLE_SLOWLY), str(batch_id)]
    with subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, text=True) as worker:  # noqa: S603
        assert worker.stdout is not None
        seen = ""
        for line in worker.stdout:
            seen = line
            if line.startswith("step ledger"):
                break  # results, instructions and ledger rows written, uncommitted, and the worker asleep
        assert seen.startswith("step ledger"), "the worker never got to the ledger"
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 0
    assert db.scalar(select(func.count()).select_from(BankReturn)) == 0
    assert {i.status for i in bank.instructions_of(db, batch_id)} == {"outstanding"}
    assert {db.get(Application, i).status for i in ids} == {Status.instructed}
    bank.bank_answers(db, persona("finance"), policy, release.instructions)  # and the file can still be applied
    db.commit()
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == len(ids)
