"""What the fulfilment pages and API read: applications, notices, batches and ledger rows within the
user's scope, with the names people recognise. Scope is a clause of every query (the reach
``zhijiao.fulfilment.scope`` writes), so a row outside it is never loaded, let alone shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from zhijiao.accounts.models import User
from zhijiao.authz import Principal, Role, Scope
from zhijiao.fulfilment.models import Application, Decision, LedgerEntry, Notice, PaymentBatch
from zhijiao.fulfilment.scope import application_scope, entity_scope, ledger_scope
from zhijiao.fulfilment.states import Status
from zhijiao.refusals import NotFound
from zhijiao.registry.models import County, Enterprise, Platform, School

PER_PAGE = 25

# What each role has to act on: the default view of its awards page ("待办").
WAITING_FOR: dict[Role, tuple[Status, ...]] = {
    Role.county_officer: (Status.submitted, Status.pending),
    Role.city_admin: (Status.county_reviewed, Status.city_approved),
    Role.finance_officer: (Status.payment_scheduled,),
    Role.school_user: (Status.draft, Status.returned),
    Role.enterprise_user: (Status.draft, Status.returned),
}


def counties(session: Session) -> dict[str, str]:
    """County code → name, in code order."""
    return dict(session.execute(select(County.code, County.name).order_by(County.code)).all())


@dataclass(frozen=True)
class EntityName:
    kind: str  # school | enterprise | platform
    code: str
    name: str


def entity_names(
    session: Session, rows: Sequence[tuple[int | None, int | None, int | None]]
) -> dict[tuple[int | None, int | None, int | None], EntityName]:
    """The entity of each (school_id, enterprise_id, platform_id), by code and name."""
    wanted = {
        kind: {r[i] for r in rows if r[i] is not None} for i, kind in enumerate(("school", "enterprise", "platform"))
    }
    found: dict[str, dict[int, tuple[str, str]]] = {}
    for kind, model in (("school", School), ("enterprise", Enterprise), ("platform", Platform)):
        ids = wanted[kind]
        query = select(model.id, model.code, model.name).where(model.id.in_(ids))
        found[kind] = {i: (c, n) for i, c, n in session.execute(query)} if ids else {}
    out = {}
    for row in rows:
        for i, kind in enumerate(("school", "enterprise", "platform")):
            if row[i] is not None and row[i] in found[kind]:
                code, name = found[kind][row[i]]  # type: ignore[index]
                out[row] = EntityName(kind, code, name)
    return out


# --- applications --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AwardFilter:
    status: str | None = None
    year: int | None = None
    article: str | None = None
    county: str | None = None  # a county code; only for city-wide users
    q: str = ""  # an application number, or part of the entity's name or code
    todo: bool = False  # only what the user's role has to act on
    page: int = 1


@dataclass(frozen=True)
class AwardRow:
    id: int
    number: str
    entitlement: str
    article: str
    entity: EntityName
    county_code: str
    county: str
    year: int
    level: str | None
    origin: str
    status: str
    claimed_fen: int | None
    decided_fen: int | None
    needs_re_review: bool
    batch_id: int | None
    created_at: dt.datetime


T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    rows: list[T]
    total: int
    page: int
    pages: int


def _pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def latest_decisions() -> Select[int, int]:
    """(application id, amount) of each application's latest decision."""
    latest = select(func.max(Decision.id)).group_by(Decision.application_id)
    return select(Decision.application_id, Decision.amount_fen).where(Decision.id.in_(latest))


def _name_match(q: str) -> ColumnElement[bool]:
    like = f"%{q}%"
    schools = select(School.id).where(or_(School.name.like(like), School.code.like(like)))
    firms = select(Enterprise.id).where(or_(Enterprise.name.like(like), Enterprise.code.like(like)))
    platforms = select(Platform.id).where(or_(Platform.name.like(like), Platform.code.like(like)))
    return or_(
        Application.number.like(like),
        Application.school_id.in_(schools),
        Application.enterprise_id.in_(firms),
        Application.platform_id.in_(platforms),
    )


