"""What each target measures, computed from the registry by county for a year.

Cumulative targets count from the plan's start (2023-01-01) to the end of the year; rates are the
year's own. Each measure returns {county name: (numerator, denominator)}: the denominator is 1 for
counts and sums, so county values add up to the city's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from zhijiao.registry.models import (
    County,
    NationalBrand,
    Platform,
    PlatformCertification,
    Project,
    School,
    SchoolYear,
    StudentStats,
    TeacherStats,
)

PLAN_START = dt.date(2023, 1, 1)
Ratio = dict[str, tuple[int, int]]
CITY = "全市"


def _by_county(session: Session, query: Select[str, Any, Any]) -> Ratio:
    """Rows of (county name, numerator, denominator) → the ratio per county."""
    out: dict[str, tuple[int, int]] = {}
    for county, numerator, denominator in session.execute(query):
        out[county] = (int(numerator or 0), int(denominator or 0))
    return out


def _counts(session: Session, query: Select[str, Any, Any]) -> Ratio:
    """A count or sum per county: the denominator is 1, so counties add up to the city."""
    return {county: (numerator, 1) for county, (numerator, _) in _by_county(session, query).items()}


def _school_sum(column: Any, model: Any, years: tuple[int, int], extra: Any = None) -> Select[str, Any, Any]:  # noqa: ANN401
    query = (
        select(County.name, func.sum(column), func.count().label("n"))
        .select_from(model)
        .join(School, model.school_id == School.id)
        .join(County, School.county_code == County.code)
        .where(model.year.between(*years))
        .group_by(County.name)
    )
    return query.where(extra) if extra is not None else query


def investment(session: Session, year: int) -> Ratio:
    """T1: investment actually made in projects started since the plan began (yuan in fen)."""
    end = dt.date(year, 12, 31)
    query = (
        select(County.name, func.sum(func.coalesce(Project.actual_investment_fen, 0)), func.count())
        .join(School, Project.school_id == School.id)
        .join(County, School.county_code == County.code)
        .where(Project.started_on.between(PLAN_START, end))
        .group_by(County.name)
    )
    return _counts(session, query)


def schools_started(session: Session, year: int) -> Ratio:
    """T2: schools with a new, relocated or expanded building project started since the plan began."""
    end = dt.date(year, 12, 31)
    query = (
        select(County.name, func.count(func.distinct(Project.school_id)), func.count())
        .join(School, Project.school_id == School.id)
        .join(County, School.county_code == County.code)
        .where(Project.started_on.between(PLAN_START, end))
        .group_by(County.name)
    )
    return _counts(session, query)


def platforms(session: Session, year: int) -> Ratio:
    """T3: platforms certified (new or upgraded) since the plan began, not revoked by the year's end."""
    end = dt.date(year, 12, 31)
    live = or_(PlatformCertification.revoked_on.is_(None), PlatformCertification.revoked_on > end)
    query = (
        select(County.name, func.count(func.distinct(PlatformCertification.platform_id)), func.count())
        .join(Platform, PlatformCertification.platform_id == Platform.id)
        .join(School, Platform.school_id == School.id)
        .join(County, School.county_code == County.code)
        .where(PlatformCertification.certified_on.between(PLAN_START, end), live)
        .group_by(County.name)
    )
    return _counts(session, query)


def _brands(session: Session, year: int, categories: tuple[str, ...]) -> Ratio:
    end = dt.date(year, 12, 31)
    query = (
        select(func.coalesce(County.name, CITY), func.count(), func.count())
        .select_from(NationalBrand)
        .outerjoin(School, NationalBrand.school_id == School.id)
        .outerjoin(County, School.county_code == County.code)
        .where(NationalBrand.category.in_(categories), NationalBrand.awarded_on.between(PLAN_START, end))
        .group_by(County.name)
    )
    return _counts(session, query)


def national_brands(session: Session, year: int) -> Ratio:
    """T4: national-level ("国字号") brands won since the plan began."""
    return _brands(session, year, ("brand",))


def quality_schools(session: Session, year: int) -> Ratio:
    """T10: national high-quality secondary schools or majors."""
    return _brands(session, year, ("quality_school", "quality_major"))


def teachers_trained(session: Session, year: int) -> Ratio:
    """T5: "双师型" teachers trained, 2023 to the year."""
    return _counts(session, _school_sum(TeacherStats.double_qualified_trained, TeacherStats, (2023, year)))


def students_trained(session: Session, year: int) -> Ratio:
    """T6: students trained (graduates), 2023 to the year."""
    return _counts(session, _school_sum(StudentStats.graduates, StudentStats, (2023, year)))


def social_training(session: Session, year: int) -> Ratio:
    """T7: social training person-times, 2023 to the year."""
    return _counts(session, _school_sum(SchoolYear.social_training_person_times, SchoolYear, (2023, year)))


def local_retention(session: Session, year: int) -> Ratio:
    """T8: higher-vocational graduates employed in Wenzhou ÷ their graduates, in the year."""
    query = (
        select(County.name, func.sum(StudentStats.graduates_local), func.sum(StudentStats.graduates))
        .join(School, StudentStats.school_id == School.id)
        .join(County, School.county_code == County.code)
        .where(StudentStats.year == year, School.school_type == "higher")
        .group_by(County.name)
    )
    return _by_county(session, query)


def standard_met(session: Session, year: int) -> Ratio:
    """T9: schools meeting the national school-conditions standard ÷ schools, in the year."""
    met = func.sum(case((SchoolYear.meets_national_standard.is_(True), 1), else_=0))
    query = (
        select(County.name, met, func.count())
        .join(School, SchoolYear.school_id == School.id)
        .join(County, School.county_code == County.code)
        .where(SchoolYear.year == year)
        .group_by(County.name)
    )
    return _by_county(session, query)


def integrated_share(session: Session, year: int) -> Ratio:
    """T11: students in integrated programmes (中高职, 中本) ÷ secondary students, in the year."""
    integrated = func.coalesce(StudentStats.integrated_secondary_higher, 0) + func.coalesce(
        StudentStats.integrated_secondary_undergraduate, 0
    )
    query = (
        select(County.name, func.sum(integrated), func.sum(StudentStats.enrolled))
        .join(School, StudentStats.school_id == School.id)
        .join(County, School.county_code == County.code)
        .where(StudentStats.year == year, School.school_type.in_(("secondary", "technical")))
        .group_by(County.name)
    )
    return _by_county(session, query)


MEASURES: dict[str, Callable[[Session, int], Ratio]] = {
    "T1": investment,
    "T2": schools_started,
    "T3": platforms,
    "T4": national_brands,
    "T5": teachers_trained,
    "T6": students_trained,
    "T7": social_training,
    "T8": local_retention,
    "T9": standard_met,
    "T10": quality_schools,
    "T11": integrated_share,
}


def city_total(by_county: Ratio) -> tuple[int, int]:
    totals: defaultdict[str, int] = defaultdict(int)
    for numerator, denominator in by_county.values():
        totals["n"] += numerator
        totals["d"] += denominator
    return totals["n"], totals["d"]
