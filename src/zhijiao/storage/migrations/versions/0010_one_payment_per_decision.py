"""ledger: one payment per decision and per application, whatever the award key's text

The unique key (award key, payment number) of 0005 compares text: a second payment written by hand under the
award key plus a trailing space was accepted. The database now also refuses a second payment of a decision, a
second payment numbered n of an application, a payment without its application and decision, and a payment
whose award key is not its application's or whose decision is another application's.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PAYMENT = sa.text("kind = 'payment'")
CONDITION = (
    "NEW.kind = 'payment' AND (NEW.application_id IS NULL OR NEW.decision_id IS NULL "
    "OR NEW.award_key IS DISTINCT FROM (SELECT award_key FROM applications WHERE id = NEW.application_id) "
    "OR NEW.application_id IS DISTINCT FROM (SELECT application_id FROM decisions WHERE id = NEW.decision_id))"
)
REFUSAL = "ledger_entries: a payment names its application and its decision, under the award key of its application"


def upgrade() -> None:
    op.create_index("uq_ledger_entries_paid_decision", "ledger_entries", ["decision_id"], unique=True,
                    sqlite_where=PAYMENT, postgresql_where=PAYMENT)  # fmt: skip
    op.create_index("uq_ledger_entries_paid_application", "ledger_entries", ["application_id", "payment_number"],
                    unique=True, sqlite_where=PAYMENT, postgresql_where=PAYMENT)  # fmt: skip
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION zhijiao_payment_names_its_award() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF {CONDITION} THEN RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'integrity_constraint_violation'; "
            "END IF; RETURN NEW; END $$"
        )
        op.execute(
            "CREATE TRIGGER ledger_entries_payment_names_its_award BEFORE INSERT ON ledger_entries "
            "FOR EACH ROW EXECUTE FUNCTION zhijiao_payment_names_its_award()"
        )
        return
    op.execute(
        "CREATE TRIGGER ledger_entries_payment_names_its_award BEFORE INSERT ON ledger_entries "
        f"WHEN {CONDITION.replace('IS DISTINCT FROM', 'IS NOT')} BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.execute(
        "DROP TRIGGER IF EXISTS ledger_entries_payment_names_its_award" + (" ON ledger_entries" if postgresql else "")
    )
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS zhijiao_payment_names_its_award()")
    op.drop_index("uq_ledger_entries_paid_application", table_name="ledger_entries")
    op.drop_index("uq_ledger_entries_paid_decision", table_name="ledger_entries")
