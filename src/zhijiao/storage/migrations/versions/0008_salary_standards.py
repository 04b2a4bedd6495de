"""registry: the local average teacher salary is a county's standard, not a school's figure

Art. 13 funds each part-time teacher at "当地同类学校编制内教师平均工资": the average in-establishment teacher
salary of similar local schools, one figure per county, year and school type. ``salary_standards`` keeps it
(county, year, school type, the amount in fen, its source and the date it was published or entered), unique on
(county, year, school type).

The existing figures move there: for each county (the school's county), year and school type, the values the
schools held in ``school_years.local_avg_teacher_salary_fen`` (blanks left out). Where the schools agree, that is
the standard; where schools of one county, year and type disagree, the value the most schools held is taken, and
of values held by equally many schools the larger. The source of a migrated standard says so
("迁移自学校年度数据（0008）"), and its date is the day the migration ran (the day it was entered here: the day
it was published is not known). Then ``school_years.local_avg_teacher_salary_fen`` is dropped, and so is
``teacher_stats.avg_salary_fen``, a school's own average salary that nothing read (its values are not kept).

Downgrade puts each school's county standard back into its school years and leaves the dropped
``teacher_stats`` salaries blank.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MIGRATED = "迁移自学校年度数据（0008）"

_schools = sa.table(
    "schools", sa.column("id", ID), sa.column("county_code", sa.String), sa.column("school_type", sa.String)
)
_school_years = sa.table(
    "school_years", sa.column("school_id", ID), sa.column("year", sa.Integer), sa.column("local_avg_teacher_salary_fen")
)
_standards = sa.table(
    "salary_standards",
    sa.column("county_code", sa.String),
    sa.column("year", sa.Integer),
    sa.column("school_type", sa.String),
    sa.column("avg_teacher_salary_fen", ID),
    sa.column("source", sa.String),
    sa.column("published_on", sa.Date),
)


def _standards_from_schools() -> list[dict[str, object]]:
    """One standard per (county, year, school type): the value most of its schools held, the larger on a tie."""
    salary = _school_years.c.local_avg_teacher_salary_fen
    group = (_schools.c.county_code, _school_years.c.year, _schools.c.school_type, salary)
    held = (
        sa.select(*group, sa.func.count())
        .join_from(_school_years, _schools, _schools.c.id == _school_years.c.school_id)
        .where(salary.is_not(None))
        .group_by(*group)
    )
    counted: dict[tuple[str, int, str], Counter[int]] = {}
    for county, year, school_type, fen, schools in op.get_bind().execute(held):
        counted.setdefault((county, year, school_type), Counter())[int(fen)] += int(schools)
    today = dt.datetime.now(dt.UTC).date()
    rows = []
    for (county, year, school_type), values in sorted(counted.items()):
        fen = max(values, key=lambda value: (values[value], value))
        rows.append(
            {"county_code": county, "year": year, "school_type": school_type, "avg_teacher_salary_fen": fen,
             "source": MIGRATED, "published_on": today}
        )  # fmt: skip
    return rows


def upgrade() -> None:
    op.create_table(
        "salary_standards",
        sa.Column("id", ID, nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("school_type", sa.String(length=20), nullable=False),
        sa.Column("avg_teacher_salary_fen", ID, nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_code"], ["counties.code"], name=op.f("fk_salary_standards_county_code_counties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_salary_standards")),
        sa.UniqueConstraint("county_code", "year", "school_type", name=op.f("uq_salary_standards_county_code")),
    )
    op.create_index(op.f("ix_salary_standards_county_code"), "salary_standards", ["county_code"], unique=False)
    standards = _standards_from_schools()
    if standards:
        op.bulk_insert(_standards, standards)
    with op.batch_alter_table("school_years") as batch:
        batch.drop_column("local_avg_teacher_salary_fen")
    with op.batch_alter_table("teacher_stats") as batch:
        batch.drop_column("avg_salary_fen")


def downgrade() -> None:
    with op.batch_alter_table("teacher_stats") as batch:
        batch.add_column(sa.Column("avg_salary_fen", ID, nullable=True))
    with op.batch_alter_table("school_years") as batch:
        batch.add_column(sa.Column("local_avg_teacher_salary_fen", ID, nullable=True))
    standard = (
        sa.select(_standards.c.avg_teacher_salary_fen)
        .join_from(_schools, _standards, _standards.c.county_code == _schools.c.county_code)
        .where(
            _schools.c.id == _school_years.c.school_id,
            _standards.c.year == _school_years.c.year,
            _standards.c.school_type == _schools.c.school_type,
        )
        .scalar_subquery()
    )
    op.execute(sa.update(_school_years).values(local_avg_teacher_salary_fen=standard))
    op.drop_index(op.f("ix_salary_standards_county_code"), table_name="salary_standards")
    op.drop_table("salary_standards")
