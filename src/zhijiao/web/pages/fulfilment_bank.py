"""Finance and the bank (decision 0017): a released batch's instruction files, the bank's result file imported
(applied whole, or refused naming every row), and finance's two answers to a failed payment — instruct it again
into the account as now confirmed, or withdraw it with a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from zhijiao.authz import Permission, Principal
from zhijiao.engine.errors import InputError
from zhijiao.fulfilment import bank_exchange, batch_queries, instructions, queries
from zhijiao.fulfilment.batch_queries import CITY, visible_batch
from zhijiao.fulfilment.returns import Settled
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.http.params import download
from zhijiao.language import Lang, say
from zhijiao.refusals import Invalid, OutOfScope
from zhijiao.registry.uploads import MAX_UPLOAD_BYTES
from zhijiao.web.pages.fulfilment_awards import CSS
from zhijiao.web.templating import render

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=2**62)]
MAX_ROUNDS = 1000  # a payment instructed again a thousand times is not a payment any more


def payer_of_key(key: str, counties: dict[str, str]) -> tuple[str, str | None]:
    """``city`` or ``county:<code>`` (as the batch form names a payer) as (payer, county code)."""
    if key == CITY:
        return CITY, None
    kind, _, code = key.partition(":")
    if kind == "county" and code in counties:
        return "county", code
    raise Invalid("请选择付款方（市财政或县财政）。", "Choose the payer: the city or a county.", code="unknown_payer")


@router.get("/batches/{batch_id}/instructions/file")
def instruction_file(
    db: Db,
    batch_id: Id,
    kind: Annotated[str, Query(pattern=r"^(transfer|allocation)$")] = "transfer",
    round_: Annotated[int, Query(alias="round", ge=1, le=MAX_ROUNDS)] = 1,
    user: Principal = require(Permission.release_payment),
) -> Response:
    """One round's transfers for the bank or allocations for the budget system, in the payer's layout."""
    visible_batch(db, user.scope, batch_id)
    made = bank_exchange.batch_file(db, user, batch_id, kind, round_)
    return download(made.data, made.media_type, made.filename)


def _batch_of_failure(db: Session, application_id: int) -> int:
    latest = instructions.latest_instruction(db, application_id)
    if latest is None:
        raise OutOfScope("奖补", "award")
    return latest.batch_id


@router.post("/awards/{application_id}/reinstruct")
def reinstruct(
    db: Db, policy: PolicyDep, application_id: Id, user: Principal = require(Permission.release_payment)
) -> Response:
    """A failed payment instructed again, into the payee's account as confirmed now."""
    again = instructions.reinstruct(db, user, policy, application_id)
    return RedirectResponse(f"/batches/{again.batch_id}?done=reinstructed#instructions", status_code=303)


@router.post("/awards/{application_id}/withdraw-payment")
def withdraw_payment(
    db: Db,
    policy: PolicyDep,
    application_id: Id,
    reason: Annotated[str, Form(max_length=500)] = "",
    user: Principal = require(Permission.release_payment),
) -> Response:
    """A failed payment given up: the award goes back to be paid in another batch."""
    batch_id = _batch_of_failure(db, application_id)
    instructions.withdraw(db, user, policy, application_id, reason)
    return RedirectResponse(f"/batches/{batch_id}?done=payment_withdrawn#instructions", status_code=303)


def _returns_page(
    request: Request,
    db: Session,
    lang: Lang,
    *,
    payer: str = "",
    settled: Settled | None = None,
    problems: list[str] | None = None,
    file_name: str = "",
    status: int = 200,
) -> Response:
    context = {
        "css": CSS,
        "payers": batch_queries.payer_labels(db, [CITY] + [f"county:{c}" for c in queries.counties(db)], lang),
        "chosen_payer": payer,
        "settled": settled,
        "problems": problems or [],
        "file_name": file_name,
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    return render(request, "fulfilment/returns.html", context, status_code=status)


@router.get("/payments/returns")
def returns_form(
    request: Request, db: Db, lang: LangDep, user: Principal = require(Permission.release_payment)
) -> Response:
    """The form for the bank's result file."""
    del user
    return _returns_page(request, db, lang)


@router.post("/payments/returns")
def import_returns(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    file: Annotated[UploadFile, File()],
    payer: Annotated[str, Form(max_length=20)] = "",
    user: Principal = require(Permission.release_payment),
) -> Response:
    """The bank's result file applied whole; refused, every problem is listed by row and nothing is applied."""
    name = file.filename or ""
    try:
        chosen, county = payer_of_key(payer, queries.counties(db))
    except Invalid as refused:
        return _returns_page(
            request, db, lang, problems=[say(lang, refused.zh, refused.en)], file_name=name, status=422
        )
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    try:
        with db.begin_nested():  # a refusal's page commits nothing of the file, whatever was written before it
            settled = bank_exchange.import_returns(db, user, policy, data, name, chosen, county)
    except InputError as refused:
        lines = [problem.message(lang.value) for problem in refused.problems]
        return _returns_page(request, db, lang, payer=payer, problems=lines, file_name=name, status=422)
    return _returns_page(request, db, lang, payer=payer, settled=settled, file_name=name)
