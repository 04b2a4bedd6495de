"""Art. 10 (优化职业学校专业结构) read from the registry's ``majors`` table.

"加大'老旧''重复'专业裁撤力度，扶持新兴产业相关专业建设，探索建立专业师资转岗、培训、再分配县域统筹机制": for a
county and a year, the majors several schools each run small (duplicated), the majors whose enrolment keeps falling
or whose graduates find no work or leave Wenzhou (old), the majors serving the city's key and emerging industries,
and the majors shrinking against the majors growing. Every threshold is an ``art10.*`` parameter of the policy and
the industry list a dated file beside them, both cited, so the bureau changes them without code.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.engine.parameters import ParameterSet
from zhijiao.engine.units import RATE_ONE
from zhijiao.majors.industries import KINDS, IndustryList
from zhijiao.registry.models import Major, School

SMALL, DECLINE, LOW_EMPLOYMENT, LOW_RETENTION = (
    "art10.small_enrolment",
    "art10.decline_years",
    "art10.low_employment_rate",
    "art10.low_retention_rate",
)
THRESHOLDS = (SMALL, DECLINE, LOW_EMPLOYMENT, LOW_RETENTION)
MEASURE_NOTE = {
    "zh": "登记册未按专业记录教师数，本表以在校生数变化衡量可转岗、再分配的规模",
    "en": "The registry records no teachers per major: students are the measure of what can be moved",
}


@dataclass(frozen=True)
class Threshold:
    id: str
    label_zh: str
    label_en: str
    value: Decimal
    citation: str


@dataclass(frozen=True)
class Flag:
    kind: str  # duplicated | declining | low_employment | low_retention
    major: str
    national_code: str | None
    schools: list[str]
    threshold: str  # the parameter id that tripped it
    value: Decimal  # the threshold's value
    figures: dict[str, Any]  # the registry's figures that tripped it
    explanation_zh: str
    explanation_en: str

    def explanation(self, lang: str) -> str:
        return self.explanation_zh if lang == "zh" else self.explanation_en


@dataclass(frozen=True)
class Movement:
    major: str
    national_code: str | None
    schools: list[str]
    students_before: int
    students_now: int

    @property
    def change(self) -> int:
        return self.students_now - self.students_before

    @property
    def direction(self) -> str:
        return "shrinking" if self.change < 0 else "growing" if self.change > 0 else "steady"


@dataclass(frozen=True)
class Serving:
    """A major of the county serving one or more of the list's industries, with its students this year."""

    major: str
    national_code: str | None
    industries: list[str]  # the industries' ids, in the list's order
    schools: list[str]
    students: int


@dataclass
class MajorsReport:
    county_code: str
    year: int
    thresholds: list[Threshold]
    duplicated: list[Flag] = field(default_factory=list)
    declining: list[Flag] = field(default_factory=list)
    redistribution: list[Movement] = field(default_factory=list)
    measure_note: Mapping[str, str] = field(default_factory=lambda: MEASURE_NOTE)
    industries: IndustryList | None = None
    serving: list[Serving] = field(default_factory=list)
    students_other: int = 0  # this year's students in majors serving none of the list's industries

    @property
    def students_serving(self) -> int:
        return sum(s.students for s in self.serving)

    def industry_name(self, industry_id: str, lang: str) -> str:
        found = [i for i in self.industries.industries if i.id == industry_id] if self.industries else []
        return found[0].name(lang) if found else industry_id

    def as_dict(self) -> dict[str, Any]:
        def plain(value: object) -> object:
            return str(value) if isinstance(value, Decimal) else value

        def flag(f: Flag) -> dict[str, Any]:
            return {k: plain(v) for k, v in asdict(f).items()}

        return {
            "county_code": self.county_code,
            "year": self.year,
            "thresholds": [{k: plain(v) for k, v in asdict(t).items()} for t in self.thresholds],
            "duplicated": [flag(f) for f in self.duplicated],
            "declining": [flag(f) for f in self.declining],
            "redistribution": [
                {**asdict(m), "change": m.change, "direction": m.direction} for m in self.redistribution
            ],
            "measure": dict(self.measure_note),
            "industries": self._industries_dict(),
        }

    def _industries_dict(self) -> dict[str, Any] | None:
        if self.industries is None:
            return None
        listed = self.industries
        return {
            "effective_from": listed.effective_from.isoformat(),
            "citation": listed.citation.as_dict(),
            "list": [
                {
                    "id": i.id,
                    "name": {"zh": i.name_zh, "en": i.name_en},
                    "kind": i.kind,
                    "kind_label": dict(zip(("zh", "en"), KINDS[i.kind], strict=True)),
                    "codes": sorted(i.codes),
                    "names": sorted(i.names),
                }
                for i in listed.industries
            ],
            "serving": [asdict(s) for s in self.serving],
            "students_serving": self.students_serving,
            "students_other": self.students_other,
        }


