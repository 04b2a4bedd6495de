"""The roles of the platform and what each may do: one table, read by every endpoint and page.

Scoping is separate from permission: a county officer may edit the registry, but only its county's rows;
a school user may read the registry, but only its own school. ``Scope`` says which rows a user reaches.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from zhijiao.refusals import NotAllowed


class Role(StrEnum):
    city_admin = "city_admin"
    county_officer = "county_officer"
    finance_officer = "finance_officer"
    school_user = "school_user"
    enterprise_user = "enterprise_user"
    analyst = "analyst"
    auditor = "auditor"
    drafter = "drafter"  # drafting staff of the city bureau: versions, rounds, proposed dispositions
    unit_user = "unit_user"  # a consulted unit (department, county government, school, enterprise)


ROLE_LABELS: dict[Role, dict[str, str]] = {
    Role.city_admin: {"zh": "市级管理员", "en": "city administrator"},
    Role.county_officer: {"zh": "县级经办人员", "en": "county officer"},
    Role.finance_officer: {"zh": "财政人员", "en": "finance officer"},
    Role.school_user: {"zh": "学校用户", "en": "school user"},
    Role.enterprise_user: {"zh": "企业用户", "en": "enterprise user"},
    Role.analyst: {"zh": "政策分析人员", "en": "analyst"},
    Role.auditor: {"zh": "审计人员", "en": "auditor"},
    Role.drafter: {"zh": "起草人员", "en": "drafting staff"},
    Role.unit_user: {"zh": "征求意见单位", "en": "consulted unit"},
}


class Permission(StrEnum):
    view_registry = "view_registry"  # lists and pages of the registry, within the user's scope
    edit_registry = "edit_registry"  # forms and write endpoints, within the scope
    import_registry = "import_registry"
    export_registry = "export_registry"
    view_cost = "view_cost"  # dashboard, fiscal cost, targets, reports
    simulate = "simulate"  # reforms: baseline against reform
    manage_users = "manage_users"
    # fulfilment (issue 5)
    view_awards = "view_awards"  # applications and awards with their amounts, within the scope
    apply = "apply"  # a school or enterprise user, for its own entity
    review = "review"  # the county's review, within its county
    approve = "approve"  # the city's approval
    schedule_payment = "schedule_payment"  # put approved awards into a batch with its declared count and total
    release_payment = "release_payment"  # finance releases a batch; reversals and claw-backs
    view_ledger = "view_ledger"  # obligations, the ledger, statements
    view_audit = "view_audit"  # the audit trail
    # drafting (issue 6)
    view_drafts = "view_drafts"  # every version, round, item and statistic
    edit_drafts = "edit_drafts"  # versions, meetings, rounds; record replies
    propose_disposition = "propose_disposition"
    confirm_disposition = "confirm_disposition"  # and publish: a different person from the proposer
    submit_feedback = "submit_feedback"  # a unit, on the version sent to it, before the deadline
    # the plan (issue 16)
    load_plan_text = "load_plan_text"  # the plan's official text, from the bureau's document


_EVERY_READ = {Permission.view_registry, Permission.export_registry, Permission.view_cost}
_OWN_ENTITY = frozenset({Permission.view_registry, Permission.view_awards, Permission.apply})

GRANTS: dict[Role, frozenset[Permission]] = {
    # The city approves and schedules; it never releases (two people for money: finance releases). It confirms
    # dispositions that drafting staff propose, and does not propose them.
    Role.city_admin: frozenset(
        set(Permission)
        - {
            Permission.apply,
            Permission.review,
            Permission.release_payment,
            Permission.propose_disposition,
            Permission.submit_feedback,
        }
    ),
    Role.county_officer: frozenset(
        _EVERY_READ
        | {
            Permission.edit_registry,
            Permission.import_registry,
            Permission.view_awards,
            Permission.review,
            Permission.view_ledger,
        }
    ),
    Role.finance_officer: frozenset(
        _EVERY_READ | {Permission.simulate, Permission.view_awards, Permission.release_payment, Permission.view_ledger}
    ),
    Role.school_user: _OWN_ENTITY,
    Role.enterprise_user: _OWN_ENTITY,
    Role.analyst: frozenset(_EVERY_READ | {Permission.simulate, Permission.view_awards}),
    # Each role sees what its work needs: drafting staff and consulted units no award, no amount.
    Role.auditor: frozenset(
        _EVERY_READ | {Permission.view_awards, Permission.view_ledger, Permission.view_audit, Permission.view_drafts}
    ),
    Role.drafter: frozenset({Permission.view_drafts, Permission.edit_drafts, Permission.propose_disposition}),
    Role.unit_user: frozenset({Permission.submit_feedback}),
}


@dataclass(frozen=True)
class Scope:
    """The rows a user reaches: everything (all fields None), one county, one school or one enterprise."""

    county_code: str | None = None
    school_id: int | None = None
    enterprise_id: int | None = None
    unit_id: int | None = None  # a consulted unit's user: the rounds sent to its unit

    @property
    def citywide(self) -> bool:
        return (
            self.county_code is None and self.school_id is None and self.enterprise_id is None and self.unit_id is None
        )


def allows(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]


@dataclass(frozen=True)
class Principal:
    """The signed-in user as the services and the transport layers see it: who, in which role, within what."""

    user_id: int
    username: str
    display_name: str
    role: Role
    scope: Scope
    csrf_token: str = ""


ROLE_REFUSED = ("您的角色无权进行此操作。", "Your role does not allow this.")


def require(actor: Principal, permission: Permission) -> None:
    """The services' one authorisation check: refused, in both languages, unless the actor's role grants it."""
    if not allows(actor.role, permission):
        raise NotAllowed(*ROLE_REFUSED)
