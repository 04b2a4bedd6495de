"""A deterministic, Wenzhou-shaped demo registry for 2023–2026, every table filled from one seed.

Scale N writes N copies of the city. Each copy is generated and inserted on its own, so memory stays
bounded by one copy whatever the scale. Each copy and section draws from its own ``random.Random``
seeded with (seed, copy, section): the same seed gives the same rows, and a change in one section
does not shift the draws of the others. Nothing reads the clock: the registry's "today" is DATA_END.
Values are integer arithmetic (fen, ppm), so the rows are byte-identical on every platform.

Totals are calibrated to the plan's targets (clauses.md) so that monitoring shows a plausible mix: most
on track, local retention (T8) borderline, a few schools over the part-time-teacher cap (C10).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from zhijiao.demo import names
from zhijiao.demo.sampling import day, split, weighted_sample
from zhijiao.engine.errors import InputError, Problem
from zhijiao.registry import models as m
from zhijiao.registry.counties import county_codes
from zhijiao.storage.base import Base
from zhijiao.storage.database import by_blank_columns

YEARS = (2023, 2024, 2025, 2026)
DATA_END = dt.date(2026, 6, 30)
WINDOW = (dt.date(2023, 1, 1), dt.date(2025, 12, 31))
BATCH = 1_000
PPM = 1_000_000
ENTERPRISES = 400
PLATFORM_SHARES = {"higher": 7, "technical": 2}  # platforms per college / technical school; 24 go to 中职

# Calibration per copy of the city, from the plan's targets and Wenzhou's size.
SECONDARY_STUDENTS = 95_000  # 2024 enrolment of all 中职, about 17 per full-time teacher
PLANNED_INVESTMENT_YUAN = 10_000_000_000  # T1 "总投入约100亿元": projects started 2023–2025
TEACHERS_TRAINED = {2023: 1_670, 2024: 1_675, 2025: 1_685, 2026: 1_700}  # T5: 5,000 by 2025, on track
SOCIAL_TRAINING = {2023: 301_000, 2024: 302_000, 2025: 304_000, 2026: 310_000}  # T7: 900,000 by 2025
HIGHER_RETENTION_PPM = {2023: 590_000, 2024: 598_000, 2025: 606_000, 2026: 612_000}  # T8 60%: borderline
INTEGRATED_PPM = {2023: 170_000, 2024: 205_000, 2025: 240_000, 2026: 270_000}  # T11: rising
UNDERGRADUATE_PPM = {2023: 10_000, 2024: 18_000, 2025: 26_000, 2026: 32_000}  # 中本一体化, new in 2023
TECHNICAL_INTEGRATED_PPM = {2023: 60_000, 2024: 80_000, 2025: 100_000, 2026: 115_000}
UPGRADE_ODDS = {"city": 0.2, "provincial": 0.05}
NEXT_LEVEL = {"city": "provincial", "provincial": "national"}
INDUSTRY_WEIGHTS = (5, 3, 2, 1)  # a county's firms by its industries, main industry first
COMMON_INDUSTRIES = frozenset({"数字经济", "现代服务"})  # majors any school may offer, whatever its county

Row = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class DemoSummary:
    """Rows written per table."""

    schools: int = 0
    school_shareholders: int = 0
    school_years: int = 0
    salary_standards: int = 0
    teacher_stats: int = 0
    student_stats: int = 0
    majors: int = 0
    enterprises: int = 0
    enterprise_certifications: int = 0
    platforms: int = 0
    platform_certifications: int = 0
    projects: int = 0
    donations: int = 0
    communities: int = 0
    community_members: int = 0
    international_programmes: int = 0
    national_brands: int = 0

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)

    @property
    def total(self) -> int:
        return sum(self.as_dict().values())


def _refused(field: str, zh: str, en: str) -> InputError:
    return InputError([Problem({"zh": "演示数据", "en": "demo data"}, field, zh, en)])


def generate(session: Session, *, scale: int = 1, seed: int = 2023) -> DemoSummary:
    """Fill an empty, migrated registry with ``scale`` copies of a Wenzhou-shaped city, in the caller's transaction."""
    if scale < 1:
        raise _refused(
            "scale", f"规模须为正整数（收到 {scale}）", f"scale must be a positive whole number (got {scale})"
        )
    tables = [Base.metadata.tables[f.name] for f in dataclasses.fields(DemoSummary)]  # the fields are the tables
    held = [t.name for t in tables if session.scalar(select(func.count()).select_from(t))]
    if held:
        listed = ", ".join(held)
        raise _refused(
            "",
            f"登记库不是空的（{listed} 已有数据），演示数据只能写入空库",
            f"the registry is not empty ({listed} already hold rows): demo data goes only into an empty database",
        )
    codes = county_codes(session)
    missing = sorted({s.county for s in names.SCHOOLS} - set(codes))
    if missing:
        raise _refused("", f"县（市、区）表缺少 {missing}：请先迁移", f"counties {missing} are missing: migrate first")
    writer = _Writer(session)
    writer.add(m.SalaryStandard, _salary_standards(codes, seed))  # county figures: one set, whatever the scale
    for copy in range(scale):
        _City(writer, codes, seed, copy).build()
    return DemoSummary(**writer.counts)


