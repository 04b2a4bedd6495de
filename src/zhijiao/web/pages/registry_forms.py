"""Forms that change the registry: a school's figures for a year (status, teachers, students in one form),
and any row of any table (an enterprise's data, a new certification, a revocation, a project…). Every value
is checked as the importer checks a cell; a refused form comes back with every problem beside its field
and nothing written. A county officer reaches only its county's rows (others are not found)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from zhijiao.authz import Permission, Principal
from zhijiao.engine.errors import InputError, Problem
from zhijiao.http.deps import Db, LangDep, require
from zhijiao.http.errors import NotFound
from zhijiao.language import Lang
from zhijiao.registry import rows
from zhijiao.registry.counties import county_options
from zhijiao.registry.editing import Change, RowNotFound, save
from zhijiao.registry.rows import NO_NUL
from zhijiao.registry.spec import TableSpec
from zhijiao.registry.tables import BY_NAME
from zhijiao.web.pages.registry_form_view import SectionView, home_of, initial, problem_lines, section, submitted
from zhijiao.web.pages.registry_view import area_context
from zhijiao.web.templating import render

router = APIRouter()

Table = Annotated[str, Path(max_length=40, pattern=r"^[a-z_]+$")]
Key = Annotated[str, Path(min_length=1, max_length=300, pattern=NO_NUL)]
Code = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]
Year = Annotated[int, Path(ge=2000, le=2100)]
SCHOOL_YEARLY = ("school_years", "teacher_stats", "student_stats")
NOT_FOUND = ("登记册中没有该记录，或不在您的修改范围内。", "No such record within your reach.")


async def form_data(request: Request) -> dict[str, str]:
    """The submitted fields (a form's fields vary with its table, so they are read whole)."""
    form = await request.form()
    return {name: value for name, value in form.items() if isinstance(value, str)}


FormData = Annotated[dict[str, str], Depends(form_data)]


def _spec(table: str) -> TableSpec:
    spec = BY_NAME.get(table)
    if spec is None:
        raise NotFound("没有该登记表。", "There is no such registry table.")
    return spec


def _counties(db: Session, user: Principal) -> list[str]:
    options = county_options(db)
    return [name for code, name in options if user.scope.county_code in (None, code)]


def _form(
    request: Request,
    user: Principal,
    *,
    title: str,
    sections: Sequence[SectionView],
    back: str,
    problems: Sequence[Problem] = (),
    lang: Lang,
) -> Response:
    context = area_context(user) | {
        "title": title,
        "sections": sections,
        "back": back,
        "action": request.url.path,
        "problems": problem_lines(problems, lang),
    }
    return render(request, "registry/form.html", context, status_code=422 if problems else 200)


def _key(spec: TableSpec, key: str) -> dict[str, object]:
    parsed = rows.parse_key(spec, key)
    if parsed is None:
        raise NotFound(*NOT_FOUND)
    return parsed


@router.get("/registry/rows/{table}/new")
def new_row(
    request: Request, db: Db, lang: LangDep, table: Table, user: Principal = require(Permission.edit_registry)
) -> Response:
    spec = _spec(table)
    given = {c.name: request.query_params.get(c.name, "")[:200] for c in spec.columns}
    fixed = [name for name, value in given.items() if value and spec.column(name).ref]
    sections = [section(spec, given, lang, counties=_counties(db, user), fixed=fixed)]
    title = f"{spec.label[lang.value]} · " + ("新增" if lang is Lang.zh else "new")
    return _form(request, user, title=title, sections=sections, back=home_of(spec, given), lang=lang)


@router.post("/registry/rows/{table}/new")
def create_row(
    request: Request, db: Db, lang: LangDep, table: Table, form: FormData,
    user: Principal = require(Permission.edit_registry),
) -> Response:  # fmt: skip
    spec = _spec(table)
    values = submitted(spec, form)
    try:
        save(db, user, [Change(spec, values)])
    except InputError as refused:
        fixed = [name for name in values if spec.column(name).ref and values[name]]
        sections = [section(spec, values, lang, counties=_counties(db, user), fixed=fixed, problems=refused.problems)]
        title = f"{spec.label[lang.value]} · " + ("新增" if lang is Lang.zh else "new")
        return _form(
            request, user, title=title, sections=sections, back=home_of(spec, values), problems=refused.problems,
            lang=lang,
        )  # fmt: skip
    return RedirectResponse(home_of(spec, values), status_code=303)


@router.get("/registry/rows/{table}/{key:path}/edit")
def edit_row(
    request: Request, db: Db, lang: LangDep, table: Table, key: Key, user: Principal = require(Permission.edit_registry)
) -> Response:
    spec = _spec(table)
    found = rows.find(db, spec, user.scope, _key(spec, key))
    if found is None:
        raise NotFound(*NOT_FOUND)
    values = initial(spec, rows.as_files(db, spec, [found])[0])
    sections = [section(spec, values, lang, counties=_counties(db, user), fixed=spec.key)]
    title = f"{spec.label[lang.value]} {key}"
    return _form(request, user, title=title, sections=sections, back=home_of(spec, values), lang=lang)


@router.post("/registry/rows/{table}/{key:path}/edit")
def update_row(
    request: Request, db: Db, lang: LangDep, table: Table, key: Key, form: FormData,
    user: Principal = require(Permission.edit_registry),
) -> Response:  # fmt: skip
    spec = _spec(table)
    parsed = _key(spec, key)
    values = submitted(spec, form)
    try:
        save(db, user, [Change(spec, values, parsed)])
    except RowNotFound:
        raise NotFound(*NOT_FOUND) from None
    except InputError as refused:
        shown = values | {name: str(parsed[name]) for name in spec.key}
        sections = [section(spec, shown, lang, counties=_counties(db, user), fixed=spec.key, problems=refused.problems)]
        return _form(
            request, user, title=f"{spec.label[lang.value]} {key}", sections=sections, back=home_of(spec, shown),
            problems=refused.problems, lang=lang,
        )  # fmt: skip
    return RedirectResponse(home_of(spec, values | parsed), status_code=303)


def _school(db: Session, user: Principal, code: str) -> None:
    if rows.find(db, BY_NAME["schools"], user.scope, {"code": code}) is None:
        raise NotFound(*NOT_FOUND)


def _yearly_sections(
    db: Session, user: Principal, code: str, year: int, lang: Lang, form: dict[str, str] | None,
    problems: Sequence[Problem] = (),
) -> list[SectionView]:  # fmt: skip
    sections = []
    for table in SCHOOL_YEARLY:
        spec = BY_NAME[table]
        if form is not None:
            values = submitted(spec, form)
        else:
            found = rows.find(db, spec, user.scope, {"school_code": code, "year": year})
            values = initial(spec, rows.as_files(db, spec, [found])[0]) if found is not None else {}
        values |= {"school_code": code, "year": str(year)}
        sections.append(section(spec, values, lang, counties=[], fixed=spec.key, problems=problems))
    return sections


def _yearly_title(code: str, year: int, lang: Lang) -> str:
    return f"{code} · {year}年度数据" if lang is Lang.zh else f"{code} · figures for {year}"


@router.get("/registry/schools/{code}/years/{year}/edit")
def edit_school_year(
    request: Request, db: Db, lang: LangDep, code: Code, year: Year,
    user: Principal = require(Permission.edit_registry),
) -> Response:  # fmt: skip
    _school(db, user, code)
    sections = _yearly_sections(db, user, code, year, lang, None)
    back = f"/registry/schools/{quote(code, safe='')}?year={year}"
    return _form(request, user, title=_yearly_title(code, year, lang), sections=sections, back=back, lang=lang)


@router.post("/registry/schools/{code}/years/{year}/edit")
def save_school_year(
    request: Request, db: Db, lang: LangDep, code: Code, year: Year, form: FormData,
    user: Principal = require(Permission.edit_registry),
) -> Response:  # fmt: skip
    """The year's three tables in one go: rows that exist are updated, a table left blank is not created."""
    _school(db, user, code)
    key = {"school_code": code, "year": year}
    changes = []
    for table in SCHOOL_YEARLY:
        spec = BY_NAME[table]
        values = submitted(spec, form)
        exists = rows.find(db, spec, user.scope, key) is not None
        if not exists and all(not values[c.name].strip() for c in spec.columns if c.name not in spec.key):
            continue
        changes.append(Change(spec, values | {"school_code": code, "year": str(year)}, key if exists else None))
    back = f"/registry/schools/{quote(code, safe='')}?year={year}"
    try:
        save(db, user, changes)
    except InputError as refused:
        sections = _yearly_sections(db, user, code, year, lang, form, refused.problems)
        return _form(
            request, user, title=_yearly_title(code, year, lang), sections=sections, back=back,
            problems=refused.problems, lang=lang,
        )  # fmt: skip
    return RedirectResponse(back, status_code=303)
