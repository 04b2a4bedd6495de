"""Explanation notes shared by several articles: the wording a school accountant reads.

Every note is a module-level template (see engine.model.Note): a number a parameter owns is written as
its placeholder, the record's own figures as named values, so the notes can be read, and checked for
stray numbers, without a record to explain.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhijiao.engine.model import Label, Note

OWNERSHIP: Mapping[str, Label] = {
    "private": {"zh": "民办", "en": "Private"},
    "mixed": {"zh": "混合所有制", "en": "Mixed-ownership"},
}

NOT_PUBLIC = Note(
    "{ownership}学校：{what}仅适用于公办职业学校。",
    "{ownership} school: {what} applies to public schools only.",
    "仅公办学校适用，条文未对民办或混合所有制学校作规定。",
    "Only public schools qualify; the article says nothing for private or mixed-ownership schools.",
)
NOT_GIVEN = Note("未填写{field}，按零计。", "{field} not given: counted as zero.", "填写{field}。", "Enter {field}.")
ZERO = Note("{field}为零。", "{field} is zero.")


def not_public(ownership: str, what: Label) -> Note:
    """``what`` names the benefit, e.g. the Art. 20 double-high uplift."""
    return NOT_PUBLIC.filled(
        ownership=OWNERSHIP.get(ownership, {"zh": ownership, "en": ownership.capitalize()}), what=what
    )


def missing(row: Mapping[str, Any], fields: Mapping[str, Label]) -> list[Note]:
    """A note for each input that is zero or not given, naming it as the reason for a zero."""
    notes = []
    for name, label in fields.items():
        value = row.get(name)
        if value is None:
            notes.append(NOT_GIVEN.filled(field=label))
        elif value == 0:
            notes.append(ZERO.filled(field=label))
    return notes
