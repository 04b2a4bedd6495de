"""ledger: a correction (reversal or claw-back) needs two people: one proposes, another confirms

A finance officer proposes correcting a payment (``ledger_corrections``, one live proposal per payment);
a different one confirms it, and only then is the correction written to the ledger, naming its proposer.
A trigger refuses a correction row unless a proposal of that kind for that payment stands, by someone
other than whoever records it: no code path writes a correction without the second person's step. The
ids are those the writer supplies, so someone at a SQL prompt could write both rows in two names; the
hash-chained audit trail (which records who did each step) and the database's roles answer that, not this
trigger. Corrections recorded before this migration stay as they are.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
LIVE = sa.text("status IN ('proposed', 'confirmed')")
STANDING_PROPOSAL = (
    "EXISTS (SELECT 1 FROM ledger_corrections AS proposal WHERE proposal.payment_id = NEW.reverses_id "
    "AND proposal.kind = NEW.kind AND proposal.status = 'proposed' AND proposal.proposed_by = NEW.proposed_by)"
)
CONDITION = (
    "NEW.kind <> 'payment' AND (NEW.proposed_by IS NULL OR NEW.recorded_by IS NULL "
    f"OR NEW.proposed_by = NEW.recorded_by OR NOT {STANDING_PROPOSAL})"
)
REFUSAL = "ledger_entries: a correction needs a standing proposal by someone other than its recorder"


def upgrade() -> None:
    op.create_table(
        "ledger_corrections",
        sa.Column("id", ID, nullable=False),
        sa.Column("payment_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("proposed_by", ID, nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", ID, nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("entry_id", ID, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('reversal', 'clawback')", name=op.f("ck_ledger_corrections_kind")),
        sa.CheckConstraint(
            "status IN ('proposed', 'confirmed', 'refused', 'withdrawn')", name=op.f("ck_ledger_corrections_status")
        ),
        sa.CheckConstraint(
            "(status = 'proposed') = (decided_by IS NULL)", name=op.f("ck_ledger_corrections_decided_has_decider")
        ),
        sa.CheckConstraint(
            "status = 'withdrawn' OR decided_by IS NULL OR decided_by <> proposed_by",
            name=op.f("ck_ledger_corrections_decider_not_proposer"),
        ),
        sa.CheckConstraint(
            "(status = 'confirmed') = (entry_id IS NOT NULL)", name=op.f("ck_ledger_corrections_confirmed_has_entry")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["ledger_entries.id"], name=op.f("fk_ledger_corrections_payment_id_ledger_entries")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["ledger_entries.id"], name=op.f("fk_ledger_corrections_entry_id_ledger_entries")
        ),
        sa.ForeignKeyConstraint(["proposed_by"], ["users.id"], name=op.f("fk_ledger_corrections_proposed_by_users")),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name=op.f("fk_ledger_corrections_decided_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_corrections")),
        sa.UniqueConstraint("entry_id", name=op.f("uq_ledger_corrections_entry_id")),
    )
    op.create_index(op.f("ix_ledger_corrections_payment_id"), "ledger_corrections", ["payment_id"], unique=False)
    op.create_index(
        "uq_ledger_corrections_live_payment",
        "ledger_corrections",
        ["payment_id"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
    # Added in place, never by recreating the table (SQLite's way to add a constraint): that would drop the
    # ledger's append-only triggers. SQLite takes the foreign key inline in ADD COLUMN.
    if op.get_bind().dialect.name == "postgresql":
        proposer = sa.ForeignKey("users.id", name=op.f("fk_ledger_entries_proposed_by_users"))
        op.add_column("ledger_entries", sa.Column("proposed_by", ID, proposer, nullable=True))
        op.execute(
            "CREATE FUNCTION zhijiao_correction_needs_two() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF {CONDITION} THEN RAISE EXCEPTION '{REFUSAL}'; END IF; RETURN NEW; END $$"
        )
        op.execute(
            "CREATE TRIGGER ledger_entries_correction_needs_two BEFORE INSERT ON ledger_entries "
            "FOR EACH ROW EXECUTE FUNCTION zhijiao_correction_needs_two()"
        )
        return
    op.execute(
        "ALTER TABLE ledger_entries ADD COLUMN proposed_by INTEGER "
        "CONSTRAINT fk_ledger_entries_proposed_by_users REFERENCES users (id)"
    )
    op.execute(
        "CREATE TRIGGER ledger_entries_correction_needs_two BEFORE INSERT ON ledger_entries "
        f"WHEN {CONDITION} BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.execute(
        "DROP TRIGGER IF EXISTS ledger_entries_correction_needs_two" + (" ON ledger_entries" if postgresql else "")
    )
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS zhijiao_correction_needs_two()")
    op.drop_index("uq_ledger_corrections_live_payment", table_name="ledger_corrections")
    op.drop_index(op.f("ix_ledger_corrections_payment_id"), table_name="ledger_corrections")
    op.drop_table("ledger_corrections")
    op.drop_column("ledger_entries", "proposed_by")