def thresholds(parameters: ParameterSet, year: int, overrides: Mapping[str, Decimal] | None = None) -> list[Threshold]:
    """The ``art10.*`` values in force at the end of ``year``; ``overrides`` replaces some (a what-if)."""
    on = dt.date(year, 12, 31)
    out = []
    for pid in THRESHOLDS:
        parameter = parameters[pid]
        entry = parameter.entry_on(on)
        cited = "" if entry is None else entry.citation.text()
        value = parameter.value_on(on) if not overrides or pid not in overrides else Decimal(overrides[pid])
        out.append(Threshold(pid, parameter.label.get("zh", pid), parameter.label.get("en", pid), value, cited))
    return out


def _pct(ppm: int | Decimal) -> str:
    return f"{Decimal(ppm) * 100 / RATE_ONE:.1f}%"


def _rate_pct(rate: Decimal) -> str:
    return f"{rate * 100:.1f}%"


def analyse(
    session: Session,
    parameters: ParameterSet,
    county_code: str,
    year: int,
    overrides: Mapping[str, Decimal] | None = None,
    industries: IndustryList | None = None,
) -> MajorsReport:
    """Duplicated and old majors of ``county_code`` in ``year``, its redistribution table and, given the industry
    list, the majors serving the city's key and emerging industries."""
    limits = {t.id: t for t in thresholds(parameters, year, overrides)}
    small = int(limits[SMALL].value)
    span = int(limits[DECLINE].value)  # the years of figures, this one included, that must fall one after another
    low_employment = limits[LOW_EMPLOYMENT].value
    low_retention = limits[LOW_RETENTION].value
    rows = session.execute(
        select(Major, School.name)
        .join(School, School.id == Major.school_id)
        .where(School.county_code == county_code, Major.year.between(year - max(span - 1, 1), year))
        .order_by(School.name, Major.name)
    ).all()
    # One major across schools: the national catalogue code when the registry has it, else the name.
    by_key: dict[str, dict[int, dict[str, Major]]] = defaultdict(lambda: defaultdict(dict))
    names: dict[str, tuple[str, str | None]] = {}
    # A technical school's major (人社 catalogue) often has no national code where a secondary school's has one.
    coded = {major.name: major.national_code for major, _ in rows if major.national_code}
    for major, school in rows:
        key = major.national_code or coded.get(major.name) or major.name
        by_key[key][major.year][school] = major
        if major.year == year or key not in names:
            names[key] = (major.name, major.national_code or coded.get(major.name))
    report = MajorsReport(county_code, year, list(limits.values()), industries=industries)
    for key in sorted(by_key, key=lambda k: names[k][0]):
        name, code = names[key]
        now = by_key[key].get(year, {})
        if now:
            _duplicated(report, name, code, now, small)
            _serving(report, name, code, now)
            for school, major in now.items():
                history = [by_key[key].get(y, {}).get(school) for y in range(year - span + 1, year + 1)]
                _declining(report, name, code, school, history, span, year)
                _low(report, name, code, school, major, low_employment, low_retention)
        before = by_key[key].get(year - 1, {})
        if now or before:
            report.redistribution.append(
                Movement(
                    name,
                    code,
                    sorted(set(now) | set(before)),
                    sum(m.enrolment or 0 for m in before.values()),
                    sum(m.enrolment or 0 for m in now.values()),
                )
            )
    report.redistribution.sort(key=lambda m: (m.change, m.major))
    return report


