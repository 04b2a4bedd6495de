"""Whose records a user may act on in fulfilment: the same scopes as the registry, written once, in SQL, so that
what a list shows and what a change may load are the same rows."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from zhijiao.authz import Scope
from zhijiao.fulfilment.models import Application, LedgerEntry
from zhijiao.registry.models import Platform


def school_of_platform(session: Session, platform_id: int) -> int | None:
    return session.scalar(select(Platform.school_id).where(Platform.id == platform_id))


def own_platforms(scope: Scope) -> Select[int]:
    return select(Platform.id).where(Platform.school_id == scope.school_id)


IdColumn = InstrumentedAttribute[int | None]


def entity_scope(scope: Scope, school: IdColumn, enterprise: IdColumn, platform: IdColumn) -> ColumnElement[bool]:
    """Rows (applications, ledger entries, notices) whose entity the user reaches."""
    if scope.citywide:
        return true()
    if scope.enterprise_id is not None:
        return enterprise == scope.enterprise_id
    if scope.school_id is None:
        return false()  # a user of no county, school or enterprise (a consulted unit) reaches no award
    return or_(school == scope.school_id, platform.in_(own_platforms(scope)))


def application_scope(scope: Scope) -> ColumnElement[bool]:
    if scope.county_code is not None:
        return Application.county_code == scope.county_code
    return entity_scope(scope, Application.school_id, Application.enterprise_id, Application.platform_id)


def ledger_scope(scope: Scope) -> ColumnElement[bool]:
    if scope.county_code is not None:
        return LedgerEntry.county_code == scope.county_code
    return entity_scope(scope, LedgerEntry.school_id, LedgerEntry.enterprise_id, LedgerEntry.platform_id)
