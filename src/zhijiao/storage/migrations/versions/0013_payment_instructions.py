"""payments: instructions to the bank and its returns, so that "released" no longer means "paid"

Finance's release produces one instruction per payment (``payment_instructions``): a unique reference, the amount,
the payee's details frozen as confirmed when the batch was prepared, the purpose citing the article, and the
instruction it replaces after a failure. The bank's file comes back as ``bank_returns``, one result per
instruction, append-only; a confirmation writes the ledger's payment row, which now names its instruction and the
bank's value date.

The database guards the last mile as it guards the ledger (decision 0017): one outstanding instruction per
application (a partial unique index); no instruction for an application whose confirmed payment the ledger has not
reversed;
an instruction moves only from outstanding to confirmed, failed or withdrawn (and a failed one to withdrawn), and
only its settlement columns change;
nothing is deleted; one result per instruction, never changed. A ledger payment names at most one instruction.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OUTSTANDING = sa.text("status = 'outstanding'")
SETTLED = "instruction already settled"
# Outstanding to a result; a failed payment finance gives up on (it goes back to be paid another way) is withdrawn.
MAY_MOVE = (
    "((OLD.status = 'outstanding' AND NEW.status IN ('outstanding', 'confirmed', 'failed', 'withdrawn')) "
    "OR (OLD.status = 'failed' AND NEW.status = 'withdrawn'))"
)
# Everything but the settlement columns is the instruction as it was sent.
FROZEN = (
    "reference", "application_id", "batch_id", "sequence", "replaces_id", "kind", "amount_fen", "payer",
    "payer_county_code", "article", "purpose", "payee_account_id", "account_name", "bank_name", "account_number",
    "budget_unit_code", "budget_unit_name", "created_by", "created_at",
)  # fmt: skip
CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)
PG_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN)
# A payment the bank confirmed and the ledger has not reversed (a reversed one is owed again, decision 0005).
ALREADY_PAID = (
    "EXISTS (SELECT 1 FROM payment_instructions AS done WHERE done.application_id = NEW.application_id "
    "AND done.status = 'confirmed' AND NOT EXISTS (SELECT 1 FROM ledger_entries AS paid JOIN ledger_entries AS back "
    "ON back.reverses_id = paid.id WHERE paid.instruction_id = done.id))"
)


def _instructions() -> None:
    op.create_table(
        "payment_instructions",
        sa.Column("id", ID, nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("application_id", ID, nullable=False),
        sa.Column("batch_id", ID, nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("replaces_id", ID, nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("amount_fen", ID, nullable=False),
        sa.Column("payer", sa.String(length=10), nullable=False),
        sa.Column("payer_county_code", sa.String(length=6), nullable=True),
        sa.Column("article", sa.String(length=10), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("payee_account_id", ID, nullable=True),
        sa.Column("account_name", sa.String(length=200), nullable=True),
        sa.Column("bank_name", sa.String(length=200), nullable=True),
        sa.Column("account_number", sa.String(length=40), nullable=True),
        sa.Column("budget_unit_code", sa.String(length=40), nullable=True),
        sa.Column("budget_unit_name", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by", ID, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("bank_date", sa.Date(), nullable=True),
        sa.Column("bank_reason", sa.Text(), nullable=True),
        sa.Column("withdrawn_by", ID, nullable=True),
        sa.CheckConstraint(
            "status IN ('outstanding', 'confirmed', 'failed', 'withdrawn')", name=op.f("ck_payment_instructions_status")
        ),
        sa.CheckConstraint("kind IN ('transfer', 'allocation')", name=op.f("ck_payment_instructions_kind")),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_payment_instructions_amount_positive")),
        sa.CheckConstraint(
            "(kind = 'transfer') = (account_number IS NOT NULL AND account_name IS NOT NULL)",
            name=op.f("ck_payment_instructions_transfer_has_account"),
        ),
        sa.CheckConstraint(
            "(kind = 'allocation') = (budget_unit_code IS NOT NULL)",
            name=op.f("ck_payment_instructions_allocation_has_unit"),
        ),
        sa.CheckConstraint(
            "(status = 'outstanding') = (settled_at IS NULL)",
            name=op.f("ck_payment_instructions_settled_when_not_outstanding"),
        ),
        sa.CheckConstraint(
            "status <> 'confirmed' OR bank_date IS NOT NULL",
            name=op.f("ck_payment_instructions_confirmed_has_bank_date"),
        ),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_payment_instructions_application_id_applications")
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["payment_batches.id"], name=op.f("fk_payment_instructions_batch_id_payment_batches")
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["payment_instructions.id"],
            name=op.f("fk_payment_instructions_replaces_id_payment_instructions"),
        ),
        sa.ForeignKeyConstraint(
            ["payer_county_code"], ["counties.code"], name=op.f("fk_payment_instructions_payer_county_code_counties")
        ),
        sa.ForeignKeyConstraint(
            ["payee_account_id"],
            ["payee_accounts.id"],
            name=op.f("fk_payment_instructions_payee_account_id_payee_accounts"),
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_payment_instructions_created_by_users")),
        sa.ForeignKeyConstraint(
            ["withdrawn_by"], ["users.id"], name=op.f("fk_payment_instructions_withdrawn_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_instructions")),
        sa.UniqueConstraint("reference", name=op.f("uq_payment_instructions_reference")),
        sa.UniqueConstraint("replaces_id", name=op.f("uq_payment_instructions_replaces_id")),
    )
    for column in ("application_id", "batch_id", "status"):
        op.create_index(op.f(f"ix_payment_instructions_{column}"), "payment_instructions", [column], unique=False)
    op.create_index(
        "uq_payment_instructions_outstanding", "payment_instructions", ["application_id"], unique=True,
        sqlite_where=OUTSTANDING, postgresql_where=OUTSTANDING,
    )  # fmt: skip


def _returns() -> None:
    op.create_table(
        "bank_returns",
        sa.Column("id", ID, nullable=False),
        sa.Column("instruction_id", ID, nullable=False),
        sa.Column("result", sa.String(length=10), nullable=False),
        sa.Column("bank_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("imported_by", ID, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("result IN ('confirmed', 'failed')", name=op.f("ck_bank_returns_result")),
        sa.ForeignKeyConstraint(
            ["instruction_id"],
            ["payment_instructions.id"],
            name=op.f("fk_bank_returns_instruction_id_payment_instructions"),
        ),
        sa.ForeignKeyConstraint(["imported_by"], ["users.id"], name=op.f("fk_bank_returns_imported_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_returns")),
        sa.UniqueConstraint("instruction_id", name=op.f("uq_bank_returns_instruction_id")),
    )


def _ledger_columns(postgresql: bool) -> None:
    """Added in place, never by recreating the table (SQLite's way): that would drop the ledger's triggers."""
    if postgresql:
        named = sa.ForeignKey(
            "payment_instructions.id", name=op.f("fk_ledger_entries_instruction_id_payment_instructions")
        )
        op.add_column("ledger_entries", sa.Column("instruction_id", ID, named, nullable=True))
        op.add_column("ledger_entries", sa.Column("value_date", sa.Date(), nullable=True))
    else:
        op.execute(
            "ALTER TABLE ledger_entries ADD COLUMN instruction_id INTEGER CONSTRAINT "
            "fk_ledger_entries_instruction_id_payment_instructions REFERENCES payment_instructions (id)"
        )
        op.execute("ALTER TABLE ledger_entries ADD COLUMN value_date DATE")
    op.create_index(op.f("uq_ledger_entries_instruction_id"), "ledger_entries", ["instruction_id"], unique=True)


def _postgresql_guards() -> None:
    op.execute(
        "CREATE FUNCTION zhijiao_instruction_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'payment_instructions: DELETE refused'; END IF; "
        "IF TG_OP = 'INSERT' THEN "
        f"  IF {ALREADY_PAID} THEN RAISE EXCEPTION 'payment_instructions: the bank confirmed this payment'; END IF; "
        "  IF NEW.status <> 'outstanding' THEN RAISE EXCEPTION 'payment_instructions: a new one is outstanding'; "
        "  END IF; RETURN NEW; END IF; "
        f"IF NOT {MAY_MOVE} THEN RAISE EXCEPTION 'payment_instructions: {SETTLED}'; END IF; "
        f"IF {PG_CHANGED} THEN RAISE EXCEPTION 'payment_instructions: only the settlement may change'; END IF; "
        "RETURN NEW; END $$"
    )
    for action in ("INSERT", "UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER payment_instructions_guard_{action.lower()} BEFORE {action} ON payment_instructions "
            "FOR EACH ROW EXECUTE FUNCTION zhijiao_instruction_guard()"
        )
    op.execute(
        "CREATE TRIGGER bank_returns_append_only BEFORE UPDATE OR DELETE ON bank_returns "
        "FOR EACH ROW EXECUTE FUNCTION zhijiao_refuse_change()"
    )
    op.execute(
        "CREATE TRIGGER bank_returns_no_truncate BEFORE TRUNCATE ON bank_returns "
        "FOR EACH STATEMENT EXECUTE FUNCTION zhijiao_refuse_change()"
    )


def _sqlite_guards() -> None:
    op.execute(
        "CREATE TRIGGER payment_instructions_guard_insert BEFORE INSERT ON payment_instructions "
        f"WHEN {ALREADY_PAID} OR NEW.status <> 'outstanding' "
        "BEGIN SELECT RAISE(ABORT, 'payment_instructions: the bank confirmed this payment, or a new one is not "
        "outstanding'); END"
    )
    op.execute(
        "CREATE TRIGGER payment_instructions_guard_update BEFORE UPDATE ON payment_instructions "
        f"WHEN NOT {MAY_MOVE} OR {CHANGED} "
        f"BEGIN SELECT RAISE(ABORT, 'payment_instructions: {SETTLED}, or only the settlement may change'); END"
    )
    op.execute(
        "CREATE TRIGGER payment_instructions_guard_delete BEFORE DELETE ON payment_instructions "
        "BEGIN SELECT RAISE(ABORT, 'payment_instructions: DELETE refused'); END"
    )
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER bank_returns_no_{action.lower()} BEFORE {action} ON bank_returns "
            f"BEGIN SELECT RAISE(ABORT, 'bank_returns is append-only: {action} refused'); END"
        )


def upgrade() -> None:
    _instructions()
    _returns()
    postgresql = op.get_bind().dialect.name == "postgresql"
    _ledger_columns(postgresql)
    if postgresql:
        _postgresql_guards()
    else:
        _sqlite_guards()


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    on = {"payment_instructions": " ON payment_instructions", "bank_returns": " ON bank_returns"}
    for table, triggers in (
        ("payment_instructions", ("guard_insert", "guard_update", "guard_delete")),
        ("bank_returns", ("append_only", "no_truncate") if postgresql else ("no_update", "no_delete")),
    ):
        for trigger in triggers:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_{trigger}" + (on[table] if postgresql else ""))
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS zhijiao_instruction_guard()")
    op.drop_index(op.f("uq_ledger_entries_instruction_id"), table_name="ledger_entries")
    op.drop_column("ledger_entries", "value_date")
    op.drop_column("ledger_entries", "instruction_id")
    op.drop_table("bank_returns")
    op.drop_table("payment_instructions")
