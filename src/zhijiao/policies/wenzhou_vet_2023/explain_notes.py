"""Explanation notes shared by several articles: the wording a school accountant reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhijiao.engine.model import Note

OWNERSHIP = {"private": ("民办", "private"), "mixed": ("混合所有制", "mixed-ownership")}


def not_public(ownership: str, what_zh: str, what_en: str) -> Note:
    zh, en = OWNERSHIP.get(ownership, (ownership, ownership))
    return Note(
        f"{zh}学校：{what_zh}仅适用于公办职业学校。",
        f"{en.capitalize()} school: {what_en} applies to public schools only.",
        "仅公办学校适用，条文未对民办或混合所有制学校作规定。",
        "Only public schools qualify; the article says nothing for private or mixed-ownership schools.",
    )


def missing(row: Mapping[str, Any], fields: Mapping[str, tuple[str, str]]) -> list[Note]:
    """A note for each input that is zero or not given, naming it as the reason for a zero."""
    notes = []
    for name, (zh, en) in fields.items():
        value = row.get(name)
        if value is None:
            notes.append(Note(f"未填写{zh}，按0计。", f"{en} not given: counted as 0.", f"填写{zh}。", f"Enter {en}."))
        elif value == 0:
            notes.append(Note(f"{zh}为0。", f"{en} is 0."))
    return notes
