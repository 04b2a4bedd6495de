"""The words of the reports that live in code (workbook headers, chart titles): both languages side by
side, as for every message built from data. The PDF's own text is in its template and the site's catalog."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from zhijiao import formatting
from zhijiao.language import Lang, say
from zhijiao.money import FEN_PER_MILLION, FEN_PER_WAN

YUAN_PER_YI = 100_000_000  # officials read the billions of T1 in 亿元

STATUS = {
    "achieved": ("已完成", "achieved"),
    "on_track": ("按进度", "on track"),
    "behind": ("滞后", "behind"),
    "baseline": ("基线年", "baseline year"),
    "no_data": ("无数据", "no data"),
    "contribution": ("贡献", "contribution"),
}
DIMENSION = {
    "article": ("按条款", "By article"),
    "payer": ("按付款方", "By payer"),
    "county": ("按县（市、区）", "By county"),
}
UNIT = {"yuan": ("元", "yuan"), "count": ("个/人", "count"), "rate": ("比例", "rate")}


def status(code: str, lang: Lang) -> str:
    zh, en = STATUS.get(code, (code, code))
    return say(lang, zh, en)


def dimension(code: str, lang: Lang) -> str:
    zh, en = DIMENSION[code]
    return say(lang, zh, en)


def unit(code: str, lang: Lang) -> str:
    zh, en = UNIT.get(code, (code, code))
    return say(lang, zh, en)


def rising(lang: Lang) -> str:
    """The goal of a target to rise each year (T11), the only one with no number of its own."""
    return say(lang, "逐年提高", "rising each year")


def target_goal(value: Decimal | None, unit_code: str, lang: Lang) -> str:
    return rising(lang) if value is None else target_value(value, unit_code, lang)


def target_value(value: Decimal | None, unit_code: str, lang: Lang) -> str:
    """A target's value as the meeting reads it: 亿元 for investment, a percentage for rates, else a count."""
    if value is None:
        return "—"
    if unit_code == "rate":
        return formatting.percent(value, lang)
    if unit_code == "yuan":
        yi = value / YUAN_PER_YI
        return say(lang, f"{yi:,.2f}亿元", f"¥{yi / 10:,.2f} billion")
    return formatting.number(value.quantize(Decimal(1)), lang)


def amount(fen: int, lang: Lang) -> str:
    """An amount of the PDF's tables and the figure beside its chart's bar, the same text: 万元 (Chinese) or millions
    of yuan (English), two decimals, from exact fen."""
    scale = FEN_PER_WAN if lang is Lang.zh else FEN_PER_MILLION
    return format_decimal(Decimal(fen) / scale, format="#,##0.00", locale=lang.locale)


def plan_citation(document: dict[str, Any], lang: Lang) -> str:
    """The plan as a report cites it: 《title》（number） in Chinese, "title (number)" in English, the title and the
    number read from the policy package (``document`` of its plan.yaml), never written again here."""
    title = document["title"].get(lang.value) or document["title"]["zh"]
    return say(lang, f"《{title}》（{document['number']}）", f"{title} ({document['number']})")
