"""Corrections of the ledger by two people: a finance officer proposes a reversal (or the claw-back run
proposes claw-backs); another confirms it, and only then does the ledger record it, or refuses it; the
proposer may withdraw it while it waits."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from zhijiao.api.fulfilment_out import NO_ENTITY, ledger_out, yuan_text
from zhijiao.api.fulfilment_schemas import ClawbackIn, ClawbackOut, CorrectionOut, Id, LedgerEntryOut, ReasonIn
from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import SIGNED_IN, problem_responses
from zhijiao.authz import Permission, Principal
from zhijiao.fulfilment import clawback, corrections, queries
from zhijiao.fulfilment.clawback import clawback_choice
from zhijiao.fulfilment.correction_queries import CorrectionRow, correction_rows
from zhijiao.fulfilment.models import LedgerCorrection
from zhijiao.fulfilment.states import CorrectionStatus
from zhijiao.http.deps import Db, PolicyDep, require
from zhijiao.http.errors import NotFound
from zhijiao.http.params import one_of

router = APIRouter(tags=["fulfilment"], route_class=JsonRoute)
ACTS = SIGNED_IN | problem_responses(409)


def corrections_out(session: Session, rows: list[CorrectionRow]) -> list[CorrectionOut]:
    names = queries.entity_names(session, [(r.payment.school_id, r.payment.enterprise_id, r.payment.platform_id)
                                           for r in rows])  # fmt: skip
    numbers = queries.application_numbers(session, [r.payment.application_id for r in rows])
    out = []
    for row in rows:
        c, p = row.correction, row.payment
        entity = names.get((p.school_id, p.enterprise_id, p.platform_id), NO_ENTITY)
        out.append(
            CorrectionOut(
                id=c.id,
                payment_id=c.payment_id,
                kind=c.kind,
                status=c.status,
                amount_fen=-p.amount_fen,
                amount_yuan=yuan_text(-p.amount_fen),
                entity_kind=entity.kind,
                entity_code=entity.code,
                entity_name=entity.name,
                application_number=numbers.get(p.application_id) if p.application_id else None,
                reason=c.reason,
                proposed_by=row.proposer,
                proposed_at=c.proposed_at,
                decided_by=row.decider,
                decided_at=c.decided_at,
                decision_note=c.decision_note,
                entry_id=c.entry_id,
            )
        )
    return out


def _one(db: Db, user: Principal, correction: LedgerCorrection) -> CorrectionOut:
    db.flush()
    rows = correction_rows(db, user.scope, status=None, ids=[correction.id])
    if not rows:
        raise NotFound("未找到该冲正申请。", "No such correction.")
    (out,) = corrections_out(db, rows)
    return out


@router.get(
    "/corrections",
    response_model=list[CorrectionOut],
    responses=SIGNED_IN,
    summary="Corrections, newest first (default: those awaiting a second person)",
)
def list_corrections(
    db: Db,
    status: Annotated[
        str | None, Query(max_length=10, description="proposed | confirmed | refused | withdrawn | all")
    ] = "proposed",
    user: Principal = require(Permission.view_ledger),
) -> list[CorrectionOut]:
    chosen = None if status == "all" else one_of(status, [s.value for s in CorrectionStatus], ("状态", "Status"))
    return corrections_out(db, correction_rows(db, user.scope, CorrectionStatus(chosen) if chosen else None))


@router.post(
    "/ledger/{entry_id}/reverse",
    response_model=CorrectionOut,
    status_code=201,
    responses=ACTS,
    summary="Finance: propose reversing a payment; another finance officer confirms it before the ledger records it",
)
def propose_reversal(
    body: ReasonIn, db: Db, entry_id: Id, user: Principal = require(Permission.release_payment)
) -> CorrectionOut:
    return _one(db, user, corrections.propose(db, user, entry_id, body.reason))


@router.post(
    "/corrections/{correction_id}/confirm",
    response_model=LedgerEntryOut,
    status_code=201,
    responses=ACTS,
    summary="Finance, a second person: confirm a correction; the ledger records a row of the opposite amount",
)
def confirm(
    db: Db, policy: PolicyDep, correction_id: Id, user: Principal = require(Permission.release_payment)
) -> LedgerEntryOut:
    (entry,) = ledger_out(db, [corrections.confirm(db, user, policy, correction_id)])
    return entry


@router.post(
    "/corrections/{correction_id}/refuse",
    response_model=CorrectionOut,
    responses=ACTS,
    summary="Finance, a second person: refuse a correction, saying why; the payment stands",
)
def refuse(
    body: ReasonIn, db: Db, correction_id: Id, user: Principal = require(Permission.release_payment)
) -> CorrectionOut:
    return _one(db, user, corrections.refuse(db, user, correction_id, body.reason))


@router.post(
    "/corrections/{correction_id}/withdraw",
    response_model=CorrectionOut,
    responses=ACTS,
    summary="Finance, the proposer: withdraw a correction still awaiting confirmation",
)
def withdraw(db: Db, correction_id: Id, user: Principal = require(Permission.release_payment)) -> CorrectionOut:
    return _one(db, user, corrections.withdraw(db, user, correction_id))


@router.post(
    "/clawbacks",
    response_model=ClawbackOut,
    responses=ACTS,
    summary="Finance: propose claw-backs of paid one-time awards whose certification was revoked "
    "(option clawback_on_revocation); each awaits a second person",
)
def run_clawbacks(
    body: ClawbackIn, db: Db, policy: PolicyDep, user: Principal = require(Permission.release_payment)
) -> ClawbackOut:
    result = clawback.clawback_revoked(db, user, policy, body.as_of, clawback_choice(body.option, policy))
    db.flush()
    ids = [p.id for p in result.proposals]
    rows = correction_rows(db, user.scope, status=None, limit=len(ids), ids=ids) if ids else []
    return ClawbackOut(option=result.option, proposals=corrections_out(db, rows))
