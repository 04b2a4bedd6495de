"""A parsed text beside what the platform knows of the plan today (plan.yaml's parts and articles, and the
drafting explanation's words where an article's folder quotes them), part by part and article by article, with
each difference named; and what stops the text from being stored at all."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from zhijiao.engine.policy import Policy
from zhijiao.plan_text.parsing import ParsedText, Section

# Quotes, brackets, dashes and spaces as typists vary them: 2023-2025 and 2023—2025 are one title.
_VARIANTS: Final = re.compile(r"[\s\u3000“”\"'‘’「」『』《》〈〉()（）\-—–－~～·・.。,，、]")


class Status(StrEnum):
    same = "same"  # the text's title is the one the platform knows
    differs = "differs"  # the text's title is another, or the text gives none
    new = "new"  # the drafting explanation does not describe it: the text is the first the platform holds
    missing = "missing"  # the plan has it, the text does not
    extra = "extra"  # the text has it, the plan as the platform knows it does not


@dataclass(frozen=True)
class Row:
    kind: str  # "part" | "article"
    number: int
    status: Status
    known_title: Mapping[str, str] | None
    known_words: str | None  # the drafting explanation's words on the article, where its folder quotes them
    title: str | None  # as the text writes it
    body: str | None
    part_number: int | None = None


@dataclass(frozen=True)
class Review:
    parsed: ParsedText
    parts: tuple[Row, ...]
    articles: tuple[Row, ...]
    expected_parts: int
    expected_articles: int
    blocking: tuple[tuple[str, str], ...]  # (zh, en) reasons it cannot be stored
    notes: tuple[tuple[str, str], ...]  # (zh, en) differences to read before confirming

    @property
    def digest(self) -> str:
        return self.parsed.digest


def normalized(title: str | None) -> str:
    return _VARIANTS.sub("", title or "")


def _status(known: Mapping[str, Any] | None, found: Section | None) -> Status:
    if known is None:
        return Status.extra
    if found is None:
        return Status.missing
    title = (known.get("title") or {}).get("zh")
    if not title:
        return Status.new
    return Status.same if normalized(title) == normalized(found.title) else Status.differs


def _explanation_words(policy: Policy, entry: Mapping[str, Any] | None) -> str | None:
    """The drafting explanation's paragraph on the article, as its folder's text.zh.md quotes it (> …)."""
    folder = (entry or {}).get("folder")
    if not folder or policy.root is None:
        return None
    path = policy.root / str(folder) / "text.zh.md"
    if not path.is_file():
        return None
    quoted = [line[1:].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.startswith(">")]
    return "\n".join(quoted) or None


def _rows(kind: str, policy: Policy, known: Sequence[Mapping[str, Any]], found: Sequence[Section]) -> tuple[Row, ...]:
    by_number = {int(entry["number"]): entry for entry in known}
    in_text = {section.number: section for section in found}  # the first of a repeated number is reviewed
    rows = []
    for number in sorted(set(by_number) | set(in_text)):
        entry, section = by_number.get(number), in_text.get(number)
        rows.append(
            Row(
                kind=kind,
                number=number,
                status=_status(entry, section),
                known_title=(entry or {}).get("title"),
                known_words=_explanation_words(policy, entry) if kind == "article" else None,
                title=section.title if section else None,
                body=section.body if section else None,
                part_number=section.part_number if section else None,
            )
        )
    return tuple(rows)


def _repeated(found: Sequence[Section]) -> list[int]:
    return sorted(number for number, count in Counter(s.number for s in found).items() if count > 1)


def _blocking(parsed: ParsedText) -> list[tuple[str, str]]:
    reasons = []
    if not parsed.articles:
        reasons.append(
            (
                "文本中没有找到“第X条”开头的条文：请确认粘贴或上传的是方案正文。",
                "No article headed 第X条 was found: check that this is the plan's own text.",
            )
        )
    repeated = _repeated(parsed.articles)
    if repeated:
        numbers = "、".join(f"第{n}条" for n in repeated)
        reasons.append(
            (
                f"{numbers}在文本中出现不止一次：请核对文本。",
                f"Article(s) {', '.join(map(str, repeated))} appear more than once: check the text.",
            )
        )
    return reasons


def _notes(review_parts: Sequence[Row], review_articles: Sequence[Row], parsed: ParsedText,
           document: Mapping[str, Any]) -> list[tuple[str, str]]:  # fmt: skip
    notes = []
    expected_parts = sum(row.status is not Status.extra for row in review_parts)
    expected_articles = sum(row.status is not Status.extra for row in review_articles)
    if len(parsed.parts) != expected_parts:
        notes.append(
            (
                f"方案应有{expected_parts}个部分，文本中找到{len(parsed.parts)}个。",
                f"The plan has {expected_parts} parts; the text has {len(parsed.parts)}.",
            )
        )
    if len(parsed.articles) != expected_articles:
        notes.append(
            (
                f"方案应有{expected_articles}条，文本中找到{len(parsed.articles)}条。",
                f"The plan has {expected_articles} articles; the text has {len(parsed.articles)}.",
            )
        )
    numbers = [s.number for s in parsed.articles]
    if numbers != sorted(numbers):
        notes.append(("文本中条文的编号不是从小到大排列的。", "The text's articles are not in ascending order."))
    known_number = str(document.get("number") or "")
    if parsed.document_number and normalized(parsed.document_number) != normalized(known_number):
        notes.append(
            (
                f"文本中的文号是 {parsed.document_number}，与方案的文号 {known_number} 不同。",
                f"The text's document number is {parsed.document_number}, not the plan's {known_number}.",
            )
        )
    return notes


def review(policy: Policy, parsed: ParsedText) -> Review:
    meta = policy.metadata
    parts = _rows("part", policy, meta.get("parts") or [], parsed.parts)
    articles = _rows("article", policy, meta.get("articles") or [], parsed.articles)
    return Review(
        parsed=parsed,
        parts=parts,
        articles=articles,
        expected_parts=len(meta.get("parts") or []),
        expected_articles=len(meta.get("articles") or []),
        blocking=tuple(_blocking(parsed)),
        notes=tuple(_notes(parts, articles, parsed, meta.get("document") or {})),
    )
