"""The last mile's tables (decision 0017): the payment instructions finance sends its bank, and the bank's
result for each. The database refuses what must never happen whatever code runs (migration 0013): a second
outstanding instruction for a payment, an instruction for a payment the bank confirmed and the ledger has not
reversed, a step back from a settled instruction, a second result for an instruction, and any change to a result
once written."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from zhijiao.storage.base import Base

OUTSTANDING = text("status = 'outstanding'")


class PaymentInstruction(Base):
    """One payment as the bank (or, for an allocation, the budget system) is told to make it: the reference it
    comes back under, the amount, and the payee's details frozen as confirmed when its batch was prepared."""

    __tablename__ = "payment_instructions"
    __table_args__ = (
        Index(
            "uq_payment_instructions_outstanding",
            "application_id",
            unique=True,
            sqlite_where=OUTSTANDING,
            postgresql_where=OUTSTANDING,
        ),
        CheckConstraint("status IN ('outstanding', 'confirmed', 'failed', 'withdrawn')", name="status"),
        CheckConstraint("kind IN ('transfer', 'allocation')", name="kind"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint(
            "(kind = 'transfer') = (account_number IS NOT NULL AND account_name IS NOT NULL)",
            name="transfer_has_account",
        ),
        CheckConstraint("(kind = 'allocation') = (budget_unit_code IS NOT NULL)", name="allocation_has_unit"),
        CheckConstraint("(status = 'outstanding') = (settled_at IS NULL)", name="settled_when_not_outstanding"),
        CheckConstraint("status <> 'confirmed' OR bank_date IS NOT NULL", name="confirmed_has_bank_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("payment_batches.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)  # 1, then 2 when instructed again after a failure …
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("payment_instructions.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(12))  # transfer | allocation
    amount_fen: Mapped[int]
    payer: Mapped[str] = mapped_column(String(10))  # city | county
    payer_county_code: Mapped[str | None] = mapped_column(ForeignKey("counties.code"))
    article: Mapped[str] = mapped_column(String(10))
    purpose: Mapped[str] = mapped_column(Text)
    payee_account_id: Mapped[int | None] = mapped_column(ForeignKey("payee_accounts.id"))
    account_name: Mapped[str | None] = mapped_column(String(200))
    bank_name: Mapped[str | None] = mapped_column(String(200))
    account_number: Mapped[str | None] = mapped_column(String(40))
    budget_unit_code: Mapped[str | None] = mapped_column(String(40))
    budget_unit_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    settled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    bank_date: Mapped[dt.date | None] = mapped_column(Date)
    bank_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class BankReturn(Base):
    """The bank's result for one instruction, as its file said it: never changed, never deleted."""

    __tablename__ = "bank_returns"
    __table_args__ = (CheckConstraint("result IN ('confirmed', 'failed')", name="result"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instruction_id: Mapped[int] = mapped_column(ForeignKey("payment_instructions.id"), unique=True)
    result: Mapped[str] = mapped_column(String(10))
    bank_date: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(String(64))
    row_number: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
