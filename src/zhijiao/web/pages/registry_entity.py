"""A page per school, enterprise, platform and construction project: its data by year, what belongs to it,
its certifications (revocations included), its entitlements for the chosen year with the engine's
explanation, and the changes made to it. A record outside the user's scope is not found (404)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from zhijiao.authz import Permission, Principal
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment import payees
from zhijiao.fulfilment.entities import find_payee
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.http.errors import NotFound
from zhijiao.language import Lang
from zhijiao.registry import rows
from zhijiao.registry.history import changes_of
from zhijiao.registry.queries import year_end, years_with_data
from zhijiao.registry.rows import NO_NUL
from zhijiao.registry.tables import BY_NAME
from zhijiao.simulation.record_explanations import explain_record
from zhijiao.web.pages.registry_entity_view import (
    certifications_table,
    entitlements_view,
    history_view,
    rows_table,
    year_table,
)
from zhijiao.web.pages.registry_view import area_context, chosen_year, column_label, display
from zhijiao.web.templating import render

router = APIRouter()

Code = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]
Year = Annotated[int | None, Query(ge=2000, le=2100)]
SCHOOL_YEARLY = ("school_years", "teacher_stats", "student_stats")
SCHOOL_OWNED = ("school_shareholders", *SCHOOL_YEARLY, "majors", "donations")


def _record(db: Session, user: Principal, table: str, code: str) -> dict[str, object]:
    spec = BY_NAME[table]
    found = rows.find(db, spec, user.scope, {"code": code})
    if found is None:
        raise NotFound("登记册中没有该记录，或不在您的查看范围内。", "No such record in your view of the registry.")
    return rows.as_files(db, spec, [found])[0]


def _fields(table: str, record: dict[str, object], lang: Lang) -> list[tuple[str, str]]:
    spec = BY_NAME[table]
    return [(column_label(c, lang), display(c, record.get(c.name), lang)) for c in spec.columns]


def _entitlements(db: Session, policy: Policy, table: str, code: str, year: int | None, lang: Lang) -> Any:  # noqa: ANN401
    if year is None:
        return None
    explained = explain_record(db, policy, table, code, year, lang.value)
    return entitlements_view(policy, explained, lang) if explained else None


PAYEE_KINDS = {"schools": "school", "enterprises": "enterprise"}


def _payee_page(db: Session, user: Principal, table: str, code: str) -> str | None:
    """Where a school's or an enterprise's payee accounts are, for a user who may see them (itself, its county,
    finance, the city)."""
    kind = PAYEE_KINDS.get(table)
    if kind is None or not payees.may_see(user, find_payee(db, kind, code)):
        return None
    return f"/payees/{kind}/{quote(code, safe='')}"


def _page(request: Request, name: str, user: Principal, context: dict[str, Any]) -> Response:
    return render(request, name, area_context(user) | context)


@router.get("/registry/schools/{code}")
def school_page(
    request: Request, db: Db, policy: PolicyDep, lang: LangDep, code: Code, year: Year = None,
    user: Principal = require(Permission.view_registry),
) -> Response:  # fmt: skip
    record = _record(db, user, "schools", code)
    years = years_with_data(db)
    chosen = chosen_year(policy, year, years)
    owned = {table: rows.owned(db, BY_NAME[table], user.scope, "school_code", [code]) for table in SCHOOL_OWNED}
    platforms = rows.owned(db, BY_NAME["platforms"], user.scope, "school_code", [code])
    projects = rows.owned(db, BY_NAME["projects"], user.scope, "school_code", [code])
    extra = {
        t: rows.owned(db, BY_NAME[t], user.scope, "school_code", [code])
        for t in ("international_programmes", "national_brands")
    }
    majors = [row for row in owned["majors"] if row.get("year") == chosen]
    history = changes_of(db, code, {"schools", *SCHOOL_OWNED})
    leave = ("school_code",)
    context = {
        "table": "schools",
        "code": code,
        "record": record,
        "fields": _fields("schools", record, lang),
        "year": chosen,
        "years": years,
        "yearly": [year_table(BY_NAME[t], owned[t], lang) for t in SCHOOL_YEARLY],
        "lists": [
            rows_table(BY_NAME["school_shareholders"], owned["school_shareholders"], lang, leave_out=leave),
            rows_table(BY_NAME["majors"], majors, lang, leave_out=(*leave, "year")),
            rows_table(BY_NAME["donations"], owned["donations"], lang, leave_out=leave),
            rows_table(BY_NAME["platforms"], platforms, lang, leave_out=leave, page="platforms"),
            rows_table(BY_NAME["projects"], projects, lang, leave_out=leave, page="projects"),
            *(rows_table(BY_NAME[t], extra[t], lang, leave_out=leave) for t in extra),
        ],
        "add": ("school_shareholders", "majors", "donations", "platforms", "projects"),
        "entitlements": _entitlements(db, policy, "schools", code, chosen, lang),
        "history": history_view(history, BY_NAME, lang),
    }
    context["payee_page"] = _payee_page(db, user, "schools", code)
    return _page(request, "registry/school.html", user, context)


@router.get("/registry/enterprises/{code}")
def enterprise_page(
    request: Request, db: Db, policy: PolicyDep, lang: LangDep, code: Code, year: Year = None,
    user: Principal = require(Permission.view_registry),
) -> Response:  # fmt: skip
    return _certified_page(request, db, policy, lang, user, "enterprises", code, year)


@router.get("/registry/platforms/{code}")
def platform_page(
    request: Request, db: Db, policy: PolicyDep, lang: LangDep, code: Code, year: Year = None,
    user: Principal = require(Permission.view_registry),
) -> Response:  # fmt: skip
    return _certified_page(request, db, policy, lang, user, "platforms", code, year)


# Enterprises and platforms differ only in their certification table and its owner column.
_CERTIFIED = {
    "enterprises": ("enterprise_certifications", "enterprise_code", "registry/enterprise.html"),
    "platforms": ("platform_certifications", "platform_code", "registry/platform.html"),
}


def _certified_page(
    request: Request,
    db: Session,
    policy: Policy,
    lang: Lang,
    user: Principal,
    table: str,
    code: str,
    year: int | None,
) -> Response:
    certification_table, owner, template = _CERTIFIED[table]
    record = _record(db, user, table, code)
    years = years_with_data(db)
    chosen = chosen_year(policy, year, years)
    spec = BY_NAME[certification_table]
    found = rows.owned(db, spec, user.scope, owner, [code])
    history = changes_of(db, code, {table, spec.name}, {str(row["code"]) for row in found})
    context = {
        "table": table,
        "code": code,
        "record": record,
        "fields": _fields(table, record, lang),
        "year": chosen,
        "years": years,
        "certifications": certifications_table(spec, found, year_end(chosen), lang, owner),
        "certification_owner": owner,
        "entitlements": _entitlements(db, policy, table, code, chosen, lang),
        "history": history_view(history, BY_NAME, lang),
        "payee_page": _payee_page(db, user, table, code),
    }
    return _page(request, template, user, context)


@router.get("/registry/projects/{code}")
def project_page(
    request: Request, db: Db, lang: LangDep, code: Code, user: Principal = require(Permission.view_registry)
) -> Response:
    record = _record(db, user, "projects", code)
    history = changes_of(db, code, {"projects"})
    context = {
        "table": "projects",
        "code": code,
        "record": record,
        "fields": _fields("projects", record, lang),
        "history": history_view(history, BY_NAME, lang),
    }
    return _page(request, "registry/project.html", user, context)
