"""Proactive awards (免申即享): the engine runs over the registry for a year, and every entitlement that
needs no application becomes a pending award, with a notice to the entity. Running it again creates
nothing new: an award key with an open application or a payment is skipped."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.accounts.roles import Permission
from zhijiao.accounts.service import Principal
from zhijiao.engine.policy import Policy
from zhijiao.formatting import money
from zhijiao.fulfilment import applications
from zhijiao.fulfilment.compute import award_key, entitlements_of, registry_result
from zhijiao.fulfilment.models import LedgerEntry, Notice
from zhijiao.fulfilment.scope import require
from zhijiao.language import Lang


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
            session, None, entitlement_id=item.entitlement.id, entity_code=item.entity_code, year=year,
            level=item.level, claimed_fen=item.amount_fen, origin=applications.SYSTEM_ORIGIN,
        )  # fmt: skip
        label = item.entitlement.label
        session.add(
            Notice(
                application_id=application.id,
                school_id=application.school_id,
                enterprise_id=application.enterprise_id,
                platform_id=application.platform_id,
                message_zh=f"根据登记信息，您单位可享受{label['zh']}（{money(item.amount_fen, Lang.zh)}），"
                f"无需申请，已生成待审核奖补 {application.number}。",
                message_en=f"From the registry, you are entitled to the {label['en']} "
                f"({money(item.amount_fen, Lang.en)}) with no application needed: award {application.number} "
                "awaits review.",
                created_at=applications.now(),
            )
        )
        created.append(application.number)
    return ProactiveRun(year, len(found), created, skipped)
