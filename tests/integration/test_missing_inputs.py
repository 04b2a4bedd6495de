"""A blank figure is not zero: on the demo registry (SQLite and PostgreSQL), the cost lists exactly the records and
fields it counted as zero, for the articles whose money they leave short, and nothing when no figure is blank."""

from __future__ import annotations

from sqlalchemy import Engine, delete, select

from zhijiao.engine.reform import parse_reform
from zhijiao.engine.rules import Period
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.registry import models as m
from zhijiao.registry.snapshot import frames_for_year
from zhijiao.simulation.cost import cost_for_year
from zhijiao.simulation.missing_inputs import figures_feeding_cost, missing_in_cost, missing_inputs
from zhijiao.storage.database import unit_of_work

POLICY = load()
YEAR = 2025  # the plan's last year, complete in the demo registry


def _listed(engine: Engine, year: int = YEAR, **options: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
    with unit_of_work(engine) as session:
        found = missing_in_cost(cost_for_year(session, POLICY, year, options=options))
    return [(row.code, row.county or "", row.field, row.articles) for row in found]


def _school(engine: Engine, *conditions: object) -> tuple[int, str, str]:
    """The first school (by code) of ``YEAR`` matching ``conditions``: its id, code and county."""
    with unit_of_work(engine) as session:
        query = (
            select(m.School.id, m.School.code, m.County.name)
            .join(m.County, m.School.county_code == m.County.code)
            .join(m.SchoolYear, (m.SchoolYear.school_id == m.School.id) & (m.SchoolYear.year == YEAR))
            .join(m.TeacherStats, (m.TeacherStats.school_id == m.School.id) & (m.TeacherStats.year == YEAR))
            .where(*conditions)
            .order_by(m.School.code)
        )
        row = session.execute(query).first()
        assert row is not None, conditions
        return row[0], row[1], row[2]


def _art20_school(engine: Engine) -> tuple[int, str, str]:
    """A public double-high school: the Art. 20 uplift of its appropriation uses its base appropriation."""
    return _school(engine, m.School.ownership == "public", m.SchoolYear.double_high != "none")


def test_a_complete_year_lists_nothing(demo_engine: Engine):
    assert _listed(demo_engine) == []


def test_a_blank_appropriation_lists_its_school_field_and_article_only(demo_engine: Engine):
    school_id, code, county = _art20_school(demo_engine)
    with unit_of_work(demo_engine) as session:
        before = cost_for_year(session, POLICY, YEAR).baseline.totals.by_article["art20"]
        figures = session.scalars(
            select(m.SchoolYear).where(m.SchoolYear.school_id == school_id, m.SchoolYear.year == YEAR)
        ).one()
        assert figures.base_appropriation_per_student_fen
        figures.base_appropriation_per_student_fen = None
    with unit_of_work(demo_engine) as session:
        comparison = cost_for_year(session, POLICY, YEAR)
        found = missing_in_cost(comparison)
    assert comparison.baseline.totals.by_article["art20"] < before  # the blank was counted as zero ...
    assert [(r.code, r.county, r.field, r.articles, r.outputs) for r in found] == [  # ... and is now said so
        (code, county, "base_appropriation_per_student", ("art20",), ("appropriation_uplift_amount",))
    ]
    row = found.rows[0]
    assert row.entity == "school"
    assert row.label == {"zh": "生均财政拨款（上浮前）", "en": "base per-student appropriation"}
    assert found.entities == 1
    assert found.by_article() == {"art20": 1}
    assert found.within_county(county) == found
    assert not found.within_county("泰顺县" if county != "泰顺县" else "鹿城区")


def test_two_blanks_that_hide_each_other_are_both_listed(demo_engine: Engine):
    # Without its teacher figures a school has no part-time teachers and no cap: either alone, filled, still
    # gives zero, so each is listed because the other is blank too.
    school_id, code, county = _school(demo_engine, m.TeacherStats.part_time > 0)
    with unit_of_work(demo_engine) as session:
        session.execute(
            delete(m.TeacherStats).where(m.TeacherStats.school_id == school_id, m.TeacherStats.year == YEAR)
        )
    assert _listed(demo_engine) == [
        (code, county, "full_time_teachers", ("art13",)),
        (code, county, "part_time_teachers", ("art13",)),
    ]
    # Counted in full-time equivalents (an option), the blank equivalents are used as well.
    assert _listed(demo_engine, part_time_denominator="fte") == [
        (code, county, "full_time_teachers", ("art13",)),
        (code, county, "part_time_teachers", ("art13",)),
        (code, county, "part_time_teacher_fte", ("art13",)),
    ]


def test_a_blank_the_money_cannot_use_is_not_listed(demo_engine: Engine):
    # The Art. 20 uplifts are for public schools only: a private school's blank students change no money.
    school_id, _code, _county = _school(demo_engine, m.School.ownership == "private")
    with unit_of_work(demo_engine) as session:
        session.execute(
            delete(m.StudentStats).where(m.StudentStats.school_id == school_id, m.StudentStats.year == YEAR)
        )
        frames = frames_for_year(session, POLICY, Period(YEAR))
    assert frames["school"]["students"].null_count() == 1
    assert _listed(demo_engine) == []


def test_no_donation_records_are_none_not_a_blank(demo_engine: Engine):
    with unit_of_work(demo_engine) as session:
        frames = frames_for_year(session, POLICY, Period(YEAR))
    assert frames["school"]["capital_donations"].null_count() > 0  # schools without capital donations in the year
    assert not missing_inputs(POLICY, frames, Period(YEAR))
    listed = missing_inputs(POLICY, frames, Period(YEAR), sums_of_records={})
    assert {row.field for row in listed} == {"capital_donations"}  # were they blanks, they would be used


def test_the_dependencies_come_from_the_rule_graph():
    feeding = figures_feeding_cost(POLICY)
    assert set(feeding) == {"school"}  # enterprises and platforms have money from required inputs only
    outputs = {name: {item.output for item in items} for name, items in feeding["school"].items()}
    assert outputs["part_time_teachers"] == {"part_time_teacher_funding"}
    assert outputs["students"] == {"appropriation_uplift_amount", "public_expenditure_uplift_amount"}
    assert "market_service_income" not in outputs  # Art. 11's pool is the school's own money, not fiscal cost
    assert "capital_donations" not in outputs  # a sum of records (see test above)


def test_a_reform_that_uses_a_blank_the_baseline_does_not_lists_it(demo_engine: Engine):
    school_id, code, county = _art20_school(demo_engine)
    with unit_of_work(demo_engine) as session:
        figures = session.scalars(
            select(m.SchoolYear).where(m.SchoolYear.school_id == school_id, m.SchoolYear.year == YEAR)
        ).one()
        figures.double_high_group_students = None
        reform = parse_reform({"name": "仅专业群", "options": {"double_high_scope": "group"}}, POLICY)
        baseline_only = missing_in_cost(cost_for_year(session, POLICY, YEAR))
        with_reform = missing_in_cost(cost_for_year(session, POLICY, YEAR, reform=reform))
    assert not baseline_only  # every student counts in the baseline: the group's are not used
    assert [(r.code, r.county, r.field, r.articles) for r in with_reform] == [
        (code, county, "double_high_group_students", ("art20",))
    ]
