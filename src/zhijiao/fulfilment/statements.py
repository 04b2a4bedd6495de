"""Whose money a finance officer may look at: the year of the obligations, and a payee within the user's reach."""

from __future__ import annotations

from sqlalchemy.orm import Session

from zhijiao.authz import Principal
from zhijiao.engine.policy import Policy
from zhijiao.fulfilment.entities import find_payee
from zhijiao.refusals import Invalid, NotFound
from zhijiao.registry.queries import years_with_data
from zhijiao.simulation.cost_view import plan_years_with_data

KINDS = ("school", "enterprise", "platform")


def obligations_year(db: Session, policy: Policy, asked: int | None) -> int | None:
    """The year asked, if the registry holds it; else, as the dashboard, the latest of the plan's years with data."""
    if asked is not None:
        if asked not in years_with_data(db):
            raise NotFound("该年度没有登记数据。", "The registry holds no data for that year.")
        return asked
    years = plan_years_with_data(db, policy)
    return years[-1] if years else None


def reachable_payee(db: Session, user: Principal, kind: str, code: str) -> tuple[str, int, str]:
    """(kind, id, name) of an entity in the user's reach: a county officer's county, or any for the city."""
    if kind not in KINDS:
        raise NotFound("没有该类对象。", "No such kind of record.")
    try:
        payee = find_payee(db, kind, code)
    except Invalid:
        raise NotFound("未找到该单位。", "No such record.") from None
    if user.scope.county_code is not None and payee.county_code != user.scope.county_code:
        raise NotFound("未找到该单位。", "No such record.")
    return payee.kind, payee.id, payee.name
