from __future__ import annotations

import pytest

from zhijiao.engine.policy import Policy
from zhijiao.policies.wenzhou_vet_2023 import load


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load()
