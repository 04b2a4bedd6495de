"""The stages of a draft, the replies of a consultation round and the dispositions of feedback, each with the
words the documents use and the table of which may follow which."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from zhijiao.states import State


class Stage(State):
    first_draft = "first_draft", "初稿", "first draft"
    discussion = "discussion", "讨论稿", "discussion draft"
    consultation = "consultation", "征求意见稿", "consultation draft"
    for_approval = "for_approval", "送审稿", "draft for approval"
    issued = "issued", "印发稿", "issued text"

    @classmethod
    def following(cls) -> Mapping[Stage, frozenset[Stage]]:
        """A version may be followed by one at the same stage (a second discussion draft) or any later one; the
        issued text ends the drafting."""
        order = list(cls)
        return {stage: frozenset(order[i:]) for i, stage in enumerate(order) if stage is not cls.issued}


STAGE_ORDER = list(Stage)


class Disposition(State):
    adopted = "adopted", "采纳", "adopted"
    partially_adopted = "partially_adopted", "部分采纳", "partially adopted"
    not_adopted = "not_adopted", "不采纳", "not adopted"
    pending = "pending", "待定", "pending"

    @classmethod
    def following(cls) -> Mapping[Disposition, frozenset[Disposition]]:
        """Until it is confirmed (then nothing changes it), a proposal may be replaced by any other."""
        return {disposition: frozenset(cls) for disposition in cls}


class UnitKind(StrEnum):
    department = "department"
    county_government = "county_government"
    school = "school"
    enterprise = "enterprise"
    other = "other"


UNIT_KIND_LABELS = {
    UnitKind.department: {"zh": "市级部门", "en": "city department"},
    UnitKind.county_government: {"zh": "县（市、区）政府", "en": "county government"},
    UnitKind.school: {"zh": "学校", "en": "school"},
    UnitKind.enterprise: {"zh": "企业", "en": "enterprise"},
    UnitKind.other: {"zh": "其他", "en": "other"},
}


class ReplyStatus(State):
    """A unit's reply in a consultation round."""

    awaiting = "awaiting", "未答复", "no reply yet"
    items = "items", "已提意见", "sent items"  # replied with feedback items
    no_comments = "no_comments", "无意见", "no comments"  # replied: 无意见
    unknown = "unknown", "原始记录未载明", "not in the record"  # a past round whose record does not say who replied

    @classmethod
    def following(cls) -> Mapping[ReplyStatus, frozenset[ReplyStatus]]:
        """Items may follow "no comments" (a unit may think again), not the other way round."""
        return {
            cls.awaiting: frozenset({cls.items, cls.no_comments}),
            cls.items: frozenset({cls.items}),
            cls.no_comments: frozenset({cls.items, cls.no_comments}),
        }


# The replies known to have come: items or "no comments". A past round's "not in the record" is not one of them, nor
# is "no reply yet": a unit counts as having replied only when the record says it did (round summaries, statistics).
REPLIED = frozenset({ReplyStatus.items, ReplyStatus.no_comments})
