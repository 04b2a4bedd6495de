"""The coded values of the registry's choice columns with the labels people read and type.

A file may hold a choice as its code (``secondary``), its Chinese label (中职学校), its English label or a common
short form (中职); exports and templates write the label of their language, and reading that label back gives the
same code, so re-importing an export changes nothing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    code: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()  # other spellings people type: short forms, older names

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _key(text: str) -> str:
    """Full-width letters and spaces as half-width, case ignored: ＮＯＮＥ, None and none are one spelling."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@dataclass(frozen=True)
class ChoiceSet:
    choices: tuple[Choice, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.choices)

    def labels(self, lang: str) -> tuple[str, ...]:
        return tuple(c.label(lang) for c in self.choices)

    def find(self, text: str) -> Choice | None:
        """The choice ``text`` names: a code, a label in either language or an alias."""
        key = _key(text)
        for choice in self.choices:
            if key in {_key(s) for s in (choice.code, choice.zh, choice.en, *choice.aliases)}:
                return choice
        return None

    def label(self, code: str, lang: str) -> str:
        """The label of ``code`` (the code itself if it is none of the set's)."""
        found = next((c for c in self.choices if c.code == code), None)
        return found.label(lang) if found else code

    def allowed(self, lang: str) -> str:
        return ("、" if lang == "zh" else ", ").join(self.labels(lang))


SCHOOL_TYPES = ChoiceSet(
    (
        Choice(
            "higher", "高职院校", "higher vocational college", ("高职", "高等职业院校", "高等职业学校", "职业技术学院")
        ),
        Choice("secondary", "中职学校", "secondary vocational school", ("中职", "中等职业学校", "职业高中", "职高")),
        Choice("technical", "技工院校", "technical school", ("技工学校", "技校", "技师学院")),
    )
)
OWNERSHIP = ChoiceSet(
    (
        Choice("public", "公办", "public", ("公立",)),
        Choice("private", "民办", "private", ("私立",)),
        Choice("mixed", "混合所有制", "mixed ownership", ("混合",)),
    )
)
SPONSOR = ChoiceSet(
    (
        Choice("city", "市属", "city", ("市级", "市", "市本级", "市直属")),
        Choice("county", "县属", "county", ("县级", "县", "县（市、区）属", "县市区属")),
    )
)
DOUBLE_HIGH = ChoiceSet(
    (
        Choice("none", "无", "none", ("否", "不是", "-", "—")),
        Choice("provincial", "省级", "provincial", ("省", "省“双高”", "省双高")),
        Choice("national", "国家级", "national", ("国家", "国家“双高”", "国家双高")),
    )
)
CERTIFICATION_LEVELS = ChoiceSet(
    (
        Choice("city", "市级", "city", ("市",)),
        Choice("provincial", "省级", "provincial", ("省",)),
        Choice("national", "国家级", "national", ("国家",)),
    )
)
PLATFORM_LEVELS = ChoiceSet(CERTIFICATION_LEVELS.choices[1:])
PLATFORM_KINDS = ChoiceSet(
    (
        Choice("research", "科研平台", "research", ("科研",)),
        Choice("training", "实训平台", "training", ("实训", "实训基地")),
    )
)
PROJECT_KINDS = ChoiceSet(
    (
        Choice("new", "新建", "new"),
        Choice("relocated", "迁建", "relocated", ("易地新建", "搬迁")),
        Choice("expanded", "改扩建", "expanded", ("扩建", "改建")),
    )
)
MEMBER_KINDS = ChoiceSet(
    (
        Choice("government", "政府部门", "government", ("政府",)),
        Choice("school", "学校", "school", ("院校",)),
        Choice("association", "行业协会", "association", ("协会", "行业组织")),
        Choice("enterprise", "企业", "enterprise"),
    )
)
PROGRAMME_KINDS = ChoiceSet(
    (
        Choice("programme", "合作项目", "programme", ("项目", "国际合作项目")),
        Choice("park", "合作园区", "park", ("园区", "国际合作园区")),
    )
)
BRAND_CATEGORIES = ChoiceSet(
    (
        Choice("brand", "品牌", "brand"),
        Choice("quality_school", "优质学校", "high-quality school"),
        Choice("quality_major", "优质专业", "high-quality major"),
    )
)
YES_NO = ChoiceSet(
    (
        Choice("true", "是", "yes", ("true", "1", "y", "√", "✓", "对")),
        Choice("false", "否", "no", ("false", "0", "n", "×", "✗", "不是")),
    )
)

__all__ = [
    "BRAND_CATEGORIES",
    "CERTIFICATION_LEVELS",
    "DOUBLE_HIGH",
    "MEMBER_KINDS",
    "OWNERSHIP",
    "PLATFORM_KINDS",
    "PLATFORM_LEVELS",
    "PROGRAMME_KINDS",
    "PROJECT_KINDS",
    "SCHOOL_TYPES",
    "SPONSOR",
    "YES_NO",
    "Choice",
    "ChoiceSet",
]
