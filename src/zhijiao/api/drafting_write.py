"""Changes through the drafting API, each by the one service function the page calls: plans and versions,
articles (edit, insert, remove, merge), meetings, units, sending a round (the version is frozen from then
on), replies recorded by the drafting staff, and dispositions — proposed by drafting staff (one, or many from
a template), confirmed by a city administrator who did not propose them."""

from __future__ import annotations

from fastapi import APIRouter, Response

from zhijiao.api import drafting_out
from zhijiao.api.drafting_schemas import (
    ArticleEditIn,
    ArticleInsertIn,
    ArticleOut,
    BulkProposeIn,
    ItemOut,
    MeetingIn,
    MeetingOut,
    MergeIn,
    NewVersionIn,
    PathId,
    PathKey,
    PlanIn,
    ProposeIn,
    ReplyIn,
    RoundDetailOut,
    RoundIn,
    UnitIn,
    UnitOut,
    VersionOut,
)
from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import problem_responses
from zhijiao.authz import Permission, Principal
from zhijiao.drafting import consultation, dispositions, meetings, queries, versions
from zhijiao.drafting.stages import Disposition, Stage, UnitKind
from zhijiao.http.deps import Db, require

router = APIRouter(prefix="/drafting", tags=["drafting"], route_class=JsonRoute)
WRITING = problem_responses(400, 401, 403, 404, 409, 422)


def _version(db: Db, version_id: int) -> VersionOut:
    return drafting_out.version(db, versions.version(db, version_id))


@router.post("/plans", response_model=VersionOut, status_code=201, responses=WRITING,
             summary="A new plan under drafting, with its first version")  # fmt: skip
def create_plan(db: Db, body: PlanIn, user: Principal = require(Permission.edit_drafts)) -> VersionOut:
    plan = versions.create_plan(db, user, code=body.code, title=body.title.strip(), period=body.period.strip())
    texts = [versions.ArticleText(a.part_number, a.part_title, a.title, a.text) for a in body.articles]
    first = versions.first_version(db, user, plan, Stage(body.stage), texts, dated=body.dated)
    return _version(db, first.id)


@router.post("/plans/{plan_id}/meetings", response_model=MeetingOut, status_code=201, responses=WRITING,
             summary="Record a meeting or a revision round")  # fmt: skip
def record_meeting(
    db: Db, plan_id: PathId, body: MeetingIn, user: Principal = require(Permission.edit_drafts)
) -> MeetingOut:
    found = meetings.record_meeting(db, user, plan_id, meetings.MeetingKind(body.kind), held_on=body.held_on,
                                    chair=body.chair, participants=body.participants,
                                    produced_version_id=body.produced_version_id, note=body.note)  # fmt: skip
    return drafting_out.meeting(found)


@router.post("/versions/{version_id}/versions", response_model=VersionOut, status_code=201, responses=WRITING,
             summary="A new version starting from this one")  # fmt: skip
def new_version(
    db: Db, version_id: PathId, body: NewVersionIn, user: Principal = require(Permission.edit_drafts)
) -> VersionOut:
    created = versions.new_version(db, user, version_id, Stage(body.stage), dated=body.dated, note=body.note)
    return _version(db, created.id)


@router.post("/versions/{version_id}/articles", response_model=ArticleOut, status_code=201, responses=WRITING,
             summary="Insert an article (those after it move down)")  # fmt: skip
def insert_article(
    db: Db, version_id: PathId, body: ArticleInsertIn, user: Principal = require(Permission.edit_drafts)
) -> ArticleOut:
    item = versions.ArticleText(body.part_number, body.part_title, body.title, body.text)
    return drafting_out.article(
        versions.insert_article(db, user, version_id, after_number=body.after_number, item=item)
    )


@router.put("/versions/{version_id}/articles/{key}", response_model=ArticleOut, responses=WRITING,
            summary="Change an article's title and text")  # fmt: skip
def edit_article(
    db: Db, version_id: PathId, key: PathKey, body: ArticleEditIn, user: Principal = require(Permission.edit_drafts)
) -> ArticleOut:
    return drafting_out.article(versions.edit_article(db, user, version_id, key, title=body.title, text=body.text))


@router.delete("/versions/{version_id}/articles/{key}", status_code=204, responses=WRITING,
               summary="Remove an article (those after it move up)")  # fmt: skip
