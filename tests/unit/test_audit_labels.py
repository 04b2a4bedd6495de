"""Auditors read the trail as words: every action the platform records, and every kind of object, has a label
in Chinese and English (the page shows the label; the code stays in the record and the export)."""

import re
from pathlib import Path

from zhijiao.fulfilment import labels
from zhijiao.fulfilment.states import TRANSITIONS
from zhijiao.web.pages.fulfilment_audit import OBJECTS

SOURCE = Path(__file__).resolve().parents[2] / "src" / "zhijiao"
AREAS = "|".join(labels.ACTION_AREAS) + "|audit"
ACTION = re.compile(rf"\"((?:{AREAS})\.[a-z_]+(?:\.[a-z_]+)?)\"")
OBJECT = re.compile(r"(?:record\(|Change\()[^)]*?\"[a-z_.]+\",\s*\"([a-z_]+)\"", re.DOTALL)
NOT_ACTIONS = {"ledger.xlsx"}  # a file name


def recorded(pattern: re.Pattern[str]) -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        found |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_recorded_action_has_a_label_in_both_languages():
    actions = (recorded(ACTION) - NOT_ACTIONS) | {f"application.{name}" for name in TRANSITIONS}
    assert "draft.disposition.confirm" in actions  # the scan finds what the issue saw shown as a code
    unnamed = sorted(a for a in actions if not {"zh", "en"} <= set(labels.ACTIONS.get(a, {})))
    assert unnamed == []


def test_every_kind_of_object_has_a_label_in_both_languages():
    kinds = recorded(OBJECT) | {"feedback_item", "ledger_correction", "ledger_entry", "draft_version"}
    assert "payment_batch" in kinds
    unnamed = sorted(k for k in kinds if not {"zh", "en"} <= set(OBJECTS.get(k, {})))
    assert unnamed == []
    assert OBJECTS["schools"] == {"zh": "学校", "en": "schools"}  # the registry's tables by their own labels
