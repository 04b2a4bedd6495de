"""Every registry table in the API: ``GET /registry/{table}`` (paged, filtered, limited to the caller's scope),
``GET /registry/{table}/{key…}`` (one row), ``POST /registry/{table}`` (a new row) and
``PUT /registry/{table}/{key…}`` (the row replaced), through the same checks as an import and the edit
forms. A row outside the caller's scope is not found (404). The routes are made from each table's spec, so
each table has its own typed fields, key path and filters in the OpenAPI description."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from zhijiao.api.json_body import JsonRoute
from zhijiao.api.registry_models import (
    ColumnInfo,
    Entitlements,
    TableInfo,
    page_model,
    request_model,
    response_model,
)
from zhijiao.api.responses import SIGNED_IN, problem_responses
from zhijiao.authz import Permission, Principal
from zhijiao.engine.explain import shown
from zhijiao.engine.inputs import decode
from zhijiao.http.deps import Db, LangDep, PolicyDep, require
from zhijiao.http.errors import InvalidInput, NotFound
from zhijiao.registry import rows
from zhijiao.registry.counties import resolve_county
from zhijiao.registry.editing import Change, RowNotFound, save
from zhijiao.registry.queries import years_with_data
from zhijiao.registry.reach import owner
from zhijiao.registry.rows import NO_NUL
from zhijiao.registry.spec import Column, TableSpec
from zhijiao.registry.tables import TABLES
from zhijiao.simulation.record_explanations import ENTITIES, explain_record

router = APIRouter(prefix="/registry", tags=["registry"], route_class=JsonRoute)
MAX_PER_PAGE = 200
WRITING = problem_responses(400, 401, 403, 404, 422)  # a body that is not JSON is 400
NOT_FOUND = ("登记册中没有该记录，或不在您的范围内。", "No such row within your reach.")
KEYWORD = inspect.Parameter.KEYWORD_ONLY


def _param(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:  # noqa: ANN401
    return inspect.Parameter(name, KEYWORD, annotation=annotation, default=default)


def _endpoint(function: Callable[..., Any], parameters: list[inspect.Parameter]) -> Callable[..., Any]:
    """``function`` with the signature FastAPI reads: a table's own key path, filters and body."""
    function.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    return function


def _text(length: int, description: str) -> Any:  # noqa: ANN401 -- an annotated query type
    return Annotated[str | None, Query(max_length=length, pattern=NO_NUL, description=description)]


def _key_parameters(spec: TableSpec) -> list[inspect.Parameter]:
    out = []
    for name in spec.key:
        column = spec.column(name)
        if column.kind == "year":
            out.append(_param(name, Annotated[int, Path(ge=2000, le=2100, description=column.zh)]))
        else:
            out.append(_param(name, Annotated[str, Path(min_length=1, max_length=100, pattern=NO_NUL)]))
    return out


def _key_path(spec: TableSpec) -> str:
    return "/".join("{" + name + "}" for name in spec.key)


def _common(permission: Permission) -> list[inspect.Parameter]:
    return [_param("db", Db), _param("lang", LangDep), _param("user", Principal, require(permission))]


def _json(spec: TableSpec, row: dict[str, object]) -> dict[str, object]:
    """A row as JSON shows it: yuan, rates and full-time equivalents as numbers, exact to their places."""
    out = dict(row)
    for column in spec.columns:
        if column.kind in ("yuan", "rate", "fte") and out.get(column.name) is not None:
            out[column.name] = shown(out[column.name])
    return out


def _location(spec: TableSpec, row: dict[str, object]) -> str:
    parts = "/".join(quote(str(row.get(name)), safe="") for name in spec.key)
    return f"/api/v1/registry/{spec.name}/{parts}"


def _county_filter(db: Session, county: str | None) -> str | None:
    return resolve_county(db, county) if county else None


def _list_route(spec: TableSpec, page: type[BaseModel]) -> None:
    refs = [c for c in spec.columns if c.ref]
    sorts = rows.sortable(spec)
    sort_type = Literal[tuple(sorts + [f"-{name}" for name in sorts])]  # type: ignore[valid-type]

    def list_rows(**kwargs: Any) -> dict[str, object]:  # noqa: ANN401
        db, user = kwargs["db"], kwargs["user"]
        filters = rows.RowFilters(
            q=kwargs.get("q") or "",
            county=_county_filter(db, kwargs.get("county")),
            year=kwargs.get("year"),
            refs={c.name: kwargs[c.name] for c in refs if kwargs.get(c.name)},
            sort=kwargs.get("sort"),
            page=kwargs["page"],
            per_page=kwargs["per_page"],
        )
        found = rows.list_rows(db, spec, user.scope, filters)
        return {
            "table": spec.name,
            "page": found.page,
            "per_page": found.per_page,
            "total": found.total,
            "rows": [_json(spec, row) for row in found.rows],
        }

    parameters = _common(Permission.view_registry)
    parameters += [
        _param("page", Annotated[int, Query(ge=1, le=1_000_000)], 1),
        _param("per_page", Annotated[int, Query(ge=1, le=MAX_PER_PAGE)], 50),
        _param("q", _text(100, "code or name contains"), None),
        _param("sort", Annotated[sort_type | None, Query(description="a column; '-' first for descending")], None),
    ]
    if owner(spec) is not None:
        parameters.append(_param("county", _text(20, "a county's name or code"), None))
    if any(c.name == "year" for c in spec.columns):
        parameters.append(_param("year", Annotated[int | None, Query(ge=2000, le=2100)], None))
    parameters += [_param(c.name, _text(100, c.zh), None) for c in refs]
    router.add_api_route(
        f"/{spec.name}",
        _endpoint(list_rows, parameters),
        methods=["GET"],
        response_model=page,
        responses=SIGNED_IN,
        operation_id=f"registry_{spec.name}_list",
        summary=f"{spec.label['en']}: a page of rows ({spec.label['zh']})",
    )


