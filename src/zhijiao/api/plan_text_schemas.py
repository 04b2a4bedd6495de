"""The plan's official text in the API: what a client sends to preview and to confirm a load, and what it reads."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from zhijiao.api.dates import Day
from zhijiao.plan_text.reading import MAX_TEXT_CHARS
from zhijiao.registry.rows import NO_NUL

Label = dict[str, str]
Fact = Annotated[str, Field(min_length=1, max_length=300, pattern=NO_NUL)]
PlanText = Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS, description="方案正文 / the plan's text")]


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PreviewIn(Body):
    text: PlanText


class ConfirmIn(Body):
    text: PlanText
    digest: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="预览返回的 digest / the preview's digest")]
    document_number: Annotated[
        str, Field(min_length=1, max_length=60, pattern=NO_NUL, description="如 温政办〔2023〕32号")
    ]
    title: Fact
    issued: Day
    source: Annotated[
        str, Field(min_length=1, max_length=300, pattern=NO_NUL, description="如 温州市人民政府网 公开文件")
    ]
    file_name: Annotated[str | None, Field(max_length=200, pattern=NO_NUL)] = None


class ReviewRowOut(Answer):
    kind: str = Field(description="part | article")
    number: int
    status: str = Field(description="same | differs | new | missing | extra")
    known_title: Label | None = Field(description="起草说明所载标题 / the title the drafting explanation gives")
    known_words: str | None = Field(description="起草说明的原话 / the drafting explanation's words")
    title: str | None = Field(description="正式文本中的标题 / the title in the text")
    body: str | None
    part_number: int | None


class Reason(Answer):
    zh: str
    en: str


class PreviewOut(Answer):
    digest: str = Field(description="确认时原样送回 / send it back to confirm exactly this text")
    document_number: str | None = Field(description="文本中的文号 / the number the text's head writes")
    dated: dt.date | None = Field(description="文本中的日期 / the date the text prints")
    parts: list[ReviewRowOut]
    articles: list[ReviewRowOut]
    expected_parts: int
    expected_articles: int
    blocking: list[Reason] = Field(description="不能保存的原因 / why it cannot be stored")
    notes: list[Reason] = Field(description="与现有内容的不同 / differences to read before confirming")


class SectionOut(Answer):
    number: int
    part_number: int | None
    title: str | None
    body: str


class OfficialTextOut(Answer):
    id: int
    plan: str
    document_number: str
    title: str
    issued: dt.date
    source: str
    digest: str
    loaded_by: str
    loaded_at: dt.datetime
    supersedes: int | None = Field(description="被本次载入取代的载入 / the load this one superseded")
    parts: list[SectionOut]
    articles: list[SectionOut]
