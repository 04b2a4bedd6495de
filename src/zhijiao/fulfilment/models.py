"""The tables of fulfilment. The database itself guards what must never happen, whatever code runs:
one payment per award key, no one approving what they proposed or releasing what they approved, no
correction of a payment without a second person, no update or delete of the ledger or of a county review
(triggers, migrations 0003, 0005, 0006 and 0007; zhijiao.audit guards its own table)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhijiao.storage.base import Base

# Open applications: an award key may have only one at a time.
OPEN = text("status NOT IN ('rejected', 'withdrawn')")
PAYMENT = text("kind = 'payment'")
# A correction proposed or confirmed: a payment may have only one at a time.
LIVE_CORRECTION = text("status IN ('proposed', 'confirmed')")


class Application(Base):
    """A claim to one entitlement of one entity for one year (and level, for a one-time award)."""

    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN school_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN enterprise_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN platform_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_entity",
        ),
        Index("uq_applications_open_award_key", "award_key", unique=True, sqlite_where=OPEN, postgresql_where=OPEN),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    entitlement: Mapped[str] = mapped_column(String(60))  # an Entitlement id of the policy package
    article: Mapped[str] = mapped_column(String(10))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id"), index=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    level: Mapped[str | None] = mapped_column(String(20))
    award_key: Mapped[str] = mapped_column(String(120), index=True)
    origin: Mapped[str] = mapped_column(String(20))  # application | proactive
    status: Mapped[str] = mapped_column(String(30), index=True)
    claimed_fen: Mapped[int | None]
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # supporting figures as declared
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: found by the system
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    review_note: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("payment_batches.id"), index=True)
    needs_re_review: Mapped[bool] = mapped_column(Boolean, default=False)
    re_review_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)  # bumped by every transition

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 -- read by SQLAlchemy


class Attachment(Base):
    """A supporting document, kept in the database so that a backup holds the whole file."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Review(Base):
    """The county's review, frozen: the figures that stand (the applicant's, written into the registry, or the
    registry's), the amount they give, the rule set and the explanation. The city approves exactly this."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
        CheckConstraint("figures_basis IN ('registry', 'claimed')", name="figures_basis"),
        CheckConstraint("submitted_by IS NULL OR reviewed_by <> submitted_by", name="reviewer_not_submitter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    amount_fen: Mapped[int]
    rule_set: Mapped[str] = mapped_column(String(80))
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)  # the situation the amount was computed from
    inputs_digest: Mapped[str] = mapped_column(String(64))
    explanation: Mapped[list[Any]] = mapped_column(JSON)
    figures_basis: Mapped[str] = mapped_column(String(10))  # registry | claimed
    claimed: Mapped[dict[str, Any]] = mapped_column(JSON)  # the applicant's figures as they stood
    registry_before: Mapped[dict[str, Any]] = mapped_column(JSON)  # the registry's figures before the review
    note: Mapped[str | None] = mapped_column(Text)  # why the registry's figures stand, told to the applicant
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Decision(Base):
    """The city's approval, frozen: the amount and everything needed to recompute and explain it later."""

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint("approved_by <> reviewed_by", name="approver_not_reviewer"),
        CheckConstraint("submitted_by IS NULL OR approved_by <> submitted_by", name="approver_not_submitter"),
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    amount_fen: Mapped[int]
    rule_set: Mapped[str] = mapped_column(String(80))
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)  # the situation the amount was computed from
    inputs_digest: Mapped[str] = mapped_column(String(64))
    explanation: Mapped[list[Any]] = mapped_column(JSON)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id"))  # the review approved (none before 0007)


