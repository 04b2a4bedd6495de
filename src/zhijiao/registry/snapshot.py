"""The registry for one year as the engine's input frames: the same engine as ``zhijiao calc``, no second copy.

A certification revoked on or before the calculation date gives no entitlement; revoked later, it
still counts in the year it was dated (claw-back is the fulfilment's business). A school's local average teacher
salary (Art. 13) is its county's standard for the year and the school's type: a county figure, not the school's.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Mapping
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

import polars as pl
from sqlalchemy import Engine, Pool, Select, and_, event, func, select, true
from sqlalchemy.orm import Session

from zhijiao.audit.models import AuditRecord
from zhijiao.engine.inputs import check_bounds, checked, dtype
from zhijiao.engine.policy import Policy
from zhijiao.engine.rules import Period
from zhijiao.registry import models as registry_models
from zhijiao.registry.models import (
    County,
    Donation,
    Enterprise,
    EnterpriseCertification,
    Platform,
    PlatformCertification,
    SalaryStandard,
    School,
    SchoolYear,
    StudentStats,
    TeacherStats,
)

# A certification's revocation date: read beside its inputs, dropped once a year's date has filtered on it.
REVOKED = "revoked_on"


def _frame(
    policy: Policy, entity: str, rows: list[dict[str, Any]], extra: Mapping[str, Any] | None = None
) -> pl.DataFrame:
    schema = {v.name: dtype(v.unit) for v in policy.entities[entity].inputs} | dict(extra or {})
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


Only = Mapping[str, Collection[str]] | None  # entity → the codes to read (absent: none); None: every record


def _where(only: Only, entity: str, column: Any) -> Any:  # noqa: ANN401 -- a SQL expression
    return true() if only is None else column.in_(list(only.get(entity, ())))


# A school's inputs in the order ``_schools`` selects them.
SCHOOL_COLUMNS = (
    "id",
    "name",
    "county",
    "school_type",
    "ownership",
    "sponsor",
    "double_high",
    "students",
    "double_high_group_students",
    "base_appropriation_per_student",
    "full_time_teachers",
    "part_time_teachers",
    "part_time_teacher_fte",
    "local_avg_teacher_salary",
    "market_service_income",
    "capital_donations",
)


def _schools(session: Session, year: int, only: Only = None) -> list[dict[str, Any]]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    donations = (
        select(Donation.school_id, func.sum(Donation.amount_fen).label("capital"))
        .where(Donation.capital.is_(True), Donation.received_on.between(start, end))
        .group_by(Donation.school_id)
        .subquery()
    )
    # Columns, not mapped objects: the whole registry's schools are read on every cold cost, and building an
    # object per school, year and statistics row was most of that time.
    query = (
        select(
            School.code,
            School.name,
            County.name,
            School.school_type,
            School.ownership,
            School.sponsor,
            SchoolYear.id,
            SchoolYear.double_high,
            StudentStats.enrolled,
            SchoolYear.double_high_group_students,
            SchoolYear.base_appropriation_per_student_fen,
            TeacherStats.full_time,
            TeacherStats.part_time,
            TeacherStats.part_time_fte_hundredths,
            SalaryStandard.avg_teacher_salary_fen,
            SchoolYear.market_service_income_fen,
            donations.c.capital,
        )
        .join(County, School.county_code == County.code)
        .outerjoin(SchoolYear, and_(SchoolYear.school_id == School.id, SchoolYear.year == year))
        .outerjoin(TeacherStats, and_(TeacherStats.school_id == School.id, TeacherStats.year == year))
        .outerjoin(StudentStats, and_(StudentStats.school_id == School.id, StudentStats.year == year))
        .outerjoin(
            SalaryStandard,
            and_(
                SalaryStandard.county_code == School.county_code,
                SalaryStandard.year == year,
                SalaryStandard.school_type == School.school_type,
            ),
        )
        .outerjoin(donations, donations.c.school_id == School.id)
        .where(_where(only, "school", School.code))
        .order_by(School.code)
    )
    rows = []
    for row in session.execute(query):
        code, name, county, school_type, ownership, sponsor, year_id, double_high, *figures = row
        rows.append(
            dict(
                zip(
                    SCHOOL_COLUMNS,
                    (code, name, county, school_type, ownership, sponsor,
                     double_high if year_id is not None else "none", *figures),
                    strict=True,
                )
            )
        )  # fmt: skip
    return rows


def _rows(session: Session, query: Select[*tuple[Any, ...]], names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [dict(zip(names, row, strict=True)) for row in session.execute(query)]


def _certifications(
    session: Session,
    certification: Any,  # noqa: ANN401 -- either certification model
    owner: Any,  # noqa: ANN401 -- its owner's model
    only: Only = None,
) -> list[dict[str, Any]]:
    """Every certification with its revocation date (``REVOKED``), keyed by its owner's code (enterprise or
    platform); ``_live`` keeps those a year's date still counts."""
    link = certification.enterprise_id if owner is Enterprise else certification.platform_id
    owner_entity = "enterprise" if owner is Enterprise else "platform"
    query = (
        select(
            certification.code, owner.code, certification.level, certification.certified_on, certification.revoked_on
        )
        .join(owner, link == owner.id)
        .where(_where(only, owner_entity, owner.code))
        .order_by(certification.code)
    )
    owner_column = "enterprise_id" if owner is Enterprise else "platform_id"
    return _rows(session, query, ("id", owner_column, "level", "date", REVOKED))


