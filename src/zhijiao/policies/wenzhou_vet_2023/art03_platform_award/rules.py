"""第三条 实施强基扩容“双百工程” — C13: a one-time award per platform certification, paid by the city.

Newly created provincial / national research and training platforms receive 300,000 / 500,000 yuan
once, in the year of the certification date (certification_awards holds the rules shared with Art. 7).
The county of a platform is its school's, for the cost by county.
"""

from __future__ import annotations

from zhijiao.engine.rules import Lookup
from zhijiao.engine.units import Unit
from zhijiao.policies.wenzhou_vet_2023.certification_awards import AwardText, one_time_award

TEXT = AwardText(
    award={"zh": "奖励", "en": "award"},
    total={"zh": "新创成平台奖励（市财政）", "en": "platform award (city finance)"},
    what={"zh": "平台奖励", "en": "platform award"},
)

PLATFORM_AWARD = one_time_award(
    article="art03",
    clause="C13",
    entity="platform_certification",
    parent="platform",
    prefix="art03.platform_award",
    levels=("provincial", "national"),
    output="platform_award",
    text=TEXT,
)

county = Lookup(
    entity="platform",
    output="county",
    unit=Unit.CODE,
    reads=("county",),
    target_entity="school",
    link="school_id",
    article="art03",
    internal=True,
    label={"zh": "所属学校所在县（市、区）", "en": "county of the platform's school"},
    formula={"zh": "所属学校的县（市、区）", "en": "the county of the school it belongs to"},
)