class PaymentBatch(Base):
    """Payments released together by a finance officer, against a declared count and total."""

    __tablename__ = "payment_batches"
    __table_args__ = (
        CheckConstraint("released_by IS NULL OR released_by <> prepared_by", name="releaser_not_preparer"),
        CheckConstraint("declared_count > 0 AND declared_total_fen >= 0", name="declaration"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    payer: Mapped[str] = mapped_column(String(10))  # city | county
    payer_county_code: Mapped[str | None] = mapped_column(ForeignKey("counties.code"))
    declared_count: Mapped[int] = mapped_column(Integer)
    declared_total_fen: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))  # prepared | released | cancelled
    prepared_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    prepared_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    released_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class LedgerEntry(Base):
    """台账: one row per payment, reversal or claw-back, in integer fen. Never updated, never deleted."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        # Payment n of a key needs payment n − 1 reversed: a trigger of migration 0005 refuses it otherwise.
        Index(
            "uq_ledger_entries_paid_award_key",
            "award_key",
            "payment_number",
            unique=True,
            sqlite_where=PAYMENT,
            postgresql_where=PAYMENT,
        ),
        # One payment per decision, and per application and payment number, whatever the award key's text; a
        # trigger of migration 0010 also refuses a payment without its application and decision, or whose key,
        # or decision, is not its application's.
        Index(
            "uq_ledger_entries_paid_decision",
            "decision_id",
            unique=True,
            sqlite_where=PAYMENT,
            postgresql_where=PAYMENT,
        ),
        Index(
            "uq_ledger_entries_paid_application",
            "application_id",
            "payment_number",
            unique=True,
            sqlite_where=PAYMENT,
            postgresql_where=PAYMENT,
        ),
        CheckConstraint("kind IN ('payment', 'reversal', 'clawback')", name="kind"),
        CheckConstraint("(kind = 'payment') = (amount_fen > 0)", name="sign_follows_kind"),
        CheckConstraint("(kind = 'payment') = (reverses_id IS NULL)", name="corrections_name_their_entry"),
        CheckConstraint("released_by IS NULL OR released_by <> approved_by", name="releaser_not_approver"),
        Index("uq_ledger_entries_instruction_id", "instruction_id", unique=True),  # an index: added in place (0013)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    award_key: Mapped[str] = mapped_column(String(120), index=True)
    payment_number: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # 1, then 2 after a reversal …
    amount_fen: Mapped[int]
    payer: Mapped[str] = mapped_column(String(10))  # city | county
    payer_county_code: Mapped[str | None] = mapped_column(ForeignKey("counties.code"))
    article: Mapped[str] = mapped_column(String(10))
    entitlement: Mapped[str] = mapped_column(String(60))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id"))
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    level: Mapped[str | None] = mapped_column(String(20))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("payment_batches.id"), index=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    reason: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A correction's proposer; its recorder is the second person who confirmed it. A trigger of migration 0006
    # refuses a correction without a standing proposal of someone else.
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # A payment the bank confirmed names its instruction, at most once, and the bank's value date (migration 0013).
    instruction_id: Mapped[int | None] = mapped_column(ForeignKey("payment_instructions.id"))
    value_date: Mapped[dt.date | None] = mapped_column(Date)


class LedgerCorrection(Base):
    """冲正或追回申请: one finance officer proposes correcting a payment, with the reason; another confirms it
    (the ledger row is written then) or refuses it; the proposer may withdraw it while it waits."""

    __tablename__ = "ledger_corrections"
    __table_args__ = (
        Index(
            "uq_ledger_corrections_live_payment",
            "payment_id",
            unique=True,
            sqlite_where=LIVE_CORRECTION,
            postgresql_where=LIVE_CORRECTION,
        ),
        CheckConstraint("kind IN ('reversal', 'clawback')", name="kind"),
        CheckConstraint("status IN ('proposed', 'confirmed', 'refused', 'withdrawn')", name="status"),
        CheckConstraint("(status = 'proposed') = (decided_by IS NULL)", name="decided_has_decider"),
        CheckConstraint(
            "status = 'withdrawn' OR decided_by IS NULL OR decided_by <> proposed_by", name="decider_not_proposer"
        ),
        CheckConstraint("(status = 'confirmed') = (entry_id IS NOT NULL)", name="confirmed_has_entry"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # reversal | clawback
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))  # proposed | confirmed | refused | withdrawn
    proposed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    # Bumped by every decision: of two people deciding at once, the second is refused, not written over the first,
    # even where the database does not lock rows (SQLite).
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 -- read by SQLAlchemy


class Notice(Base):
    """What an entity is told (zhijiao.fulfilment.notices): a proactive award found for it, a request for more
    information, a decision, a payment, a reversal or a claw-back."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id"), index=True)
    message_zh: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


def _digits_only(column: str) -> str:
    """SQL true when ``column`` holds only the digits 0–9, written the same on SQLite and PostgreSQL."""
    for digit in "0123456789":
        column = f"replace({column}, '{digit}', '')"
    return f"{column} = ''"


class PayeeAccount(Base):
    """收款账户: where a school's or an enterprise's money goes — a bank account (户名, 开户银行, 账号) or a public
    school's budget unit (预算单位) — one row per version. One person proposes it with the reason, another confirms
    it (superseding the account before it) or refuses it; the proposer may withdraw it while it waits. A trigger of
    migration 0012 lets the status only move forward and refuses any change of the details, and any DELETE."""

    __tablename__ = "payee_accounts"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN school_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN enterprise_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_payee",
        ),
        CheckConstraint("kind IN ('bank', 'budget')", name="kind"),
        CheckConstraint("status IN ('proposed', 'confirmed', 'refused', 'withdrawn', 'superseded')", name="status"),
        CheckConstraint(
            "(kind = 'bank' AND account_name IS NOT NULL AND bank_name IS NOT NULL AND account_number IS NOT NULL"
            " AND budget_unit_code IS NULL AND budget_unit_name IS NULL) OR (kind = 'budget'"
            " AND budget_unit_code IS NOT NULL AND budget_unit_name IS NOT NULL AND account_name IS NULL"
            " AND bank_name IS NULL AND account_number IS NULL)",
            name="details_follow_kind",
        ),
        CheckConstraint(
            f"account_number IS NULL OR (length(account_number) BETWEEN 8 AND 30 AND {_digits_only('account_number')})",
            name="account_number_digits",
        ),
        CheckConstraint("length(trim(reason)) > 0", name="reason_given"),
        CheckConstraint("status <> 'refused' OR length(trim(coalesce(note, ''))) > 0", name="refusal_note"),
        CheckConstraint("(status = 'proposed') = (decided_by IS NULL)", name="decided_has_decider"),
        CheckConstraint(
            "status = 'withdrawn' OR decided_by IS NULL OR decided_by <> proposed_by", name="decider_not_proposer"
        ),
        *(
            Index(
                f"uq_payee_accounts_{status}_{payee}",
                f"{payee}_id",
                "kind",
                unique=True,
                sqlite_where=text(f"status = '{status}'"),
                postgresql_where=text(f"status = '{status}'"),
            )
            for status in ("proposed", "confirmed")
            for payee in ("school", "enterprise")
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # bank | budget
    account_name: Mapped[str | None] = mapped_column(String(200))  # 户名
    bank_name: Mapped[str | None] = mapped_column(String(200))  # 开户银行
    account_number: Mapped[str | None] = mapped_column(String(30))  # 账号, digits only
    budget_unit_code: Mapped[str | None] = mapped_column(String(30))  # 预算单位编码
    budget_unit_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), index=True)
    reason: Mapped[str] = mapped_column(Text)  # why the account is proposed or changed
    note: Mapped[str | None] = mapped_column(Text)  # why the second person refused it
    proposed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("payee_accounts.id"))  # the account it replaces
    # Bumped by every decision: of two people deciding at once, the second is refused, not written over the first.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 -- read by SQLAlchemy
