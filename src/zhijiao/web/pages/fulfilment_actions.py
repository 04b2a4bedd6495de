"""The forms of an award's page: each calls the one service function of its step, as the signed-in user,
and returns to the award with what happened. A refusal (role, scope, two-person rule, state) answers with
the service's message and writes nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from zhijiao.authz import Permission, Principal
from zhijiao.fulfilment import applications, attachments
from zhijiao.http.deps import Db, PolicyDep, require
from zhijiao.http.params import whole_number
from zhijiao.money import FEN_DIGITS
from zhijiao.refusals import Invalid
from zhijiao.web.pages.fulfilment_apply import MAX_FILES, Upload, uploaded

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=2**62)]
Reason = Annotated[str, Form(max_length=2000)]
Shown = Annotated[str, Form(max_length=20)]  # the amount in fen the page showed beside the button


def _back(application_id: int, done: str) -> Response:
    return RedirectResponse(f"/awards/{application_id}?done={done}", status_code=303)


@router.post("/awards/{application_id}/submit")
def submit(db: Db, policy: PolicyDep, application_id: Id, user: Principal = require(Permission.apply)) -> Response:
    applications.submit(db, user, policy, application_id)
    return _back(application_id, "submit")


@router.post("/awards/{application_id}/withdraw")
def withdraw(db: Db, policy: PolicyDep, application_id: Id, user: Principal = require(Permission.apply)) -> Response:
    applications.withdraw(db, user, policy, application_id)
    return _back(application_id, "withdraw")


async def uploads(request: Request) -> list[Upload]:
    return await uploaded(await request.form())


@router.post("/awards/{application_id}/attachments")
def attach(
    db: Db,
    application_id: Id,
    files: Annotated[list[Upload], Depends(uploads)],
    user: Principal = require(Permission.apply),
) -> Response:
    if not files:
        raise Invalid("请选择要上传的文件。", "Choose a file to upload.")
    if len(files) > MAX_FILES:
        raise Invalid(f"一次最多上传{MAX_FILES}个附件。", f"At most {MAX_FILES} attachments at a time.")
    for name, data in files:
        attachments.add(db, user, application_id, name, data)
    return _back(application_id, "attach")


@router.post("/awards/{application_id}/return")
def return_for_information(
    db: Db, policy: PolicyDep, application_id: Id, reason: Reason = "", user: Principal = require(Permission.review)
) -> Response:
    applications.return_for_information(db, user, policy, application_id, reason)
    return _back(application_id, "return_for_information")


@router.post("/awards/{application_id}/county-approve")
def county_approve(
    db: Db,
    policy: PolicyDep,
    application_id: Id,
    note: Reason = "",
    basis: Annotated[str, Form(max_length=10)] = "",
    shown_registry_fen: Shown = "",
    shown_claimed_fen: Shown = "",
    user: Principal = require(Permission.review),
) -> Response:
    """The reviewer's choice of figures, and the amount the page showed for it (refused if it moved since)."""
    shown = shown_claimed_fen if basis == "claimed" else shown_registry_fen
    applications.county_approve(
        db, user, policy, application_id, note, basis=basis or None, shown_fen=whole_number(shown, FEN_DIGITS)
    )
    return _back(application_id, "county_approve")


@router.post("/awards/{application_id}/return-to-county")
def return_to_county(
    db: Db, policy: PolicyDep, application_id: Id, reason: Reason = "", user: Principal = require(Permission.approve)
) -> Response:
    applications.return_to_county(db, user, policy, application_id, reason)
    return _back(application_id, "return_to_county")


@router.post("/awards/{application_id}/county-reject")
def county_reject(
    db: Db, policy: PolicyDep, application_id: Id, reason: Reason = "", user: Principal = require(Permission.review)
) -> Response:
    applications.county_reject(db, user, policy, application_id, reason)
    return _back(application_id, "county_reject")


@router.post("/awards/{application_id}/city-approve")
def city_approve(
    db: Db, policy: PolicyDep, application_id: Id, shown_fen: Shown = "", user: Principal = require(Permission.approve)
) -> Response:
    applications.city_approve(db, user, policy, application_id, shown_fen=whole_number(shown_fen, FEN_DIGITS))
    return _back(application_id, "city_approve")


@router.post("/awards/{application_id}/city-reject")
def city_reject(
    db: Db, policy: PolicyDep, application_id: Id, reason: Reason = "", user: Principal = require(Permission.approve)
) -> Response:
    applications.city_reject(db, user, policy, application_id, reason)
    return _back(application_id, "city_reject")
