"""Proactive awards (免申即享): the engine runs over the registry for a year, and every entitlement that
needs no application becomes a pending award, with a notice to the entity. Running it again creates
nothing new: an award key with an open application or a payment is skipped."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.authz import Permission, Principal, require
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import applications, notices
from zhijiao.fulfilment.compute import award_key, entitlements_of, registry_result
from zhijiao.fulfilment.models import LedgerEntry


@dataclass(frozen=True)
class ProactiveRun:
    year: int
    found: int  # entitlements needing no application, in the year
    created: list[str]  # application numbers created by this run
    skipped: int  # already claimed or paid


def _paid(session: Session, key: str) -> bool:
    query = select(LedgerEntry.id).where(LedgerEntry.award_key == key, LedgerEntry.kind == "payment").limit(1)
    return session.scalar(query) is not None


def run(session: Session, actor: Principal | None, policy: Policy, year: int) -> ProactiveRun:
    """Creates a pending award for every proactive entitlement of ``year`` not yet claimed or paid."""
    if actor is not None:
        require(actor, Permission.approve)
    found = [e for e in entitlements_of(registry_result(session, policy, year)) if e.entitlement.proactive]
    created, skipped = [], 0
    for item in found:
        key = award_key(item.entitlement, item.entity_code, item.year, item.level)
        if applications.open_application(session, key) is not None or _paid(session, key):
            skipped += 1
            continue
        application = applications.create(
            session, None, policy, entitlement_id=item.entitlement.id, entity_code=item.entity_code, year=year,
            level=item.level, claimed_fen=item.amount_fen, origin=applications.SYSTEM_ORIGIN,
        )  # fmt: skip
        notices.tell(session, policy, application, "proactive", {"amount_fen": item.amount_fen})
        created.append(application.number)
    return ProactiveRun(year, len(found), created, skipped)