def _duplicated(report: MajorsReport, name: str, code: str | None, now: dict[str, Major], small: int) -> None:
    # Several schools run the major and some run it small: the small ones are what the county can merge.
    runs = sorted((m.enrolment, school) for school, m in now.items() if m.enrolment is not None and m.enrolment < small)
    smalls = {school: enrolment for enrolment, school in runs}  # the smallest first: the first to merge
    if len(now) < 2 or not smalls:  # noqa: PLR2004 -- a duplicate needs two schools
        return
    listed_zh = "、".join(f"{s}（{n}人）" for s, n in smalls.items())
    listed_en = ", ".join(f"{s} ({n})" for s, n in smalls.items())
    report.duplicated.append(
        Flag(
            "duplicated",
            name,
            code,
            list(smalls),
            SMALL,
            Decimal(small),
            {"schools_offering": len(now), "small_schools": smalls},
            f"{len(now)}所学校开设{name}，其中{len(smalls)}所在校生少于{small}人（art10.small_enrolment）：{listed_zh}",
            f"{len(now)} schools run {name}; {len(smalls)} of them enrol fewer than {small} "
            f"(art10.small_enrolment): {listed_en}",
        )
    )


def _serving(report: MajorsReport, name: str, code: str | None, now: dict[str, Major]) -> None:
    students = sum(m.enrolment or 0 for m in now.values())
    served = report.industries.served_by(name, code) if report.industries else []
    if served:
        report.serving.append(Serving(name, code, [i.id for i in served], sorted(now), students))
    else:
        report.students_other += students


def _declining(
    report: MajorsReport,
    name: str,
    code: str | None,
    school: str,
    history: list[Major | None],
    span: int,
    year: int,
) -> None:
    # "近N年在校生逐年下降": the last ``span`` years' figures (this year's included), each below the one before.
    counts = [m.enrolment if m is not None else None for m in history]
    if span < 2 or any(c is None for c in counts):  # noqa: PLR2004 -- a fall needs two years' figures
        return
    known = [c for c in counts if c is not None]
    if not all(b < a for a, b in itertools.pairwise(known)):
        return
    trend = " → ".join(str(c) for c in known)
    first = year - span + 1
    report.declining.append(
        Flag(
            "declining",
            name,
            code,
            [school],
            DECLINE,
            Decimal(span),
            {"enrolment": dict(zip(range(first, year + 1), known, strict=True))},
            f"{school}{name}在校生近{span}年逐年下降（art10.decline_years = {span}）：{first}—{year}年 {trend}",
            f"{name} at {school}: enrolment fell year on year over the last {span} years "
            f"(art10.decline_years = {span}): {first}–{year} {trend}",
        )
    )


def _low(
    report: MajorsReport,
    name: str,
    code: str | None,
    school: str,
    major: Major,
    low_employment: Decimal,
    low_retention: Decimal,
) -> None:
    checks = (
        ("low_employment", LOW_EMPLOYMENT, major.employment_rate_ppm, low_employment, "就业率", "employment rate"),
        (
            "low_retention",
            LOW_RETENTION,
            major.local_retention_ppm,
            low_retention,
            "留温率",
            "share staying in Wenzhou",
        ),
    )
    figure = {"low_employment": "employment_rate", "low_retention": "local_retention"}
    for kind, pid, ppm, limit, zh, en in checks:
        if ppm is None or Decimal(ppm) >= limit * RATE_ONE:
            continue
        report.declining.append(
            Flag(
                kind,
                name,
                code,
                [school],
                pid,
                limit,
                {figure[kind]: _pct(ppm), "graduates": major.graduates},
                f"{school}{name}{zh}{_pct(ppm)}，低于{_rate_pct(limit)}（{pid}）",
                f"{name} at {school}: {en} {_pct(ppm)}, below {_rate_pct(limit)} ({pid})",
            )
        )
