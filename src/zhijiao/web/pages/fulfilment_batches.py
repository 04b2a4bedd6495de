"""Payment batches: the city puts approved awards of one payer into a batch, declaring its count and total
in yuan (typed, not filled in: the declaration is the check); finance releases it — sends the bank its payment
instructions — or sees why not (a refusal, or the approvals whose registry data changed and went back for
re-review). A released batch shows its reconciliation and each instruction with the bank's answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from zhijiao.authz import Permission, Principal, allows
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import batch_queries, labels, payments, queries, reconciliation
from zhijiao.fulfilment.batch_queries import payer_key
from zhijiao.fulfilment.states import BatchStatus
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.http.params import done_message, whole_number
from zhijiao.language import Lang
from zhijiao.money import FEN_DIGITS, yuan_to_fen
from zhijiao.refusals import Invalid
from zhijiao.web.pages import fulfilment_bank
from zhijiao.web.pages.fulfilment_awards import CSS
from zhijiao.web.pages.fulfilment_bank_view import FILE_KINDS, KINDS, STANDINGS, bank_view
from zhijiao.web.templating import render

router = APIRouter()
router.include_router(fulfilment_bank.router)  # the bank's side of a released batch: files, returns, failures
Id = Annotated[int, Path(ge=1, le=2**62)]
MAX_COUNT_DIGITS = 6  # a batch of up to 999,999 payments


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
    ready = batch_queries.candidates(db, policy, user.scope) if may_prepare else []
    keys = {c.payer for c in ready}
    chosen = payer if payer in keys else (min(keys) if keys else None)
    shown = [c for c in ready if c.payer == chosen]
    payer_of = {b.id: payer_key(b.payer, b.payer_county_code) for b in found}
    by_payer = {
        payer_key(*key): figures
        for key, figures in reconciliation.by_payer(db, queries.batch_ids(db, user.scope)).items()
    }
    context = {
        "css": CSS,
        "batches": found,
        "totals": queries.batch_totals(db, [b.id for b in found]),
        "users": queries.usernames(db, [b.prepared_by for b in found] + [b.released_by for b in found], display=True),
        "batch_statuses": BatchStatus.label_table(),
        "payer_names": batch_queries.payer_labels(db, keys | set(payer_of.values()), lang),
        "by_payer": by_payer,
        "standings": STANDINGS,
        "payer_of": payer_of,
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


@router.get("/batches/{batch_id}")
def batch(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    batch_id: Id,
    user: Principal = require(Permission.view_ledger),
) -> Response:
    found = batch_queries.visible_batch(db, user.scope, batch_id)
    contents = batch_queries.batch_contents(db, found)
    rows, decided, entries = contents.applications, contents.decided, contents.payments
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
        "payer_name": batch_queries.payer_labels(db, {key}, lang)[key],
        "batch_statuses": BatchStatus.label_table(),
        "users": queries.usernames(db, [found.prepared_by, found.released_by], display=True),
        "count": contents.count,
        "total": contents.total_fen,
        "stale": batch_queries.sent_back(db, found),
        "may_release": allows(user.role, Permission.release_payment) and found.status == BatchStatus.prepared,
        "may_settle": allows(user.role, Permission.release_payment),
        "bank": bank_view(db, user, found) if found.released_at is not None else None,
        "kinds": KINDS,
        "standings": STANDINGS,
        "file_kinds": FILE_KINDS,
        "done": done_message(request),
    }
    return render(request, "fulfilment/batch.html", context)


@router.post("/batches/{batch_id}/release")
def release(
    db: Db,
    policy: PolicyDep,
    batch_id: Id,
    shown_total_fen: Annotated[str, Form(max_length=20)] = "",
    user: Principal = require(Permission.release_payment),
) -> Response:
    """A payment instruction for every row, or none; approvals on changed data are sent back and the batch
    cancelled. The total the page showed beside the button must still be the batch's. The ledger's payments
    follow the bank's confirmations (/payments/returns)."""
    shown = whole_number(shown_total_fen, FEN_DIGITS)
    result = payments.release_batch(db, user, policy, batch_id, shown_total_fen=shown)
    return RedirectResponse(
        f"/batches/{batch_id}?done={BatchStatus.released if result.released else BatchStatus.cancelled}",
        status_code=303,
    )
