"""Payment batches: the city puts approved awards of one payer into a batch, declaring its count and total
in yuan (typed, not filled in: the declaration is the check); finance releases it, or sees why not (a
refusal, or the approvals whose registry data changed and went back for re-review)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.accounts.models import User
from zhijiao.audit.models import AuditRecord
from zhijiao.authz import Permission, Principal, allows
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import labels, payments, queries
from zhijiao.fulfilment.entities import payee_of, payer_of
from zhijiao.fulfilment.models import Application, Decision, LedgerEntry, PaymentBatch
from zhijiao.fulfilment.states import BatchStatus, Status
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.http.errors import NotFound
from zhijiao.http.params import done_message, whole_number
from zhijiao.language import Lang
from zhijiao.money import yuan_to_fen
from zhijiao.refusals import Invalid
from zhijiao.web.pages.fulfilment_awards import CSS
from zhijiao.web.pages.fulfilment_common import CITY, payer_key
from zhijiao.web.templating import render

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=2**62)]
MAX_COUNT_DIGITS = 6  # a batch of up to 999,999 payments


@dataclass(frozen=True)
class Candidate:
    """An approved award ready for a batch, with the payer the policy's cost items name."""

    application: Application
    entity: queries.EntityName
    county: str
    amount_fen: int
    payer: str  # payer_key


def candidates(db: Session, policy: Policy, user: Principal) -> list[Candidate]:
    query = select(Application).where(
        Application.status == Status.city_approved.value,
        Application.batch_id.is_(None),
        Application.needs_re_review.is_(False),
        queries.application_scope(user.scope),
    )
    found = list(db.scalars(query.order_by(Application.id)))
    decided = dict(
        db.execute(queries.latest_decisions().where(Decision.application_id.in_([a.id for a in found]))).all()
    )
    names = queries.entity_names(db, [(a.school_id, a.enterprise_id, a.platform_id) for a in found])
    county = queries.counties(db)
    out = []
    for a in found:
        payee = payee_of(db, a.school_id, a.enterprise_id, a.platform_id)
        payer, payer_county = payer_of(policy, payee, policy.entitlements_by_id[a.entitlement])
        out.append(
            Candidate(
                a,
                names[(a.school_id, a.enterprise_id, a.platform_id)],
                county.get(a.county_code, a.county_code),
                int(decided.get(a.id, 0)),
                payer_key(payer, payer_county),
            )
        )
    return out


def payer_labels(db: Session, keys: set[str], lang: Lang) -> dict[str, str]:
    names = queries.counties(db)
    out = {}
    for key in sorted(keys):
        if key == CITY:
            out[key] = labels.PAYERS[CITY][lang.value]
        else:
            code = key.split(":", 1)[1]
            out[key] = f"{names.get(code, code)}{'财政' if lang is Lang.zh else ' finance'}"
    return out