def remove_article(
    db: Db, version_id: PathId, key: PathKey, user: Principal = require(Permission.edit_drafts)
) -> Response:
    versions.remove_article(db, user, version_id, key)
    return Response(status_code=204)


@router.post("/versions/{version_id}/merge", response_model=ArticleOut, responses=WRITING,
             summary="Merge one article into another (feedback on either follows)")  # fmt: skip
def merge(db: Db, version_id: PathId, body: MergeIn, user: Principal = require(Permission.edit_drafts)) -> ArticleOut:
    return drafting_out.article(versions.merge_articles(db, user, version_id, body.keep, body.absorb, text=body.text))


@router.post("/versions/{version_id}/publish", response_model=VersionOut, responses=WRITING,
             summary="Settle a draft for approval or the issued text (city administrator)")  # fmt: skip
def publish(db: Db, version_id: PathId, user: Principal = require(Permission.confirm_disposition)) -> VersionOut:
    versions.publish(db, user, version_id)
    return _version(db, version_id)


@router.post("/units", response_model=UnitOut, status_code=201, responses=WRITING, summary="Add a unit")
def add_unit(db: Db, body: UnitIn, user: Principal = require(Permission.edit_drafts)) -> UnitOut:
    return drafting_out.unit(consultation.add_unit(db, user, body.name, UnitKind(body.kind)))


@router.post("/versions/{version_id}/rounds", response_model=RoundDetailOut, status_code=201, responses=WRITING,
             summary="Send this version to units with a deadline (the version is frozen)")  # fmt: skip
def send_round(
    db: Db, version_id: PathId, body: RoundIn, user: Principal = require(Permission.edit_drafts)
) -> RoundDetailOut:
    sent = consultation.send_round(db, user, version_id, body.unit_ids, sent_on=body.sent_on, deadline=body.deadline,
                                   in_name_of=(body.in_name_of or "").strip() or None)  # fmt: skip
    summary = queries.round_summary(db, sent.id)
    return RoundDetailOut(**drafting_out.round_out(summary).model_dump(),
                          replies=[drafting_out.reply(s) for s in consultation.replies(db, sent.id)])  # fmt: skip


@router.post("/rounds/{round_id}/replies", response_model=list[ItemOut], status_code=201, responses=WRITING,
             summary="Record a unit's reply that came on paper or by mail (a late one shows as late)")  # fmt: skip
def record_reply(
    db: Db, round_id: PathId, body: ReplyIn, user: Principal = require(Permission.edit_drafts)
) -> list[ItemOut]:
    comments = [consultation.Comment(c.article_number, c.text) for c in body.items]
    created = consultation.record_reply(db, user, round_id, body.unit_id, comments, no_comments=body.no_comments)
    return [drafting_out.item(queries.item_view(db, found.id)) for found in created]


@router.post("/items/{item_id}/disposition", response_model=ItemOut, responses=WRITING,
             summary="Propose a disposition with its reason (drafting staff)")  # fmt: skip
def propose(
    db: Db, item_id: PathId, body: ProposeIn, user: Principal = require(Permission.propose_disposition)
) -> ItemOut:
    dispositions.propose(db, user, item_id, Disposition(body.disposition), body.reason, change=body.change)
    return drafting_out.item(queries.item_view(db, item_id))


@router.post("/items/dispositions", response_model=list[ItemOut], responses=WRITING,
             summary="Propose one template's disposition for many items")  # fmt: skip
def propose_many(
    db: Db, body: BulkProposeIn, user: Principal = require(Permission.propose_disposition)
) -> list[ItemOut]:
    dispositions.propose_from_template(db, user, list(dict.fromkeys(body.item_ids)), body.template)
    return [drafting_out.item(queries.item_view(db, item_id)) for item_id in dict.fromkeys(body.item_ids)]


@router.post("/items/{item_id}/confirm", response_model=ItemOut, responses=WRITING,
             summary="Confirm a proposed disposition (a city administrator who did not propose it)")  # fmt: skip
def confirm(db: Db, item_id: PathId, user: Principal = require(Permission.confirm_disposition)) -> ItemOut:
    dispositions.confirm(db, user, item_id)
    return drafting_out.item(queries.item_view(db, item_id))