def _live(frame: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Certifications not revoked by ``as_of``."""
    return frame.filter(pl.col(REVOKED).is_null() | (pl.col(REVOKED) > as_of)).drop(REVOKED)


def frames_for_year(session: Session, policy: Policy, period: Period, only: Only = None) -> dict[str, pl.DataFrame]:
    """Every school, enterprise and platform of the registry (or ``only`` those), with ``period``'s figures.

    The whole registry is read once per version of the data (``cached``): every cost, award run and ledger page
    of a year starts from it, and reading it is most of what they cost."""
    if only is None:
        return dict(cached(session, ("frames", period), policy, lambda: _read_frames(session, policy, period, None)))
    return _read_frames(session, policy, period, only)


def _read_frames(session: Session, policy: Policy, period: Period, only: Only) -> dict[str, pl.DataFrame]:
    if only is None:  # the same for every year (certifications filtered by date below): read once per version
        others = cached(session, ("frames of every year",), policy, lambda: _year_free(session, policy, None))
    else:
        others = _year_free(session, policy, only)
    frames = {
        "school": _frame(policy, "school", _schools(session, period.year, only)),
        "enterprise": others["enterprise"],
        "enterprise_certification": _live(others["enterprise_certification"], period.as_of),
        "platform": others["platform"],
        "platform_certification": _live(others["platform_certification"], period.as_of),
    }
    check_bounds(policy.entities, frames)
    return checked(policy.entities, frames)


def _year_free(session: Session, policy: Policy, only: Only) -> dict[str, pl.DataFrame]:
    """The enterprises, platforms and every certification (with ``REVOKED``): nothing here depends on the year."""
    enterprises = _rows(
        session,
        select(Enterprise.code, Enterprise.name, County.name)
        .join(County, Enterprise.county_code == County.code)
        .where(_where(only, "enterprise", Enterprise.code))
        .order_by(Enterprise.code),
        ("id", "name", "county"),
    )
    platforms = _rows(
        session,
        select(Platform.code, Platform.name, School.code, Platform.kind)
        .join(School, Platform.school_id == School.id)
        .where(_where(only, "platform", Platform.code))
        .order_by(Platform.code),
        ("id", "name", "school_id", "kind"),
    )
    enterprise_certifications = _certifications(session, EnterpriseCertification, Enterprise, only)
    platform_certifications = _certifications(session, PlatformCertification, Platform, only)
    revoked = {REVOKED: pl.Date}
    return {
        "enterprise": _frame(policy, "enterprise", enterprises),
        "enterprise_certification": _frame(policy, "enterprise_certification", enterprise_certifications, revoked),
        "platform": _frame(policy, "platform", platforms),
        "platform_certification": _frame(policy, "platform_certification", platform_certifications, revoked),
    }


def frames_for_entity(
    session: Session, policy: Policy, period: Period, entity: str, code: str
) -> dict[str, pl.DataFrame]:
    """One school, enterprise or platform (with its school) and its certifications: what its situation needs,
    read without the rest of the registry (an approval is one award, not the city)."""
    only: dict[str, set[str]] = {entity: {code}}
    if entity == "platform":
        school = session.scalar(
            select(School.code).join(Platform, Platform.school_id == School.id).where(Platform.code == code)
        )
        only["school"] = {school} if school is not None else set()
    return frames_for_year(session, policy, period, only)


# ---------------------------------------------------------------------------------------------------------------
# What the whole registry costs to read or compute, kept per version of the data (never per time)
# ---------------------------------------------------------------------------------------------------------------

T = TypeVar("T")
KEPT = 256  # results kept per database: each year, county and target the pages ask for, with room to spare
# Statements that change no table's rows; anything else counts as a write (a needless miss at worst).
READS = frozenset({"SELECT", "PRAGMA", "SHOW", "EXPLAIN", "SAVEPOINT", "RELEASE", "BEGIN", "SET"})
# Signing in and a session's "last seen" write on almost any request and change no figure a page computes.
UNCOUNTED = frozenset({"user_sessions", "login_attempts", "sign_in_throttles"})
TARGET = re.compile(r'\s*(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
WROTE = "zhijiao_wrote"  # in a connection's info: it wrote in its open transaction
_lock = threading.Lock()
_writes = 0  # writes and their commits or rollbacks seen by this process, on any database
_kept: WeakKeyDictionary[Engine, OrderedDict[Hashable, tuple[Hashable, Policy, Any]]] = WeakKeyDictionary()
# Inserts by another process that keeps no audit record (``zhijiao demo`` into a served database) move these.
_ID_TABLES = [
    getattr(registry_models, name).__table__
    for name in registry_models.__all__
    if "id" in getattr(registry_models, name).__table__.c
]


def _bump() -> None:
    global _writes  # noqa: PLW0603 -- the process's one write counter
    with _lock:
        _writes += 1


def _counts_as_write(statement: str) -> bool:
    words = statement.lstrip().split(None, 1)
    if not words or words[0].upper() in READS:
        return False
    target = TARGET.match(statement)
    return target is None or target.group(1).lower() not in UNCOUNTED


@event.listens_for(Engine, "before_cursor_execute")
def _seen(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:  # noqa: ANN401 -- SQLAlchemy's hook
    if _counts_as_write(statement):
        conn.info[WROTE] = True
        _bump()


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _ended(conn: Any) -> None:  # noqa: ANN401
    # Bumped again at the end: a result computed while the write was open, from the data before it, is not
    # kept under a version that outlives the commit (or the rollback of what a reader never saw).
    if conn.info.pop(WROTE, False):
        _bump()


@event.listens_for(Pool, "reset")
def _reset(dbapi_connection: Any, connection_record: Any, reset_state: Any) -> None:  # noqa: ANN401, ARG001
    # A connection handed back without its transaction ended is rolled back by the pool, not by a Connection.
    # (SQLAlchemy 2 tells the hook's signature by its argument names: these three, or a deprecation warning.)
    if connection_record.info.pop(WROTE, False):
        _bump()


def data_version(session: Session) -> Hashable:
    """Changes whenever the data may have: this process's writes, the audit trail's head (every change the
    platform makes, from any process or worker, is recorded there) and the registry tables' highest ids."""
    with _lock:
        writes = _writes
    heads = [select(func.max(AuditRecord.id)).scalar_subquery()]
    heads += [select(func.max(table.c.id)).scalar_subquery() for table in _ID_TABLES]
    return (writes, *session.execute(select(*heads)).one())


def cached(session: Session, key: Hashable, policy: Policy, compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned for ``key`` and ``policy`` on the same database at the same
    ``data_version``. A session that has written in its open transaction computes afresh: what it sees is
    not what others see. Results are shared between requests, so callers must not change them."""
    connection = session.connection()
    if connection.info.get(WROTE) or session.new or session.dirty or session.deleted:
        return compute()
    version = data_version(session)
    engine = connection.engine
    with _lock:
        kept = _kept.setdefault(engine, OrderedDict())
        hit = kept.get(key)
    if hit is not None and hit[0] == version and hit[1] is policy:
        return hit[2]  # type: ignore[no-any-return]
    value = compute()
    with _lock:
        kept[key] = (version, policy, value)
        kept.move_to_end(key)
        while len(kept) > KEPT:
            kept.popitem(last=False)
    return value


def forget() -> None:
    """Drops every kept result: the next request computes as after a change (benchmarks measure that case)."""
    with _lock:
        _kept.clear()
