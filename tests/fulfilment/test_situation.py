"""An approval reads only its entity's records; the situation it freezes is the one the whole registry gives,
which release compares against (a difference would send every approval back as stale)."""

from __future__ import annotations

import pytest
from flows import YEAR
from sqlalchemy import select

from zhijiao.engine.rules import Period
from zhijiao.fulfilment.situations import situation_for
from zhijiao.registry.models import Enterprise, EnterpriseCertification, Platform, PlatformCertification, School
from zhijiao.registry.snapshot import frames_for_entity, frames_for_year


@pytest.mark.parametrize(
    ("entity", "query"),
    [
        ("school", select(School.code).order_by(School.code)),
        ("enterprise", select(Enterprise.code).join(EnterpriseCertification).order_by(Enterprise.code)),
        ("platform", select(Platform.code).join(PlatformCertification).order_by(Platform.code)),
    ],
)
def test_one_entitys_records_give_the_situation_the_whole_registry_gives(db, policy, entity, query):
    period = Period(YEAR)
    everything = frames_for_year(db, policy, period)
    options = policy.options.resolve(None)
    codes = list(dict.fromkeys(db.scalars(query)))[:3]
    assert codes
    for code in codes:
        alone = frames_for_entity(db, policy, period, entity, code)
        assert alone[entity].height == 1
        mine = situation_for(policy, alone, entity, code, YEAR, options)
        assert mine == situation_for(policy, everything, entity, code, YEAR, options)
    if entity == "platform":
        assert mine["schools"]  # the platform's school comes along
