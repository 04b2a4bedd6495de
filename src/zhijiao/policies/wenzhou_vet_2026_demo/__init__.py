"""DEMO ONLY: the successor of 温政办〔2023〕32号 as the demo draft of 2026 would make it if adopted (``adopted.yaml``).

Its rules are the 2023 plan's; every parameter is cited anew from 2026-01-01 under the successor's document
(``engine.succession``). Applied only where the plans in force name it (``zhijiao serve --demo``, or
``ZHIJIAO_PLANS=wenzhou_vet_2023,wenzhou_vet_2026_demo``), never by default.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from zhijiao.engine.policy import Policy, read_yaml
from zhijiao.engine.succession import Adopted, successor
from zhijiao.policies import wenzhou_vet_2023

ROOT = Path(__file__).parent


@cache
def load() -> Policy:
    raw = read_yaml(ROOT / "adopted.yaml")
    adopted = Adopted(
        name=raw["name"],
        document=raw["document"],
        values=raw.get("values") or {},
        options=raw.get("options") or {},
        articles=raw.get("articles") or {},
        note=raw.get("note", ""),
        note_en=raw.get("note_en", ""),
    )
    return successor(wenzhou_vet_2023.load(), adopted)
