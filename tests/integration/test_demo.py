"""The demo registry on SQLite and PostgreSQL: Wenzhou-shaped, one seed, one set of rows, empty registries only."""

from __future__ import annotations

import datetime as dt
import hashlib
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from zhijiao.demo.registry import DemoSummary, generate
from zhijiao.engine.errors import InputError
from zhijiao.registry.models import (
    Enterprise,
    EnterpriseCertification,
    Project,
    School,
    SchoolShareholder,
    SchoolYear,
    StudentStats,
    TeacherStats,
)
from zhijiao.storage.base import Base
from zhijiao.storage.database import engine_for
from zhijiao.storage.migrate import upgrade

PLAN = (dt.date(2023, 1, 1), dt.date(2025, 12, 31))


def generated(engine: Engine, **options: int) -> DemoSummary:
    with Session(engine) as s, s.begin():
        return generate(s, **options)


def fresh_sqlite(path: Path) -> Engine:
    engine = engine_for(f"sqlite:///{path}")
    upgrade(engine)
    return engine


def digest(engine: Engine) -> str:
    """A hash of every row the generator writes, table by table in key order."""
    hashed = hashlib.sha256()
    with engine.connect() as connection:
        for name in DemoSummary().as_dict():
            table = Base.metadata.tables[name]
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                hashed.update(f"{name}{tuple(row)!r}".encode())
    return hashed.hexdigest()


def test_scale_one_is_a_wenzhou_shaped_city(engine):
    summary = generated(engine)
    with Session(engine) as s:
        for name, rows in summary.as_dict().items():
            assert s.scalar(select(func.count()).select_from(Base.metadata.tables[name])) == rows, name
        kinds = dict(s.execute(select(School.school_type, func.count()).group_by(School.school_type)).all())
        assert kinds == {"secondary": 45, "technical": 7, "higher": 6}
        assert s.scalar(select(func.count(func.distinct(School.county_code)))) == 13  # 12 counties and 市直属

        secondary_2024 = (
            select(func.sum(StudentStats.enrolled), func.sum(TeacherStats.full_time))
            .join(School, School.id == StudentStats.school_id)
            .join(TeacherStats, (TeacherStats.school_id == School.id) & (TeacherStats.year == StudentStats.year))
            .where(School.school_type == "secondary", StudentStats.year == 2024)
        )
        students, teachers = s.execute(secondary_2024).one()
        assert 90_000 <= students <= 100_000
        assert 15 <= students / teachers <= 19

        over_cap = select(func.count()).where(
            TeacherStats.year == 2024, TeacherStats.part_time * 7 > TeacherStats.full_time * 3
        )
        assert 1 <= s.scalar(over_cap) <= 6  # C10: a handful of schools over the 30% cap
        trained = select(func.sum(TeacherStats.double_qualified_trained)).where(TeacherStats.year.between(2023, 2025))
        assert 4_500 <= s.scalar(trained) <= 5_500  # T5: 5,000
        social = select(func.sum(SchoolYear.social_training_person_times)).where(SchoolYear.year.between(2023, 2025))
        assert 850_000 <= s.scalar(social) <= 950_000  # T7: 900,000

        in_plan = Project.started_on.between(*PLAN)
        projects = select(func.count(func.distinct(Project.school_id)), func.sum(Project.planned_investment_fen))
        started, planned = s.execute(projects.where(in_plan)).one()
        assert started >= 30  # T2
        assert planned == 10_000_000_000 * 100  # T1: 约100亿元

        assert s.scalar(select(func.count()).select_from(Enterprise)) >= 300
        assert s.scalar(select(func.count()).where(Enterprise.county_code == "330300")) == 0  # firms are in counties
        assert all(len(code) == 18 for code in s.scalars(select(Enterprise.code)))


