"""Enterprises, their integration certifications (Art. 7), and integration communities."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhijiao.storage.base import Base


class Enterprise(Base):
    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # 统一社会信用代码 where known
    name: Mapped[str] = mapped_column(String(100))
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"), index=True)
    industry: Mapped[str | None] = mapped_column(String(100))


class EnterpriseCertification(Base):
    """产教融合型企业 认定 at a level, and its revocation."""

    __tablename__ = "enterprise_certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    level: Mapped[str] = mapped_column(String(20))  # city | provincial | national
    certified_on: Mapped[dt.date] = mapped_column(Date)
    revoked_on: Mapped[dt.date | None] = mapped_column(Date)
    revocation_reason: Mapped[str | None] = mapped_column(String(200))


class Community(Base):
    """产教融合共同体 (Art. 7): a council of government, schools, associations and enterprises."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    industry: Mapped[str | None] = mapped_column(String(100))
    founded_on: Mapped[dt.date | None] = mapped_column(Date)


class CommunityMember(Base):
    __tablename__ = "community_members"
    __table_args__ = (UniqueConstraint("community_id", "member_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    member_kind: Mapped[str] = mapped_column(String(20))  # government | school | association | enterprise
    member_name: Mapped[str] = mapped_column(String(100))
    member_code: Mapped[str | None] = mapped_column(String(40))
    role: Mapped[str | None] = mapped_column(String(40))
