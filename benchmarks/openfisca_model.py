"""OpenFisca-core model: the same rules as an OpenFisca tax-benefit system, with OpenFisca's default dtypes.

Modelling (default options only: upgrade_payment = full, double_high_scope = school,
public_expenditure_scope = secondary, part_time_denominator = headcount, window 2023-01-01..2025-12-31):

* Entities: ``school`` is the person entity (OpenFisca needs exactly one); ``enterprise`` and ``platform``
  are group entities. ``build_default_simulation(n)`` puts school i in enterprise i and platform i: the
  membership is only the container OpenFisca requires, and no formula reads it.
* Money is ``value_type = float`` (float32, OpenFisca's default), in yuan; counts are ``int`` (int32);
  codes are ``Enum``; certification dates are ``date`` (datetime64[D]). Formulas are written as an
  OpenFisca modeller would (``rate * amount``, ``floor(r * F / (1 - r))``), without rounding to the fen.
* Certifications: no certification entity. Each enterprise has slots ``enterprise_cert1..3_level``
  (Enum, ``none`` for an empty slot) and ``enterprise_cert1..3_date``; each platform
  ``platform_cert1..2_level/date`` (the generator makes 1–3 and 0–2). A formula takes, per level, the
  earliest slot date inside the window, and pays that level's amount if that date falls in the year: one
  payment per entity and level, in the year of its date.
* The platform's county (for the totals by county) is a formula: the county of the school at the
  platform's ``school_index`` (the platform → school link, resolved to a row index when loading).
* Parameters live in an OpenFisca ``ParameterNode`` with the same dated values, read on 31 December.
* Totals (C14) are numpy float64 sums of the float32 outputs (openfisca_impl.float_totals), as a user of
  OpenFisca would compute them.

Runs in the benchmark venv; openfisca_impl.py loads the population and times the simulation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import YEAR as YEARLY
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

import numpy_impl
from common import WINDOW
from numpy_impl import SCHOOL_COUNTIES

Array = np.ndarray[Any, Any]
ROLE = [{"key": "member", "plural": "members"}]
SCHOOL = build_entity("school", "schools", "职业学校", is_person=True)
ENTERPRISE = build_entity("enterprise", "enterprises", "企业", roles=ROLE)
PLATFORM = build_entity("platform", "platforms", "平台", roles=ROLE)
ENTERPRISE_SLOTS, PLATFORM_SLOTS = 3, 2


def _enum(name: str, names: tuple[str, ...]) -> Any:  # noqa: ANN401 -- a generated Enum class
    return Enum(name, [(n, n) for n in names])


County = _enum("County", SCHOOL_COUNTIES)
SchoolType = _enum("SchoolType", numpy_impl.CODES["school_type"])
Ownership = _enum("Ownership", numpy_impl.CODES["ownership"])
Sponsor = _enum("Sponsor", numpy_impl.CODES["sponsor"])
DoubleHigh = _enum("DoubleHigh", numpy_impl.CODES["double_high"])
CertLevel = _enum("CertLevel", ("none", *numpy_impl.LEVELS))  # code = level code + 1; 0 = empty slot


def _values(*dated: tuple[str, float]) -> dict[str, Any]:
    return {"values": {day: {"value": value} for day, value in dated}}


PARAMETERS = {
    "art20": {
        "appropriation_uplift": {
            "provincial": _values(("2023-01-01", 0.10)),
            "national": _values(("2023-01-01", 0.20)),
        },
        "public_expenditure_base": _values(("2000-01-01", 2500)),
        "public_expenditure_uplift": _values(("2023-01-01", 0.20)),
        "donation_matching_rate": _values(("2023-01-01", 0.50)),
    },
    "art11": {"incentive_rate": _values(("2000-01-01", 0.35), ("2023-03-23", 0.50))},
    "art13": {"part_time_share_cap": _values(("2023-01-01", 0.30))},
    "art07": {
        "integration_subsidy": {
            "city": _values(("2000-01-01", 50_000)),
            "provincial": _values(("2000-01-01", 200_000)),
            "national": _values(("2000-01-01", 500_000)),
        }
    },
    "art03": {
        "platform_award": {
            "provincial": _values(("2000-01-01", 300_000)),
            "national": _values(("2000-01-01", 500_000)),
        }
    },
}


def _variable(name: str, entity: Any, value_type: type, formula: Any = None, enum: Any = None) -> type:  # noqa: ANN401
    attrs: dict[str, Any] = {"value_type": value_type, "entity": entity, "definition_period": YEARLY, "label": name}
    if enum is not None:
        attrs.update(value_type=Enum, possible_values=enum, default_value=next(iter(enum)))
    if formula is not None:
        attrs["formula"] = formula
    return type(name, (Variable,), attrs)


def _p(parameters: Any, period: Any) -> Any:  # noqa: ANN401
    """Parameters in force on the last day of the period (clauses.md: yearly values as of 31 December)."""
    return parameters(period.stop)


# --- school: C1–C11 --------------------------------------------------------------------------------


def appropriation_uplift_rate(school: Any, period: Any, parameters: Any) -> Array:  # noqa: ANN401
    p = _p(parameters, period).art20.appropriation_uplift
    public = school("ownership", period) == Ownership.public
    double_high = school("double_high", period)
    return np.select(
        [public & (double_high == DoubleHigh.national), public & (double_high == DoubleHigh.provincial)],
        [p.national, p.provincial],
        0,
    )


def per_student_appropriation(school: Any, period: Any) -> Array:  # noqa: ANN401
    return school("base_appropriation_per_student", period) * (1 + school("appropriation_uplift_rate", period))


def appropriation_uplift_amount(school: Any, period: Any) -> Array:  # noqa: ANN401
    rate = school("appropriation_uplift_rate", period)
    return school("students", period) * school("base_appropriation_per_student", period) * rate


def _eligible(school: Any, period: Any) -> Array:  # noqa: ANN401
    return (school("ownership", period) == Ownership.public) & (school("school_type", period) == SchoolType.secondary)


def public_expenditure_per_student(school: Any, period: Any, parameters: Any) -> Array:  # noqa: ANN401
    p = _p(parameters, period).art20
    return np.where(_eligible(school, period), p.public_expenditure_base * (1 + p.public_expenditure_uplift), 0)


def public_expenditure_uplift_amount(school: Any, period: Any, parameters: Any) -> Array:  # noqa: ANN401
    p = _p(parameters, period).art20
    added = school("students", period) * p.public_expenditure_base * p.public_expenditure_uplift
    return np.where(_eligible(school, period), added, 0)


def social_service_incentive_cap(school: Any, period: Any, parameters: Any) -> Array:  # noqa: ANN401
    return _p(parameters, period).art11.incentive_rate * school("market_service_income", period)


def part_time_teacher_cap(school: Any, period: Any, parameters: Any) -> Array:  # noqa: ANN401
    rate = _p(parameters, period).art13.part_time_share_cap
    return np.floor(rate * school("full_time_teachers", period) / (1 - rate))


def funded_part_time_teachers(school: Any, period: Any) -> Array:  # noqa: ANN401
    return np.minimum(school("part_time_teachers", period), school("part_time_teacher_cap", period))


def part_time_teacher_funding(school: Any, period: Any) -> Array:  # noqa: ANN401
    return school("funded_part_time_teachers", period) * school("local_avg_teacher_salary", period)


def part_time_teachers_over_cap(school: Any, period: Any) -> Array:  # noqa: ANN401
    return np.maximum(0, school("part_time_teachers", period) - school("part_time_teacher_cap", period))


def donation_matching_min(school: Any, period: Any, parameters: Any) -> Array:  # noqa: ANN401
    return _p(parameters, period).art20.donation_matching_rate * school("capital_donations", period)


# --- enterprise and platform: C12, C13 ------------------------------------------------------------


def _awards(entity: Any, period: Any, slots: int, amounts: dict[str, float]) -> Array:  # noqa: ANN401
    prefix = entity.entity.key
    start, end = np.datetime64(WINDOW[0]), np.datetime64(WINDOW[1])
    year_start, year_end = np.datetime64(f"{period.start.year}-01-01"), np.datetime64(f"{period.start.year}-12-31")
    levels = [entity(f"{prefix}_cert{k}_level", period) for k in range(1, slots + 1)]
    dates = [entity(f"{prefix}_cert{k}_date", period) for k in range(1, slots + 1)]
    total = np.zeros(entity.count, dtype=np.float32)
    for name, amount in amounts.items():
        first = np.full(entity.count, np.datetime64("9999-12-31"))
        for level, day in zip(levels, dates, strict=True):
            counted = (level == CertLevel[name]) & (day >= start) & (day <= end) & (day < first)
            first = np.where(counted, day, first)
        total += np.where((first >= year_start) & (first <= year_end), amount, 0)
    return total


def integration_subsidy(enterprise: Any, period: Any, parameters: Any) -> Array:  # noqa: ANN401
    p = _p(parameters, period).art07.integration_subsidy
    amounts = {"city": p.city, "provincial": p.provincial, "national": p.national}
    return _awards(enterprise, period, ENTERPRISE_SLOTS, amounts)


def platform_award(platform: Any, period: Any, parameters: Any) -> Array:  # noqa: ANN401
    p = _p(parameters, period).art03.platform_award
    return _awards(platform, period, PLATFORM_SLOTS, {"provincial": p.provincial, "national": p.national})


def platform_county(platform: Any, period: Any) -> Array:  # noqa: ANN401
    return platform.simulation.calculate("county", period)[platform("school_index", period)]


SCHOOL_ENUMS = {
    "county": County,
    "school_type": SchoolType,
    "ownership": Ownership,
    "sponsor": Sponsor,
    "double_high": DoubleHigh,
}
SCHOOL_COUNTS = ("students", "full_time_teachers", "part_time_teachers")
SCHOOL_YUAN = ("base_appropriation_per_student", "local_avg_teacher_salary", "market_service_income")
SCHOOL_YUAN += ("capital_donations",)
COUNT_OUTPUTS = {"part_time_teacher_cap", "funded_part_time_teachers", "part_time_teachers_over_cap"}
FORMULAS = {
    SCHOOL: [
        appropriation_uplift_rate,
        per_student_appropriation,
        appropriation_uplift_amount,
        public_expenditure_per_student,
        public_expenditure_uplift_amount,
        social_service_incentive_cap,
        part_time_teacher_cap,
        funded_part_time_teachers,
        part_time_teacher_funding,
        part_time_teachers_over_cap,
        donation_matching_min,
    ],
    ENTERPRISE: [integration_subsidy],
    PLATFORM: [platform_award],
}


def _variables() -> list[type]:
    out = [_variable(name, SCHOOL, Enum, enum=enum) for name, enum in SCHOOL_ENUMS.items()]
    out += [_variable(name, SCHOOL, int) for name in SCHOOL_COUNTS]
    out += [_variable(name, SCHOOL, float) for name in SCHOOL_YUAN]
    for entity, slots in ((ENTERPRISE, ENTERPRISE_SLOTS), (PLATFORM, PLATFORM_SLOTS)):
        for k in range(1, slots + 1):
            out += [_variable(f"{entity.key}_cert{k}_level", entity, Enum, enum=CertLevel)]
            out += [_variable(f"{entity.key}_cert{k}_date", entity, dt.date)]
    out += [_variable("enterprise_county", ENTERPRISE, Enum, enum=County)]
    out += [_variable("school_index", PLATFORM, int)]
    out += [_variable("platform_county", PLATFORM, Enum, platform_county, enum=County)]
    for entity, formulas in FORMULAS.items():
        for f in formulas:
            out.append(_variable(f.__name__, entity, int if f.__name__ in COUNT_OUTPUTS else float, f))
    return out


class WenzhouVet(TaxBenefitSystem):
    def __init__(self) -> None:
        super().__init__([SCHOOL, ENTERPRISE, PLATFORM])
        self.parameters = ParameterNode("", data=PARAMETERS)
        self.add_variables(*_variables())
