"""payees: the account each school and enterprise is paid into, proposed by one person, confirmed by another

``payee_accounts`` keeps a payee's 户名, 开户银行 and 账号 (``kind`` bank), or a public school's budget unit
(预算单位编码 and 名称, ``kind`` budget), one row per version: a change is a new row that names the one it
replaces (``supersedes_id``), proposed with its reason and confirmed by someone else. The database refuses what
the services refuse, whatever code runs (decision 0017):

- a decision by the proposer (a CHECK; a withdrawal is the proposer's own);
- a second proposal waiting, or a second confirmed account, for one payee and kind (partial unique indexes);
- a status moving back or sideways (only proposed → confirmed | refused | withdrawn, confirmed → superseded),
  any change of an account's details once written, and any DELETE (triggers).

The app may update a row's status, so the table is not append-only in decision 0013's sense: its trigger function
is not ``zhijiao_refuse_change`` and the app keeps the ordinary grant; the trigger refuses what must not change.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TABLE = "payee_accounts"
BANK = ("account_name", "bank_name", "account_number")
BUDGET = ("budget_unit_code", "budget_unit_name")
# What a row says once written: its payee, its details, why and by whom it was proposed, what it replaces.
WRITTEN = ("school_id", "enterprise_id", "kind", *BANK, *BUDGET, "reason", "proposed_by", "proposed_at",
           "supersedes_id")  # fmt: skip
DECISION = ("decided_by", "decided_at", "note")
FORWARD = (
    "(OLD.status = 'proposed' AND NEW.status IN ('confirmed', 'refused', 'withdrawn')) "
    "OR (OLD.status = 'confirmed' AND NEW.status = 'superseded')"
)
REFUSAL = "payee_accounts: a status only moves forward and the details of an account never change"


def _digits_only(column: str) -> str:
    """SQL true when ``column`` holds only the digits 0–9, written the same on SQLite and PostgreSQL."""
    stripped = column
    for digit in "0123456789":
        stripped = f"replace({stripped}, '{digit}', '')"
    return f"{stripped} = ''"


def _changed(columns: tuple[str, ...], *, postgresql: bool) -> str:
    differs = "IS DISTINCT FROM" if postgresql else "IS NOT"  # both compare NULLs as values
    return " OR ".join(f"OLD.{c} {differs} NEW.{c}" for c in columns)


def _refused_update(*, postgresql: bool) -> str:
    return (
        f"NOT ({FORWARD}) OR {_changed(WRITTEN, postgresql=postgresql)} "
        f"OR (OLD.status <> 'proposed' AND ({_changed(DECISION, postgresql=postgresql)}))"
    )


def _partial_unique(name: str, column: str, status: str) -> None:
    where = sa.text(f"status = '{status}'")
    op.create_index(name, TABLE, [column, "kind"], unique=True, sqlite_where=where, postgresql_where=where)


def upgrade() -> None:
    bank_null = " AND ".join(f"{c} IS NULL" for c in BANK)
    bank_set = " AND ".join(f"{c} IS NOT NULL" for c in BANK)
    budget_null = " AND ".join(f"{c} IS NULL" for c in BUDGET)
    budget_set = " AND ".join(f"{c} IS NOT NULL" for c in BUDGET)
    op.create_table(
        TABLE,
        sa.Column("id", ID, nullable=False),
        sa.Column("school_id", ID, nullable=True),
        sa.Column("enterprise_id", ID, nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("account_name", sa.String(length=200), nullable=True),
        sa.Column("bank_name", sa.String(length=200), nullable=True),
        sa.Column("account_number", sa.String(length=30), nullable=True),
        sa.Column("budget_unit_code", sa.String(length=30), nullable=True),
        sa.Column("budget_unit_name", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("proposed_by", ID, nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", ID, nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("supersedes_id", ID, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN school_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN enterprise_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_payee_accounts_one_payee"),
        ),
        sa.CheckConstraint("kind IN ('bank', 'budget')", name=op.f("ck_payee_accounts_kind")),
        sa.CheckConstraint(
            "status IN ('proposed', 'confirmed', 'refused', 'withdrawn', 'superseded')",
            name=op.f("ck_payee_accounts_status"),
        ),
        sa.CheckConstraint(
            f"(kind = 'bank' AND {bank_set} AND {budget_null}) OR (kind = 'budget' AND {budget_set} AND {bank_null})",
            name=op.f("ck_payee_accounts_details_follow_kind"),
        ),
        sa.CheckConstraint(
            f"account_number IS NULL OR (length(account_number) BETWEEN 8 AND 30 AND {_digits_only('account_number')})",
            name=op.f("ck_payee_accounts_account_number_digits"),
        ),
        sa.CheckConstraint("length(trim(reason)) > 0", name=op.f("ck_payee_accounts_reason_given")),
        sa.CheckConstraint(
            "status <> 'refused' OR length(trim(coalesce(note, ''))) > 0", name=op.f("ck_payee_accounts_refusal_note")
        ),
        sa.CheckConstraint(
            "(status = 'proposed') = (decided_by IS NULL)", name=op.f("ck_payee_accounts_decided_has_decider")
        ),
        sa.CheckConstraint(
            "status = 'withdrawn' OR decided_by IS NULL OR decided_by <> proposed_by",
            name=op.f("ck_payee_accounts_decider_not_proposer"),
        ),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_payee_accounts_school_id_schools")),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name=op.f("fk_payee_accounts_enterprise_id_enterprises")
        ),
        sa.ForeignKeyConstraint(["proposed_by"], ["users.id"], name=op.f("fk_payee_accounts_proposed_by_users")),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name=op.f("fk_payee_accounts_decided_by_users")),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["payee_accounts.id"], name=op.f("fk_payee_accounts_supersedes_id_payee_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payee_accounts")),
    )
    op.create_index(op.f("ix_payee_accounts_school_id"), TABLE, ["school_id"], unique=False)
    op.create_index(op.f("ix_payee_accounts_enterprise_id"), TABLE, ["enterprise_id"], unique=False)
    op.create_index(op.f("ix_payee_accounts_status"), TABLE, ["status"], unique=False)
    _partial_unique("uq_payee_accounts_proposed_school", "school_id", "proposed")
    _partial_unique("uq_payee_accounts_proposed_enterprise", "enterprise_id", "proposed")
    _partial_unique("uq_payee_accounts_confirmed_school", "school_id", "confirmed")
    _partial_unique("uq_payee_accounts_confirmed_enterprise", "enterprise_id", "confirmed")
    if op.get_bind().dialect.name == "postgresql":
        refused = _refused_update(postgresql=True)
        op.execute(
            "CREATE FUNCTION zhijiao_payee_account_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF TG_OP <> 'UPDATE' THEN RAISE EXCEPTION 'payee_accounts: % refused, an account is never deleted', "
            f"TG_OP; END IF; IF {refused} THEN RAISE EXCEPTION '{REFUSAL}'; END IF; RETURN NEW; END $$"
        )
        op.execute(
            "CREATE TRIGGER payee_accounts_guard BEFORE UPDATE OR DELETE ON payee_accounts "
            "FOR EACH ROW EXECUTE FUNCTION zhijiao_payee_account_guard()"
        )
        op.execute(
            "CREATE TRIGGER payee_accounts_no_truncate BEFORE TRUNCATE ON payee_accounts "
            "FOR EACH STATEMENT EXECUTE FUNCTION zhijiao_payee_account_guard()"
        )
        return
    op.execute(
        "CREATE TRIGGER payee_accounts_no_delete BEFORE DELETE ON payee_accounts "
        "BEGIN SELECT RAISE(ABORT, 'payee_accounts: DELETE refused, an account is never deleted'); END"
    )
    op.execute(
        "CREATE TRIGGER payee_accounts_forward_only BEFORE UPDATE ON payee_accounts "
        f"WHEN {_refused_update(postgresql=False)} BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS payee_accounts_no_truncate ON payee_accounts")
        op.execute("DROP TRIGGER IF EXISTS payee_accounts_guard ON payee_accounts")
        op.execute("DROP FUNCTION IF EXISTS zhijiao_payee_account_guard()")
    op.drop_table(TABLE)
