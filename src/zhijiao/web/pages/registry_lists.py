"""The registry's lists: schools, enterprises, platforms, construction projects. Search, filters, sortable
headers and pages; the filter form updates the results in place with htmx, and every state is a plain URL
that works without it. A scoped user's lists hold only its rows (the queries filter them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from zhijiao.authz import Permission, Principal
from zhijiao.engine.policy import Policy
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.http.errors import InvalidInput
from zhijiao.http.problems import REFUSAL_STATUS
from zhijiao.language import Lang, say
from zhijiao.refusals import InputRefused
from zhijiao.registry import queries
from zhijiao.registry.choices import CERTIFICATION_LEVELS, SCHOOL_TYPES
from zhijiao.registry.counties import county_options
from zhijiao.registry.rows import NO_NUL
from zhijiao.web.pages.registry_view import (
    QueryString,
    area_context,
    choice,
    choices,
    chosen_year,
    county_code,
    wants_fragment,
)
from zhijiao.web.templating import render

router = APIRouter()
PER_PAGE = 25
RESULTS = "results"  # the element the filter form, the headers and the pager update


def N_(message: str) -> str:  # noqa: N802 -- gettext's conventional marker: extracted, translated in the template
    return message


@dataclass(frozen=True)
class ListColumn:
    key: str
    label: str  # a message id
    kind: str  # link | text | choice | number | money | date | level | school
    sort: str | None = None


@dataclass(frozen=True)
class ListPage:
    title: str  # a message id
    columns: tuple[ListColumn, ...]
    kind_label: str | None
    level_label: str | None
    levels: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


_CODE = ListColumn("code", N_("编号"), "link", "code")
_NAME = ListColumn("name", N_("名称"), "text", "name")
_COUNTY = ListColumn("county", N_("县（市、区）"), "text", "county")
_SCHOOL = ListColumn("school", N_("所属学校"), "school", "school")

PAGES = {
    "schools": ListPage(
        N_("学校"),
        (
            _CODE,
            _NAME,
            _COUNTY,
            ListColumn("school_type", N_("学校类型"), "choice", "school_type"),
            ListColumn("ownership", N_("办学性质"), "choice"),
            ListColumn("double_high", N_("“双高计划”"), "choice", "double_high"),
            ListColumn("students", N_("在校生数"), "number", "students"),
            ListColumn("full_time_teachers", N_("专任教师数"), "number", "full_time_teachers"),
        ),
        N_("学校类型"),
        N_("“双高计划”"),
        ("none", "provincial", "national"),
        SCHOOL_TYPES.codes,
    ),
    "enterprises": ListPage(
        N_("企业"),
        (
            _CODE,
            _NAME,
            _COUNTY,
            ListColumn("industry", N_("所属行业"), "text", "industry"),
            ListColumn("level", N_("产教融合型企业认定"), "level", "level"),
            ListColumn("certifications", N_("有效认定数"), "number"),
        ),
        N_("所属行业"),
        N_("认定级别"),
        CERTIFICATION_LEVELS.codes,
    ),
    "platforms": ListPage(
        N_("平台"),
        (
            _CODE,
            _NAME,
            _SCHOOL,
            _COUNTY,
            ListColumn("kind", N_("平台类型"), "choice", "kind"),
            ListColumn("level", N_("认定级别"), "level", "level"),
        ),
        N_("平台类型"),
        N_("认定级别"),
        ("provincial", "national"),
        ("research", "training"),
    ),
    "projects": ListPage(
        N_("建设项目"),
        (
            _CODE,
            _NAME,
            _SCHOOL,
            _COUNTY,
            ListColumn("kind", N_("建设类型"), "choice", "kind"),
            ListColumn("planned_investment_fen", N_("计划投资"), "money", "planned_investment"),
            ListColumn("actual_investment_fen", N_("实际完成投资"), "money", "actual_investment"),
            ListColumn("started_on", N_("开工日期"), "date", "started_on"),
            ListColumn("completed_on", N_("竣工日期"), "date", "completed_on"),
        ),
        N_("建设类型"),
        None,
        (),
        ("new", "relocated", "expanded"),
    ),
}


@dataclass(frozen=True)
class ListParams:
    q: str
    county: str | None
    kind: str | None
    level: str | None
    year: int | None
    sort: str
    desc: bool
    page: int


def list_params(
    q: Annotated[str, Query(max_length=100, pattern=NO_NUL)] = "",
    county: Annotated[str | None, Query(max_length=20, pattern=NO_NUL)] = None,
    kind: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
    level: Annotated[str | None, Query(max_length=20, pattern=NO_NUL)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    sort: Annotated[str, Query(max_length=40, pattern=r"^[a-z_]*$")] = "code",
    desc: Annotated[bool, Query()] = False,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> ListParams:
    return ListParams(q.strip(), county or None, kind or None, level or None, year, sort or "code", desc, page)


Params = Annotated[ListParams, Depends(list_params)]


def _one_of(value: str | None, allowed: tuple[str, ...] | list[str], what: tuple[str, str]) -> str | None:
    if value is None or value in allowed:
        return value
    zh, en = what
    raise InvalidInput(
        f"{zh}“{value}”不是可选值（{'、'.join(allowed)}）。", f"{en} {value!r} is not one of {', '.join(allowed)}."
    )


def _list(
    request: Request, db: Session, policy: Policy, lang: Lang, user: Principal, table: str, params: ListParams
) -> Response:
    try:
        return _results(request, db, policy, lang, user, table, params)
    except (InvalidInput, InputRefused) as refused:
        if not wants_fragment(request, RESULTS):
            raise
        # htmx swaps a refusal in place of the results: the reason, not a whole error page inside the page
        message = (
            refused.message(lang.value) if isinstance(refused, InvalidInput) else say(lang, refused.zh, refused.en)
        )
        status = refused.status if isinstance(refused, InvalidInput) else REFUSAL_STATUS[refused.kind]
        return render(request, "registry/_list_refused.html", {"message": message}, status_code=status)


def _results(
    request: Request, db: Session, policy: Policy, lang: Lang, user: Principal, table: str, params: ListParams
) -> Response:
    page_spec = PAGES[table]
    years = queries.years_with_data(db)
    year = chosen_year(policy, params.year, years)
    kinds = tuple(queries.industries(db, user.scope)) if table == "enterprises" else page_spec.kinds
    query = queries.ListQuery(
        q=params.q,
        county=county_code(db, params.county) if user.scope.citywide else None,
        kind=_one_of(params.kind, kinds, ("类型", "kind")),
        level=_one_of(params.level, page_spec.levels, ("级别", "level")),
        year=year,
        sort=params.sort,
        descending=params.desc,
        page=params.page,
        per_page=PER_PAGE,
    )
    found = queries.LISTS[table](db, user.scope, query)
    shown = {
        "q": params.q,
        "county": params.county if user.scope.citywide else None,
        "kind": query.kind,
        "level": query.level,
        "year": year,
        "sort": found.sort if found.sort != "code" else None,
        "desc": 1 if found.descending else None,
    }
    context = area_context(user) | {
        "choices": choices(policy),
        "table": table,
        "spec": page_spec,
        "found": found,
        "query": QueryString(shown),
        "params": shown,
        "years": years,
        "counties": county_options(db) if user.scope.citywide else [],
        "kinds": [(k, choice(policy, k, lang)) for k in kinds],
        "levels": [(v, choice(policy, v, lang)) for v in page_spec.levels],
        "own": queries.scope_label(db, user.scope),
        "results_id": RESULTS,
    }
    name = "registry/_list_results.html" if wants_fragment(request, RESULTS) else "registry/list.html"
    response = render(request, name, context)
    response.headers["Vary"] = "HX-Request, HX-Target"
    return response


@router.get("/registry/schools")
def school_list(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    params: Params,
    user: Principal = require(Permission.view_registry),
) -> Response:
    return _list(request, db, policy, lang, user, "schools", params)


@router.get("/registry/enterprises")
def enterprise_list(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    params: Params,
    user: Principal = require(Permission.view_registry),
) -> Response:
    return _list(request, db, policy, lang, user, "enterprises", params)


@router.get("/registry/platforms")
def platform_list(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    params: Params,
    user: Principal = require(Permission.view_registry),
) -> Response:
    return _list(request, db, policy, lang, user, "platforms", params)


@router.get("/registry/projects")
def project_list(
    request: Request,
    db: Db,
    policy: PolicyDep,
    lang: LangDep,
    params: Params,
    user: Principal = require(Permission.view_registry),
) -> Response:
    return _list(request, db, policy, lang, user, "projects", params)
