"""The audit trail for auditors and the city: records with actor, time, before and after, filtered and
paged; and the chain checked from its first record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from zhijiao import audit
from zhijiao.api.dates import Day
from zhijiao.api.fulfilment_schemas import AuditList, AuditRecordOut, BreakOut, VerifyOut
from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import SIGNED_IN
from zhijiao.audit.queries import AuditFilter, records
from zhijiao.authz import Permission, Principal
from zhijiao.fulfilment import labels
from zhijiao.http.deps import Db, LangDep, require

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
    result = audit.verify(db)
    broken = result.first_break
    return VerifyOut(
        intact=result.intact,
        records=result.records,
        head_hash=audit.head_hash(db),
        first_break=BreakOut(
            record_id=broken.record_id, reason=broken.reason_zh if lang.value == "zh" else broken.reason_en
        )
        if broken
        else None,
    )
