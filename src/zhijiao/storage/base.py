"""Declarative base. Money columns are BigInteger fen (``*_fen``), rates Integer millionths (``*_ppm``),
legal dates are dates, event times timezone-aware UTC."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    # 64-bit integers everywhere (fen); SQLite numbers a primary key itself only when it is exactly INTEGER.
    type_annotation_map = {int: BigInteger().with_variant(Integer(), "sqlite")}  # noqa: RUF012 -- read by SQLAlchemy


def aware(moment: dt.datetime) -> dt.datetime:
    """An event time as stored: UTC. SQLite hands timezone-aware columns back naive; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
