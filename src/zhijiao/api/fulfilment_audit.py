"""The audit trail for auditors and the city: records with actor, time, before and after, filtered and
paged; and the chain checked from its first record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.api.dates import Day
from zhijiao.api.fulfilment_schemas import (
    AuditList,
    AuditRecordOut,
    BreakOut,
    CheckpointOut,
    FindingOut,
    VerifyIn,
    VerifyOut,
)
from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import SIGNED_IN
from zhijiao.audit.anchor import (
    AnchoredVerification,
    AnchorError,
    parse_checkpoints,
    public_key_from_pem,
    verify_against,
)
from zhijiao.audit.queries import AuditFilter, records
from zhijiao.authz import Permission, Principal
from zhijiao.fulfilment import labels
from zhijiao.http.deps import Db, LangDep, require
from zhijiao.http.errors import InvalidInput
from zhijiao.language import Lang

router = APIRouter(tags=["fulfilment"], route_class=JsonRoute)


@router.get("/audit", response_model=AuditList, responses=SIGNED_IN, summary="Audit records, newest first")
def list_records(
    db: Db,
    lang: LangDep,
    area: Annotated[
        str | None, Query(pattern=r"^[a-z_]{1,20}$", description="application | batch | ledger | …")
    ] = None,
    actor: Annotated[str | None, Query(max_length=60)] = None,
    object_id: Annotated[str | None, Query(alias="object", max_length=60)] = None,
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
    user: Principal = require(Permission.view_audit),
) -> AuditList:
    del user  # the whole trail: auditors and the city see everything
    chosen = AuditFilter(area, actor, object_id, start, end, page)
    rows, total, shown_page, pages = records(db, chosen, per_page)
    items = [
        AuditRecordOut(
            id=r.id,
            at=r.at,
            actor=r.actor,
            action=r.action,
            action_label=labels.action_label(r.action)[lang.value],
            object_type=r.object_type,
            object_id=r.object_id,
            before=r.before,
            after=r.after,
            hash=r.hash,
        )
        for r in rows
    ]
    return AuditList(total=total, page=shown_page, pages=pages, items=items)


@router.get(
    "/audit/verify",
    response_model=VerifyOut,
    responses=SIGNED_IN,
    summary="Checks the hash chain from its first record: intact, or the first broken link",
)
def verify(db: Db, lang: LangDep, user: Principal = require(Permission.view_audit)) -> VerifyOut:
    del user
    return _verify_out(db, verify_against(db, None, []), lang)


@router.post(
    "/audit/verify",
    response_model=VerifyOut,
    responses=SIGNED_IN,
    summary="Checks the hash chain and holds it against signed checkpoints kept outside the database",
)
def verify_with_checkpoints(
    db: Db, lang: LangDep, body: VerifyIn, user: Principal = require(Permission.view_audit)
) -> VerifyOut:
    """A deleted tail or a chain rewritten and re-hashed from some record onward shows only against checkpoints
    (``zhijiao audit anchor``); the checkpoints and the public key come with the request and are not stored."""
    del user
    try:
        key = public_key_from_pem(body.public_key.encode(), "public_key")
        result = verify_against(db, key, parse_checkpoints(body.checkpoints))
    except AnchorError as error:
        raise InvalidInput(error.zh, error.en) from None
    return _verify_out(db, result, lang)


def _verify_out(db: Session, result: AnchoredVerification, lang: Lang) -> VerifyOut:
    zh = lang is Lang.zh
    latest = result.latest
    return VerifyOut(
        intact=result.intact,
        records=result.records,
        head_hash=audit.head_hash(db),
        first_break=BreakOut(
            record_id=result.chain_break_record,
            reason=(result.chain_break_zh if zh else result.chain_break_en) or "",
        )
        if result.chain_break_record is not None
        else None,
        checkpoints=result.checkpoints,
        findings=[
            FindingOut(line=f.line, record_id=f.record_id, reason=f.reason_zh if zh else f.reason_en)
            for f in result.findings
        ],
        latest_checkpoint=CheckpointOut(
            record_id=latest.record_id,
            records=latest.records,
            head_hash=latest.head_hash,
            anchored_at=latest.anchored_at,
            key_id=latest.key_id,
        )
        if latest is not None
        else None,
        unanchored=result.unanchored if result.checkpoints else None,
    )
