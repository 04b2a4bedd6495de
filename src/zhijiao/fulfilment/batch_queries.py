"""What the batch pages and API read: the approved awards ready for a batch, one batch's rows and payments,
and the payers by the names finance uses. Scope is a clause of every query, as in ``queries``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.audit.models import AuditRecord
from zhijiao.authz import Scope
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import labels
from zhijiao.fulfilment.entities import payees_of, payer_of
from zhijiao.fulfilment.models import Application, Decision, LedgerEntry, PaymentBatch
from zhijiao.fulfilment.queries import EntityName, batch_scope, counties, entity_names, latest_decisions
from zhijiao.fulfilment.scope import application_scope
from zhijiao.fulfilment.states import BatchStatus, Status
from zhijiao.language import Lang
from zhijiao.refusals import NotFound

CITY = "city"
BATCH_NOT_FOUND = ("未找到该拨付批次。", "No such payment batch.")


def payer_key(payer: str, county: str | None) -> str:
    """city, or county:<code>: the one payer of a batch, as the batch form names it."""
    return CITY if payer == CITY else f"county:{county}"


def payer_labels(session: Session, keys: Iterable[str], lang: Lang) -> dict[str, str]:
    """Each payer key as finance names it: 市财政, 瑞安市财政 …"""
    names = counties(session)
    out = {}
    for key in sorted(set(keys)):
        if key == CITY:
            out[key] = labels.PAYERS[CITY][lang.value]
        else:
            code = key.split(":", 1)[1]
            out[key] = f"{names.get(code, code)}{'财政' if lang is Lang.zh else ' finance'}"
    return out


@dataclass(frozen=True)
class Candidate:
    """An approved award ready for a batch, with the payer the policy's cost items name."""

    application: Application
    entity: EntityName
    county: str
    amount_fen: int
    payer: str  # payer_key


def candidates(session: Session, policy: Policy, scope: Scope) -> list[Candidate]:
    """City-approved awards in no batch and not sent back for re-review, oldest first."""
    query = select(Application).where(
        Application.status == Status.city_approved.value,
        Application.batch_id.is_(None),
        Application.needs_re_review.is_(False),
        application_scope(scope),
    )
    found = list(session.scalars(query.order_by(Application.id)))
    decided = decided_amounts(session, [a.id for a in found])
    names = entity_names(session, [(a.school_id, a.enterprise_id, a.platform_id) for a in found])
    county = counties(session)
    payees = payees_of(session, [(a.school_id, a.enterprise_id, a.platform_id) for a in found])
    out = []
    for a in found:
        payee = payees[a.school_id, a.enterprise_id, a.platform_id]
        payer, payer_county = payer_of(policy, payee, policy.entitlements_by_id[a.entitlement])
        out.append(
            Candidate(
                a,
                names[(a.school_id, a.enterprise_id, a.platform_id)],
                county.get(a.county_code, a.county_code),
                decided.get(a.id, 0),
                payer_key(payer, payer_county),
            )
        )
    return out


def decided_amounts(session: Session, application_ids: list[int]) -> dict[int, int]:
    """Each application's latest decided amount in fen."""
    if not application_ids:
        return {}
    query = latest_decisions().where(Decision.application_id.in_(application_ids))
    return {int(a): int(fen) for a, fen in session.execute(query).all()}


def visible_batch(session: Session, scope: Scope, batch_id: int) -> PaymentBatch:
    """The batch, if the scope reaches it; 404 otherwise."""
    found = session.scalar(select(PaymentBatch).where(PaymentBatch.id == batch_id, batch_scope(scope)))
    if found is None:
        raise NotFound(*BATCH_NOT_FOUND)
    return found


@dataclass(frozen=True)
class BatchContents:
    """A batch's applications with their decided amounts, and its ledger payments once released."""

    applications: list[Application]
    decided: dict[int, int]
    payments: list[LedgerEntry]

    @property
    def count(self) -> int:
        return len(self.payments) if self.payments else len(self.applications)

    @property
    def total_fen(self) -> int:
        """What was paid once released; what the decisions fix until then."""
        if self.payments:
            return sum(e.amount_fen for e in self.payments)
        return sum(self.decided.get(a.id, 0) for a in self.applications)


def batch_contents(session: Session, batch: PaymentBatch) -> BatchContents:
    rows = list(session.scalars(select(Application).where(Application.batch_id == batch.id).order_by(Application.id)))
    payments = list(
        session.scalars(select(LedgerEntry).where(LedgerEntry.batch_id == batch.id).order_by(LedgerEntry.id))
    )
    return BatchContents(rows, decided_amounts(session, [a.id for a in rows]), payments)


def sent_back(session: Session, batch: PaymentBatch) -> list[str]:
    """The approvals a cancelled batch sent back for re-review, as its cancellation's audit record names them."""
    if batch.status != BatchStatus.cancelled:
        return []
    query = select(AuditRecord.payload).where(
        AuditRecord.action == "batch.cancel", AuditRecord.object_id == batch.number
    )
    payload = session.scalar(query.order_by(AuditRecord.id.desc()).limit(1))
    return list(json.loads(payload)["after"].get("stale", [])) if payload else []


def application_payments(session: Session, application_id: int) -> list[LedgerEntry]:
    """The ledger rows of one application (payments, clawbacks, corrections), oldest first."""
    query = select(LedgerEntry).where(LedgerEntry.application_id == application_id).order_by(LedgerEntry.id)
    return list(session.scalars(query))
