"""A consulted unit's pages: the rounds sent to its unit that it may still answer (its inbox) and, apart, its past
rounds (往期征求意见: closed, or of a historical record), the version sent (read-only), its reply — items on
articles of that version, or "no comments" — until the deadline, and what it has submitted. A round not sent
to the unit is not found (404); after the deadline the form is gone and a submission is refused (409)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from zhijiao.authz import Permission, Principal
from zhijiao.drafting import consultation, costs, queries, versions
from zhijiao.drafting.models import ConsultationRound, DraftPlan, Unit
from zhijiao.http.deps import Db, PolicyDep, require
from zhijiao.web.pages.drafting_common import NO_NUL, Id, back, base
from zhijiao.web.pages.drafting_rounds import comments_of
from zhijiao.web.templating import render

router = APIRouter()


def _unit(db: Db, user: Principal) -> Unit | None:
    return db.get(Unit, user.scope.unit_id) if user.scope.unit_id is not None else None


def _is_open(plan: DraftPlan, found: ConsultationRound, today: dt.date) -> bool:
    """A round the unit may still answer: of a plan being drafted (not a historical record), before its deadline."""
    return not plan.historical and (found.deadline is None or today <= found.deadline)


def _rounds_page(request: Request, db: Db, user: Principal, *, past: bool) -> Response:
    """The unit's inbox (the rounds it may still answer) or its past rounds (closed, or of a historical record):
    the same table, read-only for the past."""
    unit = _unit(db, user)
    today = versions.wenzhou_today()
    found = queries.rounds_for_unit(db, unit.id) if unit else []
    plans = {r.consultation.plan_id: versions.plan(db, r.consultation.plan_id) for r in found}
    is_open = {r.consultation.id: _is_open(plans[r.consultation.plan_id], r.consultation, today) for r in found}
    shown = [r for r in found if is_open[r.consultation.id] != past]
    replies = {
        r.consultation.id: queries.round_for_unit(db, unit.id if unit else None, r.consultation.id)[1] for r in shown
    }
    context = base(request, user) | {
        "unit": unit,
        "rounds": shown,
        "past": past,
        "others": len(found) - len(shown),  # the rounds of the other list, for its link
        "plans": plans,
        "my_replies": replies,
        "today": today,
    }
    return render(request, "drafting/consultations.html", context)


@router.get("/consultations")
def rounds(request: Request, db: Db, user: Principal = require(Permission.submit_feedback)) -> Response:
    return _rounds_page(request, db, user, past=False)


@router.get("/consultations/past")
def past_rounds(request: Request, db: Db, user: Principal = require(Permission.submit_feedback)) -> Response:
    return _rounds_page(request, db, user, past=True)


@router.get("/consultations/{round_id}")
def round_for_unit(
    request: Request, db: Db, policy: PolicyDep, round_id: Id, user: Principal = require(Permission.submit_feedback)
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
        # What the version the unit is asked about costs against the plan in force (not for a past record).
        "round_cost": None if plan.historical else costs.version_cost(db, policy, found.version_id, effects=False),
        "open": _is_open(plan, found, today),
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
