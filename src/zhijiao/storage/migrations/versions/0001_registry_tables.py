"""registry tables

Revision ID: 0001
Revises:
Create Date: 2026-11-29 04:23:11.303479
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Administrative division codes of Wenzhou's 12 county-level units, and the city bureau's own schools.
COUNTIES = [
    ("330302", "鹿城区", "district"), ("330303", "龙湾区", "district"),
    ("330304", "瓯海区", "district"), ("330305", "洞头区", "district"),
    ("330381", "瑞安市", "county_city"), ("330382", "乐清市", "county_city"), ("330383", "龙港市", "county_city"),
    ("330324", "永嘉县", "county"), ("330326", "平阳县", "county"), ("330327", "苍南县", "county"),
    ("330328", "文成县", "county"), ("330329", "泰顺县", "county"),
    ("330300", "市直属", "city_run"),
]  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "communities",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("founded_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communities")),
        sa.UniqueConstraint("code", name=op.f("uq_communities_code")),
    )
    op.create_table(
        "counties",
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_counties")),
        sa.UniqueConstraint("name", name=op.f("uq_counties_name")),
    )
    counties = sa.table(
        "counties", sa.column("code", sa.String), sa.column("name", sa.String), sa.column("kind", sa.String)
    )
    op.bulk_insert(counties, [{"code": c, "name": n, "kind": k} for c, n, k in COUNTIES])
    op.create_table(
        "community_members",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("community_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("member_kind", sa.String(length=20), nullable=False),
        sa.Column("member_name", sa.String(length=100), nullable=False),
        sa.Column("member_code", sa.String(length=40), nullable=True),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_community_members_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_members")),
        sa.UniqueConstraint("community_id", "member_name", name=op.f("uq_community_members_community_id")),
    )
    with op.batch_alter_table("community_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_community_members_community_id"), ["community_id"], unique=False)

    op.create_table(
        "enterprises",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["county_code"], ["counties.code"], name=op.f("fk_enterprises_county_code_counties")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprises")),
        sa.UniqueConstraint("code", name=op.f("uq_enterprises_code")),
    )
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enterprises_county_code"), ["county_code"], unique=False)

    op.create_table(
        "schools",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("school_type", sa.String(length=20), nullable=False),
        sa.Column("ownership", sa.String(length=20), nullable=False),
        sa.Column("sponsor", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["county_code"], ["counties.code"], name=op.f("fk_schools_county_code_counties")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schools")),
        sa.UniqueConstraint("code", name=op.f("uq_schools_code")),
    )
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schools_county_code"), ["county_code"], unique=False)

    op.create_table(
        "donations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("donor", sa.String(length=100), nullable=False),
        sa.Column("amount_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("capital", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_donations_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_donations")),
        sa.UniqueConstraint("code", name=op.f("uq_donations_code")),
    )
    with op.batch_alter_table("donations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_donations_school_id"), ["school_id"], unique=False)

    op.create_table(
        "enterprise_certifications",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("enterprise_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("certified_on", sa.Date(), nullable=False),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revocation_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name=op.f("fk_enterprise_certifications_enterprise_id_enterprises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_certifications")),
        sa.UniqueConstraint("code", name=op.f("uq_enterprise_certifications_code")),
    )
    with op.batch_alter_table("enterprise_certifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enterprise_certifications_enterprise_id"), ["enterprise_id"], unique=False)

    op.create_table(
        "international_programmes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("partner_country", sa.String(length=40), nullable=True),
        sa.Column("school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_international_programmes_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_international_programmes")),
        sa.UniqueConstraint("code", name=op.f("uq_international_programmes_code")),
    )
    with op.batch_alter_table("international_programmes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_international_programmes_school_id"), ["school_id"], unique=False)

    op.create_table(
        "majors",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("national_code", sa.String(length=20), nullable=True),
        sa.Column("professional_group", sa.String(length=100), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("enrolment", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("graduates", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("employment_rate_ppm", sa.Integer(), nullable=True),
        sa.Column("local_retention_ppm", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_majors_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_majors")),
        sa.UniqueConstraint("school_id", "year", "name", name=op.f("uq_majors_school_id")),
    )
    with op.batch_alter_table("majors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_majors_school_id"), ["school_id"], unique=False)

    op.create_table(
        "national_brands",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("awarded_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_national_brands_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_national_brands")),
        sa.UniqueConstraint("code", name=op.f("uq_national_brands_code")),
    )
    with op.batch_alter_table("national_brands", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_national_brands_school_id"), ["school_id"], unique=False)

    op.create_table(
        "platforms",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_platforms_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platforms")),
        sa.UniqueConstraint("code", name=op.f("uq_platforms_code")),
    )
    with op.batch_alter_table("platforms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_platforms_school_id"), ["school_id"], unique=False)

    op.create_table(
        "projects",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("planned_investment_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("actual_investment_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_projects_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("code", name=op.f("uq_projects_code")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_projects_school_id"), ["school_id"], unique=False)

    op.create_table(
        "school_shareholders",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("shareholder", sa.String(length=100), nullable=False),
        sa.Column("share_ppm", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_school_shareholders_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_shareholders")),
        sa.UniqueConstraint("school_id", "shareholder", name=op.f("uq_school_shareholders_school_id")),
    )
    with op.batch_alter_table("school_shareholders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_shareholders_school_id"), ["school_id"], unique=False)

    op.create_table(
        "school_years",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("double_high", sa.String(length=20), nullable=False),
        sa.Column("double_high_group_students", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "base_appropriation_per_student_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("local_avg_teacher_salary_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("market_service_income_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("social_training_person_times", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("meets_national_standard", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_school_years_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_years")),
        sa.UniqueConstraint("school_id", "year", name=op.f("uq_school_years_school_id")),
    )
    with op.batch_alter_table("school_years", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_years_school_id"), ["school_id"], unique=False)

    op.create_table(
        "student_stats",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("enrolled", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("intake", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("graduates", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("graduates_local", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("integrated_secondary_higher", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "integrated_secondary_undergraduate", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("three_plus_two", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("three_plus_four", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("study_abroad_funded", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("aided", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_student_stats_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_student_stats")),
        sa.UniqueConstraint("school_id", "year", name=op.f("uq_student_stats_school_id")),
    )
    with op.batch_alter_table("student_stats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_student_stats_school_id"), ["school_id"], unique=False)

    op.create_table(
        "teacher_stats",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("full_time", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("part_time", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("part_time_fte_hundredths", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("double_qualified", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("double_qualified_trained", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("avg_salary_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_teacher_stats_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teacher_stats")),
        sa.UniqueConstraint("school_id", "year", name=op.f("uq_teacher_stats_school_id")),
    )
    with op.batch_alter_table("teacher_stats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_teacher_stats_school_id"), ["school_id"], unique=False)

    op.create_table(
        "platform_certifications",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("platform_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("certified_on", sa.Date(), nullable=False),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revocation_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["platform_id"], ["platforms.id"], name=op.f("fk_platform_certifications_platform_id_platforms")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_certifications")),
        sa.UniqueConstraint("code", name=op.f("uq_platform_certifications_code")),
    )
    with op.batch_alter_table("platform_certifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_platform_certifications_platform_id"), ["platform_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("platform_certifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_platform_certifications_platform_id"))

    op.drop_table("platform_certifications")
    with op.batch_alter_table("teacher_stats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_teacher_stats_school_id"))

    op.drop_table("teacher_stats")
    with op.batch_alter_table("student_stats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_student_stats_school_id"))

    op.drop_table("student_stats")
    with op.batch_alter_table("school_years", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_years_school_id"))

    op.drop_table("school_years")
    with op.batch_alter_table("school_shareholders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_shareholders_school_id"))

    op.drop_table("school_shareholders")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_school_id"))

    op.drop_table("projects")
    with op.batch_alter_table("platforms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_platforms_school_id"))

    op.drop_table("platforms")
    with op.batch_alter_table("national_brands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_national_brands_school_id"))

    op.drop_table("national_brands")
    with op.batch_alter_table("majors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_majors_school_id"))

    op.drop_table("majors")
    with op.batch_alter_table("international_programmes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_international_programmes_school_id"))

    op.drop_table("international_programmes")
    with op.batch_alter_table("enterprise_certifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enterprise_certifications_enterprise_id"))

    op.drop_table("enterprise_certifications")
    with op.batch_alter_table("donations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_donations_school_id"))

    op.drop_table("donations")
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schools_county_code"))

    op.drop_table("schools")
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enterprises_county_code"))

    op.drop_table("enterprises")
    with op.batch_alter_table("community_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_members_community_id"))

    op.drop_table("community_members")
    op.drop_table("counties")
    op.drop_table("communities")
