"""Art. 10 across years and across the city: a county's students per major year by year (the trend its chart
draws), and for every county and major how many schools run it small (the city's heat map of duplication).

A major is one across schools by its national catalogue code, or by its name where a registry row has no code
(a name another row of the same scope codes takes that code), as in ``service.analyse``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.engine.parameters import ParameterSet
from zhijiao.majors.service import SMALL, thresholds
from zhijiao.registry.models import Major, School

Row = tuple[str, str | None, str, int, int | None]  # name, code, school, year, enrolment


def _keys(rows: Sequence[Row]) -> tuple[dict[str, str], dict[str, str]]:
    """Each row's major key (code, or name when uncoded anywhere) and each key's name to show."""
    coded = {name: code for name, code, *_ in rows if code}
    keys: dict[str, str] = {}
    shown: dict[str, str] = {}
    for name, code, *_ in rows:
        key = code or coded.get(name) or name
        keys[name if code is None else f"{name}\0{code}"] = key
        shown.setdefault(key, name)
    return keys, shown


def _key(keys: Mapping[str, str], name: str, code: str | None) -> str:
    return keys[name if code is None else f"{name}\0{code}"]


@dataclass(frozen=True)
class Trend:
    """Students per major per year in a county; ``majors`` ordered by this year's students, largest first."""

    years: list[int]
    majors: list[str]
    students: dict[str, dict[int, int]]


def enrolment_trend(session: Session, county_code: str, up_to: int) -> Trend:
    rows: list[Row] = [
        (m.name, m.national_code, school, m.year, m.enrolment)
        for m, school in session.execute(
            select(Major, School.name)
            .join(School, School.id == Major.school_id)
            .where(School.county_code == county_code, Major.year <= up_to)
        ).all()
    ]
    keys, shown = _keys(rows)
    students: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for name, code, _school, year, enrolment in rows:
        students[shown[_key(keys, name, code)]][year] += enrolment or 0
    years = sorted({year for *_, year, _e in rows})
    majors = sorted(students, key=lambda n: (-students[n].get(up_to, 0), n))
    return Trend(years, majors, {n: dict(students[n]) for n in majors})


@dataclass
class DuplicationMap:
    """For each county (by name, in the order given) and major: schools running it, and those running it small."""

    year: int
    small: int
    counties: list[str]
    majors: list[str] = field(default_factory=list)
    offering: dict[tuple[str, str], int] = field(default_factory=dict)
    small_runs: dict[tuple[str, str], int] = field(default_factory=dict)

    def duplicated(self, county: str, major: str) -> int:
        """Schools running ``major`` small in ``county`` where at least two schools run it; else 0."""
        pair = (county, major)
        return self.small_runs.get(pair, 0) if self.offering.get(pair, 0) >= 2 else 0  # noqa: PLR2004


def duplication_map(
    session: Session,
    parameters: ParameterSet,
    year: int,
    counties: Sequence[tuple[str, str]],
    overrides: Mapping[str, Decimal] | None = None,
) -> DuplicationMap:
    """``counties``: (name, code) pairs in the order to show. Small is ``art10.small_enrolment`` in force."""
    small = int(next(t.value for t in thresholds(parameters, year, overrides) if t.id == SMALL))
    names = {code: name for name, code in counties}
    rows = session.execute(
        select(Major.name, Major.national_code, School.county_code, Major.enrolment)
        .join(School, School.id == Major.school_id)
        .where(Major.year == year, School.county_code.in_(list(names)))
    ).all()
    keys, shown = _keys([(name, code, county, year, enrolment) for name, code, county, enrolment in rows])
    found = DuplicationMap(year, small, [name for name, _ in counties])
    offering: dict[tuple[str, str], int] = defaultdict(int)
    small_runs: dict[tuple[str, str], int] = defaultdict(int)
    for name, code, county, enrolment in rows:
        pair = (names[county], shown[_key(keys, name, code)])
        offering[pair] += 1
        small_runs[pair] += enrolment is not None and enrolment < small
    found.offering, found.small_runs = dict(offering), dict(small_runs)
    totals: dict[str, int] = defaultdict(int)
    for county in found.counties:
        for major in {m for c, m in offering if c == county}:
            totals[major] += found.duplicated(county, major)
    found.majors = sorted((m for m, n in totals.items() if n), key=lambda m: (-totals[m], m))
    return found
