"""Whose records a user may act on in fulfilment: the same scopes as the registry."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.authz import Permission, Principal, allows
from zhijiao.fulfilment.models import Application
from zhijiao.refusals import NotAllowed, OutOfScope
from zhijiao.registry.models import Platform

ROLE_REFUSED = ("您的角色无权进行此操作。", "Your role does not allow this.")


def require(actor: Principal, permission: Permission) -> None:
    if not allows(actor.role, permission):
        raise NotAllowed(*ROLE_REFUSED)


def school_of_platform(session: Session, platform_id: int) -> int | None:
    return session.scalar(select(Platform.school_id).where(Platform.id == platform_id))


def reaches(session: Session, actor: Principal, application: Application) -> bool:
    """Whether the application lies in the actor's scope (city-wide roles reach every one)."""
    scope = actor.scope
    if scope.citywide:
        return True
    if scope.county_code is not None:
        return application.county_code == scope.county_code
    if scope.enterprise_id is not None:
        return application.enterprise_id == scope.enterprise_id
    if application.school_id is not None:
        return application.school_id == scope.school_id
    if application.platform_id is not None:
        return school_of_platform(session, application.platform_id) == scope.school_id
    return False


def check_reach(session: Session, actor: Principal, application: Application) -> None:
    if not reaches(session, actor, application):
        raise OutOfScope
