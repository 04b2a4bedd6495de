"""plan: the official text of a plan, loaded by an official and cited as a document

The platform held only the drafting explanation of the 2023 plan. An official now loads the plan's own text from
the bureau's document: ``plan_texts`` keeps each load (the document's number, title and date, the source the
official names, who loaded it and when, the whole text and its digest), ``plan_text_sections`` its parts and
articles. Both are append-only: a later load supersedes the one before by naming it, so the history stays.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TABLES = ("plan_texts", "plan_text_sections")
FIRST_LOAD = sa.text("supersedes_id IS NULL")


def upgrade() -> None:
    op.create_table(
        "plan_texts",
        sa.Column("id", ID, nullable=False),
        sa.Column("plan", sa.String(length=80), nullable=False),
        sa.Column("document_number", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("supersedes_id", ID, nullable=True),
        sa.Column("loaded_by", ID, nullable=False),
        sa.Column("loaded_by_name", sa.String(length=60), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["loaded_by"], ["users.id"], name=op.f("fk_plan_texts_loaded_by_users")),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["plan_texts.id"], name=op.f("fk_plan_texts_supersedes_id_plan_texts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_texts")),
        sa.UniqueConstraint("supersedes_id", name=op.f("uq_plan_texts_supersedes_id")),
    )
    op.create_index(op.f("ix_plan_texts_plan"), "plan_texts", ["plan"], unique=False)
    op.create_index("uq_plan_texts_first_load", "plan_texts", ["plan"], unique=True,
                    sqlite_where=FIRST_LOAD, postgresql_where=FIRST_LOAD)  # fmt: skip
    op.create_table(
        "plan_text_sections",
        sa.Column("id", ID, nullable=False),
        sa.Column("plan_text_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("part_number", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('part', 'article')", name=op.f("ck_plan_text_sections_kind")),
        sa.CheckConstraint("number > 0", name=op.f("ck_plan_text_sections_number_positive")),
        sa.ForeignKeyConstraint(
            ["plan_text_id"], ["plan_texts.id"], name=op.f("fk_plan_text_sections_plan_text_id_plan_texts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_text_sections")),
        sa.UniqueConstraint("plan_text_id", "kind", "number", name="uq_plan_text_sections_number"),
    )
    op.create_index(op.f("ix_plan_text_sections_plan_text_id"), "plan_text_sections", ["plan_text_id"], unique=False)
    # Append-only, with migration 0003's refusing function: the app's role is granted SELECT, INSERT only
    # (storage/roles.py reads the guarded tables from these triggers).
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION zhijiao_refuse_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION zhijiao_refuse_change()"
            )
        return
    for table in TABLES:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
            )


def downgrade() -> None:
    op.drop_table("plan_text_sections")
    op.drop_table("plan_texts")
