"""ledger: a reversed payment may be paid again, once per reversal (payment_number)

A correction is a reversal; the corrected amount is then paid under a new decision. Each payment of an
award key carries its number: the unique key becomes (award key, number), and the database refuses a
payment numbered n > 1 unless payment n − 1 of that key has been reversed. So at most one payment of a key
stands un-reversed at any time, whatever code writes the row.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PAYMENT = sa.text("kind = 'payment'")
# A payment numbered n needs payment n − 1 of its key, reversed (a reversal or a claw-back naming it).
PREVIOUS_REVERSED = (
    "EXISTS (SELECT 1 FROM ledger_entries AS paid JOIN ledger_entries AS correction "
    "ON correction.reverses_id = paid.id WHERE paid.kind = 'payment' AND paid.award_key = NEW.award_key "
    "AND paid.payment_number = NEW.payment_number - 1)"
)
REFUSAL = "ledger_entries: a payment numbered n needs payment n - 1 of its award key, reversed"


def upgrade() -> None:
    op.add_column("ledger_entries", sa.Column("payment_number", sa.Integer(), server_default="1", nullable=False))
    op.drop_index("uq_ledger_entries_paid_award_key", table_name="ledger_entries")
    op.create_index(
        "uq_ledger_entries_paid_award_key",
        "ledger_entries",
        ["award_key", "payment_number"],
        unique=True,
        sqlite_where=PAYMENT,
        postgresql_where=PAYMENT,
    )
    condition = (
        f"NEW.kind = 'payment' AND (NEW.payment_number < 1 OR (NEW.payment_number > 1 AND NOT {PREVIOUS_REVERSED}))"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION zhijiao_repayment_needs_reversal() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF {condition} THEN RAISE EXCEPTION '{REFUSAL}'; END IF; RETURN NEW; END $$"
        )
        op.execute(
            "CREATE TRIGGER ledger_entries_repayment_needs_reversal BEFORE INSERT ON ledger_entries "
            "FOR EACH ROW EXECUTE FUNCTION zhijiao_repayment_needs_reversal()"
        )
        return
    op.execute(
        "CREATE TRIGGER ledger_entries_repayment_needs_reversal BEFORE INSERT ON ledger_entries "
        f"WHEN {condition} BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    )


def downgrade() -> None:
    op.execute(
        "DROP TRIGGER IF EXISTS ledger_entries_repayment_needs_reversal"
        + (" ON ledger_entries" if op.get_bind().dialect.name == "postgresql" else "")
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS zhijiao_repayment_needs_reversal()")
    op.drop_index("uq_ledger_entries_paid_award_key", table_name="ledger_entries")
    op.create_index(
        "uq_ledger_entries_paid_award_key",
        "ledger_entries",
        ["award_key"],
        unique=True,
        sqlite_where=PAYMENT,
        postgresql_where=PAYMENT,
    )
    op.drop_column("ledger_entries", "payment_number")
