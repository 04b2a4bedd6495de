"""drafting: plans under drafting, versions and articles, meetings, units, consultation rounds, feedback items;
users of a consulted unit

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "draft_plans",
        sa.Column("id", ID, nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("historical", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_plans")),
        sa.UniqueConstraint("code", name=op.f("uq_draft_plans_code")),
    )
    op.create_table(
        "units",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("name", name=op.f("uq_units_name")),
    )
    op.create_table(
        "draft_versions",
        sa.Column("id", ID, nullable=False),
        sa.Column("plan_id", ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("based_on_id", ID, nullable=True),
        sa.Column("dated", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("frozen", sa.Boolean(), nullable=False),
        sa.Column("text_known", sa.Boolean(), nullable=False),
        sa.Column("created_by", ID, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["based_on_id"], ["draft_versions.id"], name=op.f("fk_draft_versions_based_on_id_draft_versions")
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_draft_versions_created_by_users")),
        sa.ForeignKeyConstraint(["plan_id"], ["draft_plans.id"], name=op.f("fk_draft_versions_plan_id_draft_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_versions")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_draft_versions_plan_id")),
    )
    op.create_index(op.f("ix_draft_versions_plan_id"), "draft_versions", ["plan_id"], unique=False)
    op.create_table(
        "consultation_rounds",
        sa.Column("id", ID, nullable=False),
        sa.Column("plan_id", ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("version_id", ID, nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("sent_by", ID, nullable=True),
        sa.Column("in_name_of", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["draft_plans.id"], name=op.f("fk_consultation_rounds_plan_id_draft_plans")
        ),
        sa.ForeignKeyConstraint(["sent_by"], ["users.id"], name=op.f("fk_consultation_rounds_sent_by_users")),
        sa.ForeignKeyConstraint(
            ["version_id"], ["draft_versions.id"], name=op.f("fk_consultation_rounds_version_id_draft_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_rounds")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_consultation_rounds_plan_id")),
    )
    op.create_index(op.f("ix_consultation_rounds_plan_id"), "consultation_rounds", ["plan_id"], unique=False)
    op.create_table(
        "draft_articles",
        sa.Column("id", ID, nullable=False),
        sa.Column("version_id", ID, nullable=False),
        sa.Column("article_key", sa.String(length=40), nullable=False),
        sa.Column("part_number", sa.Integer(), nullable=False),
        sa.Column("part_title", sa.String(length=200), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("absorbed", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["draft_versions.id"], name=op.f("fk_draft_articles_version_id_draft_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_articles")),
        sa.UniqueConstraint("version_id", "article_key", name="uq_draft_articles_version_key"),
        sa.UniqueConstraint("version_id", "number", name="uq_draft_articles_version_number"),
    )
    op.create_index(op.f("ix_draft_articles_article_key"), "draft_articles", ["article_key"], unique=False)
    op.create_index(op.f("ix_draft_articles_version_id"), "draft_articles", ["version_id"], unique=False)
    op.create_table(
        "draft_meetings",
        sa.Column("id", ID, nullable=False),
        sa.Column("plan_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("chair", sa.String(length=100), nullable=True),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("participant_count", sa.Integer(), nullable=True),
        sa.Column("produced_version_id", ID, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["draft_plans.id"], name=op.f("fk_draft_meetings_plan_id_draft_plans")),
        sa.ForeignKeyConstraint(
            ["produced_version_id"],
            ["draft_versions.id"],
            name=op.f("fk_draft_meetings_produced_version_id_draft_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_meetings")),
    )
    op.create_index(op.f("ix_draft_meetings_plan_id"), "draft_meetings", ["plan_id"], unique=False)
    op.create_table(
        "feedback_items",
        sa.Column("id", ID, nullable=False),
        sa.Column("round_id", ID, nullable=False),
        sa.Column("unit_id", ID, nullable=True),
        sa.Column("version_id", ID, nullable=False),
        sa.Column("article_key", sa.String(length=40), nullable=True),
        sa.Column("article_number", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("disposition", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("change", sa.Text(), nullable=True),
        sa.Column("proposed_by", ID, nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by", ID, nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", ID, nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "confirmed_by IS NULL OR confirmed_by <> proposed_by", name=op.f("ck_feedback_items_confirmer_not_proposer")
        ),
        sa.ForeignKeyConstraint(["confirmed_by"], ["users.id"], name=op.f("fk_feedback_items_confirmed_by_users")),
        sa.ForeignKeyConstraint(["proposed_by"], ["users.id"], name=op.f("fk_feedback_items_proposed_by_users")),
        sa.ForeignKeyConstraint(
            ["round_id"], ["consultation_rounds.id"], name=op.f("fk_feedback_items_round_id_consultation_rounds")
        ),
        sa.ForeignKeyConstraint(["submitted_by"], ["users.id"], name=op.f("fk_feedback_items_submitted_by_users")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_feedback_items_unit_id_units")),
        sa.ForeignKeyConstraint(
            ["version_id"], ["draft_versions.id"], name=op.f("fk_feedback_items_version_id_draft_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_items")),
    )
    op.create_index(op.f("ix_feedback_items_article_key"), "feedback_items", ["article_key"], unique=False)
    op.create_index(op.f("ix_feedback_items_round_id"), "feedback_items", ["round_id"], unique=False)
    op.create_index(op.f("ix_feedback_items_unit_id"), "feedback_items", ["unit_id"], unique=False)
    op.create_table(
        "round_units",
        sa.Column("id", ID, nullable=False),
        sa.Column("round_id", ID, nullable=False),
        sa.Column("unit_id", ID, nullable=False),
        sa.Column("reply", sa.String(length=20), nullable=False),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"], ["consultation_rounds.id"], name=op.f("fk_round_units_round_id_consultation_rounds")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_round_units_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_units")),
        sa.UniqueConstraint("round_id", "unit_id", name=op.f("uq_round_units_round_id")),
    )
    op.create_index(op.f("ix_round_units_round_id"), "round_units", ["round_id"], unique=False)
    op.create_index(op.f("ix_round_units_unit_id"), "round_units", ["unit_id"], unique=False)

    # SQLite alters a table by rebuilding it: batch mode does that, and is a plain ALTER on PostgreSQL.
    with op.batch_alter_table("users") as users:
        users.add_column(sa.Column("unit_id", ID, nullable=True))
        users.create_foreign_key(op.f("fk_users_unit_id_units"), "units", ["unit_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("users") as users:
        users.drop_constraint(op.f("fk_users_unit_id_units"), type_="foreignkey")
        users.drop_column("unit_id")
    for table in (
        "feedback_items",
        "round_units",
        "consultation_rounds",
        "draft_meetings",
        "draft_articles",
        "draft_versions",
        "units",
        "draft_plans",
    ):
        op.drop_table(table)
