"""An empty database upgrades to head on both engines, with its reference data; the models are exactly what the
migrations create; and a migration that moves data carries it (0008: the schools' salaries become the counties'
standards), on both engines."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, make_url, select, text
from sqlalchemy.orm import Session

from zhijiao.cli.schema import Base
from zhijiao.engine.rules import Period
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.registry.models import County, SalaryStandard, SchoolYear, TeacherStats
from zhijiao.registry.snapshot import frames_for_year
from zhijiao.storage.database import engine_for
from zhijiao.storage.migrate import alembic_config, tables, upgrade

POSTGRES = os.environ.get("ZHIJIAO_TEST_POSTGRES_URL")


def _check(engine) -> None:
    assert set(tables(engine)) == set(Base.metadata.tables) | {"alembic_version"}
    with engine.connect() as connection:
        counties = dict(connection.execute(select(County.name, County.kind)).all())
    assert len(counties) == 13
    assert counties["龙港市"] == "county_city"
    assert counties["市直属"] == "city_run"
    assert sum(kind == "district" for kind in counties.values()) == 4
    upgrade(engine)  # a second upgrade is a no-op, not an error


def test_an_empty_sqlite_database_upgrades_to_head(tmp_path: Path):
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    upgrade(engine)
    _check(engine)


def test_an_empty_postgresql_database_upgrades_to_head():
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: run them through `make test`")
        pytest.skip("no PostgreSQL: run through `make test`")
    admin = create_engine(make_url(POSTGRES).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS zhijiao_empty"))
        connection.execute(text("CREATE DATABASE zhijiao_empty"))
    engine = create_engine(make_url(POSTGRES).set(database="zhijiao_empty"))
    upgrade(engine)
    _check(engine)
    engine.dispose()
    admin.dispose()


def test_the_migrations_create_exactly_the_models(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


@pytest.fixture(params=["sqlite", "postgresql"])
def at_0007(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh database migrated only as far as 0007, on each engine."""
    if request.param == "sqlite":
        engine = engine_for(f"sqlite:///{tmp_path / 'at_0007.sqlite3'}")
        upgrade(engine, "0007")
        yield engine
        engine.dispose()
        return
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: run them through `make test`")
        pytest.skip("no PostgreSQL: run through `make test`")
    admin = create_engine(make_url(POSTGRES).set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = f"zhijiao_at_0007_{os.getpid()}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(make_url(POSTGRES).set(database=name))
    upgrade(engine, "0007")
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


RUIAN, LUCHENG = "330381", "330302"
# code, county, type, then the school's local average salary in fen by year (None: blank)
SCHOOLS_AT_0007 = [
    ("S1", RUIAN, "secondary", {2023: 14_000_000, 2024: 15_000_000}),
    ("S2", RUIAN, "secondary", {2023: 14_500_000, 2024: 15_000_000}),
    ("S3", RUIAN, "secondary", {2023: None, 2024: 14_000_000}),
    ("S4", RUIAN, "higher", {2024: 17_000_000}),
    ("S5", LUCHENG, "secondary", {2024: None}),
    ("S6", RUIAN, "technical", {2024: None}),
]


def _fill_at_0007(engine: Engine) -> None:
    with engine.begin() as connection:
        for ident, (code, county, kind, salaries) in enumerate(SCHOOLS_AT_0007, start=1):
            connection.execute(
                text(
                    "INSERT INTO schools (id, code, name, county_code, school_type, ownership, sponsor) "
                    "VALUES (:id, :code, :name, :county, :kind, 'public', 'county')"
                ),
                {"id": ident, "code": code, "name": f"学校{code}", "county": county, "kind": kind},
            )
            for year, fen in salaries.items():
                connection.execute(
                    text(
                        "INSERT INTO school_years (school_id, year, double_high, local_avg_teacher_salary_fen) "
                        "VALUES (:id, :year, 'provincial', :fen)"
                    ),
                    {"id": ident, "year": year, "fen": fen},
                )
                connection.execute(
                    text(
                        "INSERT INTO teacher_stats (school_id, year, full_time, part_time, avg_salary_fen) "
                        "VALUES (:id, :year, 100, 20, 16000000)"
                    ),
                    {"id": ident, "year": year},
                )


def test_0008_makes_the_schools_salaries_their_countys_standards(at_0007: Engine):
    _fill_at_0007(at_0007)
    first = dt.datetime.now(dt.UTC).date()
    upgrade(at_0007)
    last = dt.datetime.now(dt.UTC).date()
    with Session(at_0007) as session:
        found = session.scalars(select(SalaryStandard).order_by(SalaryStandard.id)).all()
        kept = [
            (y.school_id, y.year, y.double_high) for y in session.scalars(select(SchoolYear).order_by(SchoolYear.id))
        ]
        part_time = set(session.scalars(select(TeacherStats.part_time)))
    assert {(s.county_code, s.year, s.school_type): s.avg_teacher_salary_fen for s in found} == {
        (RUIAN, 2023, "secondary"): 14_500_000,  # 14,000,000 and 14,500,000 held once each: the larger
        (RUIAN, 2024, "secondary"): 15_000_000,  # two schools against one: the most common
        (RUIAN, 2024, "higher"): 17_000_000,  # a single school
    }  # Lucheng's secondary and Rui'an's technical schools held only blanks: no standard
    assert {s.source for s in found} == {"迁移自学校年度数据（0008）"}
    assert all(first <= s.published_on <= last for s in found)
    assert len(kept) == 9  # the rest of the rows stays
    assert {level for _, _, level in kept} == {"provincial"}
    assert part_time == {20}
    assert "local_avg_teacher_salary_fen" not in {c["name"] for c in inspect(at_0007).get_columns("school_years")}
    assert "avg_salary_fen" not in {c["name"] for c in inspect(at_0007).get_columns("teacher_stats")}

    with Session(at_0007) as session:  # what the engine reads now: the county's standard, S3's own figure is gone
        schools = frames_for_year(session, load(), Period(2024))["school"]
    salaries = dict(zip(schools["id"].to_list(), schools["local_avg_teacher_salary"].to_list(), strict=True))
    assert salaries == {"S1": 15_000_000, "S2": 15_000_000, "S3": 15_000_000, "S4": 17_000_000, "S5": None, "S6": None}

    command.downgrade(alembic_config(at_0007), "0007")
    with at_0007.connect() as connection:
        back = connection.execute(
            text(
                "SELECT s.code, y.year, y.local_avg_teacher_salary_fen FROM school_years y "
                "JOIN schools s ON s.id = y.school_id ORDER BY s.code, y.year"
            )
        ).all()
        assert not inspect(connection).has_table("salary_standards")
    assert [tuple(row) for row in back] == [
        ("S1", 2023, 14_500_000), ("S1", 2024, 15_000_000), ("S2", 2023, 14_500_000), ("S2", 2024, 15_000_000),
        ("S3", 2023, 14_500_000), ("S3", 2024, 15_000_000), ("S4", 2024, 17_000_000), ("S5", 2024, None),
        ("S6", 2024, None),
    ]  # fmt: skip
