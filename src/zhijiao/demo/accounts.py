"""One account per role for the demo platform, shown on its sign-in page (demo mode only)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

from zhijiao.accounts.models import User
from zhijiao.accounts.service import add_user
from zhijiao.authz import ROLE_LABELS, Role
from zhijiao.registry.models import County, Enterprise, School

DEMO_PASSWORD = "wenzhou-demo-2023"  # noqa: S105 -- the demo's published password, shown on its sign-in page
DEMO_COUNTY = "瑞安市"

# The consulted units (drafting) by their table, as the users table's foreign key names it: accounts know the
# units they scope a user to, not the drafting that keeps them.
Unit = table("units", column("id"), column("name"))


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    display_name: str
    scope: str  # what the account is limited to, for the sign-in page

    def label(self, lang: str) -> str:
        return ROLE_LABELS[self.role][lang]


def _scopes(session: Session) -> tuple[str, str | None, str | None]:
    """The demo's county, its first school and the first enterprise: who the scoped personas stand for."""
    county = session.scalar(select(County.code).where(County.name == DEMO_COUNTY)) or DEMO_COUNTY
    school = session.scalar(select(School.code).where(School.county_code == county).order_by(School.code).limit(1))
    enterprise = session.scalar(select(Enterprise.code).order_by(Enterprise.code).limit(1))
    return county, school, enterprise


# user name, role, display name, and which scope the role needs
DEMO_USERS: tuple[tuple[str, Role, str, str], ...] = (
    ("admin", Role.city_admin, "市教育局管理员", ""),
    ("county", Role.county_officer, "瑞安市教育局经办人", "county"),
    ("finance", Role.finance_officer, "市财政局经办人", ""),
    ("finance2", Role.finance_officer, "市财政局复核人", ""),  # the second person a correction needs
    ("school", Role.school_user, "学校填报员", "school_code"),
    ("enterprise", Role.enterprise_user, "企业填报员", "enterprise_code"),
    ("analyst", Role.analyst, "政策研究员", ""),
    ("auditor", Role.auditor, "审计人员", ""),
    ("drafter", Role.drafter, "市教育局起草专班", ""),
    ("unit", Role.unit_user, "市发改委联络员", "unit"),
)
DEMO_UNIT = "市发改委"  # a unit the 2023 plan consulted


def create_demo_accounts(session: Session) -> list[User]:
    """The demo's accounts; already there, they are left alone."""
    county, school, enterprise = _scopes(session)
    scopes = {"county": county, "school_code": school, "enterprise_code": enterprise, "unit": DEMO_UNIT}
    users = []
    for username, role, name, needs in DEMO_USERS:
        scope = {needs: scopes[needs]} if needs else {}
        existing = session.scalar(select(User).where(User.username == username))
        if existing is None:
            existing = add_user(
                session, username=username, password=DEMO_PASSWORD, role=role, display_name=name, **scope
            )
        users.append(existing)
    return users


def demo_accounts(session: Session) -> list[DemoAccount]:
    accounts = []
    names = [username for username, *_ in DEMO_USERS]
    for user in session.scalars(select(User).where(User.username.in_(names)).order_by(User.id)):
        scope = user.county_code or ""
        if user.school_id:
            scope = session.scalar(select(School.name).where(School.id == user.school_id)) or ""
        if user.enterprise_id:
            scope = session.scalar(select(Enterprise.name).where(Enterprise.id == user.enterprise_id)) or ""
        if user.county_code:
            scope = session.scalar(select(County.name).where(County.code == user.county_code)) or scope
        if user.unit_id:
            scope = session.scalar(select(Unit.c.name).where(Unit.c.id == user.unit_id)) or ""
        accounts.append(DemoAccount(user.username, DEMO_PASSWORD, Role(user.role), user.display_name, scope))
    return accounts