def _salary_standards(counties: dict[str, str], seed: int) -> list[Row]:
    """当地同类学校编制内教师平均工资 in fen, per county, year and school type, for every county with schools of that
    type: richer counties pay more, colleges' teachers a little more, +2.5% a year."""
    rows = []
    for county, school_type in sorted({(s.county, s.school_type) for s in names.SCHOOLS}):
        higher = school_type == "higher"
        for year in YEARS:
            rng = random.Random(f"zhijiao-demo/{seed}/0/salary/{(county, higher, year)}")  # noqa: S311 -- demo data
            base = names.COUNTY_SALARY_YUAN[county] * (103 if higher else 100)
            grown = base * 1025 ** (year - 2023) // 1000 ** (year - 2023)
            issuer = names.SALARY_ISSUERS.get(county, county)
            rows.append({"county_code": counties[county], "year": year, "school_type": school_type,
                         "avg_teacher_salary_fen": grown * rng.randint(990, 1010) // 1000,
                         "source": names.SALARY_SOURCE.format(issuer=issuer, year=year),
                         "published_on": day(rng, dt.date(year, 3, 1), dt.date(year, 4, 30))})  # fmt: skip
    return rows


class _Writer:
    """Bulk inserts in batches, counting rows and numbering codes across copies."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.counts: Counter[str] = Counter()
        self.numbers: Counter[str] = Counter()

    def code(self, prefix: str, width: int) -> str:
        self.numbers[prefix] += 1
        return f"{prefix}-{self.numbers[prefix]:0{width}d}"

    def add(self, model: type[Base], rows: Sequence[Row]) -> None:
        for start in range(0, len(rows), BATCH):
            self.session.execute(insert(model), by_blank_columns(list(rows[start : start + BATCH])))
        self.counts[model.__tablename__] += len(rows)

    def add_ids(self, model: Any, rows: Sequence[Row]) -> list[int]:  # noqa: ANN401 -- any model with an id
        """The new rows' ids, in the order of ``rows``."""
        statement = insert(model).returning(model.id, sort_by_parameter_order=True)
        ids: list[int] = []
        for start in range(0, len(rows), BATCH):
            ids.extend(self.session.scalars(statement, rows[start : start + BATCH]))
        self.counts[model.__tablename__] += len(rows)
        return ids


@dataclass(frozen=True)
class _School:
    id: int
    code: str
    name: str
    spec: names.SchoolSpec
    kind: str  # higher | secondary | technical
    industries: tuple[str, ...]
    size: int  # 2024 enrolment once all three grades are in


@dataclass(frozen=True)
class _Firm:
    id: int
    code: str
    name: str
    industry: str


def _ppm(value: int, ppm: int) -> int:
    return value * ppm // PPM


def _share(rows: list[Row], column: str, total: int, weights: list[int], rng: random.Random) -> None:
    """Share a city-wide yearly total among the year's rows in proportion to ``weights``, with some noise."""
    for row, part in zip(rows, split(total, [w * rng.randint(70, 130) for w in weights]), strict=True):
        row[column] = part


