"""A new version of the policy package is recorded once, with the parameter values it changed."""

from __future__ import annotations

import json

from zhijiao import audit
from zhijiao.audit.policy_version import record_policy_version
from zhijiao.engine.reform import parse_reform
from zhijiao.storage.database import unit_of_work


def test_each_rule_set_version_is_recorded_once_with_what_changed(engine, policy):
    with unit_of_work(engine) as session:
        first = record_policy_version(session, policy)
        assert first is not None
        assert record_policy_version(session, policy) is None  # the same version: nothing new
    reform = parse_reform({"parameters": {"art11.incentive_rate": 0.6}}, policy)
    changed = policy.with_parameters(reform.apply(policy.parameters))
    assert changed.rule_set != policy.rule_set
    with unit_of_work(engine) as session:
        second = record_policy_version(session, changed)
        assert second is not None
        change = json.loads(second.payload)["before"]["parameters"]
        assert change == {
            "art11.incentive_rate": {
                "before": [["None", "0.350000"], ["2023-03-23", "0.500000"]],
                "after": [["None", "0.600000"]],
            }
        }
        assert audit.verify(session).intact
