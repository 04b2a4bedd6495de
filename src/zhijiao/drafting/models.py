"""The tables of drafting. An article keeps its ``article_key`` from version to version, whatever its
number; a merge records the keys it absorbed, so feedback on either is carried to the merged article."""

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
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhijiao.storage.base import Base


class DraftPlan(Base):
    __tablename__ = "draft_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(20))  # e.g. 2026—2028
    historical: Mapped[bool] = mapped_column(Boolean, default=False)  # a record of a past drafting, read-only
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DraftVersion(Base):
    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("draft_plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, … within the plan
    stage: Mapped[str] = mapped_column(String(20))
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("draft_versions.id"))
    dated: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    frozen: Mapped[bool] = mapped_column(Boolean, default=False)  # sent for consultation or published: not edited
    text_known: Mapped[bool] = mapped_column(Boolean, default=True)  # False for past versions whose text is lost
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DraftArticle(Base):
    __tablename__ = "draft_articles"
    __table_args__ = (
        UniqueConstraint("version_id", "article_key", name="uq_draft_articles_version_key"),
        UniqueConstraint("version_id", "number", name="uq_draft_articles_version_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id"), index=True)
    article_key: Mapped[str] = mapped_column(String(40), index=True)  # stable across versions
    part_number: Mapped[int] = mapped_column(Integer)
    part_title: Mapped[str] = mapped_column(String(200))
    number: Mapped[int] = mapped_column(Integer)  # 第N条 in this version
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    absorbed: Mapped[list[str]] = mapped_column(JSON, default=list)  # keys of articles merged into this one


class Unit(Base):
    """A unit consulted: a city department, a county government, a school, an enterprise."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(30))


class Meeting(Base):
    """A dedicated meeting, a revision round or a coordination meeting, and the version it produced."""

    __tablename__ = "draft_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("draft_plans.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # meeting | revision | coordination
    held_on: Mapped[dt.date | None] = mapped_column(Date)
    chair: Mapped[str | None] = mapped_column(String(100))
    participants: Mapped[list[str]] = mapped_column(JSON, default=list)  # unit names
    participant_count: Mapped[int | None] = mapped_column(Integer)  # when only the count is known
    produced_version_id: Mapped[int | None] = mapped_column(ForeignKey("draft_versions.id"))
    note: Mapped[str | None] = mapped_column(Text)


class ConsultationRound(Base):
    __tablename__ = "consultation_rounds"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("draft_plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id"))
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    sent_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    in_name_of: Mapped[str | None] = mapped_column(String(100))  # e.g. 市政府办公室


class RoundUnit(Base):
    """A unit a round was sent to, and its reply: items, an explicit "no comments", or (still) nothing."""

    __tablename__ = "round_units"
    __table_args__ = (UniqueConstraint("round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("consultation_rounds.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    reply: Mapped[str] = mapped_column(String(20), default="awaiting")
    replied_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class FeedbackItem(Base):
    """One comment from one unit on one article (or on the whole text), and what was done with it."""

    __tablename__ = "feedback_items"
    __table_args__ = (
        CheckConstraint("confirmed_by IS NULL OR confirmed_by <> proposed_by", name="confirmer_not_proposer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("consultation_rounds.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)  # None: not in the record
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id"))  # the version it was written on
    article_key: Mapped[str | None] = mapped_column(String(40), index=True)  # None: on the text as a whole
    article_number: Mapped[int | None] = mapped_column(Integer)  # as the unit wrote it, on that version
    text: Mapped[str | None] = mapped_column(Text)  # None: the record does not keep the text
    disposition: Mapped[str] = mapped_column(String(20), default="pending")
    reason: Mapped[str | None] = mapped_column(Text)
    change: Mapped[str | None] = mapped_column(Text)  # the change it caused in the next version
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DraftArticleChange(Base):
    """One parameter value or option choice that an article of a version changes against the plan in force
    (温政办〔2023〕32号): the version's reform is the union of its articles' rows. A parameter or option is set by
    one article of a version at most, so the union never holds two values for it."""

    __tablename__ = "draft_article_changes"
    __table_args__ = (
        UniqueConstraint("version_id", "kind", "name", name="uq_draft_article_changes_version_kind_name"),
        CheckConstraint("kind IN ('parameter', 'option')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id"), index=True)
    article_key: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # parameter | option
    name: Mapped[str] = mapped_column(String(80))  # a parameter id (art03.platform_award.provincial) or option name
    value: Mapped[Any] = mapped_column(JSON)  # as a reform document writes it: a number, dated values, a choice
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
