"""The stages of a draft and the dispositions of feedback, with the words the documents use."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    first_draft = "first_draft"
    discussion = "discussion"
    consultation = "consultation"
    for_approval = "for_approval"
    issued = "issued"


STAGE_LABELS = {
    Stage.first_draft: {"zh": "初稿", "en": "first draft"},
    Stage.discussion: {"zh": "讨论稿", "en": "discussion draft"},
    Stage.consultation: {"zh": "征求意见稿", "en": "consultation draft"},
    Stage.for_approval: {"zh": "送审稿", "en": "draft for approval"},
    Stage.issued: {"zh": "印发稿", "en": "issued text"},
}
STAGE_ORDER = list(Stage)


class Disposition(StrEnum):
    adopted = "adopted"
    partially_adopted = "partially_adopted"
    not_adopted = "not_adopted"
    pending = "pending"


DISPOSITION_LABELS = {
    Disposition.adopted: {"zh": "采纳", "en": "adopted"},
    Disposition.partially_adopted: {"zh": "部分采纳", "en": "partially adopted"},
    Disposition.not_adopted: {"zh": "不采纳", "en": "not adopted"},
    Disposition.pending: {"zh": "待定", "en": "pending"},
}


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


class ReplyStatus(StrEnum):
    awaiting = "awaiting"
    items = "items"  # replied with feedback items
    no_comments = "no_comments"  # replied: 无意见
    unknown = "unknown"  # a past round whose record does not say who replied
