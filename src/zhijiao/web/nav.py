"""The navigation: every page of the platform, and who sees its link (the pages enforce it themselves)."""

from __future__ import annotations

from dataclasses import dataclass

from zhijiao.authz import Permission, Principal, Role, allows


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str  # a message id (Chinese), translated in the template
    permission: Permission | None = None  # None: everyone, signed in or not
    signed_in: bool = False  # every signed-in user, whatever the role (each sees its own scope)


NAV = (
    NavItem("/dashboard", "总览", Permission.view_cost),
    NavItem("/plan", "实施方案"),
    NavItem("/calculator", "政策计算器"),
    NavItem("/registry/schools", "学校", Permission.view_registry),
    NavItem("/registry/enterprises", "企业", Permission.view_registry),
    NavItem("/registry/platforms", "平台", Permission.view_registry),
    NavItem("/registry/projects", "建设项目", Permission.view_registry),
    NavItem("/majors", "专业结构", Permission.view_registry),
    NavItem("/simulation", "财政模拟", Permission.simulate),
    NavItem("/targets", "目标进展", Permission.view_cost),
    NavItem("/reports", "报表下载", Permission.view_cost),
    NavItem("/awards", "奖补兑现", Permission.view_awards),
    NavItem("/ledger", "拨付台账", Permission.view_ledger),
    NavItem("/payees", "收款账户", Permission.view_ledger),
    NavItem("/audit", "审计记录", Permission.view_audit),
    NavItem("/drafting", "方案起草", Permission.view_drafts),
    NavItem("/consultations", "征求意见", Permission.submit_feedback),
)

# Where each role's work waits for it after sign-in (and at "/"): the county's review queue, the batches finance
# releases, the drafting staff's plans, a consulted unit's open rounds. The city administrator (who also approves)
# and the analyst start at the dashboard. A school or enterprise user starts at its own record, which needs the
# database to name: None here.
START: dict[Role, str | None] = {
    Role.city_admin: "/dashboard",
    Role.county_officer: "/awards?view=todo",
    Role.finance_officer: "/batches",
    Role.school_user: None,
    Role.enterprise_user: None,
    Role.analyst: "/dashboard",
    Role.auditor: "/audit",
    Role.drafter: "/drafting",
    Role.unit_user: "/consultations",
}


def visible(user: Principal | None) -> list[NavItem]:
    return [
        item for item in NAV if item.permission is None or (user is not None and allows(user.role, item.permission))
    ]
