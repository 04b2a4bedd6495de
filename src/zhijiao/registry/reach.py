"""Which registry rows a user reaches: every row (city-wide roles), one county's, one school's or one
enterprise's. Pages, the API and the edits all filter through here, so scoping lives in the queries.

A row belongs to a school (its figures, majors, platforms, projects, donations…), to an enterprise (its
certifications), to a platform (its certifications, hence to the platform's school), to a county (a county's
own figures, such as its salary standards), or to nobody in particular (the city's communities): a scoped user
reaches only rows that belong within its scope, so a row with no owner is city-wide data that only city-wide
roles read. A county's figures are reached by that county's officers, and read by its schools' users (the
standard their funding is computed at).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, select

from zhijiao.authz import Scope
from zhijiao.registry.models import Enterprise, Platform, School
from zhijiao.registry.spec import TableSpec

_OWNERS = ("schools", "enterprises", "platforms")
COUNTIES = "counties"  # the owner of a county's own figures: rows keyed by their county column


def owner(spec: TableSpec) -> tuple[str, Any] | None:
    """The kind of record a row of ``spec`` belongs to, and the model attribute holding its id (a county's code
    for a county's own figures)."""
    if spec.name in ("schools", "enterprises"):
        return spec.name, spec.model.id  # type: ignore[attr-defined]
    for column in spec.columns:
        if column.ref in _OWNERS:
            return column.ref, getattr(spec.model, column.target)
    county = next((c for c in spec.columns if c.kind == "county"), None)
    if county is not None and county.name in spec.key:
        return COUNTIES, getattr(spec.model, county.target)
    return None


def _schools_of(scope: Scope) -> Any:  # noqa: ANN401 -- a scalar subquery of school ids
    if scope.county_code is not None:
        return select(School.id).where(School.county_code == scope.county_code)
    return select(School.id).where(School.id == scope.school_id)


def _in_county(county: Any, scope: Scope) -> ColumnElement[bool]:  # noqa: ANN401 -- a model attribute
    """A county's own figures that ``scope`` reaches: its officers', and its schools' users' to read."""
    if scope.enterprise_id is not None:
        return false()
    if scope.county_code is not None:
        return county == scope.county_code  # type: ignore[no-any-return]
    return county.in_(select(School.county_code).where(School.id == scope.school_id))  # type: ignore[no-any-return]


def _owned_by(kind: str, ident: Any, scope: Scope) -> ColumnElement[bool]:  # noqa: ANN401 -- a model attribute
    """Rows owned through ``ident`` (a school's, an enterprise's or a platform's id) that ``scope`` reaches."""
    if kind == "enterprises":
        if scope.enterprise_id is not None:
            return ident == scope.enterprise_id  # type: ignore[no-any-return]
        if scope.county_code is not None:
            return ident.in_(select(Enterprise.id).where(Enterprise.county_code == scope.county_code))  # type: ignore[no-any-return]
        return false()
    if scope.enterprise_id is not None:
        return false()
    if kind == "schools":
        return ident.in_(_schools_of(scope))  # type: ignore[no-any-return]
    return ident.in_(select(Platform.id).where(Platform.school_id.in_(_schools_of(scope))))  # type: ignore[no-any-return]


def reach(spec: TableSpec, scope: Scope) -> ColumnElement[bool] | None:
    """The condition a row of ``spec`` meets when ``scope`` reaches it; None when every row is reached."""
    if scope.citywide:
        return None
    found = owner(spec)
    if found is None:
        return false()
    kind, ident = found
    return _in_county(ident, scope) if kind == COUNTIES else _owned_by(kind, ident, scope)


def reached(spec: TableSpec, scope: Scope, query: Any) -> Any:  # noqa: ANN401 -- any Select over spec's model
    """``query`` limited to the rows ``scope`` reaches."""
    condition = reach(spec, scope)
    return query if condition is None else query.where(condition)
