"""Accounts: creating users, signing in (throttled), and the sessions that follow.

Each function is one use case and runs in the caller's transaction (``storage.unit_of_work``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets

from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

from zhijiao.accounts import throttle
from zhijiao.accounts.models import LoginAttempt, User, UserSession
from zhijiao.accounts.passwords import MIN_LENGTH, dummy_hash, hash_password, needs_rehash, verify_password
from zhijiao.authz import Principal, Role, Scope
from zhijiao.engine.errors import InputError, Problem
from zhijiao.registry.models import County, Enterprise, School
from zhijiao.storage.base import aware

IDLE_TIMEOUT = dt.timedelta(minutes=30)  # a web session unused this long ends
ABSOLUTE_TIMEOUT = dt.timedelta(hours=8)  # and any session ends after a working day
# The idle clock restarts at most once a minute: a page of a few requests writes the session once, not each time.
SEEN_GRANULARITY = dt.timedelta(minutes=1)
# Failed checks of one user name from one client address before each further one waits (accounts.throttle).
THROTTLE_FAILURES = throttle.NAME_FREE_CHECKS

# The consulted units (drafting) by their table, as the users table's foreign key names it: accounts know the
# units they scope a user to, not the drafting that keeps them.
Unit = table("units", column("id"), column("name"))


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def principal_of(user: User, csrf_token: str = "") -> Principal:
    return Principal(
        user.id,
        user.username,
        user.display_name,
        Role(user.role),
        Scope(user.county_code, user.school_id, user.enterprise_id, user.unit_id),
        csrf_token,
    )


def _problem(field: str, zh: str, en: str) -> InputError:
    return InputError([Problem({"zh": "用户", "en": "user"}, field, zh, en)])


def add_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str | None = None,
    county: str | None = None,
    school_code: str | None = None,
    enterprise_code: str | None = None,
    unit: str | None = None,
) -> User:
    """A new account. A county officer needs a county, a school user a school, an enterprise user an
    enterprise; other roles are city-wide and take none."""
    problems: list[Problem] = []
    where = {"zh": f"用户 {username}", "en": f"user {username}"}
    if not username.strip():
        problems.append(Problem(where, "username", "用户名不能为空", "the user name is empty"))
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        problems.append(Problem(where, "username", "用户名已存在", "the user name is taken"))
    if len(password) < MIN_LENGTH:
        problems.append(
            Problem(where, "password", f"密码至少{MIN_LENGTH}位", f"the password needs {MIN_LENGTH} characters or more")
        )
    scope = _scope(
        session,
        where,
        role,
        {"county": county, "school": school_code, "enterprise": enterprise_code, "unit": unit},
        problems,
    )
    if problems:
        raise InputError(problems)
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role.value,
        county_code=scope.county_code,
        school_id=scope.school_id,
        enterprise_id=scope.enterprise_id,
        unit_id=scope.unit_id,
        active=True,
        created_at=now(),
    )
    session.add(user)
    session.flush()
    return user


NEEDS = {Role.county_officer: "county", Role.school_user: "school", Role.enterprise_user: "enterprise",
         Role.unit_user: "unit"}  # fmt: skip


def _scope(
    session: Session, where: dict[str, str], role: Role, given: dict[str, str | None], problems: list[Problem]
) -> Scope:
    """The rows the role reaches, resolved from the codes given; what is wrong goes to ``problems``."""
    needs = NEEDS.get(role)
    for kind, value in given.items():
        if value and kind != needs:
            problems.append(Problem(where, kind, f"角色 {role} 不限定{kind}", f"role {role} takes no {kind}"))
    if needs is None:
        return Scope()
    value = given[needs]
    if not value:
        problems.append(Problem(where, needs, f"角色 {role} 须指定 {needs}", f"role {role} needs a {needs}"))
        return Scope()
    queries = {
        "county": select(County.code).where((County.code == value) | (County.name == value)),
        "school": select(School.id).where(School.code == value),
        "enterprise": select(Enterprise.id).where(Enterprise.code == value),
        "unit": select(Unit.c.id).where(Unit.c.name == value),
    }
    found = session.scalar(queries[needs])
    if found is None:
        problems.append(Problem(where, needs, f"未知的{needs}：{value}", f"unknown {needs}: {value}"))
        return Scope()
    if needs == "county":
        return Scope(county_code=str(found))
    number = int(str(found))
    return {"school": Scope(school_id=number), "enterprise": Scope(enterprise_id=number)}.get(
        needs, Scope(unit_id=number)
    )


class SignInRefused(Exception):
    """Wrong name or password (never saying which), or too many attempts."""

    def __init__(self, zh: str, en: str, *, throttled: bool = False) -> None:
        super().__init__(en)
        self.zh, self.en, self.throttled = zh, en, throttled


def authenticate(session: Session, username: str, password: str, *, client: str) -> User:
    """The user, if the name and password match. ``client`` is the request's client address: the throttle counts
    per user name from that address (so a stranger cannot lock a real user out) and per address across names.

    A password check is reserved, and committed in its own transaction, before the password is verified; if none
    is left, sign-in is refused without verifying. Every attempt is recorded in ``login_attempts`` with the
    caller's transaction, which the caller commits even when this raises."""
    moment = now()
    wait = throttle.reserve(session, username, client, moment)
    if wait is not None:
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        raise SignInRefused(
            f"登录失败次数过多，请{minutes}分钟后再试。",
            f"Too many failed sign-ins: try again in {minutes} minute{'' if minutes == 1 else 's'}.",
            throttled=True,
        )
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    # An unknown or disabled name is verified against a dummy hash: one argon2 verification on either path, so the
    # time of the answer does not tell a real user name from an unknown one.
    ok = verify_password(user.password_hash if user is not None else dummy_hash(), password) and user is not None
    session.add(LoginAttempt(username=username[:60], at=moment, succeeded=ok))
    if user is None or not ok:
        raise SignInRefused("用户名或密码错误。", "Wrong user name or password.")
    throttle.give_back(session, username, client)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: User, kind: str = "web") -> tuple[str, UserSession]:
    """A new session for ``user``: the token goes to the client once, its digest stays here."""
    token = secrets.token_urlsafe(32)
    moment = now()
    record = UserSession(
        token_hash=_digest(token),
        user_id=user.id,
        kind=kind,
        csrf_token=secrets.token_urlsafe(32),
        created_at=moment,
        last_seen_at=moment,
        expires_at=moment + ABSOLUTE_TIMEOUT,
    )
    session.add(record)
    return token, record


def resume_session(session: Session, token: str, kind: str = "web") -> Principal | None:
    """The user of a live session, its idle clock restarted; None if the token is unknown or expired."""
    record = session.get(UserSession, _digest(token))
    if record is None or record.kind != kind:
        return None
    moment = now()
    idle_end = aware(record.last_seen_at) + IDLE_TIMEOUT
    if moment >= aware(record.expires_at) or (kind == "web" and moment >= idle_end):
        session.delete(record)
        return None
    user = session.get(User, record.user_id)
    if user is None or not user.active:
        return None
    if moment - aware(record.last_seen_at) >= SEEN_GRANULARITY:
        record.last_seen_at = moment
    return principal_of(user, record.csrf_token)


def close_session(session: Session, token: str) -> None:
    record = session.get(UserSession, _digest(token))
    if record is not None:
        session.delete(record)
