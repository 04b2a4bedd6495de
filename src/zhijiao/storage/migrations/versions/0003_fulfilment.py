"""fulfilment: applications, decisions, payment batches, the ledger, the audit trail, notices

Revision ID: 0003
Revises: 0002

The ledger and the audit trail are append-only in the database itself: triggers refuse UPDATE and
DELETE on both, on SQLite and PostgreSQL, whatever code (or person with a SQL prompt and the app's
role) tries. A one-time award can be paid once: a partial unique index on the paid award key.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
APPEND_ONLY = ("ledger_entries", "audit_records")


def upgrade() -> None:
    op.create_table(
        "audit_records",
        sa.Column("id", ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", ID, nullable=True),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=60), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_audit_records_actor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_records")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_records_hash")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_records_prev_hash")),
    )
    op.create_index(op.f("ix_audit_records_action"), "audit_records", ["action"], unique=False)
    op.create_index(op.f("ix_audit_records_actor_id"), "audit_records", ["actor_id"], unique=False)
    op.create_index(op.f("ix_audit_records_at"), "audit_records", ["at"], unique=False)
    op.create_table(
        "payment_batches",
        sa.Column("id", ID, nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("payer", sa.String(length=10), nullable=False),
        sa.Column("payer_county_code", sa.String(length=6), nullable=True),
        sa.Column("declared_count", sa.Integer(), nullable=False),
        sa.Column("declared_total_fen", ID, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("prepared_by", ID, nullable=False),
        sa.Column("prepared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_by", ID, nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "declared_count > 0 AND declared_total_fen >= 0", name=op.f("ck_payment_batches_declaration")
        ),
        sa.CheckConstraint(
            "released_by IS NULL OR released_by <> prepared_by", name=op.f("ck_payment_batches_releaser_not_preparer")
        ),
        sa.ForeignKeyConstraint(
            ["payer_county_code"], ["counties.code"], name=op.f("fk_payment_batches_payer_county_code_counties")
        ),
        sa.ForeignKeyConstraint(["prepared_by"], ["users.id"], name=op.f("fk_payment_batches_prepared_by_users")),
        sa.ForeignKeyConstraint(["released_by"], ["users.id"], name=op.f("fk_payment_batches_released_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_batches")),
        sa.UniqueConstraint("number", name=op.f("uq_payment_batches_number")),
    )
    op.create_table(
        "applications",
        sa.Column("id", ID, nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("entitlement", sa.String(length=60), nullable=False),
        sa.Column("article", sa.String(length=10), nullable=False),
        sa.Column("school_id", ID, nullable=True),
        sa.Column("enterprise_id", ID, nullable=True),
        sa.Column("platform_id", ID, nullable=True),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("award_key", sa.String(length=120), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("claimed_fen", ID, nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", ID, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", ID, nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", ID, nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("batch_id", ID, nullable=True),
        sa.Column("needs_re_review", sa.Boolean(), nullable=False),
        sa.Column("re_review_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN school_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN enterprise_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN platform_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_applications_one_entity"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["payment_batches.id"], name=op.f("fk_applications_batch_id_payment_batches")
        ),
        sa.ForeignKeyConstraint(["county_code"], ["counties.code"], name=op.f("fk_applications_county_code_counties")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_applications_created_by_users")),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name=op.f("fk_applications_enterprise_id_enterprises")
        ),
        sa.ForeignKeyConstraint(["platform_id"], ["platforms.id"], name=op.f("fk_applications_platform_id_platforms")),
        sa.ForeignKeyConstraint(["reviewed_by"], ["users.id"], name=op.f("fk_applications_reviewed_by_users")),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_applications_school_id_schools")),
        sa.ForeignKeyConstraint(["submitted_by"], ["users.id"], name=op.f("fk_applications_submitted_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("number", name=op.f("uq_applications_number")),
    )
    op.create_index(op.f("ix_applications_award_key"), "applications", ["award_key"], unique=False)
    op.create_index(op.f("ix_applications_batch_id"), "applications", ["batch_id"], unique=False)
    op.create_index(op.f("ix_applications_county_code"), "applications", ["county_code"], unique=False)
    op.create_index(op.f("ix_applications_enterprise_id"), "applications", ["enterprise_id"], unique=False)
    op.create_index(op.f("ix_applications_platform_id"), "applications", ["platform_id"], unique=False)
    op.create_index(op.f("ix_applications_school_id"), "applications", ["school_id"], unique=False)
    op.create_index(op.f("ix_applications_status"), "applications", ["status"], unique=False)
    op.create_index(
        "uq_applications_open_award_key",
        "applications",
        ["award_key"],
        unique=True,
        sqlite_where=sa.text("status NOT IN ('rejected', 'withdrawn')"),
        postgresql_where=sa.text("status NOT IN ('rejected', 'withdrawn')"),
    )
    op.create_table(
        "attachments",
        sa.Column("id", ID, nullable=False),
        sa.Column("application_id", ID, nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", ID, nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_attachments_application_id_applications")
        ),
        sa.ForeignKeyConstraint(["uploaded_by"], ["users.id"], name=op.f("fk_attachments_uploaded_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    op.create_index(op.f("ix_attachments_application_id"), "attachments", ["application_id"], unique=False)
    op.create_table(
        "decisions",
        sa.Column("id", ID, nullable=False),
        sa.Column("application_id", ID, nullable=False),
        sa.Column("amount_fen", ID, nullable=False),
        sa.Column("rule_set", sa.String(length=80), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("inputs_digest", sa.String(length=64), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("submitted_by", ID, nullable=True),
        sa.Column("reviewed_by", ID, nullable=False),
        sa.Column("approved_by", ID, nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_fen >= 0", name=op.f("ck_decisions_amount_not_negative")),
        sa.CheckConstraint("approved_by <> reviewed_by", name=op.f("ck_decisions_approver_not_reviewer")),
        sa.CheckConstraint(
            "submitted_by IS NULL OR approved_by <> submitted_by", name=op.f("ck_decisions_approver_not_submitter")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_decisions_application_id_applications")
        ),
        sa.ForeignKeyConstraint(["approved_by"], ["users.id"], name=op.f("fk_decisions_approved_by_users")),
        sa.ForeignKeyConstraint(["reviewed_by"], ["users.id"], name=op.f("fk_decisions_reviewed_by_users")),
        sa.ForeignKeyConstraint(["submitted_by"], ["users.id"], name=op.f("fk_decisions_submitted_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    op.create_index(op.f("ix_decisions_application_id"), "decisions", ["application_id"], unique=False)
    op.create_table(
        "notices",
        sa.Column("id", ID, nullable=False),
        sa.Column("application_id", ID, nullable=False),
        sa.Column("school_id", ID, nullable=True),
        sa.Column("enterprise_id", ID, nullable=True),
        sa.Column("platform_id", ID, nullable=True),
        sa.Column("message_zh", sa.Text(), nullable=False),
        sa.Column("message_en", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_notices_application_id_applications")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name=op.f("fk_notices_enterprise_id_enterprises")
        ),
        sa.ForeignKeyConstraint(["platform_id"], ["platforms.id"], name=op.f("fk_notices_platform_id_platforms")),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_notices_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    op.create_index(op.f("ix_notices_application_id"), "notices", ["application_id"], unique=False)
    op.create_index(op.f("ix_notices_enterprise_id"), "notices", ["enterprise_id"], unique=False)
    op.create_index(op.f("ix_notices_platform_id"), "notices", ["platform_id"], unique=False)
    op.create_index(op.f("ix_notices_school_id"), "notices", ["school_id"], unique=False)
    op.create_table(
        "ledger_entries",
        sa.Column("id", ID, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("award_key", sa.String(length=120), nullable=False),
        sa.Column("amount_fen", ID, nullable=False),
        sa.Column("payer", sa.String(length=10), nullable=False),
        sa.Column("payer_county_code", sa.String(length=6), nullable=True),
        sa.Column("article", sa.String(length=10), nullable=False),
        sa.Column("entitlement", sa.String(length=60), nullable=False),
        sa.Column("school_id", ID, nullable=True),
        sa.Column("enterprise_id", ID, nullable=True),
        sa.Column("platform_id", ID, nullable=True),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("application_id", ID, nullable=True),
        sa.Column("decision_id", ID, nullable=True),
        sa.Column("batch_id", ID, nullable=True),
        sa.Column("reverses_id", ID, nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("approved_by", ID, nullable=True),
        sa.Column("released_by", ID, nullable=True),
        sa.Column("recorded_by", ID, nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("(kind = 'payment') = (amount_fen > 0)", name=op.f("ck_ledger_entries_sign_follows_kind")),
        sa.CheckConstraint(
            "(kind = 'payment') = (reverses_id IS NULL)", name=op.f("ck_ledger_entries_corrections_name_their_entry")
        ),
        sa.CheckConstraint("kind IN ('payment', 'reversal', 'clawback')", name=op.f("ck_ledger_entries_kind")),
        sa.CheckConstraint(
            "released_by IS NULL OR released_by <> approved_by", name=op.f("ck_ledger_entries_releaser_not_approver")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_ledger_entries_application_id_applications")
        ),
        sa.ForeignKeyConstraint(["approved_by"], ["users.id"], name=op.f("fk_ledger_entries_approved_by_users")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["payment_batches.id"], name=op.f("fk_ledger_entries_batch_id_payment_batches")
        ),
        sa.ForeignKeyConstraint(
            ["county_code"], ["counties.code"], name=op.f("fk_ledger_entries_county_code_counties")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_ledger_entries_decision_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name=op.f("fk_ledger_entries_enterprise_id_enterprises")
        ),
        sa.ForeignKeyConstraint(
            ["payer_county_code"], ["counties.code"], name=op.f("fk_ledger_entries_payer_county_code_counties")
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"], ["platforms.id"], name=op.f("fk_ledger_entries_platform_id_platforms")
        ),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"], name=op.f("fk_ledger_entries_recorded_by_users")),
        sa.ForeignKeyConstraint(["released_by"], ["users.id"], name=op.f("fk_ledger_entries_released_by_users")),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["ledger_entries.id"], name=op.f("fk_ledger_entries_reverses_id_ledger_entries")
        ),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_ledger_entries_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_ledger_entries_reverses_id")),
    )
    op.create_index(op.f("ix_ledger_entries_application_id"), "ledger_entries", ["application_id"], unique=False)
    op.create_index(op.f("ix_ledger_entries_award_key"), "ledger_entries", ["award_key"], unique=False)
    op.create_index(op.f("ix_ledger_entries_batch_id"), "ledger_entries", ["batch_id"], unique=False)
    op.create_index(op.f("ix_ledger_entries_county_code"), "ledger_entries", ["county_code"], unique=False)
    op.create_index(op.f("ix_ledger_entries_year"), "ledger_entries", ["year"], unique=False)
    op.create_index(
        "uq_ledger_entries_paid_award_key",
        "ledger_entries",
        ["award_key"],
        unique=True,
        sqlite_where=sa.text("kind = 'payment'"),
        postgresql_where=sa.text("kind = 'payment'"),
    )

    _append_only()


def _append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION zhijiao_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END $$"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION zhijiao_refuse_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION zhijiao_refuse_change()"
            )
        return
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
            )


def downgrade() -> None:
    for table in (
        "notices",
        "ledger_entries",
        "decisions",
        "attachments",
        "applications",
        "payment_batches",
        "audit_records",
    ):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS zhijiao_refuse_change()")
