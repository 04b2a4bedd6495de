"""The demo's last mile (decision 0017): 2023's proactive Art. 7 subsidies of 瑞安市 reviewed by its county,
approved by the city, batched, released by finance, and answered by the bank — all confirmed but one, which came
back "户名与账号不符", so finance has a failed payment to correct (an account change takes two people) and
instruct again. Made through the services as the officials would; already there, it is left alone."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhijiao.accounts.models import User
from zhijiao.accounts.service import principal_of
from zhijiao.authz import Principal
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import applications, payments, proactive, returns
from zhijiao.fulfilment.models import Application, PaymentBatch

YEAR = 2023
COUNTY = "330381"  # 瑞安市, the demo county officer's county
ENTITLEMENT = "art07.integration_subsidy"
BATCH_SIZE = 4
BANK_DATE = dt.date(2023, 12, 20)
REFUSED = "户名与账号不符"


def _person(session: Session, username: str) -> Principal:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise LookupError(username)
    return principal_of(user)


def load_demo_payments(session: Session, policy: Policy) -> str | None:
    """The demo's answered batch; its number, or None when the demo already has batches (or nothing to pay)."""
    if session.scalar(select(func.count()).select_from(PaymentBatch)):
        return None
    admin, county, finance = (_person(session, name) for name in ("admin", "county", "finance"))
    proactive.run(session, admin, policy, YEAR)
    query = select(Application.id).where(
        Application.year == YEAR, Application.county_code == COUNTY, Application.entitlement == ENTITLEMENT
    )
    ids = list(session.scalars(query.order_by(Application.id).limit(BATCH_SIZE)))
    if not ids:
        return None
    amounts = []
    for application_id in ids:
        applications.county_approve(session, county, policy, application_id, "认定文件与登记一致")
        amounts.append(applications.city_approve(session, admin, policy, application_id).amount_fen)
    batch = payments.prepare_batch(
        session, admin, policy, ids, declared_count=len(ids), declared_total_fen=sum(amounts)
    )
    release = payments.release_batch(session, finance, policy, batch.id)
    sent = sorted(release.instructions, key=lambda i: i.reference)
    rows = [
        returns.BankResult(number, i.reference, "confirmed", BANK_DATE)
        if number < len(sent) + 1
        else returns.BankResult(number, i.reference, "failed", BANK_DATE, REFUSED)
        for number, i in enumerate(sent, start=2)
    ]
    returns.settle(session, finance, policy, rows, "demo-bank-file".ljust(64, "0"))
    return batch.number
