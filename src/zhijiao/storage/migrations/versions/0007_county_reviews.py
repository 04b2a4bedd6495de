"""fulfilment: the county's review is frozen, and the city approves exactly it

A county officer reviews an application with its amount in sight: which figures stand (the applicant's,
written into the registry in the same transaction, or the registry's, with the reason told to the
applicant), the amount they give, the rule set and the explanation are kept in ``reviews``, append-only.
A decision names the review it approved (``decisions.review_id``; empty for decisions made before).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", ID, nullable=False),
        sa.Column("application_id", ID, nullable=False),
        sa.Column("amount_fen", ID, nullable=False),
        sa.Column("rule_set", sa.String(length=80), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("inputs_digest", sa.String(length=64), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("figures_basis", sa.String(length=10), nullable=False),
        sa.Column("claimed", sa.JSON(), nullable=False),
        sa.Column("registry_before", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("submitted_by", ID, nullable=True),
        sa.Column("reviewed_by", ID, nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_fen >= 0", name=op.f("ck_reviews_amount_not_negative")),
        sa.CheckConstraint("figures_basis IN ('registry', 'claimed')", name=op.f("ck_reviews_figures_basis")),
        sa.CheckConstraint(
            "submitted_by IS NULL OR reviewed_by <> submitted_by", name=op.f("ck_reviews_reviewer_not_submitter")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_reviews_application_id_applications")
        ),
        sa.ForeignKeyConstraint(["reviewed_by"], ["users.id"], name=op.f("fk_reviews_reviewed_by_users")),
        sa.ForeignKeyConstraint(["submitted_by"], ["users.id"], name=op.f("fk_reviews_submitted_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    op.create_index(op.f("ix_reviews_application_id"), "reviews", ["application_id"], unique=False)
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("review_id", ID, nullable=True))
        batch.create_foreign_key(op.f("fk_decisions_review_id_reviews"), "reviews", ["review_id"], ["id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER reviews_append_only BEFORE UPDATE OR DELETE ON reviews "
            "FOR EACH ROW EXECUTE FUNCTION zhijiao_refuse_change()"
        )
        op.execute(
            "CREATE TRIGGER reviews_no_truncate BEFORE TRUNCATE ON reviews "
            "FOR EACH STATEMENT EXECUTE FUNCTION zhijiao_refuse_change()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER reviews_no_{action.lower()} BEFORE {action} ON reviews "
                f"BEGIN SELECT RAISE(ABORT, 'reviews is append-only: {action} refused'); END"
            )


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.drop_constraint(op.f("fk_decisions_review_id_reviews"), type_="foreignkey")
        batch.drop_column("review_id")
    op.drop_table("reviews")
