"""The awards pages: each user's applications and proactive awards within its scope (a school its own, a
county officer its county's queue, the city what it approves, finance what it releases), one award with
its decision and history, and the city's proactive run."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from zhijiao.authz import Permission, Principal, allows
from zhijiao.engine.explain_text import option_text
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import applications, attachments, batch_queries, figures, labels, next_steps, proactive
from zhijiao.fulfilment.batch_queries import payer_key
from zhijiao.fulfilment.entities import payee_of, payer_of
from zhijiao.fulfilment.queries import (
    WAITING_FOR,
    AwardFilter,
    application_notices,
    award_years,
    awards,
    counties,
    notices,
    visible_application,
)
from zhijiao.fulfilment.states import Status
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.http.errors import NotFound
from zhijiao.http.params import (
    PAGE_DIGITS,
    QueryString,
    done_message,
    download,
    one_of,
    page_of,
    signed_in,
    whole_number,
    year_of,
)
from zhijiao.registry.queries import years_with_data
from zhijiao.simulation.cost_view import plan_years_with_data
from zhijiao.web.pages import fulfilment_view as view
from zhijiao.web.templating import render

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=2**62)]

CSS = "/static/css/fulfilment.css"


def N_(message: str) -> str:  # noqa: N802 -- gettext's conventional marker: extracted, translated in the template
    return message


# What a form's redirect confirms (``?done=``): each a message id.
DONE = {
    "created": N_("申报草稿已保存。"),
    "submitted": N_("申报已提交，等待县级审核。"),
    "submit": N_("申报已提交，等待县级审核。"),
    "withdraw": N_("申报已撤回。"),
    "attach": N_("附件已上传。"),
    "return_for_information": N_("已退回申报单位补充材料。"),
    "county_approve": N_("已审核通过，核定金额已固定，等待市级审批。"),
    "return_to_county": N_("已退回县级重新审核。"),
    "county_reject": N_("已作不予通过处理。"),
    "city_approve": N_("已审批通过，金额及计算依据已固定。"),
    "city_reject": N_("已作不予通过处理。"),
}


def _awards_filter(user: Principal, db: Db, policy: Policy, request: Request) -> tuple[AwardFilter, dict[str, object]]:
    params = request.query_params
    view_name = params.get("view") or (
        "todo"
        if user.role in WAITING_FOR and user.scope.school_id is None and user.scope.enterprise_id is None
        else "all"
    )
    names = counties(db)
    chosen = AwardFilter(
        status=one_of(params.get("status"), [s.value for s in Status], ("状态", "Status")),
        year=year_of(params.get("year")),
        article=one_of(params.get("article"), labels.article_labels(policy), ("条款", "Article")),
        county=one_of(params.get("county"), names, ("县（市、区）", "County")) if user.scope.citywide else None,
        q=(params.get("q") or "").strip()[:100],
        todo=view_name == "todo" and user.role in WAITING_FOR,
        page=page_of(params.get("page")),
    )
    shown: dict[str, object] = {
        "view": "todo" if chosen.todo else "all",
        "status": chosen.status,
        "year": chosen.year,
        "article": chosen.article,
        "county": chosen.county,
        "q": chosen.q,
    }
    return chosen, shown


@router.get("/awards")
def award_list(
    request: Request, db: Db, policy: PolicyDep, user: Principal = require(Permission.view_awards)
) -> Response:
    """Every signed-in user's awards, within its scope; officials start at what waits for them. The filters
    (status, year, article, county, q, view, page) come from the query string, a blank one meaning none."""
    me = signed_in(user)
    chosen, shown = _awards_filter(me, db, policy, request)
    found = awards(db, me.role, me.scope, chosen)
    context = {
        "css": CSS,
        "found": found,
        "chosen": chosen,
        "query": QueryString(shown),
        "shown": shown,
        "has_todo": me.role in WAITING_FOR,
        "statuses": Status.label_table(),
        "years": sorted(set(award_years(db, me.scope)) | set(years_with_data(db)), reverse=True),
        "articles": labels.article_labels(policy),
        "counties": counties(db) if me.scope.citywide else {},
        "origins": labels.ORIGINS,
        "levels": labels.level_labels(policy),
        "notices": notices(db, me.scope),
        "entitlements": {k: v.label for k, v in policy.entitlements_by_id.items()},
        "may_apply": allows(me.role, Permission.apply),
        "may_run_proactive": allows(me.role, Permission.approve),
        "may_batch": allows(me.role, Permission.view_ledger),
        "proactive_years": plan_years_with_data(db, policy),
        "done": done_message(request),
        "ran": _ran(request),
    }
    return render(request, "fulfilment/awards.html", context)


def _ran(request: Request) -> dict[str, int] | None:
    """The counts of a proactive run, carried by its redirect."""
    params = request.query_params
    keys = ("ran_year", "found", "created", "skipped")
    counts = {k: whole_number(params.get(k), PAGE_DIGITS) for k in keys}
    return None if None in counts.values() else {k: v or 0 for k, v in counts.items()}


@router.post("/awards/proactive")
def run_proactive(
    db: Db,
    policy: PolicyDep,
    year: Annotated[int, Form(ge=2000, le=2100)],
    user: Principal = require(Permission.approve),
) -> Response:
    """免申即享: every entitlement the registry shows for the year, needing no application, becomes an award."""
    available = years_with_data(db)
    if year not in available:
        raise NotFound("该年度没有登记数据。", "The registry holds no data for that year.")
    result = proactive.run(db, user, policy, year)
    target = (
        f"/awards?view=all&year={year}&ran_year={year}&found={result.found}"
        f"&created={len(result.created)}&skipped={result.skipped}"
    )
    return RedirectResponse(target, status_code=303)


@router.get("/awards/{application_id}")
def award(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    application_id: Id,
    user: Principal = require(Permission.view_awards),
) -> Response:
    """One award: its figures, attachments, decision with its steps, history, payments, and what may be done."""
    me = signed_in(user)
    application = visible_application(db, me, application_id)
    entitlement = policy.entitlements_by_id[application.entitlement]
    payee = payee_of(db, application.school_id, application.enterprise_id, application.platform_id)
    payer, payer_county = payer_of(policy, payee, entitlement)
    decision = applications.latest_decision(db, application.id)
    declared = {v.name: v for v in figures.figure_variables(policy, entitlement)}
    deciding = allows(me.role, Permission.review) or allows(me.role, Permission.approve)
    found = view.assessment(db, policy, application, lang) if deciding else None
    context = {
        "css": CSS,
        "a": application,
        "entitlement": entitlement,
        "payee": payee,
        "county": counties(db).get(application.county_code, application.county_code),
        "status_labels": Status.label_table(),
        "origins": labels.ORIGINS,
        "levels": labels.level_labels(policy),
        "entity_kinds": labels.ENTITY_KINDS,
        "ledger_kinds": labels.LEDGER_KINDS,
        "payers": labels.PAYERS,
        "actions": labels.ACTIONS,
        "details": labels.HISTORY_DETAILS,
        "figures": [(declared.get(k), k, v) for k, v in (application.figures or {}).items()],
        "attachments": attachments.of(db, me, application.id),
        "decision": decision,
        "assessment": found,
        "steps": view.decision_steps(policy, entitlement, decision, lang) if decision else (),
        "inputs": view.decision_inputs(policy, entitlement, decision, lang) if decision else [],
        "decision_options": [option_text(policy, k, v, lang.value) for k, v in (decision.options or {}).items()]
        if decision
        else [],
        "history": next_steps.history(db, application),
        "payments": batch_queries.application_payments(db, application.id),
        "notices": application_notices(db, application.id),
        "may": next_steps.available_actions(me, application),
        "payer_key": payer_key(payer, payer_county),
        "done": DONE.get(done_message(request) or ""),
    }
    return render(request, "fulfilment/award.html", context)


@router.get("/awards/{application_id}/attachments/{attachment_id}")
def attachment(
    db: Db, application_id: Id, attachment_id: Id, user: Principal = require(Permission.view_awards)
) -> Response:
    me = signed_in(user)
    visible_application(db, me, application_id)
    found = next((a for a in attachments.of(db, me, application_id) if a.id == attachment_id), None)
    if found is None:
        raise NotFound("未找到该附件。", "No such attachment.")
    return download(found.data, found.content_type, found.filename)
