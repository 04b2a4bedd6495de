"""A school or enterprise applies: the entitlement (Art. 13 and Art. 20 for its school, Art. 3 for one of
its school's platforms, Art. 7 for its enterprise), the year, the level of a one-time award, the figures
the amount is computed from, a note and supporting documents; saved as a draft or submitted at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from zhijiao.authz import Permission, Principal
from zhijiao.engine.model import Entitlement
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import applications, attachments, figures, labels
from zhijiao.fulfilment.entities import Payees, payees
from zhijiao.fulfilment.models import Application
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.http.params import YEAR_DIGITS, whole_number
from zhijiao.language import Lang
from zhijiao.money import yuan_to_fen
from zhijiao.refusals import Refused
from zhijiao.simulation.cost_view import plan_years_with_data
from zhijiao.web.pages.fulfilment_awards import CSS
from zhijiao.web.templating import render

router = APIRouter()
FIGURE = "fig."  # form fields of the declared figures: fig.part_time_teachers, …
MAX_FILES = 10


Upload = tuple[str, bytes]  # a file's name and its bytes


async def uploaded(form: FormData) -> list[Upload]:
    """The files of the ``files`` field, each read no further than one byte past the limit (the service refuses
    larger) and closed here: the form's spooled files are the request's to release, not the garbage collector's."""
    files = []
    for item in form.getlist("files"):
        if isinstance(item, UploadFile):
            if item.filename:
                files.append((item.filename, await item.read(attachments.MAX_BYTES + 1)))
            await item.close()
    return files


async def form_fields(request: Request) -> tuple[dict[str, str], list[Upload]]:
    """The submitted fields and files (the figures vary with the entitlement, so the form is read whole)."""
    form = await request.form()
    fields = {name: value for name, value in form.items() if isinstance(value, str)}
    return fields, await uploaded(form)


FormFields = Annotated[tuple[dict[str, str], list[Upload]], Depends(form_fields)]


def _chosen(found: Payees, asked: str | None) -> Entitlement:
    return next((e for e in found.offered if e.id == asked), found.offered[0])


def _form(
    request: Request,
    db: Session,
    policy: Policy,
    lang: Lang,
    found: Payees,
    entitlement: Entitlement,
    values: dict[str, str],
    error: str | None = None,
) -> Response:
    levels = labels.level_labels(policy)
    level_choices: list[str] = []
    if entitlement.detail_entity:
        variable = policy.entities[entitlement.detail_entity].input("level")
        level_choices = list(variable.choices) if variable else []
    context = {
        "css": CSS,
        "payees": found,
        "offered": found.offered,
        "entitlement": entitlement,
        "figures": figures.declarable_variables(policy, entitlement),
        "years": plan_years_with_data(db, policy),
        "levels": {c: levels.get(c, {"zh": c, "en": c}) for c in level_choices},
        "values": values,
        "error": error,
        "max_files": MAX_FILES,
        "max_mb": attachments.MAX_BYTES // (1024 * 1024),
        "accepted": ",".join(attachments.SIGNATURES),
    }
    del lang  # the template picks labels in the page's language
    return render(request, "fulfilment/new.html", context, status_code=422 if error else 200)


@router.get("/awards/new")
def new_award(
    request: Request, db: Db, policy: PolicyDep, lang: LangDep, user: Principal = require(Permission.apply)
) -> Response:
    found = payees(db, policy, user.scope)
    entitlement = _chosen(found, request.query_params.get("entitlement"))
    return _form(request, db, policy, lang, found, entitlement, {})


def _entity_code(found: Payees, entitlement: Entitlement, values: dict[str, str]) -> str:
    if entitlement.entity == "platform":
        chosen = values.get("platform", "")
        if chosen not in {p.code for p in found.platforms}:
            raise Refused("请选择本校的平台。", "Choose one of your school's platforms.")
        return chosen
    entity = found.school if entitlement.entity == "school" else found.enterprise
    if entity is None:
        raise Refused("该项目不适用于您的单位。", "This entitlement does not apply to you.")
    return entity.code


def _draft(
    db: Session, policy: Policy, user: Principal, found: Payees, entitlement: Entitlement, values: dict[str, str]
) -> Application:
    """The draft from the form's fields, or a refusal before anything is written."""
    year = whole_number(values.get("year"), YEAR_DIGITS)
    if year is None or year not in plan_years_with_data(db, policy):
        raise Refused("请选择有登记数据的年度。", "Choose a year the registry holds data for.")
    level = ((values.get("level") or "").strip() or None) if entitlement.one_time else None
    figures.check_level(policy, entitlement, level)
    given = {k.removeprefix(FIGURE): v for k, v in values.items() if k.startswith(FIGURE)}
    claimed = values.get("claimed_yuan", "").strip()
    return applications.create(
        db,
        user,
        policy,
        entitlement_id=entitlement.id,
        entity_code=_entity_code(found, entitlement, values),
        year=year,
        level=level,
        figures=given,
        claimed_fen=yuan_to_fen(claimed, ("申请金额", "Amount claimed")) if claimed else None,
        note=(values.get("note") or "").strip()[:2000] or None,
    )


@router.post("/awards/new")
def create_award(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    fields: FormFields,
    user: Principal = require(Permission.apply),
) -> Response:
    """Creates the draft, attaches the files, and submits it if asked: one transaction, all or nothing."""
    values, files = fields
    found = payees(db, policy, user.scope)
    entitlement = _chosen(found, values.get("entitlement"))
    if len(files) > MAX_FILES:
        message = (f"一次最多上传{MAX_FILES}个附件。", f"At most {MAX_FILES} attachments at a time.")
        return _form(
            request, db, policy, lang, found, entitlement, values, message[0] if lang is Lang.zh else message[1]
        )
    try:
        draft = _draft(db, policy, user, found, entitlement, values)
    except Refused as refused:
        # Nothing is written before these checks pass (create refuses before it adds a row): show the form again.
        error = refused.zh if lang is Lang.zh else refused.en
        return _form(request, db, policy, lang, found, entitlement, values, error)
    # From here a refusal (a bad file, a submission not allowed) rolls the whole request back, draft included.
    for name, data in files:
        attachments.add(db, user, draft.id, name, data)
    done = "created"
    if values.get("action") == "submit":
        applications.submit(db, user, policy, draft.id)
        done = "submitted"
    return RedirectResponse(f"/awards/{draft.id}?done={done}", status_code=303)
