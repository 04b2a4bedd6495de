"""The plan, public: its facts, parts, articles, breakthroughs and targets; each article with its text,
dated and cited parameters, rules, options and worked examples; what changed between two dates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from zhijiao.authz import Permission, Principal, allows
from zhijiao.http.deps import Db, LangDep, PlansDep, PolicyDep, public
from zhijiao.http.errors import NotFound
from zhijiao.plan_text.service import current
from zhijiao.web.pages import plan_official, plan_successor
from zhijiao.web.pages.plan_cases import article_cases
from zhijiao.web.pages.plan_changes import changes_between, parse_day
from zhijiao.web.pages.plan_format import article_key
from zhijiao.web.pages.plan_view import article_detail, find_article, overview
from zhijiao.web.templating import render

router = APIRouter()
router.include_router(plan_official.router)
router.include_router(plan_successor.router)


@router.get("/plan")
def plan_index(
    request: Request, db: Db, policy: PolicyDep, plans: PlansDep, lang: LangDep, user: Principal | None = public()
) -> Response:
    context = overview(policy, lang, current(db, policy.name))
    context["may_load"] = user is not None and allows(user.role, Permission.load_plan_text)
    context["successors"] = len(plans.plans) - 1
    return render(request, "plan/index.html", context)


@router.get("/plan/articles/{article}")
def plan_article(
    request: Request, db: Db, policy: PolicyDep, article: str, lang: LangDep, _: Principal | None = public()
) -> Response:
    entry = find_article(policy, article)
    if entry is None:
        raise NotFound("方案中没有这一条。", "The plan has no such article.")
    canonical = article_key(int(entry["number"]))
    if article != canonical:
        return RedirectResponse(f"/plan/articles/{canonical}", status_code=308)
    official = current(db, policy.name)
    detail = article_detail(policy, entry, lang, dt.datetime.now(tz=dt.UTC).date(), official)
    context = {
        "article": detail,
        "cases": article_cases(policy, detail.folder, lang),
        "rule_set": policy.rule_set,
        "official": official,
    }
    return render(request, "plan/article.html", context)


@router.get("/plan/changes")
def plan_changes(
    request: Request,
    policy: PolicyDep,
    lang: LangDep,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
    _: Principal | None = public(),
) -> Response:
    context: dict[str, object] = {"start": start or "", "end": end or "", "errors": {}, "changes": None}
    if start is None and end is None:  # the empty form
        return render(request, "plan/changes.html", context)
    start_day, start_error = parse_day(start, lang)
    end_day, end_error = parse_day(end, lang)
    errors = {name: error for name, error in (("from", start_error), ("to", end_error)) if error}
    if start_day is None or end_day is None:
        return render(request, "plan/changes.html", context | {"errors": errors}, status_code=422)
    changes = changes_between(policy, start_day, end_day, lang)
    context |= {"changes": changes, "start_day": start_day, "end_day": end_day}
    return render(request, "plan/changes.html", context)
