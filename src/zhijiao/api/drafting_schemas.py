"""The shapes of the drafting API: answers (plans, versions and articles, rounds and replies, items with their
article then and now, diffs, statistics) and strict request bodies (a boolean is not a number, unknown
fields are refused; dates are written YYYY-MM-DD)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from zhijiao.api.dates import Day
from zhijiao.drafting.dispositions import TEMPLATES
from zhijiao.registry.rows import NO_NUL

Label = dict[str, str]
StageName = Literal["first_draft", "discussion", "consultation", "for_approval", "issued"]
DispositionName = Literal["adopted", "partially_adopted", "not_adopted", "pending"]
UnitKindName = Literal["department", "county_government", "school", "enterprise", "other"]
MeetingKindName = Literal["meeting", "revision", "coordination"]
TemplateName = Literal[tuple(TEMPLATES)]  # type: ignore[valid-type]
Id = Annotated[int, Field(ge=1, le=2**62)]
PathId = Annotated[int, Path(ge=1, le=2**62)]
KEY = r"^[A-Za-z0-9_-]+$"
PathKey = Annotated[str, Path(min_length=1, max_length=40, pattern=KEY, description="条款标识 / the article's key")]


Title = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
Period = Annotated[str, Field(min_length=1, max_length=20, pattern=NO_NUL)]
Note = Annotated[str, Field(max_length=2_000, pattern=NO_NUL)]
ArticleText = Annotated[str, Field(max_length=50_000, pattern=NO_NUL)]
CommentText = Annotated[str, Field(min_length=1, max_length=5_000, pattern=NO_NUL)]


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class VersionRef(Answer):
    id: int
    number: int = Field(description="第N版 / version number within the plan")
    stage: str
    stage_label: Label
    dated: dt.date | None
    frozen: bool = Field(description="已发出征求意见或已定稿，不能修改 / sent or settled: no longer edited")
    text_known: bool = Field(description="往年记录中文本是否载明 / whether a past record keeps the text")


class PlanOut(Answer):
    id: int
    code: str
    title: str
    period: str
    historical: bool = Field(description="往年起草过程的历史记录，只读 / the record of a past drafting, read-only")
    versions: int
    latest: VersionRef | None
    rounds: int
    items: int


class ArticleOut(Answer):
    key: str = Field(description="跨版本不变的条款标识 / the article's identity across versions")
    number: int
    part_number: int
    part_title: str
    title: str
    text: str
    absorbed: list[str] = Field(description="并入本条的条款标识 / keys of the articles merged into this one")


class VersionOut(VersionRef):
    plan_id: int
    based_on_id: int | None
    note: str | None
    articles: list[ArticleOut]


class MeetingOut(Answer):
    id: int
    kind: str
    kind_label: Label
    held_on: dt.date | None
    chair: str | None
    participants: list[str]
    participant_count: int | None
    produced_version_id: int | None
    note: str | None


class RoundOut(Answer):
    id: int
    plan_id: int
    number: int
    version: VersionRef
    sent_on: dt.date | None
    deadline: dt.date | None
    in_name_of: str | None
    units: int
    replied: int
    items: int


class PlanDetailOut(PlanOut):
    all_versions: list[VersionRef]
    meetings: list[MeetingOut]
    consultation_rounds: list[RoundOut]


class UnitOut(Answer):
    id: int
    name: str
    kind: str
    kind_label: Label


class ReplyOut(Answer):
    unit: UnitOut
    reply: str = Field(description="awaiting | items | no_comments | unknown")
    replied_at: dt.datetime | None
    late: bool = Field(description="截止日期后答复 / replied after the deadline")
    silent: bool = Field(description="截止日期已过仍未答复 / no reply, and the deadline has passed")


class RoundDetailOut(RoundOut):
    replies: list[ReplyOut]


class ArticleRefOut(Answer):
    number: int
    title: str
    key: str


class ItemOut(Answer):
    id: int
    round_id: int
    round_number: int
    unit: str | None = Field(description="null：原始记录未载明 / null: not in the record")
    unit_kind: str | None
    version_id: int = Field(description="意见所依据的版本 / the version it was written on")
    version_number: int
    article: ArticleRefOut | None = Field(description="所提条款（原稿），null 为针对全文 / null: the whole text")
    article_now: ArticleRefOut | None = Field(description="该条款在最新稿中的位置 / where it is in the latest version")
    removed: bool = Field(description="所提条款已从最新稿删除 / its article is gone from the latest version")
    text: str | None = Field(description="null：原始记录未载明 / null: not in the record")
    disposition: str
    disposition_label: Label
    reason: str | None
    change: str | None = Field(description="在下一稿中的修改 / the change it caused in the next version")
    proposed_by: str | None
    proposed_at: dt.datetime | None
    confirmed_by: str | None
    confirmed_at: dt.datetime | None


class SegmentOut(Answer):
    kind: str = Field(description="same | added | removed")
    text: str


class ChangeOut(Answer):
    kinds: list[str] = Field(description="added | removed | merged | renumbered | retitled | changed | unchanged")
    key: str
    old_number: int | None
    new_number: int | None
    title: str
    segments: list[SegmentOut]
    absorbed_numbers: list[int] = Field(description="并入本条的原条款序号 / old numbers merged into this article")


class DiffOut(Answer):
    old_version: VersionRef
    new_version: VersionRef
    changes: list[ChangeOut]


class StatisticsOut(Answer):
    plan_id: int
    rounds: int
    units_consulted: int
    units_replied: int
    items: int
    by_disposition: dict[str, int]
    by_round: dict[str, int]
    by_unit: dict[str, int]
    by_unit_kind: dict[str, int]
    by_article: dict[str, int]
    meetings: dict[str, int]
    sentence: str = Field(description="起草说明中征求意见的一句 / the consultation sentence of the explanation")


class ExplanationOut(Answer):
    plan_id: int
    text: str = Field(description="起草过程（中文，公文语体）/ the process section, in Chinese")


class ConsultationOut(Answer):
    round: RoundOut
    plan_title: str
    reply: str
    open: bool = Field(description="截止日期前（含当日）可提交 / items may be sent until the deadline")
    articles: list[ArticleOut]
    items: list[ItemOut]


# Requests


class ArticleIn(Body):
    part_number: int = Field(ge=1, le=100)
    part_title: Title
    title: Title
    text: ArticleText


class PlanIn(Body):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    title: Title
    period: Period
    stage: StageName
    dated: Day | None = None
    articles: list[ArticleIn] = Field(min_length=1, max_length=300)


class NewVersionIn(Body):
    stage: StageName
    dated: Day | None = None
    note: Note | None = None


class ArticleEditIn(Body):
    title: Title
    text: ArticleText


class ArticleInsertIn(ArticleIn):
    after_number: int = Field(ge=0, le=10_000, description="插在第N条之后，0 为最前 / after article N; 0: first")


class MergeIn(Body):
    keep: str = Field(min_length=1, max_length=40, pattern=KEY, description="保留的条款标识 / the key kept")
    absorb: str = Field(min_length=1, max_length=40, pattern=KEY, description="并入的条款标识 / the key merged into it")
    text: ArticleText | None = Field(default=None, description="合并后的正文 / the merged text")


class MeetingIn(Body):
    kind: MeetingKindName
    held_on: Day
    chair: Name | None = None
    participants: list[Name] = Field(default_factory=list, max_length=200)
    produced_version_id: Id | None = None
    note: Note | None = None


class UnitIn(Body):
    name: Name
    kind: UnitKindName


class RoundIn(Body):
    unit_ids: list[Id] = Field(min_length=1, max_length=2_000)
    sent_on: Day
    deadline: Day
    in_name_of: Name | None = None


class CommentIn(Body):
    article_number: int | None = Field(default=None, ge=1, le=10_000, description="null：针对全文 / the whole text")
    text: CommentText


class UnitReplyIn(Body):
    items: list[CommentIn] = Field(default_factory=list, max_length=200)
    no_comments: bool = False


class ReplyIn(UnitReplyIn):
    unit_id: Id


class ProposeIn(Body):
    disposition: DispositionName
    reason: Note = ""
    change: Note | None = None


class BulkProposeIn(Body):
    item_ids: list[Id] = Field(min_length=1, max_length=5_000)
    template: TemplateName  # type: ignore[valid-type]
