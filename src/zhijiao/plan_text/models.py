"""The tables of the plan's official text. Both are append-only (migration 0011): a new load is a new row that
names the one it supersedes, so the history of what the platform showed as the plan's text is never lost."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from zhijiao.storage.base import Base

FIRST_LOAD = text("supersedes_id IS NULL")


class PlanText(Base):
    """One load of a plan's official text: the document it cites, who loaded it and when, and the text itself."""

    __tablename__ = "plan_texts"
    __table_args__ = (
        # The loads of a plan form one line: one first load, and each later one supersedes exactly one other.
        Index("uq_plan_texts_first_load", "plan", unique=True, sqlite_where=FIRST_LOAD, postgresql_where=FIRST_LOAD),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan: Mapped[str] = mapped_column(String(80), index=True)  # the policy package's name
    document_number: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300))  # where the official took it from, in their words
    file_name: Mapped[str | None] = mapped_column(String(200))  # the uploaded file's name, if any: provenance only
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of ``body`` as UTF-8
    body: Mapped[str] = mapped_column(Text)  # the whole text as read, line by line
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("plan_texts.id"), unique=True)
    loaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    loaded_by_name: Mapped[str] = mapped_column(String(60))  # the user's name at the time
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class PlanTextSection(Base):
    """A part's or an article's text within one load."""

    __tablename__ = "plan_text_sections"
    __table_args__ = (
        UniqueConstraint("plan_text_id", "kind", "number", name="uq_plan_text_sections_number"),
        CheckConstraint("kind IN ('part', 'article')", name="kind"),
        CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_text_id: Mapped[int] = mapped_column(ForeignKey("plan_texts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    number: Mapped[int] = mapped_column(Integer)
    part_number: Mapped[int | None] = mapped_column(Integer)  # an article's part, as the text places it
    title: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  # a part's own text before its first article; an article's text
