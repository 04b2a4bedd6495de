"""Consultation rounds: the unit directory, sending a version to units with a deadline, a round's page — who
replied, who is late or silent, every item with its article then and now — replies recorded by the drafting
staff, and dispositions: proposed one by one or in bulk from a template, confirmed by a city administrator
who did not propose them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from zhijiao.authz import Permission, Principal
from zhijiao.drafting import consultation, costs, dispositions, queries, versions
from zhijiao.drafting.dispositions import TEMPLATES
from zhijiao.drafting.errors import Invalid
from zhijiao.drafting.stages import Disposition, UnitKind
from zhijiao.http.deps import Db, LangDep, require
from zhijiao.language import Lang
from zhijiao.web.pages.drafting_common import NO_NUL, Id, back, base, form_choice, form_date, ids
from zhijiao.web.pages.drafting_costs import policy_of
from zhijiao.web.templating import render

router = APIRouter()
MAX_ROWS = 20  # comment rows of one form


@router.get("/drafting/units")
def units_page(request: Request, db: Db, user: Principal = require(Permission.view_drafts)) -> Response:
    return render(request, "drafting/units.html", base(request, user) | {"units": queries.units(db)})


@router.post("/drafting/units")
def add_unit(
    db: Db,
    name: Annotated[str, Form(max_length=100, pattern=NO_NUL)],
    kind: Annotated[str, Form(max_length=30, pattern=NO_NUL)],
    user: Principal = require(Permission.edit_drafts),
) -> Response:
    consultation.add_unit(db, user, name, form_choice(kind, UnitKind, ("单位类型", "Unit type")))
    return back("/drafting/units", "unit")


@router.post("/drafting/versions/{version_id}/send")
def send(
    db: Db,
    version_id: Id,
    unit: Annotated[list[str], Form(max_length=2_000)] = [],  # noqa: B006 -- FastAPI copies defaults
    sent_on: Annotated[str, Form(max_length=10, pattern=NO_NUL)] = "",
    deadline: Annotated[str, Form(max_length=10, pattern=NO_NUL)] = "",
    in_name_of: Annotated[str, Form(max_length=100, pattern=NO_NUL)] = "",
    user: Principal = require(Permission.edit_drafts),
) -> Response:
    sent = consultation.send_round(
        db,
        user,
        version_id,
        ids(unit),
        sent_on=form_date(sent_on, ("发出日期", "sending date"), required=True),
        deadline=form_date(deadline, ("反馈截止日期", "deadline"), required=True),
        in_name_of=in_name_of.strip() or None,
    )
    return back(f"/drafting/rounds/{sent.id}", "sent")


def comments_of(articles: list[str], texts: list[str]) -> list[consultation.Comment]:
    """The rows of a comment form: an article number (blank: the whole text) and a text; empty rows skipped."""
    if len(articles) != len(texts) or len(texts) > MAX_ROWS:
        raise Invalid("表单行数不符。", "The form's rows do not match.")
    if any("\x00" in value for value in (*articles, *texts)):
        raise Invalid("意见内容含有无法保存的字符。", "The text holds a character that cannot be stored.")
    out = []
    for article, text in zip(articles, texts, strict=True):
        if not text.strip():
            if article.strip():
                raise Invalid(f"第{article}条的意见内容为空。", f"The comment on article {article} is empty.")
            continue
        if article.strip() and not article.strip().isdigit():
            raise Invalid(f"“{article}”不是条款序号。", f"{article!r} is not an article number.")
        out.append(consultation.Comment(int(article) if article.strip() else None, text.strip()))
    return out


@router.get("/drafting/rounds/{round_id}")
def round_page(
    request: Request, db: Db, lang: LangDep, round_id: Id, user: Principal = require(Permission.view_drafts)
) -> Response:
    return render(request, "drafting/round.html", round_context(request, db, lang, round_id, user))


def round_context(
    request: Request,
    db: Db,
    lang: Lang,
    round_id: int,
    user: Principal,
    problems: list[str] | None = None,
    problems_of: str = "",
) -> dict[str, object]:
    summary = queries.round_summary(db, round_id)
    found = summary.consultation
    plan = versions.plan(db, found.plan_id)
    latest = queries.latest_version(db, plan.id)
    today = versions.wenzhou_today()
    items = queries.items(db, plan_id=plan.id, round_id=round_id)
    policy = policy_of(request)
    costed = not plan.historical  # a past record is the plan in force's own drafting: nothing to cost against
    effects = costs.disposition_effects(db, policy, plan.id, items)[1] if costed else {}
    return base(request, user) | {
        "plan": plan,
        "r": summary,
        "replies": consultation.replies(db, round_id, today),
        "items": items,
        "round_cost": costs.version_cost(db, policy, found.version_id, effects=False) if costed else None,
        "effects": effects,
        "articles": versions.articles(db, found.version_id),
        "latest": latest,
        "templates": {name: (t.disposition.value, t.zh if lang is Lang.zh else t.en) for name, t in TEMPLATES.items()},
        "open": found.deadline is None or today <= found.deadline,
        "today": today,
        "problems": problems or [],
        "problems_of": problems_of,
        "rows": range(5),
    }


@router.post("/drafting/rounds/{round_id}/replies")
def record_reply(
    db: Db,
    round_id: Id,
    unit: Annotated[int, Form(ge=1, le=2**62)],
    article: Annotated[list[str], Form(max_length=20)] = [],  # noqa: B006 -- FastAPI copies defaults
    text: Annotated[list[str], Form(max_length=20)] = [],  # noqa: B006
    no_comments: Annotated[str, Form(max_length=5, pattern=NO_NUL)] = "",
    user: Principal = require(Permission.edit_drafts),
) -> Response:
    comments = [] if no_comments else comments_of(article, text)
    consultation.record_reply(db, user, round_id, unit, comments, no_comments=bool(no_comments))
    return back(f"/drafting/rounds/{round_id}", "reply", "replies")


@router.post("/drafting/items/{item_id}/propose")
def propose(
    db: Db,
    item_id: Id,
    disposition: Annotated[str, Form(max_length=20, pattern=NO_NUL)],
    reason: Annotated[str, Form(max_length=2_000, pattern=NO_NUL)] = "",
    change: Annotated[str, Form(max_length=2_000, pattern=NO_NUL)] = "",
    user: Principal = require(Permission.propose_disposition),
) -> Response:
    chosen = form_choice(disposition, Disposition, ("处理意见", "Disposition"))
    item = dispositions.propose(db, user, item_id, chosen, reason, change=change)
    return back(f"/drafting/rounds/{item.round_id}", "propose", f"item-{item.id}")


def _round_items(db: Db, round_id: int, item: list[str]) -> list[int]:
    chosen = ids(item)
    if not chosen:
        raise Invalid("请勾选意见。", "Select the items.")
    known = {view.item.id for view in queries.items(db, plan_id=queries.consultation_round(db, round_id).plan_id,
                                                     round_id=round_id)}  # fmt: skip
    if not set(chosen) <= known:
        raise Invalid("所选意见不属于本轮。", "Some selected items are not of this round.")
    return chosen


@router.post("/drafting/rounds/{round_id}/propose")
def propose_many(
    db: Db,
    round_id: Id,
    template: Annotated[str, Form(max_length=40, pattern=NO_NUL)],
    item: Annotated[list[str], Form(max_length=5_000)] = [],  # noqa: B006 -- FastAPI copies defaults
    user: Principal = require(Permission.propose_disposition),
) -> Response:
    dispositions.propose_from_template(db, user, _round_items(db, round_id, item), template)
    return back(f"/drafting/rounds/{round_id}", "propose", "items")


@router.post("/drafting/items/{item_id}/confirm")
def confirm(db: Db, item_id: Id, user: Principal = require(Permission.confirm_disposition)) -> Response:
    item = dispositions.confirm(db, user, item_id)
    return back(f"/drafting/rounds/{item.round_id}", "confirm", f"item-{item.id}")


@router.post("/drafting/rounds/{round_id}/confirm")
def confirm_many(
    db: Db,
    round_id: Id,
    item: Annotated[list[str], Form(max_length=5_000)] = [],  # noqa: B006 -- FastAPI copies defaults
    user: Principal = require(Permission.confirm_disposition),
) -> Response:
    for item_id in _round_items(db, round_id, item):
        dispositions.confirm(db, user, item_id)
    return back(f"/drafting/rounds/{round_id}", "confirm", "items")