def award_query(role: Role, scope: Scope, chosen: AwardFilter) -> Select[Application]:
    query = select(Application).where(application_scope(scope))
    if chosen.todo and role in WAITING_FOR:
        query = query.where(Application.status.in_([s.value for s in WAITING_FOR[role]]))
    if chosen.status:
        query = query.where(Application.status == chosen.status)
    if chosen.year:
        query = query.where(Application.year == chosen.year)
    if chosen.article:
        query = query.where(Application.article == chosen.article)
    if chosen.county and scope.citywide:
        query = query.where(Application.county_code == chosen.county)
    if chosen.q:
        query = query.where(_name_match(chosen.q))
    return query


def awards(
    session: Session, role: Role, scope: Scope, chosen: AwardFilter, per_page: int = PER_PAGE
) -> Found[AwardRow]:
    query = award_query(role, scope, chosen)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = _pages(total, per_page)
    page = min(chosen.page, pages)
    found = list(session.scalars(query.order_by(Application.id.desc()).offset((page - 1) * per_page).limit(per_page)))
    decided = dict(session.execute(latest_decisions().where(Decision.application_id.in_([a.id for a in found]))).all())
    names = entity_names(session, [(a.school_id, a.enterprise_id, a.platform_id) for a in found])
    county = counties(session)
    rows = [
        AwardRow(
            id=a.id,
            number=a.number,
            entitlement=a.entitlement,
            article=a.article,
            entity=names[(a.school_id, a.enterprise_id, a.platform_id)],
            county_code=a.county_code,
            county=county.get(a.county_code, a.county_code),
            year=a.year,
            level=a.level,
            origin=a.origin,
            status=a.status,
            claimed_fen=a.claimed_fen,
            decided_fen=decided.get(a.id),
            needs_re_review=a.needs_re_review,
            batch_id=a.batch_id,
            created_at=a.created_at,
        )
        for a in found
    ]
    return Found(rows, total, page, pages)


def award_years(session: Session, scope: Scope) -> list[int]:
    query = select(Application.year).where(application_scope(scope)).distinct().order_by(Application.year.desc())
    return list(session.scalars(query))


def application_notices(session: Session, application_id: int) -> list[Notice]:
    """What the entity was told about one application, oldest first (the caller has checked its reach)."""
    query = select(Notice).where(Notice.application_id == application_id).order_by(Notice.id)
    return list(session.scalars(query))


def notices(session: Session, scope: Scope, limit: int = 20) -> list[Notice]:
    """What the entity was told, newest first (only for users of one school or enterprise)."""
    if scope.school_id is None and scope.enterprise_id is None:
        return []
    mine = entity_scope(scope, Notice.school_id, Notice.enterprise_id, Notice.platform_id)
    return list(session.scalars(select(Notice).where(mine).order_by(Notice.id.desc()).limit(limit)))


# --- batches and the ledger ----------------------------------------------------------------------------


def batch_scope(scope: Scope) -> ColumnElement[bool]:
    """A county officer sees its county finance's batches; city-wide users every batch."""
    if scope.county_code is not None:
        return PaymentBatch.payer_county_code == scope.county_code
    return true()


def batches(session: Session, scope: Scope, limit: int = 100) -> list[PaymentBatch]:
    query = select(PaymentBatch).where(batch_scope(scope)).order_by(PaymentBatch.id.desc()).limit(limit)
    return list(session.scalars(query))


def batch_ids(session: Session, scope: Scope) -> list[int]:
    """Every batch within the user's reach (a county officer: its county's)."""
    return list(session.scalars(select(PaymentBatch.id).where(batch_scope(scope))))


