"""温政办〔2023〕32号: Wenzhou's plan for vocational education 2023–2025, as a policy package.

Each ``artNN_*`` folder holds one article: its text (``text.zh.md``), its dated and cited numbers
(``parameters.yaml``), its rules (``rules.py``) and its worked examples (``cases.yaml``).
``plan.yaml`` holds the document's facts, parts, articles, targets and the clause index;
``options.yaml`` the named ambiguities with their defaults.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from zhijiao.engine.policy import Policy, load_policy, read_yaml
from zhijiao.policies.wenzhou_vet_2023.entities import (
    CHOICE_LABELS,
    COST_ITEMS,
    ENTITIES,
    PAYERS,
    SCHOOL_COUNTIES,
)
from zhijiao.policies.wenzhou_vet_2023.entitlements import ENTITLEMENTS

ROOT = Path(__file__).parent
NAME = "wenzhou_vet_2023"


@cache
def load() -> Policy:
    return load_policy(
        name=NAME,
        package=__name__,
        root=ROOT,
        entities=ENTITIES,
        cost_items=COST_ITEMS,
        metadata=read_yaml(ROOT / "plan.yaml"),
        entitlements=ENTITLEMENTS,
        places=SCHOOL_COUNTIES,
        labels=CHOICE_LABELS,
        payers=PAYERS,
    )
