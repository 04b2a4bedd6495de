"""A school's claimed figures accepted by its county: written into the registry rows they belong to, through the
registry's own editing service (its checks, its scope, its audit records), in the transaction of the review.

Only the figures a school itself reports can be claimed: the local salary standard is the county's and
donations are records of their own, so an application cannot change them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.authz import Principal
from zhijiao.engine.errors import InputError
from zhijiao.refusals import Invalid
from zhijiao.registry.editing import Change, RowNotFound, save
from zhijiao.registry.models import School
from zhijiao.registry.rows import as_files
from zhijiao.registry.tables import BY_NAME

# The engine's school input → (registry table, its column), as ``registry.snapshot`` reads them back.
SCHOOL_FIGURES: Mapping[str, tuple[str, str]] = {
    "students": ("student_stats", "enrolled"),
    "full_time_teachers": ("teacher_stats", "full_time"),
    "part_time_teachers": ("teacher_stats", "part_time"),
    "part_time_teacher_fte": ("teacher_stats", "part_time_fte"),
    "double_high_group_students": ("school_years", "double_high_group_students"),
    "base_appropriation_per_student": ("school_years", "base_appropriation_per_student"),
    "market_service_income": ("school_years", "market_service_income"),
}
CLAIMABLE_ENTITIES = frozenset({"school"})


def claimable(entity: str, name: str) -> bool:
    return entity in CLAIMABLE_ENTITIES and name in SCHOOL_FIGURES


def _current(session: Session, table: str, school_code: str, year: int) -> dict[str, object] | None:
    spec = BY_NAME[table]
    model: Any = spec.model  # a school-year table: school_id and year
    query = select(model).join(School, model.school_id == School.id).where(School.code == school_code)
    row = session.scalar(query.where(model.year == year))
    return as_files(session, spec, [row])[0] if row is not None else None


def accept(
    session: Session, actor: Principal, school_code: str, year: int, figures: Mapping[str, Decimal]
) -> dict[str, dict[str, dict[str, object]]]:
    """Writes ``figures`` (engine input → value) into the school's rows of ``year``; returns, per table, the
    columns written with their values before and after. Refused, naming the figure, when the registry cannot
    take it (a row that would miss a required figure, a value out of bounds)."""
    by_table: dict[str, dict[str, Decimal]] = {}
    for name, value in figures.items():
        if name not in SCHOOL_FIGURES:
            raise Invalid(f"“{name}”不是学校自报的数据，不能采用申报值。", f"{name!r} is not a school's own figure.")
        table, column = SCHOOL_FIGURES[name]
        by_table.setdefault(table, {})[column] = value
    changes: list[Change] = []
    written: dict[str, dict[str, dict[str, object]]] = {}
    for table, columns in by_table.items():
        current = _current(session, table, school_code, year)
        values: dict[str, object] = dict(current or {"school_code": school_code, "year": year})
        values.update({column: str(value) for column, value in columns.items()})
        key = {"school_code": school_code, "year": year} if current is not None else None
        changes.append(Change(BY_NAME[table], values, key))
        written[table] = {c: {"before": (current or {}).get(c), "after": str(v)} for c, v in columns.items()}
    try:
        save(session, actor, changes)
    except InputError as refused:
        problems = "；".join(p.message("zh") for p in refused.problems)
        problems_en = "; ".join(p.message("en") for p in refused.problems)
        raise Invalid(
            f"申报数据不能写入登记库：{problems}", f"The claimed figures cannot go into the registry: {problems_en}"
        ) from refused
    except RowNotFound as missing:
        raise Invalid("该校该年度的登记数据不在您的范围内。", "That school year lies outside your reach.") from missing
    return written