def batch_totals(session: Session, batch_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Each batch's rows as they stand: (count, total of the latest decisions)."""
    if not batch_ids:
        return {}
    decided = latest_decisions().subquery()
    query = (
        select(Application.batch_id, func.count(), func.coalesce(func.sum(decided.c.amount_fen), 0))
        .join(decided, decided.c.application_id == Application.id, isouter=True)
        .where(Application.batch_id.in_(batch_ids))
        .group_by(Application.batch_id)
    )
    return {int(b): (int(c), int(t)) for b, c, t in session.execute(query)}


def paid_totals(session: Session, batch_id: int) -> tuple[int, int]:
    """A released batch's payments as the ledger holds them: (count, total in fen)."""
    query = select(func.count(), func.coalesce(func.sum(LedgerEntry.amount_fen), 0)).where(
        LedgerEntry.batch_id == batch_id
    )
    count, total = session.execute(query).one()
    return int(count), int(total)


@dataclass(frozen=True)
class LedgerFilter:
    year: int | None = None
    article: str | None = None
    county: str | None = None
    payer: str | None = None
    kind: str | None = None
    batch: int | None = None
    page: int = 1


def _ledger_query(scope: Scope, chosen: LedgerFilter) -> Select[LedgerEntry]:
    query = select(LedgerEntry).where(ledger_scope(scope))
    for column, value in (
        (LedgerEntry.year, chosen.year),
        (LedgerEntry.article, chosen.article),
        (LedgerEntry.payer, chosen.payer),
        (LedgerEntry.kind, chosen.kind),
        (LedgerEntry.batch_id, chosen.batch),
    ):
        if value:
            query = query.where(column == value)
    if chosen.county and scope.citywide:
        query = query.where(LedgerEntry.county_code == chosen.county)
    return query


def ledger(session: Session, scope: Scope, chosen: LedgerFilter, per_page: int = 50) -> Found[LedgerEntry]:
    query = _ledger_query(scope, chosen)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = _pages(total, per_page)
    page = min(chosen.page, pages)
    rows = session.scalars(query.order_by(LedgerEntry.id.desc()).offset((page - 1) * per_page).limit(per_page))
    return Found(list(rows), total, page, pages)


def ledger_all(session: Session, scope: Scope, chosen: LedgerFilter) -> list[LedgerEntry]:
    """Every row the filter selects (all pages), oldest first: what an export holds."""
    return list(session.scalars(_ledger_query(scope, chosen).order_by(LedgerEntry.id)))


def ledger_sum(session: Session, scope: Scope, chosen: LedgerFilter) -> int:
    """The net of every row the filter selects (all pages), in fen."""
    ids = _ledger_query(scope, chosen).with_only_columns(LedgerEntry.id)
    total = session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0)).where(LedgerEntry.id.in_(ids)))
    return int(total or 0)


def corrected(session: Session, entry_ids: Sequence[int]) -> dict[int, int]:
    """Payment id → the id of the reversal or claw-back that corrected it."""
    if not entry_ids:
        return {}
    correction = aliased(LedgerEntry)
    query = select(correction.reverses_id, correction.id).where(correction.reverses_id.in_(entry_ids))
    return {int(p): int(c) for p, c in session.execute(query) if p is not None}


def application_numbers(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(Application.id, Application.number).where(Application.id.in_(wanted))).all())


def usernames(session: Session, ids: Sequence[int | None], *, display: bool = False) -> dict[int, str]:
    """User id → user name (what the API gives), or the display name (what the pages show)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    column = User.display_name if display else User.username
    return {int(i): str(name) for i, name in session.execute(select(User.id, column).where(User.id.in_(wanted)))}


APPLICATION_NOT_FOUND = ("未找到该申报，或不在您的范围内。", "No such application within your reach.")


def visible_application(db: Session, user: Principal, application_id: int) -> Application:
    """The application, if the user's scope reaches it (a read: no lock); 404 otherwise."""
    query = select(Application).where(Application.id == application_id, application_scope(user.scope))
    application = db.scalar(query)
    if application is None:
        raise NotFound(*APPLICATION_NOT_FOUND)
    return application