def test_certifications_cover_every_level_year_upgrade_revocation_and_window_edge(engine):
    generated(engine)
    with Session(engine) as s:
        rows = s.execute(select(EnterpriseCertification)).scalars().all()
        for year in (2023, 2024, 2025):
            assert {c.level for c in rows if c.certified_on.year == year} == {"city", "provincial", "national"}, year
        ranks = {"city": 0, "provincial": 1, "national": 2}
        histories: dict[int, list[tuple[dt.date, int]]] = {}
        for c in rows:
            histories.setdefault(c.enterprise_id, []).append((c.certified_on, ranks[c.level]))
        ladders = [[rank for _, rank in sorted(h)] for h in histories.values()]
        upgraded = [ranks for ranks in ladders if len(ranks) > 1 and all(a < b for a, b in pairwise(ranks))]
        assert upgraded  # a firm certified again at a higher level on a later date
        assert any(ranks == [0, 1, 2] for ranks in upgraded)  # city → provincial → national
        revoked = [c for c in rows if c.revoked_on is not None]
        assert revoked
        assert all(c.revoked_on > c.certified_on and c.revocation_reason for c in revoked)
        edges = {dt.date(2022, 12, 31), dt.date(2023, 1, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 1)}
        assert edges <= {c.certified_on for c in rows}


def test_the_mixed_ownership_school_has_its_three_shareholders(engine):
    generated(engine)
    with Session(engine) as s:
        school = s.scalars(select(School).where(School.name == "温州东方悦心职业学校")).one()
        assert (school.ownership, school.school_type) == ("mixed", "secondary")
        shares = {h.shareholder: h.share_ppm for h in school.shareholders}
        assert set(shares) == {"上海斯米克集团", "温州市现代集团", "温州东方学院"}
        assert sum(shares.values()) == 1_000_000
        assert shares["温州东方学院"] == 100_000  # 约10%
        planned = select(Project.planned_investment_fen).where(Project.school_id == school.id)
        assert s.scalars(planned).all() == [600_000_000 * 100]  # 计划投资6亿元
        assert (
            s.scalar(select(func.count()).select_from(SchoolShareholder)) == 5
        )  # and one more mixed school, 2 holders


def test_the_same_seed_gives_the_same_rows(engine, tmp_path):
    generated(engine)
    other = fresh_sqlite(tmp_path / "second.sqlite3")
    try:
        generated(other)
        assert digest(engine) == digest(other)
    finally:
        other.dispose()


def test_a_registry_with_schools_is_refused_and_left_as_it_was(engine):
    with Session(engine) as s, s.begin():
        s.add(School(code="S1", name="瑞安市职业中专", county_code="330381", school_type="secondary",
                     ownership="public", sponsor="county"))  # fmt: skip
    with pytest.raises(InputError, match="registry is not empty") as caught:
        generated(engine)
    assert "登记库不是空的" in caught.value.messages("zh")[0]
    assert "schools" in str(caught.value)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(School)) == 1
        assert s.scalar(select(func.count()).select_from(Enterprise)) == 0


def test_scale_multiplies_the_city_and_another_seed_changes_it(tmp_path):
    """SQLite only: the scaling and seeding logic does not depend on the engine."""
    one, two, seven = (fresh_sqlite(tmp_path / f"{name}.sqlite3") for name in ("one", "two", "seven"))
    try:
        single, double = generated(one), generated(two, scale=2)
        assert (double.schools, double.enterprises) == (2 * single.schools, 2 * single.enterprises)
        assert double.platforms == 2 * single.platforms
        assert double.projects == 2 * single.projects
        assert 1.8 * single.total <= double.total <= 2.2 * single.total
        with Session(two) as s:
            assert s.scalar(select(func.count()).where(School.name.endswith("（模拟2）"))) == single.schools
            assert s.scalar(select(func.count(func.distinct(Enterprise.name)))) == double.enterprises
        generated(seven, seed=7)
        assert digest(seven) != digest(one)
        with pytest.raises(InputError, match="scale must be a positive"):
            generated(seven, scale=0)
    finally:
        for engine in (one, two, seven):
            engine.dispose()
