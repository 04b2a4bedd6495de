"""Construction projects (T1, T2), donations (Art. 20), international programmes (Art. 18), national brands (T4)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from zhijiao.storage.base import Base


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # new | relocated | expanded
    planned_investment_fen: Mapped[int]
    actual_investment_fen: Mapped[int | None]
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)


class Donation(Base):
    __tablename__ = "donations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    donor: Mapped[str] = mapped_column(String(100))
    amount_fen: Mapped[int]
    received_on: Mapped[dt.date] = mapped_column(Date)
    capital: Mapped[bool] = mapped_column(Boolean)  # spent on capital expenditure (Art. 20 matching)


class InternationalProgramme(Base):
    __tablename__ = "international_programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))  # programme | park
    partner_country: Mapped[str | None] = mapped_column(String(40))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    started_on: Mapped[dt.date | None] = mapped_column(Date)


class NationalBrand(Base):
    """A national-level ("国字号") brand won (T4), or a national high-quality school or major (T10)."""

    __tablename__ = "national_brands"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(40))  # brand | quality_school | quality_major
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    awarded_on: Mapped[dt.date] = mapped_column(Date)
