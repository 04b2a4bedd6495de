"""The registry for one year as the engine's input frames: the same engine as ``zhijiao calc``, no second copy.

A certification revoked on or before the calculation date gives no entitlement; revoked later, it
still counts in the year it was dated (claw-back is the fulfilment's business). A school's local average teacher
salary (Art. 13) is its county's standard for the year and the school's type: a county figure, not the school's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

import polars as pl
from sqlalchemy import Select, and_, func, select, true
from sqlalchemy.orm import Session

from zhijiao.engine.inputs import check_bounds, checked, dtype
from zhijiao.engine.policy import Policy
from zhijiao.engine.rules import Period
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


def _frame(policy: Policy, entity: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    schema = {v.name: dtype(v.unit) for v in policy.entities[entity].inputs}
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


Only = Mapping[str, Collection[str]] | None  # entity → the codes to read (absent: none); None: every record


def _where(only: Only, entity: str, column: Any) -> Any:  # noqa: ANN401 -- a SQL expression
    return true() if only is None else column.in_(list(only.get(entity, ())))


def _schools(session: Session, year: int, only: Only = None) -> list[dict[str, Any]]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    donations = (
        select(Donation.school_id, func.sum(Donation.amount_fen).label("capital"))
        .where(Donation.capital.is_(True), Donation.received_on.between(start, end))
        .group_by(Donation.school_id)
        .subquery()
    )
    query = (
        select(
            School,
            County.name,
            SchoolYear,
            TeacherStats,
            StudentStats,
            SalaryStandard.avg_teacher_salary_fen,
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
    for school, county, figures, teachers, students, salary, capital in session.execute(query):
        rows.append(
            {
                "id": school.code,
                "name": school.name,
                "county": county,
                "school_type": school.school_type,
                "ownership": school.ownership,
                "sponsor": school.sponsor,
                "double_high": figures.double_high if figures else "none",
                "students": students.enrolled if students else None,
                "double_high_group_students": figures.double_high_group_students if figures else None,
                "base_appropriation_per_student": figures.base_appropriation_per_student_fen if figures else None,
                "full_time_teachers": teachers.full_time if teachers else None,
                "part_time_teachers": teachers.part_time if teachers else None,
                "part_time_teacher_fte": teachers.part_time_fte_hundredths if teachers else None,
                "local_avg_teacher_salary": salary,
                "market_service_income": figures.market_service_income_fen if figures else None,
                "capital_donations": capital,
            }
        )
    return rows


def _rows(session: Session, query: Select[*tuple[Any, ...]], names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [dict(zip(names, row, strict=True)) for row in session.execute(query)]


def _live_certifications(
    session: Session,
    certification: Any,  # noqa: ANN401 -- either certification model
    owner: Any,  # noqa: ANN401 -- its owner's model
    as_of: dt.date,
    only: Only = None,
) -> list[dict[str, Any]]:
    """Certifications not revoked by ``as_of``, keyed by their owner's code (enterprise or platform)."""
    link = certification.enterprise_id if owner is Enterprise else certification.platform_id
    owner_entity = "enterprise" if owner is Enterprise else "platform"
    live = certification.revoked_on.is_(None) | (certification.revoked_on > as_of)
    query = (
        select(certification.code, owner.code, certification.level, certification.certified_on)
        .join(owner, link == owner.id)
        .where(live, _where(only, owner_entity, owner.code))
        .order_by(certification.code)
    )
    owner_column = "enterprise_id" if owner is Enterprise else "platform_id"
    return _rows(session, query, ("id", owner_column, "level", "date"))


def frames_for_year(session: Session, policy: Policy, period: Period, only: Only = None) -> dict[str, pl.DataFrame]:
    """Every school, enterprise and platform of the registry (or ``only`` those), with ``period``'s figures."""
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
    as_of = period.as_of
    enterprise_certifications = _live_certifications(session, EnterpriseCertification, Enterprise, as_of, only)
    platform_certifications = _live_certifications(session, PlatformCertification, Platform, as_of, only)
    frames = {
        "school": _frame(policy, "school", _schools(session, period.year, only)),
        "enterprise": _frame(policy, "enterprise", enterprises),
        "enterprise_certification": _frame(policy, "enterprise_certification", enterprise_certifications),
        "platform": _frame(policy, "platform", platforms),
        "platform_certification": _frame(policy, "platform_certification", platform_certifications),
    }
    check_bounds(policy.entities, frames)
    return checked(policy.entities, frames)


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
