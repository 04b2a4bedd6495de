"""Research and training platforms (Art. 3) with their certifications."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from zhijiao.storage.base import Base


class Platform(Base):
    __tablename__ = "platforms"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # research | training


class PlatformCertification(Base):
    __tablename__ = "platform_certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"), index=True)
    level: Mapped[str] = mapped_column(String(20))  # provincial | national
    certified_on: Mapped[dt.date] = mapped_column(Date)
    revoked_on: Mapped[dt.date | None] = mapped_column(Date)
    revocation_reason: Mapped[str | None] = mapped_column(String(200))
