"""A consulted unit's pages: the rounds sent to its unit, the version sent (read-only), its reply — items on
articles of that version, or "no comments" — until the deadline, and what it has submitted. A round not sent
to the unit is not found (404); after the deadline the form is gone and a submission is refused (409)."""

from __future__ import annotations

import itertools
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from zhijiao.authz import Permission, Principal
from zhijiao.drafting import consultation, queries, versions
from zhijiao.drafting.models import Unit
from zhijiao.http.deps import Db, require
from zhijiao.web.pages.drafting_common import NO_NUL, Id, back, base
from zhijiao.web.pages.drafting_rounds import comments_of
from zhijiao.web.templating import render

router = APIRouter()


def _unit(db: Db, user: Principal) -> Unit | None:
    return db.get(Unit, user.scope.unit_id) if user.scope.unit_id is not None else None


@router.get("/consultations")
def rounds(request: Request, db: Db, user: Principal = require(Permission.submit_feedback)) -> Response:
    unit = _unit(db, user)
    found = queries.rounds_for_unit(db, unit.id) if unit else []
    plans = {r.consultation.plan_id: versions.plan(db, r.consultation.plan_id) for r in found}
    replies = {
        r.consultation.id: queries.round_for_unit(db, unit.id if unit else None, r.consultation.id)[1] for r in found
    }
    context = base(request, user) | {
        "unit": unit,
        "rounds": found,
        "plans": plans,
        "my_replies": replies,
        "today": versions.wenzhou_today(),
    }
    return render(request, "drafting/consultations.html", context)


@router.get("/consultations/{round_id}")
def round_for_unit(
    request: Request, db: Db, round_id: Id, user: Principal = require(Permission.submit_feedback)
) -> Response:
    found, mine = queries.round_for_unit(db, user.scope.unit_id, round_id)
    plan = versions.plan(db, found.plan_id)
    articles = versions.articles(db, found.version_id)
    today = versions.wenzhou_today()
    context = base(request, user) | {
        "unit": _unit(db, user),
        "plan": plan,
        "c": found,
        "mine": mine,
        "version": versions.version(db, found.version_id),
        "articles": articles,
        "parts": [(part, list(group)) for part, group in itertools.groupby(articles, key=lambda a: a.part_title)],
        "items": queries.items(db, plan_id=plan.id, round_id=round_id, unit_id=user.scope.unit_id),
        "open": not plan.historical and (found.deadline is None or today <= found.deadline),
        "today": today,
        "rows": range(5),
    }
    return render(request, "drafting/consultation.html", context)


@router.post("/consultations/{round_id}/reply")
def reply(
    db: Db,
    round_id: Id,
    article: Annotated[list[str], Form(max_length=20)] = [],  # noqa: B006 -- FastAPI copies defaults
    text: Annotated[list[str], Form(max_length=20)] = [],  # noqa: B006
    no_comments: Annotated[str, Form(max_length=5, pattern=NO_NUL)] = "",
    user: Principal = require(Permission.submit_feedback),
) -> Response:
    queries.round_for_unit(db, user.scope.unit_id, round_id)  # a round not sent to the unit: not found
    comments = [] if no_comments else comments_of(article, text)
    consultation.submit_reply(db, user, round_id, comments, no_comments=bool(no_comments))
    return back(f"/consultations/{round_id}", "no_comments" if no_comments else "submitted", "mine")
