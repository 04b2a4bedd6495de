"""drafting: the changes a draft version makes to the plan in force, article by article

``draft_article_changes`` holds, per draft version and article (its stable ``article_key``), the parameter values
and option choices the article changes against 温政办〔2023〕32号, with who set each and when. The version's reform
is the union of its rows; a parameter or option is set by one article of a version at most (a unique constraint),
so the union never holds two values for it. A new version copies its base's rows as it copies the articles.

The rows change while the version is editable (the drafting service refuses it once the version is frozen), so
the table keeps the ordinary grant: no refusing trigger, nothing for decision 0013's append-only list.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TABLE = "draft_article_changes"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", ID, nullable=False),
        sa.Column("version_id", ID, nullable=False),
        sa.Column("article_key", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("set_by", ID, nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('parameter', 'option')", name=op.f("ck_draft_article_changes_kind")),
        sa.ForeignKeyConstraint(
            ["version_id"], ["draft_versions.id"], name=op.f("fk_draft_article_changes_version_id_draft_versions")
        ),
        sa.ForeignKeyConstraint(["set_by"], ["users.id"], name=op.f("fk_draft_article_changes_set_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_article_changes")),
        sa.UniqueConstraint("version_id", "kind", "name", name="uq_draft_article_changes_version_kind_name"),
    )
    op.create_index(op.f("ix_draft_article_changes_version_id"), TABLE, ["version_id"], unique=False)
    op.create_index(op.f("ix_draft_article_changes_article_key"), TABLE, ["article_key"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_draft_article_changes_article_key"), table_name=TABLE)
    op.drop_index(op.f("ix_draft_article_changes_version_id"), table_name=TABLE)
    op.drop_table(TABLE)
