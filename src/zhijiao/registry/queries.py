"""The registry's lists as people browse them: schools, enterprises, platforms and construction projects,
searched, filtered, sorted and paged in the database, and limited to the rows the user reaches.

Pages and the API both call these; each returns plain rows (money in fen, codes, county names) that the
transport layers format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from zhijiao.authz import Scope
from zhijiao.registry.choices import CERTIFICATION_LEVELS
from zhijiao.registry.models import (
    County,
    Enterprise,
    EnterpriseCertification,
    Platform,
    PlatformCertification,
    Project,
    School,
    SchoolYear,
    StudentStats,
    TeacherStats,
)
from zhijiao.registry.reach import reach
from zhijiao.registry.tables import BY_NAME

ENTITY_TABLES = ("schools", "enterprises", "platforms", "projects")
LEVEL_RANK = {
    level: rank for rank, level in enumerate(CERTIFICATION_LEVELS.codes, start=1)
}  # city < provincial < national
RANK_LEVEL = {rank: level for level, rank in LEVEL_RANK.items()}


@dataclass(frozen=True)
class ListQuery:
    """What a user asked of a list. ``county`` is a county code; ``kind`` the school type, platform kind or
    project kind; ``level`` the double-high level (schools) or the certification level (enterprises,
    platforms); ``year`` the year whose figures and certifications a row shows."""

    q: str = ""
    county: str | None = None
    kind: str | None = None
    level: str | None = None
    year: int | None = None
    sort: str = "code"
    descending: bool = False
    page: int = 1
    per_page: int = 25

    def with_page(self, page: int) -> ListQuery:
        return replace(self, page=page)


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    total: int
    page: int
    per_page: int
    sort: str
    descending: bool
    sorts: tuple[str, ...] = field(default=())  # the columns this list sorts by

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def years_with_data(session: Session) -> list[int]:
    """The years the registry holds school figures for, oldest first: the years a cost, a report, an award run
    or a registry view can be asked for (the one query for "years with data")."""
    return list(session.scalars(select(SchoolYear.year).distinct().order_by(SchoolYear.year)))


def scope_label(session: Session, scope: Scope) -> str | None:
    """What a scoped user's pages are limited to (a county, a school or an enterprise), for the page to say."""
    if scope.county_code is not None:
        return session.scalar(select(County.name).where(County.code == scope.county_code))
    if scope.school_id is not None:
        return session.scalar(select(School.name).where(School.id == scope.school_id))
    if scope.enterprise_id is not None:
        return session.scalar(select(Enterprise.name).where(Enterprise.id == scope.enterprise_id))
    return None


def year_end(year: int | None) -> dt.date:
    """The day a year's certifications are counted on (today when no year is chosen)."""
    return dt.date(year, 12, 31) if year is not None else dt.datetime.now(dt.UTC).date()


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search(query: ListQuery, *columns: Any) -> ColumnElement[bool] | None:  # noqa: ANN401 -- model attributes
    text = query.q.strip()
    if not text:
        return None
    pattern = _like(text)
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))


def _by_name(session: Session, column: Any) -> Any:  # noqa: ANN401 -- a sort expression
    """Chinese names in pinyin order where the database knows it (PostgreSQL's ICU collation)."""
    return column.collate("zh-x-icu") if session.get_bind().dialect.name == "postgresql" else column


