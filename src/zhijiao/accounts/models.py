"""Accounts, their sessions and the sign-in attempts that throttle guessing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from zhijiao.storage.base import Base


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    # The scope: a county officer's county, a school user's school, an enterprise user's enterprise.
    county_code: Mapped[str | None] = mapped_column(ForeignKey("counties.code"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class UserSession(Base):
    """A signed-in browser or API client. Only the token's SHA-256 is stored: a leaked table opens nothing."""

    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # web | api
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LoginAttempt(Base):
    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    succeeded: Mapped[bool] = mapped_column(Boolean)


class SignInThrottle(Base):
    """Password checks reserved for one key of the sign-in throttle (decision: issue 14, item 3).

    ``kind`` is ``name`` (one user name from one client address: exponential backoff, so a stranger elsewhere
    cannot lock the name out) or ``client`` (one client address across names, a looser limit against
    spraying; ``username`` is empty). A check is reserved here, and committed, before the password is verified,
    so concurrent attempts in any process cannot exceed the limit; a success gives its reservation back."""

    __tablename__ = "sign_in_throttles"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(60), primary_key=True)
    checks: Mapped[int] = mapped_column(Integer)  # reserved checks not answered by a success
    window_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
