"""Cost and targets from the registry, on SQLite and PostgreSQL: the same engine as ``zhijiao calc``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from zhijiao.engine.reform import parse_reform
from zhijiao.engine.situation import calculate_situation
from zhijiao.monitoring.targets import progress
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.registry import models as m
from zhijiao.simulation.cost import cost_for_year, table

POLICY = load()


def seed(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        ruian = m.School(code="S1", name="瑞安市职业中专", county_code="330381", school_type="secondary",
                         ownership="public", sponsor="county")  # fmt: skip
        college = m.School(code="S2", name="温州职业技术学院", county_code="330300", school_type="higher",
                           ownership="public", sponsor="city")  # fmt: skip
        s.add_all([ruian, college])
        s.flush()
        for year, students, graduates, integrated in ((2023, 1100, 300, 200), (2024, 1200, 320, 300)):
            s.add(m.StudentStats(school_id=ruian.id, year=year, enrolled=students, graduates=graduates,
                                 integrated_secondary_higher=integrated))  # fmt: skip
        s.add(m.StudentStats(school_id=college.id, year=2024, enrolled=10000, graduates=3000, graduates_local=1900))
        s.add(m.SchoolYear(school_id=ruian.id, year=2024, double_high="provincial",
                           base_appropriation_per_student_fen=1_000_000,
                           market_service_income_fen=200_000_000, social_training_person_times=5000,
                           meets_national_standard=True))  # fmt: skip
        s.add(m.SchoolYear(school_id=college.id, year=2024, double_high="national",
                           base_appropriation_per_student_fen=2_000_000, meets_national_standard=False))  # fmt: skip
        s.add(m.TeacherStats(school_id=ruian.id, year=2024, full_time=100, part_time=50, double_qualified_trained=40))
        s.add(m.SalaryStandard(county_code="330381", year=2024, school_type="secondary",
                               avg_teacher_salary_fen=15_000_000, source="瑞安市统计公报",
                               published_on=dt.date(2024, 3, 1)))  # fmt: skip
        s.add(m.Donation(code="D1", school_id=ruian.id, donor="某企业", amount_fen=100_000_000,
                         received_on=dt.date(2024, 3, 1), capital=True))  # fmt: skip
        s.add(m.Donation(code="D2", school_id=ruian.id, donor="某企业", amount_fen=55_000_000,
                         received_on=dt.date(2024, 4, 1), capital=False))  # fmt: skip
        firm = m.Enterprise(code="E1", name="温州某鞋业有限公司", county_code="330302")
        s.add(firm)
        s.flush()
        s.add_all([
            m.EnterpriseCertification(code="C1", enterprise_id=firm.id, level="city", certified_on=dt.date(2023, 5, 1)),
            m.EnterpriseCertification(code="C2", enterprise_id=firm.id, level="provincial",
                                      certified_on=dt.date(2024, 5, 1)),
            m.EnterpriseCertification(code="C3", enterprise_id=firm.id, level="national",
                                      certified_on=dt.date(2024, 9, 1), revoked_on=dt.date(2024, 11, 1),
                                      revocation_reason="材料不实"),
        ])  # fmt: skip
        lab = m.Platform(code="P1", name="智能制造实训基地", school_id=ruian.id, kind="training")
        s.add(lab)
        s.flush()
        s.add(
            m.PlatformCertification(
                code="PC1", platform_id=lab.id, level="provincial", certified_on=dt.date(2024, 6, 1)
            )
        )
        s.add(m.Project(code="J1", name="新校区", school_id=ruian.id, kind="relocated", planned_investment_fen=10**11,
                        actual_investment_fen=4 * 10**10, started_on=dt.date(2023, 9, 1)))  # fmt: skip
        s.add(m.NationalBrand(code="B1", name="国家级示范", category="brand", school_id=college.id,
                              awarded_on=dt.date(2024, 1, 10)))  # fmt: skip


SITUATION = {
    "year": 2024,
    "schools": [
        {"id": "S1", "county": "瑞安市", "school_type": "secondary", "ownership": "public", "sponsor": "county",
         "double_high": "provincial", "students": 1200, "base_appropriation_per_student": 10000,
         "full_time_teachers": 100, "part_time_teachers": 50, "local_avg_teacher_salary": 150000,
         "market_service_income": 2000000, "capital_donations": 1000000},
        {"id": "S2", "county": "市直属", "school_type": "higher", "ownership": "public", "sponsor": "city",
         "double_high": "national", "students": 10000, "base_appropriation_per_student": 20000},
    ],
    "enterprises": [{"id": "E1", "county": "鹿城区", "certifications": [
        {"level": "city", "date": "2023-05-01"}, {"level": "provincial", "date": "2024-05-01"}]}],
    "platforms": [{"id": "P1", "school_id": "S1", "kind": "training",
                   "certifications": [{"level": "provincial", "date": "2024-06-01"}]}],
}  # fmt: skip


def test_the_registry_costs_what_the_calculator_says(engine):
    seed(engine)
    with Session(engine) as session:
        comparison = cost_for_year(session, POLICY, 2024)
    calculator = calculate_situation(POLICY, SITUATION).baseline
    assert comparison.baseline.totals.as_dict() == calculator.totals.as_dict()
    # S1 1,200,000 + 600,000 + 6,300,000 + 500,000; S2 10,000 × 20,000 × 20% = 40,000,000; E1 200,000; P1 300,000
    assert comparison.baseline.totals.fiscal_cost == (1_200_000 + 600_000 + 6_300_000 + 500_000 + 40_000_000
                                                      + 200_000 + 300_000) * 100  # fmt: skip
    by_payer = {k: v for k, v, _ in table(comparison, "payer").rows}
    assert by_payer == {"city": 40_300_000_00, "county": 8_800_000_00}


def test_a_reform_is_costed_beside_the_baseline(engine):
    seed(engine)
    reform = parse_reform({"parameters": {"art20.appropriation_uplift.national": 0.3}}, POLICY)
    with Session(engine) as session:
        comparison = cost_for_year(session, POLICY, 2024, reform=reform)
    rows = {k: (base, new) for k, base, new in table(comparison, "article").rows}
    assert rows["art20"] == (42_300_000_00, 62_300_000_00)  # S2's uplift goes from 20% to 30%
    assert rows["art13"] == (6_300_000_00, 6_300_000_00)


def test_targets_from_the_registry(engine):
    seed(engine)
    with Session(engine) as session:
        rows = {(r.target, r.county): r for r in progress(session, POLICY, 2024, "瑞安市")}
    t1 = rows[("T1", "全市")]
    assert t1.value == Decimal(400000000)
    assert t1.share == Decimal("0.0400")
    assert t1.expected is not None
    assert t1.expected.quantize(Decimal(1)) == Decimal(6666666667)  # two of the plan's three years gone
    assert t1.status == "behind"
    assert rows[("T3", "全市")].value == 1
    assert rows[("T4", "全市")].value == 1
    assert rows[("T5", "全市")].value == 40
    assert rows[("T6", "全市")].value == 300 + 320 + 3000
    assert rows[("T7", "全市")].value == 5000
    t8 = rows[("T8", "全市")]
    assert (t8.value, t8.status) == (Decimal("0.6333"), "achieved")  # 1,900 of 3,000 higher-vocational graduates
    assert rows[("T9", "全市")].value == Decimal("0.5000")
    t11 = rows[("T11", "全市")]
    assert (t11.value, t11.expected, t11.status) == (
        Decimal("0.2500"),
        Decimal("0.1818"),
        "achieved",
    )  # 300/1200 > 200/1100
    ruian = rows[("T1", "瑞安市")]
    assert (ruian.value, ruian.share, ruian.status) == (Decimal(400000000), Decimal("1.0000"), "contribution")
    assert rows[("T8", "瑞安市")].status == "no_data"  # no higher-vocational college in 瑞安市
