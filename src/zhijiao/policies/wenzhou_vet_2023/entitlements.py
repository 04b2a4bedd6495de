"""What the plan pays out, to whom, and whether it takes an application (fulfilment, issue 5).

Art. 3 platform awards and Art. 7 integration subsidies follow from a certification already on the
registry, so they are proactive (免申即享): nobody has to apply. Art. 13 part-time teacher funding and
Art. 20 donation matching depend on figures the school declares for the year, so the school applies.
The Art. 20 uplifts are budget allocations to the school, not awards, and are not paid through here.
"""

from __future__ import annotations

from zhijiao.engine.model import Entitlement

ENTITLEMENTS = (
    Entitlement(
        "art03.platform_award",
        "art03",
        "platform",
        "platform_award",
        {"zh": "第三条 平台一次性奖励", "en": "Art. 3 one-time platform award"},
        proactive=True,
        detail_entity="platform_certification",
        detail_output="platform_award_due",
    ),
    Entitlement(
        "art07.integration_subsidy",
        "art07",
        "enterprise",
        "integration_subsidy",
        {"zh": "第七条 产教融合型企业一次性补助", "en": "Art. 7 one-time integration subsidy"},
        proactive=True,
        detail_entity="enterprise_certification",
        detail_output="integration_subsidy_due",
    ),
    Entitlement(
        "art13.part_time_teacher_funding",
        "art13",
        "school",
        "part_time_teacher_funding",
        {"zh": "第十三条 兼职教师经费", "en": "Art. 13 part-time teacher funding"},
    ),
    Entitlement(
        "art20.donation_matching",
        "art20",
        "school",
        "donation_matching_min",
        {"zh": "第二十条 社会捐赠配套", "en": "Art. 20 donation matching"},
    ),
)

BY_ID = {e.id: e for e in ENTITLEMENTS}

# Options of the fulfilment rather than of the calculation: not in clauses.md, which predates them.
FULFILMENT_OPTIONS = ("clawback_on_revocation",)
