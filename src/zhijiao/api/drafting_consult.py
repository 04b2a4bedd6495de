"""A consulted unit's own endpoints: the rounds sent to its unit, one round with the version sent and the
unit's items, and its reply — items on articles of that version, or "no comments" — until the deadline
(409 after it). A round not sent to the unit is not found (404)."""

from __future__ import annotations

from fastapi import APIRouter

from zhijiao.api import drafting_out
from zhijiao.api.drafting_schemas import ConsultationOut, ItemOut, PathId, RoundOut, UnitReplyIn
from zhijiao.api.json_body import JsonRoute
from zhijiao.api.responses import SIGNED_IN, problem_responses
from zhijiao.authz import Permission, Principal
from zhijiao.drafting import consultation, queries, versions
from zhijiao.http.deps import Db, require

router = APIRouter(prefix="/drafting/consultations", tags=["drafting"], route_class=JsonRoute)


@router.get("", response_model=list[RoundOut], responses=SIGNED_IN, summary="The rounds sent to my unit")
def my_rounds(db: Db, user: Principal = require(Permission.submit_feedback)) -> list[RoundOut]:
    if user.scope.unit_id is None:
        return []
    return [drafting_out.round_out(r) for r in queries.rounds_for_unit(db, user.scope.unit_id)]


def _consultation(db: Db, user: Principal, round_id: int) -> ConsultationOut:
    found, mine = queries.round_for_unit(db, user.scope.unit_id, round_id)
    plan = versions.plan(db, found.plan_id)
    today = versions.wenzhou_today()
    return ConsultationOut(
        round=drafting_out.round_out(queries.round_summary(db, round_id)),
        plan_title=plan.title,
        reply=mine.reply,
        open=not plan.historical and (found.deadline is None or today <= found.deadline),
        articles=[drafting_out.article(a) for a in versions.articles(db, found.version_id)],
        items=[
            drafting_out.item(v)
            for v in queries.items(db, plan_id=plan.id, round_id=round_id, unit_id=user.scope.unit_id)
        ],
    )


@router.get("/{round_id}", response_model=ConsultationOut, responses=SIGNED_IN,
            summary="A round sent to my unit: the version sent, my reply and my items")  # fmt: skip
def my_round(db: Db, round_id: PathId, user: Principal = require(Permission.submit_feedback)) -> ConsultationOut:
    return _consultation(db, user, round_id)


@router.post("/{round_id}/items", response_model=list[ItemOut], status_code=201,
             responses=problem_responses(400, 401, 403, 404, 409, 422),
             summary="Send my unit's items (or no comments) until the deadline")  # fmt: skip
def reply(
    db: Db, round_id: PathId, body: UnitReplyIn, user: Principal = require(Permission.submit_feedback)
) -> list[ItemOut]:
    queries.round_for_unit(db, user.scope.unit_id, round_id)
    comments = [consultation.Comment(c.article_number, c.text) for c in body.items]
    created = consultation.submit_reply(db, user, round_id, comments, no_comments=body.no_comments)
    return [drafting_out.item(queries.item_view(db, found.id)) for found in created]
