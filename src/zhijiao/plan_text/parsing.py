"""The plan's text split as a Chinese government document is written: a head (the document's number, title and
opening words), parts headed 一、… or 第一部分 …, articles headed 第一条 …, and a tail (the issuing office and date,
抄送, 附件) after the last article.

An article's title is its first sentence when that is short, as such documents set it in bold ("第三条 实施强基扩容
“双百工程”。未来三年，…"), or the rest of its heading line when nothing follows on it. A line 一、… opens a part
only when it is the next part in order and reads as a heading (short, no sentence end): an enumeration inside an
article stays the article's text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Final

from zhijiao.engine.explain_text import from_chinese_number

MAX_TITLE: Final = 60  # a heading is a phrase; a longer first sentence is the article's text
_SIGNATURE: Final = 30  # an issuing office's name, signed above the date
_NUMERALS: Final = "零〇一二两三四五六七八九十百"
_PART: Final = re.compile(rf"^(?:第([{_NUMERALS}]{{1,6}}|[0-9]{{1,3}})部分|([{_NUMERALS}]{{1,6}})[、．.])\s*(.*)$")
_ARTICLE: Final = re.compile(rf"^第([{_NUMERALS}]{{1,6}}|[0-9]{{1,3}})条(?:[\s:：、.．]+|$)(.*)$")
_SENTENCE_END: Final = "。；;！？"
_TRAILING: Final = "。；;：:，,、 "
_TAIL: Final = re.compile(r"^(?:抄送|印发|附件|（此件|\(此件|\d{4}年\d{1,2}月\d{1,2}日$)")
_NUMBER: Final = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号")
_DATE: Final = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SPACES: Final = re.compile(r"[\s\u3000\u00a0]+")


@dataclass
class Section:
    kind: str  # "part" | "article"
    number: int
    title: str | None
    lines: list[str] = field(default_factory=list)
    part_number: int | None = None
    line: int = 0  # where its heading stands in the text

    @property
    def body(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class ParsedText:
    text: str
    head: str
    tail: str
    parts: tuple[Section, ...]
    articles: tuple[Section, ...]
    document_number: str | None  # as the head writes it, if it does
    dated: dt.date | None  # the last date of the head or the tail: the document's, as printed

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def _clean(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def _title_and_rest(rest: str) -> tuple[str | None, str]:
    """An article heading's title and the text after it on the same line."""
    if not rest:
        return None, ""
    for index, character in enumerate(rest[: MAX_TITLE + 1]):
        if character in _SENTENCE_END:
            return rest[:index].strip() or None, rest[index + 1 :].strip()
    if len(rest) <= MAX_TITLE:
        return rest.rstrip(_TRAILING) or None, ""
    return None, rest


def _part_heading(line: str, expected: int) -> Section | None:
    found = _PART.match(line)
    if found is None:
        return None
    number = from_chinese_number(found.group(1) or found.group(2))
    title = found.group(3).strip()
    if number != expected or len(title) > MAX_TITLE or any(c in title for c in _SENTENCE_END):
        return None
    return Section("part", number, title.rstrip(_TRAILING) or None)


def _article_heading(line: str) -> Section | None:
    found = _ARTICLE.match(line)
    if found is None:
        return None
    number = from_chinese_number(found.group(1))
    if not number:  # 第零条 is no article
        return None
    title, rest = _title_and_rest(found.group(2).strip())
    return Section("article", number, title, [rest] if rest else [])


def _signature(previous: str, line: str) -> bool:
    """Whether ``previous`` is the office signing above the date ``line``: short, and no sentence."""
    return (
        _DATE.fullmatch(line) is not None
        and len(previous) <= _SIGNATURE
        and not any(c in previous for c in _SENTENCE_END + "，,")
    )


def _date(text: str) -> dt.date | None:
    found = None
    for match in _DATE.finditer(text):
        try:
            found = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
    return found


def parse(text: str) -> ParsedText:
    """The text's head, parts, articles and tail; nothing in it is dropped, only placed."""
    head: list[str] = []
    tail: list[str] = []
    parts: list[Section] = []
    articles: list[Section] = []
    current: Section | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = _clean(raw)
        if not line:
            continue
        if tail or (articles and _TAIL.match(line)):
            if not tail and current is not None and current.lines and _signature(current.lines[-1], line):
                tail.append(current.lines.pop())  # the issuing office, signed above the date
            tail.append(line)
            continue
        section = _part_heading(line, len(parts) + 1) or _article_heading(line)
        if section is not None:
            section.line = number
            if section.kind == "part":
                parts.append(section)
            else:
                section.part_number = parts[-1].number if parts else None
                articles.append(section)
            current = section
        elif current is None:
            head.append(line)
        else:
            current.lines.append(line)
    head_text, tail_text = "\n".join(head), "\n".join(tail)
    found_number = _NUMBER.search(head_text)
    return ParsedText(
        text=text,
        head=head_text,
        tail=tail_text,
        parts=tuple(parts),
        articles=tuple(articles),
        document_number=_SPACES.sub("", found_number.group(0)) if found_number else None,
        dated=_date(tail_text) or _date(head_text),
    )
