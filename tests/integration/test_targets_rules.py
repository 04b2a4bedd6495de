"""Missing is not zero, per target, on a registry small enough to count by hand (SQLite and PostgreSQL).

瑞安市 leaves its 2024 figures blank, 鹿城区 enters zeros, 市直属 has one college with a blank and one with its
figures, 文成县 has no school at all. Each target's value is what ``zhijiao.monitoring.measures`` says a blank
is: no data where a scope holds nothing, a real 0 where a 0 was entered.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from zhijiao.monitoring.measures import CITY
from zhijiao.monitoring.targets import Progress, progress, progress_by_county
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.registry import models as m

POLICY = load()
RUIAN, LUCHENG, CITY_RUN, WENCHENG = "瑞安市", "鹿城区", "市直属", "文成县"
CODES = {RUIAN: "330381", LUCHENG: "330302", CITY_RUN: "330300"}


def _school(s: Session, code: str, county: str, school_type: str = "secondary") -> m.School:
    school = m.School(code=code, name=f"学校{code}", county_code=CODES[county], school_type=school_type,
                      ownership="public", sponsor="county")  # fmt: skip
    s.add(school)
    s.flush()
    return school


def seed(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        a, b, c = _school(s, "A", RUIAN), _school(s, "B", RUIAN), _school(s, "C", LUCHENG)
        h, h2 = _school(s, "H", CITY_RUN, "higher"), _school(s, "H2", CITY_RUN, "higher")
        # T5 and T7: 瑞安市 blank in 2024; 鹿城区 enters 0 in both years.
        for school, trained, training in ((a, 10, 100), (b, 5, 50), (c, 0, 0)):
            zero = 0 if school is c else None  # 2024: 鹿城区's C enters 0, 瑞安市's A and B leave it blank
            s.add(m.TeacherStats(school_id=school.id, year=2023, full_time=50, part_time=5,
                                 double_qualified_trained=trained))  # fmt: skip
            s.add(m.TeacherStats(school_id=school.id, year=2024, full_time=50, part_time=5,
                                 double_qualified_trained=zero))  # fmt: skip
            s.add(m.SchoolYear(school_id=school.id, year=2023, social_training_person_times=training,
                               meets_national_standard=school is not b))  # fmt: skip
            s.add(m.SchoolYear(school_id=school.id, year=2024, social_training_person_times=zero,
                               meets_national_standard=None if zero is None else False))  # fmt: skip
        # T8: H's graduates staying in Wenzhou are blank, H2's are entered.
        s.add(m.StudentStats(school_id=h.id, year=2024, enrolled=300, graduates=100, graduates_local=None))
        s.add(m.StudentStats(school_id=h2.id, year=2024, enrolled=600, graduates=200, graduates_local=120))
        # T11: B enters neither integrated count in 2023; 鹿城区 starts entering them in 2024.
        s.add(m.StudentStats(school_id=a.id, year=2023, enrolled=100, integrated_secondary_higher=10))
        s.add(m.StudentStats(school_id=b.id, year=2023, enrolled=100))
        s.add(m.StudentStats(school_id=c.id, year=2023, enrolled=50))
        s.add(m.StudentStats(school_id=a.id, year=2024, enrolled=100, integrated_secondary_higher=20))
        s.add(m.StudentStats(school_id=c.id, year=2024, enrolled=50, integrated_secondary_undergraduate=5))
        # T1: A's project started in 2023 without its investment; H's in 2024 with it.
        s.add(m.Project(code="J1", name="新校区", school_id=a.id, kind="new", planned_investment_fen=10**9,
                        started_on=dt.date(2023, 9, 1)))  # fmt: skip
        s.add(m.Project(code="J2", name="实训楼", school_id=h.id, kind="expanded", planned_investment_fen=10**9,
                        actual_investment_fen=100_000, started_on=dt.date(2024, 3, 1)))  # fmt: skip


def _rows(engine: Engine, year: int) -> dict[tuple[str, str], Progress]:
    with Session(engine) as session:
        found = progress_by_county(session, POLICY, year, [RUIAN, LUCHENG, CITY_RUN, WENCHENG])
        city = progress(session, POLICY, year)
    return {(t, c): row for c, rows in found.items() for t, row in rows.items()} | {(r.target, CITY): r for r in city}


def _no_data(row: Progress) -> None:
    assert (row.value, row.share, row.expected, row.status) == (None, None, None, "no_data"), row


def test_a_blank_year_is_no_data_and_an_entered_zero_is_zero(engine):
    seed(engine)
    rows = _rows(engine, 2024)
    for target in ("T5", "T7", "T9"):
        _no_data(rows[(target, RUIAN)])  # every figure blank in 2024, though 2023 has them
    t5, t7, t9 = rows[("T5", LUCHENG)], rows[("T7", LUCHENG)], rows[("T9", LUCHENG)]
    assert (t5.value, t5.share, t5.status) == (Decimal(0), Decimal(0), "contribution")
    assert (t7.value, t7.share, t7.status) == (Decimal(0), Decimal(0), "contribution")
    assert (t9.value, t9.share, t9.expected, t9.status) == (Decimal(0), Decimal(0), Decimal(1), "behind")
    # The city holds 2024 figures (鹿城区's zeros), so its running totals keep 瑞安市's 2023 figures.
    assert rows[("T5", CITY)].value == 15
    assert rows[("T7", CITY)].value == 150
    assert rows[("T9", CITY)].value == Decimal(0)  # 0 of the one school whose 2024 status is entered
    assert rows[("T9", CITY)].status == "behind"
    earlier = _rows(engine, 2023)
    assert earlier[("T5", RUIAN)].value == 15
    assert earlier[("T9", RUIAN)].value == Decimal("0.5000")


def test_a_rate_counts_only_schools_with_both_terms(engine):
    seed(engine)
    rows = _rows(engine, 2024)
    t8 = rows[("T8", CITY_RUN)]
    assert (t8.value, t8.status) == (Decimal("0.6000"), "achieved")  # H2's 120 of 200; H's blank counts nowhere
    assert rows[("T8", CITY)].value == Decimal("0.6000")
    _no_data(rows[("T8", RUIAN)])  # no college: no data, not 0 %
    assert _rows(engine, 2023)[("T11", RUIAN)].value == Decimal("0.1000")  # 10 of A's 100; B entered neither


def test_events_not_listed_are_zero_where_the_registry_has_schools(engine):
    seed(engine)
    rows = _rows(engine, 2024)
    assert rows[("T2", RUIAN)].value == 1  # the project started, though its investment is blank
    assert rows[("T2", LUCHENG)].value == 0
    assert rows[("T3", LUCHENG)].value == 0
    _no_data(rows[("T1", RUIAN)])  # a project started, no investment entered
    assert rows[("T1", LUCHENG)].value == 0  # no project started: nothing invested
    assert rows[("T1", CITY_RUN)].value == Decimal(1000)
    assert rows[("T1", CITY)].value == Decimal(1000)
    _no_data(_rows(engine, 2023)[("T1", CITY)])  # the only project started by 2023 has no investment entered
    for target in ("T1", "T2", "T5", "T9"):
        _no_data(rows[(target, WENCHENG)])  # no school there: the registry holds nothing for it


def test_rising_each_year_starts_at_each_scopes_first_year_with_data(engine):
    seed(engine)
    first, second = _rows(engine, 2023), _rows(engine, 2024)
    assert first[("T11", CITY)].status == first[("T11", RUIAN)].status == "baseline"
    _no_data(first[("T11", LUCHENG)])
    assert second[("T11", LUCHENG)].status == "baseline"  # its first year with data, as 2023 is the city's
    ruian = second[("T11", RUIAN)]
    assert (ruian.value, ruian.expected, ruian.status) == (Decimal("0.2000"), Decimal("0.1000"), "achieved")
    city = second[("T11", CITY)]
    assert (city.value, city.expected, city.status) == (Decimal("0.1667"), Decimal("0.1000"), "achieved")


def test_an_empty_registry_has_no_data_anywhere(engine):
    for row in _rows(engine, 2024).values():
        _no_data(row)
