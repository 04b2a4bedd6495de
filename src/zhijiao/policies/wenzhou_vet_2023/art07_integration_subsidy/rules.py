"""第七条 协同推进产教深度融合 — C12: a one-time subsidy per certification, summed per enterprise.

Certified city / provincial / national integration enterprises receive 50,000 / 200,000 / 500,000
yuan once, from the finance of their county, in the year of the certification date (see
certification_awards for the window, once-per-level and upgrade rules shared with Art. 3).
"""

from __future__ import annotations

from zhijiao.policies.wenzhou_vet_2023.certification_awards import AwardText, one_time_award

TEXT = AwardText(
    award={"zh": "补助", "en": "subsidy"},
    total={"zh": "产教融合型企业一次性补助（当地财政）", "en": "integration-enterprise subsidy (county finance)"},
    what={"zh": "产教融合型企业补助", "en": "integration subsidy"},
)

INTEGRATION_SUBSIDY = one_time_award(
    article="art07",
    clause="C12",
    entity="enterprise_certification",
    parent="enterprise",
    prefix="art07.integration_subsidy",
    levels=("city", "provincial", "national"),
    output="integration_subsidy",
    text=TEXT,
)