class _City:
    """One copy of the city: generated and written section by section."""

    def __init__(self, writer: _Writer, counties: dict[str, str], seed: int, copy: int) -> None:
        self.writer, self.counties, self.seed, self.copy = writer, counties, seed, copy
        self.suffix = "" if copy == 0 else f"（模拟{copy + 1}）"  # copies beyond the first say they are synthetic
        self.schools: list[_School] = []
        self.firms: list[_Firm] = []
        self.figures: dict[tuple[int, int], Row] = {}  # (school id, year) → student figures, read by the majors

    def rng(self, section: str) -> random.Random:
        return random.Random(f"zhijiao-demo/{self.seed}/{self.copy}/{section}")  # noqa: S311 -- demo data, not security

    def build(self) -> None:
        """Parents before children: a section reads the ids and figures the ones before it wrote."""
        for section in (self.write_schools, self.write_school_years, self.write_majors, self.write_enterprises,
                        self.write_enterprise_certifications, self.write_platforms, self.write_projects,
                        self.write_donations, self.write_communities, self.write_programmes_and_brands):  # fmt: skip
            section()

    def by_name(self, name: str) -> _School:
        return next(s for s in self.schools if s.spec.name == name)

    # Schools and their yearly figures -----------------------------------------------------------

    def write_schools(self) -> None:
        rng = self.rng("schools")
        specs = names.SCHOOLS
        secondary = [s for s in specs if s.school_type == "secondary"]
        shares = split(SECONDARY_STUDENTS, [s.weight * rng.randint(90, 110) for s in secondary])
        sizes = dict(zip([s.name for s in secondary], shares, strict=True))
        sizes |= {s.name: s.weight * rng.randint(94, 100) for s in specs if s.school_type != "secondary"}
        rows = [
            {"code": f"SCH-{self.copy * len(specs) + i + 1:04d}", "name": spec.name + self.suffix,
             "county_code": self.counties[spec.county], "school_type": spec.school_type,
             "ownership": spec.ownership, "sponsor": spec.sponsor}
            for i, spec in enumerate(specs)
        ]  # fmt: skip
        for ident, row, spec in zip(self.writer.add_ids(m.School, rows), rows, specs, strict=True):
            industries = spec.focus or names.COUNTY_INDUSTRIES[spec.county]
            self.schools.append(
                _School(ident, row["code"], row["name"], spec, spec.school_type, industries, sizes[spec.name])
            )
        holders = [{"school_id": self.by_name(school).id, "shareholder": holder, "share_ppm": share}
                   for school, shares_of in names.SHAREHOLDERS.items() for holder, share in shares_of]  # fmt: skip
        self.writer.add(m.SchoolShareholder, holders)

    def enrolled(self, school: _School, year: int, noise: int) -> int:
        """Students in ``year``; a new school fills one grade a year."""
        grades = min(3, year - school.spec.opened + 1)
        return _ppm(_ppm(school.size, names.GROWTH_PPM[school.kind][year]), noise) * grades // 3

    def write_school_years(self) -> None:
        rng = self.rng("school_years")
        years_rows: list[Row] = []
        teacher_rows: list[Row] = []
        lower = [s for s in self.schools if s.kind != "higher" and s.spec.opened <= YEARS[0]]
        over_cap = {s.id: i for i, s in enumerate(rng.sample(lower, 4))}
        undergraduate = {s.id for s in lower if s.kind == "secondary" and rng.random() < 0.35}  # noqa: PLR2004
        for year in YEARS:
            open_schools = [s for s in self.schools if s.spec.opened <= year]
            abroad = {s.id: rng.randint(1, 7) for s in rng.sample(open_schools, 9)}  # Art. 6: a few dozen a year
            years_now: list[Row] = []
            teachers_now: list[Row] = []
            for school in open_schools:
                years_now.append(self.school_year(school, year))
                students = self.students(school, year, school.id in undergraduate, abroad.get(school.id, 0))
                self.figures[school.id, year] = students
                # Two of the four schools over the cap in 2023–2024 get under it from 2025 (C10 findings fall).
                over = school.id in over_cap and (year <= 2024 or over_cap[school.id] < 2)  # noqa: PLR2004
                teachers_now.append(self.teachers(school, year, students["enrolled"], over=over))
            trainers = [names.TRAINING_WEIGHT[s.kind] * s.size for s in open_schools]
            _share(years_now, "social_training_person_times", SOCIAL_TRAINING[year], trainers, rng)
            _share(
                teachers_now,
                "double_qualified_trained",
                TEACHERS_TRAINED[year],
                [t["full_time"] for t in teachers_now],
                rng,
            )
            years_rows += years_now
            teacher_rows += teachers_now
        self.writer.add(m.SchoolYear, years_rows)
        self.writer.add(m.TeacherStats, teacher_rows)
        self.writer.add(m.StudentStats, list(self.figures.values()))

    def school_year(self, school: _School, year: int) -> Row:
        spec, rng = school.spec, self.rng(f"school_year/{school.code}")  # the same draws each year: a profile
        if spec.ownership == "private":
            base = rng.randint(300_000, 500_000)  # a per-student subsidy, not an appropriation
        else:
            base = rng.randint(1_500_000, 2_200_000) if school.kind == "higher" else rng.randint(1_200_000, 1_750_000)
        growth = rng.randint(15_000, 40_000)
        for _ in range(year - 2023):
            base = _ppm(base, PPM + growth)
        income = {
            "higher": rng.randint(200_000_000, 650_000_000),
            "technical": rng.randint(50_000_000, 400_000_000),
            "secondary": 0 if rng.random() < 0.15 else rng.randint(5_000_000, 250_000_000),  # noqa: PLR2004
        }[school.kind]
        meets_from = rng.choice((2022,) * 60 + (2023,) * 10 + (2024,) * 12 + (2025,) * 12 + (2026,) * 4 + (2099,) * 2)
        status = spec.double_high if year >= spec.double_high_from else "none"
        group_share = rng.randint(200_000, 350_000)
        meets = year >= (spec.opened or meets_from)  # a new school opens up to standard
        # Social training is shared out city-wide by _share.
        return {"school_id": school.id, "year": year, "double_high": status,
                "double_high_group_students": None if status == "none" else _ppm(school.size, group_share),
                "base_appropriation_per_student_fen": base,
                "market_service_income_fen": _ppm(income, PPM + 70_000 * (year - 2023)),
                "social_training_person_times": None, "meets_national_standard": meets}  # fmt: skip

    def students(self, school: _School, year: int, undergraduate: bool, abroad: int) -> Row:
        rng = self.rng(f"students/{school.code}/{year}")
        enrolled = self.enrolled(school, year, rng.randint(985_000, 1_015_000))
        graduates = _ppm(enrolled, rng.randint(300_000, 325_000)) if year - school.spec.opened >= 2 else 0  # noqa: PLR2004
        factor = rng.randint(700_000, 1_300_000)
        undergrad, three_two, three_four = 0, None, None
        if school.kind == "higher":
            local = HIGHER_RETENTION_PPM[year] + rng.randint(-30_000, 30_000)
            integrated = _ppm(enrolled, 50_000 + 10_000 * (year - 2023))  # the 高职 years of 中高职一体化
        elif school.kind == "technical":
            local = rng.randint(700_000, 850_000)
            integrated = _ppm(_ppm(enrolled, TECHNICAL_INTEGRATED_PPM[year]), factor)
        else:
            local = rng.randint(220_000, 350_000)  # most 中职 graduates go on studying, few take jobs
            integrated = _ppm(_ppm(enrolled, INTEGRATED_PPM[year]), factor)
            undergrad = _ppm(_ppm(enrolled, UNDERGRADUATE_PPM[year]), factor) if undergraduate else 0
            three_two = _ppm(enrolled, rng.randint(30_000, 80_000))
            three_four = _ppm(enrolled, rng.randint(0, 10_000) + 2_000 * (year - 2023))
        intake = _ppm(enrolled, rng.randint(340_000, 370_000)) if year > school.spec.opened else enrolled
        return {"school_id": school.id, "year": year, "enrolled": enrolled, "intake": intake, "graduates": graduates,
                "graduates_local": _ppm(graduates, local), "integrated_secondary_higher": integrated,
                "integrated_secondary_undergraduate": undergrad, "three_plus_two": three_two,
                "three_plus_four": three_four, "study_abroad_funded": abroad,
                "aided": _ppm(enrolled, rng.randint(*names.AIDED_PPM[school.kind]))}  # fmt: skip

    def teachers(self, school: _School, year: int, enrolled: int, *, over: bool) -> Row:
        rng = self.rng(f"teachers/{school.code}")  # the same draws each year: a school keeps its profile
        hundredths = rng.randint(*names.STUDENTS_PER_TEACHER[school.kind]) - 10 * (year - 2023)
        full_time = max(8, enrolled * 100 // hundredths)
        cap = 3 * full_time // 7  # C7: P ÷ (F + P) ≤ 30%
        share = rng.randint(80_000, 260_000)
        extra = rng.randint(2, max(3, full_time // 10))
        part_time = cap + extra if over else min(cap, full_time * share // (PPM - share))
        qualified = min(900_000, rng.randint(550_000, 680_000) + 20_000 * (year - 2023))
        # Teachers trained are shared out city-wide by _share.
        return {"school_id": school.id, "year": year, "full_time": full_time, "part_time": part_time,
                "part_time_fte_hundredths": part_time * rng.randint(25, 60), "double_qualified_trained": None,
                "double_qualified": _ppm(full_time, qualified)}  # fmt: skip

    def write_majors(self) -> None:
        rows: list[Row] = []
        for school in self.schools:
            rng = self.rng(f"majors/{school.code}")
            catalogue = names.MAJORS[school.kind]
            wanted = 12 if school.spec.focus else 6  # a specialised school keeps to its field
            weights = [
                wanted if j[3] in school.industries else 2 if j[3] in COMMON_INDUSTRIES else 1 for j in catalogue
            ]
            offered = weighted_sample(rng, catalogue, weights, rng.randint(3, 8))
            shares = {j[0]: rng.randint(1, 4) for j in catalogue}
            fading = {j[0] for j in catalogue if j[0] in names.FADING_MAJORS and rng.random() < names.FADING_ODDS}
            for year in (y for y in YEARS if y >= school.spec.opened):
                running = {j[0] for j in offered}  # a major opened this year has no graduates yet
                if year > max(YEARS[0], school.spec.opened):
                    offered = _adjust_majors(rng, offered, catalogue)
                figures = self.figures[school.id, year]
                fade = names.FADE_PPM[year]  # a fading major's share shrinks; the school's total stays as written
                portions = [shares[j[0]] * (fade if j[0] in fading else PPM) for j in offered]
                enrolment = split(figures["enrolled"], portions)
                graduates = split(figures["graduates"], [shares[j[0]] * (j[0] in running) for j in offered])
                local = figures["graduates_local"] * PPM // max(1, figures["graduates"])
                for (name, code, group, industry), enrolled, done in zip(offered, enrolment, graduates, strict=True):
                    employed = rng.randint(*names.EMPLOYMENT_PPM[school.kind])
                    retained = min(PPM, max(0, local + rng.randint(-50_000, 50_000)))
                    rows.append({"school_id": school.id, "year": year, "name": name, "national_code": code,
                                 "professional_group": group, "industry": industry, "enrolment": enrolled,
                                 "graduates": done, "employment_rate_ppm": employed if done else None,
                                 "local_retention_ppm": retained if done else None})  # fmt: skip
        self.writer.add(m.Major, rows)

    # Enterprises and their certifications -------------------------------------------------------

    def write_enterprises(self) -> None:
        rng = self.rng("enterprises")
        counties, weights = list(names.ENTERPRISE_WEIGHTS), list(names.ENTERPRISE_WEIGHTS.values())
        seen: set[str] = set()
        rows: list[Row] = []
        for i in range(ENTERPRISES):
            county = rng.choices(counties, weights=weights)[0]
            industries = names.COUNTY_INDUSTRIES[county]
            industry = rng.choices(industries, weights=INDUSTRY_WEIGHTS[: len(industries)])[0]
            name = ""
            while not name or name in seen:
                pair = "".join(rng.sample(names.FIRM_SYLLABLES, 2))
                if pair not in names.FAMOUS_PAIRS:
                    prefix = rng.choice(names.FIRM_PREFIXES[county])
                    name = prefix + pair + rng.choice(names.FIRM_SUFFIXES[industry]) + self.suffix
            seen.add(name)
            old_style = rng.random() < 0.3  # noqa: PLR2004 -- firms registered before 2015
            code = names.credit_code(self.counties[county], self.copy * ENTERPRISES + i, old_style=old_style)
            rows.append({"code": code, "name": name, "county_code": self.counties[county], "industry": industry})
        ids = self.writer.add_ids(m.Enterprise, rows)
        self.firms = [_Firm(i, r["code"], r["name"], r["industry"]) for i, r in zip(ids, rows, strict=True)]

    def write_enterprise_certifications(self) -> None:
        rng = self.rng("enterprise_certifications")
        rows: list[Row] = []
        for index, firm in enumerate(rng.sample(self.firms, len(self.firms))):
            if index < len(names.FIXED_PATHS):
                revoked_at, revoked_on, reason = names.FIXED_REVOCATION
                revoked = (revoked_on, reason) if index == revoked_at else None
                self.certify(rows, firm, list(names.FIXED_PATHS[index]), revoked)
            elif rng.random() < 0.3:  # noqa: PLR2004 -- about a third of the firms are certified
                self.certify(rows, firm, *_random_path(rng))
        self.writer.add(m.EnterpriseCertification, rows)

    def certify(self, rows: list[Row], firm: _Firm, path: list[tuple[str, dt.date]], revoked: _Revoked) -> None:
        """A certification per step; a revocation ends the path, so it belongs to the last step."""
        for step, (level, date) in enumerate(path):
            on, reason = revoked if revoked and step == len(path) - 1 else (None, None)
            rows.append(
                {"code": self.writer.code("EC", 6), "enterprise_id": firm.id, "level": level, "certified_on": date,
                 "revoked_on": on, "revocation_reason": reason}
            )  # fmt: skip

    # Platforms, projects, donations -------------------------------------------------------------

    def write_platforms(self) -> None:
        rng = self.rng("platforms")
        owners = [s for s in self.schools for _ in range(PLATFORM_SHARES.get(s.kind, 0))]
        secondary = [s for s in self.schools if s.kind == "secondary"]
        scenarios = rng.sample(names.OTHER_SCENARIOS, len(names.OTHER_SCENARIOS))
        total = len(scenarios) + len(names.NATIONAL_SCENARIOS)
        owners += weighted_sample(rng, secondary, [s.size for s in secondary], total - len(owners))
        picked = rng.sample([i for i, s in enumerate(owners) if s.kind == "higher"], len(names.NATIONAL_SCENARIOS))
        national = dict(zip(picked, names.NATIONAL_SCENARIOS, strict=True))
        seen: set[str] = set()
        rows: list[Row] = []
        for school in owners:
            kind = "research" if rng.random() < (0.5 if school.kind == "higher" else 0.15) else "training"
            name = ""
            while not name or name in seen:
                topic = names.PLATFORM_TOPICS[rng.choice(school.industries)]
                name = school.name + topic + rng.choice(names.PLATFORM_SUFFIXES[kind])
            seen.add(name)
            rows.append({"code": self.writer.code("PLT", 4), "name": name, "school_id": school.id, "kind": kind})
        certifications: list[Row] = []
        for i, ident in enumerate(self.writer.add_ids(m.Platform, rows)):
            scenario = national.get(i) or scenarios.pop()
            for level, date in _platform_history(rng, scenario):
                revoke = scenario == "prov" and not any(r["revoked_on"] for r in certifications)  # one per copy
                on = min(DATA_END, date + dt.timedelta(days=rng.randint(400, 700))) if revoke else None
                certifications.append(
                    {"code": self.writer.code("PC", 5), "platform_id": ident, "level": level, "certified_on": date,
                     "revoked_on": on, "revocation_reason": names.PLATFORM_REVOCATION_REASON if revoke else None}
                )  # fmt: skip
        self.writer.add(m.PlatformCertification, certifications)

    def write_projects(self) -> None:
        rng = self.rng("projects")
        named_school, named_kind, named_yuan = names.NAMED_PROJECT
        named = self.by_name(named_school)
        others = [s for s in self.schools if s is not named]
        kinds = rng.sample(names.PROJECT_KINDS, len(names.PROJECT_KINDS))
        sizes = [rng.randint(*names.PROJECT_WAN[k]) for k in kinds]
        wan = split((PLANNED_INVESTMENT_YUAN - named_yuan) // 10_000, sizes)  # budgets are kept in 万元
        first = day(rng, dt.date(2023, 3, 1), dt.date(2023, 12, 31))
        plans: list[tuple[_School, str, dt.date | None, int]] = [(named, named_kind, first, named_yuan // 10_000)]
        chosen = rng.sample(others, len(kinds))
        plans += [(s, k, day(rng, *WINDOW), w) for s, k, w in zip(chosen, kinds, wan, strict=True)]
        # Outside the plan window: one started before it, one starting after, one not yet scheduled.
        before, after = day(rng, dt.date(2022, 3, 1), dt.date(2022, 12, 15)), day(rng, dt.date(2026, 1, 5), DATA_END)
        plans += [(rng.choice(others), "expanded", before, rng.randint(5_000, 20_000)),
                  (rng.choice(others), "expanded", after, rng.randint(5_000, 20_000)),
                  (rng.choice(others), "relocated", None, rng.randint(30_000, 80_000))]  # fmt: skip
        self.writer.add(m.Project, [self.project(rng, *plan) for plan in plans])

    def project(self, rng: random.Random, school: _School, kind: str, started: dt.date | None, wan: int) -> Row:
        fen = wan * 1_000_000
        actual = completed = None
        if started is not None:
            months = rng.randint(24, 42) if kind != "expanded" else rng.randint(12, 30)
            finish = started + dt.timedelta(days=months * 30)
            if finish <= DATA_END:
                completed, actual = finish, _ppm(fen, rng.randint(950_000, 1_050_000))
            else:  # paid in step with the works so far
                done = (DATA_END - started).days * PPM // (finish - started).days
                actual = _ppm(_ppm(fen, done), rng.randint(900_000, 1_050_000))
        actual = None if actual is None else actual // 1_000_000 * 1_000_000  # whole 万元, as budgets are kept
        return {"code": self.writer.code("PRJ", 4), "name": school.name + rng.choice(names.PROJECT_PHRASES[kind]),
                "school_id": school.id, "kind": kind, "planned_investment_fen": fen, "actual_investment_fen": actual,
                "started_on": started, "completed_on": completed}  # fmt: skip

    def write_donations(self) -> None:
        rng = self.rng("donations")
        weights = [{"higher": 5, "technical": 2, "secondary": 1}[s.kind] for s in self.schools]
        magnitudes = (50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000)  # yuan; × 1.0–2.5 below
        rows: list[Row] = []
        for year in YEARS:
            for _ in range(rng.randint(30, 45)):
                school = rng.choices(self.schools, weights=weights)[0]
                yuan = rng.choices(magnitudes, weights=(30, 25, 20, 12, 8, 5))[0] * rng.randint(10, 25) // 10
                firm = rng.random() < 0.65  # noqa: PLR2004 -- most donors are firms
                donor = rng.choice(self.firms).name if firm else rng.choice((*names.DONORS, f"{school.name}校友会"))
                received = day(rng, dt.date(year, 1, 1), min(DATA_END, dt.date(year, 12, 31)))
                capital = rng.random() < 0.4  # noqa: PLR2004 -- buildings and equipment: the part Art. 20 matches
                rows.append({"code": self.writer.code("DON", 6), "school_id": school.id, "donor": donor,
                             "amount_fen": yuan * 100, "received_on": received, "capital": capital})  # fmt: skip
        self.writer.add(m.Donation, rows)

    # Communities, international programmes, brands ----------------------------------------------

    def write_communities(self) -> None:
        rng = self.rng("communities")
        rows = [
            {"code": self.writer.code("CM", 4), "name": c.name + self.suffix, "industry": c.industry,
             "founded_on": c.founded_on}
            for c in names.COMMUNITIES
        ]  # fmt: skip
        members: list[Row] = []
        for ident, spec in zip(self.writer.add_ids(m.Community, rows), names.COMMUNITIES, strict=True):
            schools = [self.by_name(n) for n in spec.schools]
            firms = [f for f in self.firms if f.industry == spec.industry] or self.firms
            chosen = rng.sample(firms, min(len(firms), rng.randint(3, 6)))
            entries: list[tuple[str, str, str | None, str]] = [
                ("government", g, None, "指导单位") for g in spec.governments
            ]
            entries += [("school", s.name, s.code, "理事长单位" if s is schools[0] else "理事单位") for s in schools]
            entries += [("association", a, None, "秘书处单位") for a in spec.associations]
            entries += [
                ("enterprise", f.name, f.code, "副理事长单位" if f is chosen[0] else "理事单位") for f in chosen
            ]
            members += [
                {"community_id": ident, "member_kind": kind, "member_name": name, "member_code": code, "role": role}
                for kind, name, code, role in entries
            ]
        self.writer.add(m.CommunityMember, members)

    def write_programmes_and_brands(self) -> None:
        programmes = [
            {"code": self.writer.code("IP", 4), "name": name + self.suffix, "kind": kind, "partner_country": country,
             "school_id": self.by_name(school).id, "started_on": started}
            for name, kind, country, school, started in names.INTERNATIONAL
        ]  # fmt: skip
        self.writer.add(m.InternationalProgramme, programmes)
        brands = [
            {"code": self.writer.code("NB", 4), "name": name, "category": category,
             "school_id": self.by_name(school).id if school else None, "awarded_on": awarded}
            for name, category, school, awarded in names.NATIONAL_BRANDS
        ]  # fmt: skip
        self.writer.add(m.NationalBrand, brands)


_Revoked = tuple[dt.date, str] | None


def _adjust_majors(
    rng: random.Random, offered: list[names.Major], catalogue: Sequence[names.Major]
) -> list[names.Major]:
    """Art. 10: now and then a school opens an emerging major or closes a fading one."""
    offered = list(offered)
    emerging = [j for j in catalogue if j[0] in names.EMERGING_MAJORS and j not in offered]
    if emerging and len(offered) < 8 and rng.random() < 0.2:  # noqa: PLR2004 -- at most 8 majors a school
        offered.append(rng.choice(emerging))
    fading = [j for j in offered if j[0] in names.FADING_MAJORS]
    if fading and len(offered) > 3 and rng.random() < 0.25:  # noqa: PLR2004 -- at least 3 majors a school
        offered.remove(rng.choice(fading))
    return offered


def _random_path(rng: random.Random) -> tuple[list[tuple[str, dt.date]], _Revoked]:
    """A firm's certifications: a start level, maybe upgrades on later batches, rarely a revocation."""
    level = "city" if rng.random() < 0.75 else "provincial"  # noqa: PLR2004 -- most start at city level
    path = [(level, rng.choice(names.LEVEL_DATES[level]))]
    while True:
        level, date = path[-1]
        if rng.random() < 0.03:  # noqa: PLR2004 -- a few certifications are revoked
            revoked_on = date + dt.timedelta(days=rng.randint(120, 900))
            if revoked_on <= DATA_END:
                return path, (revoked_on, rng.choice(names.REVOCATION_REASONS))
        following = NEXT_LEVEL.get(level)
        if following is None or rng.random() >= UPGRADE_ODDS[level]:
            return path, None
        later = [d for d in names.LEVEL_DATES[following] if d >= date + dt.timedelta(days=180)]
        if not later:
            return path, None
        path.append((following, rng.choice(later[:2])))  # at the next batch it qualifies for, or the one after


def _platform_history(rng: random.Random, scenario: str) -> list[tuple[str, dt.date]]:
    """(level, date) certifications of one platform; the scenarios are described in ``names``."""
    start, end = WINDOW
    if scenario in {"pre", "pre_up"}:
        early = [("provincial", day(rng, dt.date(2021, 3, 1), dt.date(2022, 11, 30)))]
        return early if scenario == "pre" else [*early, ("national", day(rng, start, end))]
    if scenario == "prov_up":
        first = day(rng, start, dt.date(2024, 6, 30))
        return [("provincial", first), ("national", min(DATA_END, first + dt.timedelta(days=rng.randint(365, 900))))]
    if scenario == "later":
        return [("provincial", day(rng, dt.date(2026, 1, 1), DATA_END))]
    level = {"prov": "provincial", "nat": "national"}.get(scenario)
    return [] if level is None else [(level, day(rng, start, end))]
