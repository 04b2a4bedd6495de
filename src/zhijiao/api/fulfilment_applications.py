"""Applications and proactive awards: list and read within the caller's scope, create, attach documents,
and each step of the life of an application as ``POST /api/v1/applications/{id}/{transition}``, one
service function each. Refusals are problem documents: 403 role or two-person rule, 404 outside the
scope, 409 wrong state or a second claim, 422 bad input."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import Response

from zhijiao.api.fulfilment_out import application_detail, application_out
from zhijiao.api.fulfilment_schemas import (
    ApplicationDetail,
    ApplicationIn,
    ApplicationList,
    ApproveIn,
    AttachmentOut,
    Id,
    NoticeOut,
    ProactiveIn,
    ProactiveOut,
    ReasonIn,
    ReviewIn,
)
from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import SIGNED_IN, problem_responses
from zhijiao.authz import Permission, Principal
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import applications, attachments, proactive, queries
from zhijiao.fulfilment.figures import check_level
from zhijiao.fulfilment.queries import visible_application
from zhijiao.fulfilment.states import Status
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.http.errors import NotFound
from zhijiao.http.params import download, signed_in
from zhijiao.refusals import Invalid
from zhijiao.registry.queries import years_with_data
from zhijiao.simulation.cost_view import plan_years_with_data

router = APIRouter(tags=["fulfilment"], route_class=JsonRoute)
ACTS = SIGNED_IN | problem_responses(409)
Article = Annotated[str | None, Query(pattern=r"^art\d{2}$")]


def check_year(db: Db, policy: Policy, year: int, allowed: list[int] | None = None) -> None:
    """Awards are computed from a year of the registry: one it holds no data for is refused, naming the choices."""
    choices = plan_years_with_data(db, policy) if allowed is None else allowed
    if year not in choices:
        listed = ", ".join(str(y) for y in choices)
        raise Invalid(f"年度 {year} 不可选（可选：{listed}）。", f"Year {year} is not one of {listed}.")


def _detail(db: Db, policy: Policy, user: Principal, application_id: int, lang: LangDep) -> ApplicationDetail:
    return application_detail(db, policy, user, visible_application(db, user, application_id), lang)


@router.get(
    "/applications",
    response_model=ApplicationList,
    responses=SIGNED_IN,
    summary="Applications and proactive awards within the caller's scope, newest first",
)
def list_applications(
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    status: Status | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    article: Article = None,
    county: Annotated[str | None, Query(max_length=6, description="县（市、区）代码 / county code")] = None,
    q: Annotated[str, Query(max_length=100, description="编号或单位 / number, or the entity's name or code")] = "",
    todo: Annotated[bool, Query(description="仅待本角色办理的 / only what the caller's role acts on")] = False,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = queries.PER_PAGE,
    user: Principal = require(Permission.view_awards),
) -> ApplicationList:
    me = signed_in(user)
    chosen = queries.AwardFilter(
        status=status.value if status else None,
        year=year,
        article=article,
        county=county,
        q=q.strip(),
        todo=todo,
        page=page,
    )
    found = queries.awards(db, me.role, me.scope, chosen, per_page)
    items = [application_out(policy, row, lang) for row in found.rows]
    return ApplicationList(total=found.total, page=found.page, pages=found.pages, items=items)


@router.get(
    "/applications/{application_id}",
    response_model=ApplicationDetail,
    responses=SIGNED_IN,
    summary="One application: figures, attachments, frozen decision, history, payments, allowed steps",
)
def get_application(
    db: Db, policy: PolicyDep, lang: LangDep, application_id: Id, user: Principal = require(Permission.view_awards)
) -> ApplicationDetail:
    return _detail(db, policy, signed_in(user), application_id, lang)


@router.post(
    "/applications",
    response_model=ApplicationDetail,
    status_code=201,
    responses=ACTS,
    summary="Apply (school or enterprise user, for its own entity): a draft, or submitted at once",
)
def create_application(
    body: ApplicationIn, db: Db, policy: PolicyDep, lang: LangDep, user: Principal = require(Permission.apply)
) -> ApplicationDetail:
    check_year(db, policy, body.year)
    entitlement = policy.entitlements_by_id.get(body.entitlement)  # an unknown one is refused by create, naming it
    if entitlement is not None and entitlement.one_time:
        check_level(policy, entitlement, body.level)
    draft = applications.create(
        db,
        user,
        policy,
        entitlement_id=body.entitlement,
        entity_code=body.entity_code,
        year=body.year,
        level=body.level,
        figures=body.figures,
        claimed_fen=body.claimed_fen,
        note=body.note,
    )
    if body.submit:
        applications.submit(db, user, policy, draft.id)
    return application_detail(db, policy, user, draft, lang)


@router.post(
    "/applications/{application_id}/attachments",
    response_model=AttachmentOut,
    status_code=201,
    responses=ACTS | problem_responses(413),
    summary="Attach a supporting document (pdf, png, jpg, xlsx, docx; 10 MB)",
)
def add_attachment(
    db: Db,
    application_id: Id,
    file: Annotated[UploadFile, File(description="证明材料 / the document")],
    user: Principal = require(Permission.apply),
) -> AttachmentOut:
    added = attachments.add(db, user, application_id, file.filename or "", file.file.read(attachments.MAX_BYTES + 1))
    return AttachmentOut(
        id=added.id,
        filename=added.filename,
        content_type=added.content_type,
        size=added.size,
        sha256=added.sha256,
        uploaded_at=added.uploaded_at,
        url=f"/api/v1/applications/{application_id}/attachments/{added.id}",
    )


@router.get(
    "/applications/{application_id}/attachments/{attachment_id}",
    responses=SIGNED_IN,
    response_class=Response,
    summary="Download an attachment",
)
def get_attachment(
    db: Db, application_id: Id, attachment_id: Id, user: Principal = require(Permission.view_awards)
) -> Response:
    me = signed_in(user)
    visible_application(db, me, application_id)
    found = next((a for a in attachments.of(db, me, application_id) if a.id == attachment_id), None)
    if found is None:
        raise NotFound("未找到该附件。", "No such attachment.")
    return download(found.data, found.content_type, found.filename)


@router.post(
    "/applications/{application_id}/submit",
    response_model=ApplicationDetail,
    responses=ACTS,
    summary="Submit a draft (or a returned application) for county review",
)
def submit(
    db: Db, policy: PolicyDep, lang: LangDep, application_id: Id, user: Principal = require(Permission.apply)
) -> ApplicationDetail:
    return application_detail(db, policy, user, applications.submit(db, user, policy, application_id), lang)


@router.post(
    "/applications/{application_id}/withdraw",
    response_model=ApplicationDetail,
    responses=ACTS,
    summary="Withdraw an application before its review",
)
def withdraw(
    db: Db, policy: PolicyDep, lang: LangDep, application_id: Id, user: Principal = require(Permission.apply)
) -> ApplicationDetail:
    return application_detail(db, policy, user, applications.withdraw(db, user, policy, application_id), lang)


@router.post(
    "/applications/{application_id}/return_for_information",
    response_model=ApplicationDetail,
    responses=ACTS,
    summary="County: return for more information, with the reason",
)
def return_for_information(
    body: ReasonIn,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    application_id: Id,
    user: Principal = require(Permission.review),
) -> ApplicationDetail:
    done = applications.return_for_information(db, user, policy, application_id, body.reason)
    return application_detail(db, policy, user, done, lang)


@router.post(
    "/applications/{application_id}/county_approve",
    response_model=ApplicationDetail,
    responses=ACTS,
    summary="County: reviewed with the amount in sight, the figures that stand chosen, frozen for the city",
)
def county_approve(
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    application_id: Id,
    body: ReviewIn | None = None,
    user: Principal = require(Permission.review),
) -> ApplicationDetail:
    given = body or ReviewIn()
    applications.county_approve(
        db, user, policy, application_id, given.note, basis=given.figures_basis, shown_fen=given.shown_amount_fen
    )
    return _detail(db, policy, user, application_id, lang)


@router.post(
    "/applications/{application_id}/county_reject",
    response_model=ApplicationDetail,
    responses=ACTS,
    summary="County: rejected, with the reason",
)
def county_reject(
    body: ReasonIn,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    application_id: Id,
    user: Principal = require(Permission.review),
) -> ApplicationDetail:
    done = applications.county_reject(db, user, policy, application_id, body.reason)
    return application_detail(db, policy, user, done, lang)


@router.post(
    "/applications/{application_id}/city_approve",
    response_model=ApplicationDetail,
    responses=ACTS,
    summary="City: approved at exactly the amount the county's review froze (refused if the data moved since)",
)
def city_approve(
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    application_id: Id,
    body: ApproveIn | None = None,
    user: Principal = require(Permission.approve),
) -> ApplicationDetail:
    applications.city_approve(db, user, policy, application_id, shown_fen=body.shown_amount_fen if body else None)
    return _detail(db, policy, user, application_id, lang)


@router.post(
    "/applications/{application_id}/city_reject",
    response_model=ApplicationDetail,
    responses=ACTS,
    summary="City: rejected, with the reason",
)
def city_reject(
    body: ReasonIn,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    application_id: Id,
    user: Principal = require(Permission.approve),
) -> ApplicationDetail:
    done = applications.city_reject(db, user, policy, application_id, body.reason)
    return application_detail(db, policy, user, done, lang)


@router.post(
    "/proactive",
    response_model=ProactiveOut,
    responses=SIGNED_IN,
    summary="免申即享: pending awards for every entitlement of the year needing no application (idempotent)",
)
def run_proactive(
    body: ProactiveIn, db: Db, policy: PolicyDep, user: Principal = require(Permission.approve)
) -> ProactiveOut:
    check_year(db, policy, body.year, years_with_data(db))
    result = proactive.run(db, user, policy, body.year)
    return ProactiveOut(year=result.year, found=result.found, created=result.created, skipped=result.skipped)


@router.get(
    "/notices",
    response_model=list[NoticeOut],
    responses=SIGNED_IN,
    summary="What the caller's school or enterprise was told (proactive awards), newest first",
)
def notices(db: Db, lang: LangDep, user: Principal = require(Permission.view_awards)) -> list[NoticeOut]:
    me = signed_in(user)
    return [
        NoticeOut(
            id=n.id,
            application_id=n.application_id,
            created_at=n.created_at,
            message=n.message_zh if lang.value == "zh" else n.message_en,
        )
        for n in queries.notices(db, me.scope)
    ]