def _users(db: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(db.execute(select(User.id, User.display_name).where(User.id.in_(wanted))).all())


def _page(
    request: Request,
    db: Session,
    policy: Policy,
    lang: Lang,
    user: Principal,
    *,
    payer: str | None,
    form: Mapping[str, object],
    error: str | None = None,
) -> Response:
    found = queries.batches(db, user.scope)
    may_prepare = allows(user.role, Permission.schedule_payment)
    ready = candidates(db, policy, user) if may_prepare else []
    keys = {c.payer for c in ready}
    chosen = payer if payer in keys else (min(keys) if keys else None)
    shown = [c for c in ready if c.payer == chosen]
    context = {
        "css": CSS,
        "batches": found,
        "totals": queries.batch_totals(db, [b.id for b in found]),
        "users": _users(db, {b.prepared_by for b in found} | {b.released_by for b in found if b.released_by}),
        "batch_statuses": BatchStatus.label_table(),
        "payer_names": payer_labels(db, keys | {payer_key(b.payer, b.payer_county_code) for b in found}, lang),
        "payer_of": {b.id: payer_key(b.payer, b.payer_county_code) for b in found},
        "may_prepare": may_prepare,
        "may_release": allows(user.role, Permission.release_payment),
        "payers": sorted(keys),
        "chosen_payer": chosen,
        "candidates": shown,
        "candidates_total": sum(c.amount_fen for c in shown),
        "entitlements": {k: v.label for k, v in policy.entitlements_by_id.items()},
        "levels": labels.level_labels(policy),
        "form": form,
        "error": error,
        "done": done_message(request),
    }
    return render(request, "fulfilment/batches.html", context, status_code=422 if error else 200)


@router.get("/batches")
def batch_list(
    request: Request, db: Db, policy: PolicyDep, lang: LangDep, user: Principal = require(Permission.view_ledger)
) -> Response:
    """Every batch the user reaches; the city also sees the approved awards ready for one, by payer."""
    return _page(request, db, policy, lang, user, payer=request.query_params.get("payer"), form={})


def _count(text: str) -> int:
    count = whole_number(text, MAX_COUNT_DIGITS)
    if not count:
        raise Invalid("请填写批次笔数（正整数）。", "Declare how many payments the batch holds (a whole number).")
    return count


@router.post("/batches")
def prepare(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    payer: Annotated[str, Form(max_length=40)] = "",
    application_ids: Annotated[list[int], Form()] = [],  # noqa: B006 -- FastAPI copies defaults per request
    declared_count: Annotated[str, Form(max_length=20)] = "",
    declared_total: Annotated[str, Form(max_length=40)] = "",
    user: Principal = require(Permission.schedule_payment),
) -> Response:
    """A batch of the ticked awards, if they add up to the declared count and total (yuan, exactly to the fen)."""
    form = {"ids": set(application_ids), "declared_count": declared_count, "declared_total": declared_total}
    try:
        total_fen = yuan_to_fen(declared_total, ("申报总额", "Declared total"))
        batch = payments.prepare_batch(
            db, user, policy, application_ids, declared_count=_count(declared_count), declared_total_fen=total_fen
        )
    except Invalid as refused:
        # prepare_batch checks the payer and the declaration before it writes anything: show the form again.
        message = refused.zh if lang is Lang.zh else refused.en
        return _page(request, db, policy, lang, user, payer=payer, form=form, error=message)
    return RedirectResponse(f"/batches/{batch.id}?done=prepared", status_code=303)


def _stale(db: Session, batch: PaymentBatch) -> list[str]:
    """The approvals a cancelled batch sent back for re-review (its cancellation's audit record)."""
    query = select(AuditRecord.payload).where(
        AuditRecord.action == "batch.cancel", AuditRecord.object_id == batch.number
    )
    payload = db.scalar(query.order_by(AuditRecord.id.desc()).limit(1))
    return list(json.loads(payload)["after"].get("stale", [])) if payload else []


@router.get("/batches/{batch_id}")
def batch(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    batch_id: Id,
    user: Principal = require(Permission.view_ledger),
) -> Response:
    found = db.scalar(select(PaymentBatch).where(PaymentBatch.id == batch_id, queries.batch_scope(user.scope)))
    if found is None:
        raise NotFound("未找到该拨付批次。", "No such payment batch.")
    rows = list(db.scalars(select(Application).where(Application.batch_id == found.id).order_by(Application.id)))
    decided = dict(
        db.execute(queries.latest_decisions().where(Decision.application_id.in_([a.id for a in rows]))).all()
    )
    entries = list(db.scalars(select(LedgerEntry).where(LedgerEntry.batch_id == found.id).order_by(LedgerEntry.id)))
    keys = [(r.school_id, r.enterprise_id, r.platform_id) for r in rows]
    keys += [(e.school_id, e.enterprise_id, e.platform_id) for e in entries]
    names = queries.entity_names(db, keys)
    key = payer_key(found.payer, found.payer_county_code)
    context = {
        "css": CSS,
        "b": found,
        "rows": rows,
        "decided": decided,
        "entries": entries,
        "numbers": queries.application_numbers(db, [e.application_id for e in entries]),
        "names": names,
        "counties": queries.counties(db),
        "entitlements": {k: v.label for k, v in policy.entitlements_by_id.items()},
        "levels": labels.level_labels(policy),
        "payer_name": payer_labels(db, {key}, lang)[key],
        "batch_statuses": BatchStatus.label_table(),
        "users": _users(db, {found.prepared_by, found.released_by}),
        "count": len(entries) if entries else len(rows),
        "total": sum(e.amount_fen for e in entries) if entries else sum(decided.get(r.id, 0) for r in rows),
        "stale": _stale(db, found) if found.status == BatchStatus.cancelled else [],
        "may_release": allows(user.role, Permission.release_payment) and found.status == BatchStatus.prepared,
        "done": done_message(request),
    }
    return render(request, "fulfilment/batch.html", context)


@router.post("/batches/{batch_id}/release")
def release(db: Db, policy: PolicyDep, batch_id: Id, user: Principal = require(Permission.release_payment)) -> Response:
    """Every row into the ledger, or none; approvals on changed data are sent back and the batch cancelled."""
    result = payments.release_batch(db, user, policy, batch_id)
    return RedirectResponse(
        f"/batches/{batch_id}?done={BatchStatus.released if result.released else BatchStatus.cancelled}",
        status_code=303,
    )