def _find(db: Session, spec: TableSpec, user: Principal, key: dict[str, object]) -> Any:  # noqa: ANN401 -- a row
    found = rows.find(db, spec, user.scope, key)
    if found is None:
        raise NotFound(*NOT_FOUND)
    return found


def _one_route(spec: TableSpec, row: type[BaseModel]) -> None:
    def one_row(**kwargs: Any) -> dict[str, object]:  # noqa: ANN401
        db, user = kwargs["db"], kwargs["user"]
        found = _find(db, spec, user, {name: kwargs[name] for name in spec.key})
        return _json(spec, rows.as_files(db, spec, [found])[0])

    router.add_api_route(
        f"/{spec.name}/{_key_path(spec)}",
        _endpoint(one_row, _common(Permission.view_registry) + _key_parameters(spec)),
        methods=["GET"],
        response_model=row,
        responses=SIGNED_IN,
        operation_id=f"registry_{spec.name}_get",
        summary=f"{spec.label['en']}: one row",
    )


def _values(body: BaseModel) -> dict[str, object]:
    return {name: value for name, value in body.model_dump().items() if value is not None}


def _write_routes(spec: TableSpec, body: type[BaseModel], row: type[BaseModel]) -> None:
    def create(**kwargs: Any) -> dict[str, object]:  # noqa: ANN401
        db, user, response = kwargs["db"], kwargs["user"], kwargs["response"]
        written = save(db, user, [Change(spec, _values(kwargs["body"]))])
        result = rows.as_files(db, spec, written)[0]
        response.headers["Location"] = _location(spec, result)
        return _json(spec, result)

    def replace(**kwargs: Any) -> dict[str, object]:  # noqa: ANN401
        db, user = kwargs["db"], kwargs["user"]
        key = {name: kwargs[name] for name in spec.key}
        try:
            written = save(db, user, [Change(spec, _values(kwargs["body"]), key)])
        except RowNotFound:
            raise NotFound(*NOT_FOUND) from None
        return _json(spec, rows.as_files(db, spec, written)[0])

    common = [*_common(Permission.edit_registry), _param("body", body), _param("response", Response)]
    router.add_api_route(
        f"/{spec.name}",
        _endpoint(create, common),
        methods=["POST"],
        status_code=201,
        response_model=row,
        responses=WRITING,
        operation_id=f"registry_{spec.name}_create",
        summary=f"{spec.label['en']}: a new row, checked as an import checks it",
    )
    router.add_api_route(
        f"/{spec.name}/{_key_path(spec)}",
        _endpoint(replace, common + _key_parameters(spec)),
        methods=["PUT"],
        response_model=row,
        responses=WRITING,
        operation_id=f"registry_{spec.name}_replace",
        summary=f"{spec.label['en']}: the row replaced (blank fields become blank; the key cannot change)",
    )


def _entitlements_route(table: str) -> None:
    def entitlements(**kwargs: Any) -> Entitlements:  # noqa: ANN401
        db, policy, user, lang = kwargs["db"], kwargs["policy"], kwargs["user"], kwargs["lang"]
        code, year = kwargs["code"], kwargs["year"]
        _find(db, TABLES_BY_NAME[table], user, {"code": code})
        years = years_with_data(db)
        chosen = year if year is not None else (years[-1] if years else None)
        if chosen is None or chosen not in years:
            listed = ", ".join(str(y) for y in years)
            raise InvalidInput(f"年度 {year} 没有数据（可选：{listed}）。", f"There are no data for {year} ({listed}).")
        explained = explain_record(db, policy, table, code, chosen, lang.value)
        if explained is None:
            raise NotFound(*NOT_FOUND)
        outputs = {o.output: shown(decode(o.value, o.unit)) for o in explained.outcomes}
        return Entitlements(
            year=explained.year,
            rule_set=explained.rule_set,
            options=explained.options,
            outputs=outputs,
            explanation=explained.steps,
        )

    parameters = [
        *_common(Permission.view_registry),
        _param("policy", PolicyDep),
        _param("code", Annotated[str, Path(min_length=1, max_length=100, pattern=NO_NUL)]),
        _param("year", Annotated[int | None, Query(ge=2000, le=2100)], None),
    ]
    router.add_api_route(
        f"/{table}/{{code}}/entitlements",
        _endpoint(entitlements, parameters),
        methods=["GET"],
        response_model=Entitlements,
        responses=SIGNED_IN,
        operation_id=f"registry_{table}_entitlements",
        summary=f"{table}: entitlements for a year with their explanation (as zhijiao calc --explain)",
    )


TABLES_BY_NAME = {spec.name: spec for spec in TABLES}


@router.get(
    "", response_model=list[TableInfo], responses=SIGNED_IN, summary="The registry's tables, their keys and columns"
)
def tables(_: Principal = require(Permission.view_registry)) -> list[TableInfo]:
    return [
        TableInfo(
            name=spec.name,
            label=spec.label,
            key=list(spec.key),
            columns=[_column(c) for c in spec.columns],
            scoped=owner(spec) is not None,
        )
        for spec in TABLES
    ]


def _column(column: Column) -> ColumnInfo:
    return ColumnInfo(
        name=column.name,
        zh=column.zh,
        kind=column.kind,
        required=column.required,
        choices=list(column.choices),
        ref=column.ref,
    )


for _table in ENTITIES:
    _entitlements_route(_table)
for _spec in TABLES:
    _row = response_model(_spec)
    _list_route(_spec, page_model(_spec, _row))
    _one_route(_spec, _row)
    _write_routes(_spec, request_model(_spec), _row)
