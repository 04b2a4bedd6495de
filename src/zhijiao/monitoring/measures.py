"""What each target measures, computed from the registry for a year: the city's figure and each county's.

Cumulative targets count from the plan's start (2023-01-01) to the end of the year; rates are the year's own.
A figure is a (numerator, denominator) pair; the denominator is 1 for counts and sums.

Missing is not zero. A scope (the city, or one county) has a figure only where the registry holds one; where
it holds none the figure is absent (``Figures.of`` gives None) and the target says "无数据 / no data", never 0,
0 % or "behind". Per kind of measure:

- events counted (T2 schools whose building project started, T3 platforms certified, T4 and T10 national
  brands): the registry lists the events themselves, so none listed is a real 0 — in a scope where the registry
  has schools at all; a scope without a single school holds nothing, so it has no data;
- T1, the investment of projects started: no project started is a real 0 (as for T2); projects started but
  none with its actual investment entered is no data; otherwise the sum of the investments entered;
- running totals of a yearly figure (T5 "双师型" teachers trained, T6 graduates, T7 social training): no data
  for a year when no school of the scope has the figure for that year (no rows, or every one blank), even if
  earlier years have it, since the total to that year is then unknown; otherwise the sum of every figure
  entered from 2023 to the year. A figure entered as 0 is a real 0;
- rates of the year (T8 graduates staying in Wenzhou, T9 schools meeting the standard, T11 integrated share):
  a school counts only where both terms are entered, so a blank never counts as "no" in the numerator nor as a
  school in the denominator (T8: graduates and those employed in Wenzhou; T9: the standard flag; T11: enrolment
  and at least one of the two integrated counts, a blank one beside an entered one being a school that runs one
  kind of programme only). No such school, or a denominator of 0, is no data.

A county's figure is its own schools'; the city's is every school's (and T4/T10 brands tied to no school), so
the city has a figure wherever any county has one, and its running totals include a county's earlier years
even in a year that county has no figure of its own.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
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
CITY = "全市"
Figure = tuple[int, int]


@dataclass(frozen=True)
class Figures:
    """A measure in one year: the city's figure and each county's; a scope without data has none."""

    city: Figure | None
    counties: dict[str, Figure]

    def of(self, scope: str) -> Figure | None:
        return self.city if scope == CITY else self.counties.get(scope)


def _with_schools(session: Session) -> set[str]:
    """The counties the registry has schools in: where an event not listed is an event that did not happen."""
    query = select(County.name).join(School, School.county_code == County.code).distinct()
    return set(session.scalars(query))


def _events(session: Session, query: Select[str, int]) -> Figures:
    """Rows of (county name, or None for an event tied to no school; count) → the counts, 0 where none."""
    found = {county: int(count) for county, count in session.execute(query)}
    covered = _with_schools(session)
    total = sum(found.values())
    counties = {name: (found.get(name, 0), 1) for name in covered}
    return Figures((total, 1) if covered or total else None, counties)


def _rate(session: Session, query: Select[str, Any, Any]) -> Figures:
    """Rows of (county name, numerator, denominator) over the schools with both terms entered → the ratios."""
    rows = [
        (county, int(numerator or 0), int(denominator or 0))
        for county, numerator, denominator in session.execute(query)
    ]
    counties = {county: (numerator, denominator) for county, numerator, denominator in rows if denominator > 0}
    numerator, denominator = sum(row[1] for row in rows), sum(row[2] for row in rows)
    return Figures((numerator, denominator) if denominator > 0 else None, counties)


def _running_total(session: Session, column: Any, model: Any, year: int) -> Figures:  # noqa: ANN401
    """The sum of a school's yearly figure from 2023 to ``year``, for the scopes with a figure in ``year``."""
    query = (
        select(County.name, model.year, func.sum(column))
        .select_from(model)
        .join(School, model.school_id == School.id)
        .join(County, School.county_code == County.code)
        .where(model.year.between(PLAN_START.year, year), column.is_not(None))
        .group_by(County.name, model.year)
    )
    totals: defaultdict[str, int] = defaultdict(int)
    this_year: set[str] = set()
    for county, row_year, amount in session.execute(query):
        totals[county] += int(amount)
        if row_year == year:
            this_year.add(county)
    counties = {county: (totals[county], 1) for county in this_year}
    return Figures((sum(totals.values()), 1) if this_year else None, counties)


def investment(session: Session, year: int) -> Figures:
    """T1: investment actually made in projects started since the plan began (yuan in fen)."""
    end = dt.date(year, 12, 31)
    query = (
        select(County.name, func.sum(Project.actual_investment_fen))
        .join(School, Project.school_id == School.id)
        .join(County, School.county_code == County.code)
        .where(Project.started_on.between(PLAN_START, end))
        .group_by(County.name)
    )
    started: dict[str, int | None] = dict(session.execute(query).all())  # None: no investment entered
    entered = {county: (int(amount), 1) for county, amount in started.items() if amount is not None}
    covered = _with_schools(session)
    counties = dict.fromkeys(covered - started.keys(), (0, 1)) | entered
    if entered:
        city: Figure | None = (sum(amount for amount, _ in entered.values()), 1)
    else:
        city = (0, 1) if covered and not started else None
    return Figures(city, counties)