def _page(
    session: Session,
    statement: Any,  # noqa: ANN401 -- a Select of any columns
    query: ListQuery,
    sorts: Mapping[str, Any],
    tiebreak: Any,  # noqa: ANN401 -- the unique code column, so pages never overlap
    conditions: list[ColumnElement[bool] | None],
) -> Page:
    for condition in conditions:
        if condition is not None:
            statement = statement.where(condition)
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    sort = query.sort if query.sort in sorts else "code"
    column = sorts[sort]
    ordered = column.desc() if query.descending else column.asc()
    statement = statement.order_by(ordered.nulls_last(), tiebreak)
    per_page = max(1, query.per_page)
    pages = max(1, -(-total // per_page))
    page = min(max(1, query.page), pages)
    rows = [dict(row._mapping) for row in session.execute(statement.offset((page - 1) * per_page).limit(per_page))]  # noqa: SLF001 -- SQLAlchemy's public row mapping
    return Page(rows, total, page, per_page, sort, query.descending, tuple(sorts))


def schools(session: Session, scope: Scope, query: ListQuery) -> Page:
    """Schools with the chosen year's double-high status, students and teachers."""
    double_high = func.coalesce(SchoolYear.double_high, "none")
    statement = (
        select(
            School.code,
            School.name,
            County.name.label("county"),
            School.school_type,
            School.ownership,
            School.sponsor,
            double_high.label("double_high"),
            StudentStats.enrolled.label("students"),
            TeacherStats.full_time.label("full_time_teachers"),
            TeacherStats.part_time.label("part_time_teachers"),
        )
        .join(County, County.code == School.county_code)
        .outerjoin(SchoolYear, and_(SchoolYear.school_id == School.id, SchoolYear.year == query.year))
        .outerjoin(StudentStats, and_(StudentStats.school_id == School.id, StudentStats.year == query.year))
        .outerjoin(TeacherStats, and_(TeacherStats.school_id == School.id, TeacherStats.year == query.year))
    )
    sorts = {
        "code": School.code,
        "name": _by_name(session, School.name),
        "county": School.county_code,
        "school_type": School.school_type,
        "double_high": double_high,
        "students": StudentStats.enrolled,
        "full_time_teachers": TeacherStats.full_time,
    }
    conditions = [
        reach(BY_NAME["schools"], scope),
        _search(query, School.code, School.name),
        School.county_code == query.county if query.county else None,
        School.school_type == query.kind if query.kind else None,
        double_high == query.level if query.level else None,
    ]
    return _page(session, statement, query, sorts, School.code, conditions)


def _levels(certification: Any, link: Any, as_of: dt.date) -> Any:  # noqa: ANN401 -- model and its owner link
    """Per owner: the highest level of its certifications in force on ``as_of``, and how many there are."""
    rank = case(LEVEL_RANK, value=certification.level, else_=0)
    in_force = and_(
        certification.certified_on <= as_of,
        or_(certification.revoked_on.is_(None), certification.revoked_on > as_of),
    )
    return (
        select(link.label("owner"), func.max(rank).label("rank"), func.count().label("count"))
        .where(in_force)
        .group_by(link)
        .subquery()
    )


def _with_level(page: Page) -> Page:
    for row in page.rows:
        row["level"] = RANK_LEVEL.get(row.pop("rank") or 0)
        row["certifications"] = row.pop("count") or 0
    return page


def enterprises(session: Session, scope: Scope, query: ListQuery) -> Page:
    """Enterprises with the highest integration certification in force at the end of the chosen year."""
    levels = _levels(EnterpriseCertification, EnterpriseCertification.enterprise_id, year_end(query.year))
    statement = (
        select(
            Enterprise.code,
            Enterprise.name,
            County.name.label("county"),
            Enterprise.industry,
            levels.c.rank,
            levels.c.count,
        )
        .join(County, County.code == Enterprise.county_code)
        .outerjoin(levels, levels.c.owner == Enterprise.id)
    )
    sorts = {
        "code": Enterprise.code,
        "name": _by_name(session, Enterprise.name),
        "county": Enterprise.county_code,
        "industry": _by_name(session, Enterprise.industry),
        "level": levels.c.rank,
    }
    conditions = [
        reach(BY_NAME["enterprises"], scope),
        _search(query, Enterprise.code, Enterprise.name),
        Enterprise.county_code == query.county if query.county else None,
        Enterprise.industry == query.kind if query.kind else None,
        levels.c.rank == LEVEL_RANK.get(query.level, -1) if query.level else None,
    ]
    return _with_level(_page(session, statement, query, sorts, Enterprise.code, conditions))


def platforms(session: Session, scope: Scope, query: ListQuery) -> Page:
    """Platforms with their school and the highest certification in force at the end of the chosen year."""
    levels = _levels(PlatformCertification, PlatformCertification.platform_id, year_end(query.year))
    statement = (
        select(
            Platform.code,
            Platform.name,
            School.code.label("school_code"),
            School.name.label("school"),
            County.name.label("county"),
            Platform.kind,
            levels.c.rank,
            levels.c.count,
        )
        .join(School, School.id == Platform.school_id)
        .join(County, County.code == School.county_code)
        .outerjoin(levels, levels.c.owner == Platform.id)
    )
    sorts = {
        "code": Platform.code,
        "name": _by_name(session, Platform.name),
        "school": School.code,
        "county": School.county_code,
        "kind": Platform.kind,
        "level": levels.c.rank,
    }
    conditions = [
        reach(BY_NAME["platforms"], scope),
        _search(query, Platform.code, Platform.name),
        School.county_code == query.county if query.county else None,
        Platform.kind == query.kind if query.kind else None,
        levels.c.rank == LEVEL_RANK.get(query.level, -1) if query.level else None,
    ]
    return _with_level(_page(session, statement, query, sorts, Platform.code, conditions))


def projects(session: Session, scope: Scope, query: ListQuery) -> Page:
    """Construction projects; with a year, those under way in it (started by its end, not completed before it)."""
    statement = (
        select(
            Project.code,
            Project.name,
            School.code.label("school_code"),
            School.name.label("school"),
            County.name.label("county"),
            Project.kind,
            Project.planned_investment_fen,
            Project.actual_investment_fen,
            Project.started_on,
            Project.completed_on,
        )
        .join(School, School.id == Project.school_id)
        .join(County, County.code == School.county_code)
    )
    under_way = None
    if query.year is not None:
        start, end = dt.date(query.year, 1, 1), dt.date(query.year, 12, 31)
        under_way = and_(Project.started_on <= end, or_(Project.completed_on.is_(None), Project.completed_on >= start))
    sorts = {
        "code": Project.code,
        "name": _by_name(session, Project.name),
        "school": School.code,
        "county": School.county_code,
        "kind": Project.kind,
        "planned_investment": Project.planned_investment_fen,
        "actual_investment": Project.actual_investment_fen,
        "started_on": Project.started_on,
        "completed_on": Project.completed_on,
    }
    conditions = [
        reach(BY_NAME["projects"], scope),
        _search(query, Project.code, Project.name),
        School.county_code == query.county if query.county else None,
        Project.kind == query.kind if query.kind else None,
        under_way,
    ]
    return _page(session, statement, query, sorts, Project.code, conditions)


LISTS: dict[str, Callable[[Session, Scope, ListQuery], Page]] = {
    "schools": schools,
    "enterprises": enterprises,
    "platforms": platforms,
    "projects": projects,
}


def industries(session: Session, scope: Scope) -> list[str]:
    """The industries of the enterprises a user reaches (the enterprise list's kinds)."""
    statement = select(Enterprise.industry).where(Enterprise.industry.is_not(None)).distinct()
    condition = reach(BY_NAME["enterprises"], scope)
    if condition is not None:
        statement = statement.where(condition)
    return sorted(str(name) for name in session.scalars(statement))
