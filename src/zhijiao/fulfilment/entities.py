"""The registry record an entitlement pays, found by its code: its id column, county and name."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import null, select
from sqlalchemy.orm import Session

from zhijiao.authz import Scope
from zhijiao.engine.model import Entitlement
from zhijiao.engine.policy import Policy
from zhijiao.refusals import Forbidden, Invalid
from zhijiao.registry.models import Enterprise, Platform, School


@dataclass(frozen=True)
class Payee:
    kind: str  # school | enterprise | platform
    id: int
    code: str
    name: str
    county_code: str
    sponsor: str | None  # a school's sponsor (city | county): who pays its Art. 13 and Art. 20 money

    @property
    def columns(self) -> dict[str, int | None]:
        """The application's and ledger's entity columns."""
        return {f"{k}_id": (self.id if k == self.kind else None) for k in ("school", "enterprise", "platform")}


def find_payee(session: Session, kind: str, code: str) -> Payee:
    if kind == "school":
        school = session.scalar(select(School).where(School.code == code))
        if school:
            return Payee(kind, school.id, school.code, school.name, school.county_code, school.sponsor)
    elif kind == "enterprise":
        firm = session.scalar(select(Enterprise).where(Enterprise.code == code))
        if firm:
            return Payee(kind, firm.id, firm.code, firm.name, firm.county_code, None)
    elif kind == "platform":
        row = session.execute(
            select(Platform, School.county_code)
            .join(School, Platform.school_id == School.id)
            .where(Platform.code == code)
        ).first()
        if row:
            platform, county = row
            return Payee(kind, platform.id, platform.code, platform.name, county, None)
    raise Invalid(f"登记中没有代码为 {code} 的{kind}。", f"There is no {kind} with code {code} in the registry.")


def payee_of(session: Session, school_id: int | None, enterprise_id: int | None, platform_id: int | None) -> Payee:
    if school_id is not None:
        code = session.scalar(select(School.code).where(School.id == school_id))
        return find_payee(session, "school", str(code))
    if enterprise_id is not None:
        code = session.scalar(select(Enterprise.code).where(Enterprise.id == enterprise_id))
        return find_payee(session, "enterprise", str(code))
    code = session.scalar(select(Platform.code).where(Platform.id == platform_id))
    return find_payee(session, "platform", str(code))


# Bound parameters per IN list: far below SQLite's (32,766) and PostgreSQL's (65,535) limits, and above any one
# batch or year of awards at the demo's scale, so a bulk read stays one statement there.
CHUNK = 5000
T = TypeVar("T")
EntityIds = tuple[int | None, int | None, int | None]  # an application's (school_id, enterprise_id, platform_id)


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """``values`` without repeats, sorted, in slices of at most ``size``: one IN list each."""
    unique: list[Any] = sorted(set(values))
    for start in range(0, len(unique), size):
        yield unique[start : start + size]


def _payees(session: Session, kind: str, column: str, values: Iterable[Any]) -> list[Payee]:
    """The payees of one kind whose ``column`` (code or id) is among ``values``, as ``find_payee`` makes each."""
    query: Any
    if kind == "school":
        query = select(School.id, School.code, School.name, School.county_code, School.sponsor)
        model: Any = School
    elif kind == "enterprise":
        query = select(Enterprise.id, Enterprise.code, Enterprise.name, Enterprise.county_code, null())
        model = Enterprise
    else:
        query = select(Platform.id, Platform.code, Platform.name, School.county_code, null()).join(
            School, Platform.school_id == School.id
        )
        model = Platform
    where = getattr(model, column)
    return [Payee(kind, *row) for part in chunks(values) for row in session.execute(query.where(where.in_(part)))]


def find_payees(session: Session, kind: str, codes: Sequence[str]) -> dict[str, Payee]:
    """``find_payee`` for many codes of one kind in one query (per 5,000); refuses, as it does, the first code the
    registry does not hold."""
    found = {p.code: p for p in _payees(session, kind, "code", codes)}
    for code in codes:
        if code not in found:
            raise Invalid(
                f"登记中没有代码为 {code} 的{kind}。", f"There is no {kind} with code {code} in the registry."
            )
    return found


def payees_of(session: Session, entities: Iterable[EntityIds]) -> dict[EntityIds, Payee]:
    """``payee_of`` for many applications: one query per kind of entity among them, not two per application."""
    wanted = list(entities)
    out: dict[EntityIds, Payee] = {}
    for position, kind in enumerate(("school", "enterprise", "platform")):
        ids = {e[position] for e in wanted if e[position] is not None}
        for payee in _payees(session, kind, "id", ids) if ids else ():
            key: list[int | None] = [None, None, None]
            key[position] = payee.id
            out[key[0], key[1], key[2]] = payee
    return out


def payer_of(policy: Policy, payee: Payee, entitlement: Entitlement) -> tuple[str, str | None]:
    """Who pays, as the policy's cost items say (C14): a constant payer, or the entity's own column (a
    school's sponsor); a county pays from the payee's county."""
    item = next(c for c in policy.cost_items if c.entity == entitlement.entity and c.output == entitlement.output)
    if item.payer.startswith("="):
        payer = item.payer[1:]
    elif item.payer == "sponsor" and payee.sponsor:
        payer = payee.sponsor
    else:
        raise Invalid(f"无法确定{payee.code}的付款方。", f"The payer of {payee.code} cannot be determined.")
    return payer, (payee.county_code if payer == "county" else None)


@dataclass(frozen=True)
class Payees:
    """What the user may apply for: its school (and the school's platforms) or its enterprise, and the policy's
    entitlements those are paid."""

    school: School | None
    enterprise: Enterprise | None
    platforms: list[Platform]
    offered: list[Entitlement]


def payees(db: Session, policy: Policy, scope: Scope) -> Payees:
    school = db.get(School, scope.school_id) if scope.school_id else None
    enterprise = db.get(Enterprise, scope.enterprise_id) if scope.enterprise_id else None
    if school is None and enterprise is None:
        raise Forbidden("只有学校或企业用户可以申报。", "Only school and enterprise users apply.")
    platforms = (
        list(db.scalars(select(Platform).where(Platform.school_id == school.id).order_by(Platform.code)))
        if school
        else []
    )
    kinds = {"school", "platform"} if school else {"enterprise"}
    # What needs an application first; a proactive award is applied for only when the registry misses it.
    offered = sorted((e for e in policy.entitlements if e.entity in kinds), key=lambda e: e.proactive)
    return Payees(school, enterprise, platforms, offered)