def schools_started(session: Session, year: int) -> Figures:
    """T2: schools with a new, relocated or expanded building project started since the plan began."""
    end = dt.date(year, 12, 31)
    query = (
        select(County.name, func.count(func.distinct(Project.school_id)))
        .join(School, Project.school_id == School.id)
        .join(County, School.county_code == County.code)
        .where(Project.started_on.between(PLAN_START, end))
        .group_by(County.name)
    )
    return _events(session, query)


def platforms(session: Session, year: int) -> Figures:
    """T3: platforms certified (new or upgraded) since the plan began, not revoked by the year's end."""
    end = dt.date(year, 12, 31)
    live = or_(PlatformCertification.revoked_on.is_(None), PlatformCertification.revoked_on > end)
    query = (
        select(County.name, func.count(func.distinct(PlatformCertification.platform_id)))
        .join(Platform, PlatformCertification.platform_id == Platform.id)
        .join(School, Platform.school_id == School.id)
        .join(County, School.county_code == County.code)
        .where(PlatformCertification.certified_on.between(PLAN_START, end), live)
        .group_by(County.name)
    )
    return _events(session, query)


def _brands(session: Session, year: int, categories: tuple[str, ...]) -> Figures:
    end = dt.date(year, 12, 31)
    query = (
        select(County.name, func.count())
        .select_from(NationalBrand)
        .outerjoin(School, NationalBrand.school_id == School.id)
        .outerjoin(County, School.county_code == County.code)
        .where(NationalBrand.category.in_(categories), NationalBrand.awarded_on.between(PLAN_START, end))
        .group_by(County.name)
    )
    return _events(session, query)


def national_brands(session: Session, year: int) -> Figures:
    """T4: national-level ("国字号") brands won since the plan began."""
    return _brands(session, year, ("brand",))


def quality_schools(session: Session, year: int) -> Figures:
    """T10: national high-quality secondary schools or majors."""
    return _brands(session, year, ("quality_school", "quality_major"))


def teachers_trained(session: Session, year: int) -> Figures:
    """T5: "双师型" teachers trained, 2023 to the year."""
    return _running_total(session, TeacherStats.double_qualified_trained, TeacherStats, year)


def students_trained(session: Session, year: int) -> Figures:
    """T6: students trained (graduates), 2023 to the year."""
    return _running_total(session, StudentStats.graduates, StudentStats, year)


def social_training(session: Session, year: int) -> Figures:
    """T7: social training person-times, 2023 to the year."""
    return _running_total(session, SchoolYear.social_training_person_times, SchoolYear, year)


def local_retention(session: Session, year: int) -> Figures:
    """T8: higher-vocational graduates employed in Wenzhou ÷ their graduates, in the year."""
    query = (
        select(County.name, func.sum(StudentStats.graduates_local), func.sum(StudentStats.graduates))
        .join(School, StudentStats.school_id == School.id)
        .join(County, School.county_code == County.code)
        .where(
            StudentStats.year == year,
            School.school_type == "higher",
            StudentStats.graduates.is_not(None),
            StudentStats.graduates_local.is_not(None),
        )
        .group_by(County.name)
    )
    return _rate(session, query)


def standard_met(session: Session, year: int) -> Figures:
    """T9: schools meeting the national school-conditions standard ÷ schools whose status is entered, in the year."""
    met = func.sum(case((SchoolYear.meets_national_standard.is_(True), 1), else_=0))
    query = (
        select(County.name, met, func.count())
        .join(School, SchoolYear.school_id == School.id)
        .join(County, School.county_code == County.code)
        .where(SchoolYear.year == year, SchoolYear.meets_national_standard.is_not(None))
        .group_by(County.name)
    )
    return _rate(session, query)


def integrated_share(session: Session, year: int) -> Figures:
    """T11: students in integrated programmes (中高职, 中本) ÷ secondary students, in the year."""
    higher, undergraduate = StudentStats.integrated_secondary_higher, StudentStats.integrated_secondary_undergraduate
    integrated = func.coalesce(higher, 0) + func.coalesce(undergraduate, 0)
    query = (
        select(County.name, func.sum(integrated), func.sum(StudentStats.enrolled))
        .join(School, StudentStats.school_id == School.id)
        .join(County, School.county_code == County.code)
        .where(
            StudentStats.year == year,
            School.school_type.in_(("secondary", "technical")),
            or_(higher.is_not(None), undergraduate.is_not(None)),
        )
        .group_by(County.name)
    )
    return _rate(session, query)


MEASURES: dict[str, Callable[[Session, int], Figures]] = {
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
