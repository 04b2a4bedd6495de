"""Policy values as the plan and calculator pages write them: money from yuan, rates as percentages, codes
by their labels. Values arrive as the engine reports them (Decimal or JSON numbers in yuan)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from babel.numbers import format_decimal

from zhijiao.engine.explain_text import article_name, chinese_number
from zhijiao.engine.units import Unit
from zhijiao.language import Lang
from zhijiao.money import fen, nearest_fen
from zhijiao.web import i18n


def N_(message: str) -> str:  # noqa: N802 -- the conventional marker for messages translated later
    """Marks a message for extraction (tests/web/test_messages.py); translated where it is shown."""
    return message


YES, NO = N_("是"), N_("否")
NOT_GIVEN = N_("未填写")
HUNDRED = Decimal(100)
YI = Decimal(100_000_000)  # 亿: how the plan states its largest sums
BILLION = Decimal(1_000_000_000)


def translate(lang: Lang, message: str) -> str:
    return i18n.gettext(lang, message)


def pick(label: Mapping[str, str] | None, lang: Lang) -> str:
    if not label:
        return ""
    return label.get(lang.value) or label.get("zh") or ""


def rate(value: object, lang: Lang) -> str:
    """35%, 12.5%: a policy rate with no invented decimals (the platform's percent filter always shows one)."""
    shown = format_decimal(Decimal(str(value)) * HUNDRED, format="#,##0.####", locale=lang.locale)
    return f"{shown}%"


def _number(raw: object, lang: Lang) -> str:
    return i18n.number(Decimal(str(raw)), lang) if isinstance(raw, int | float | Decimal) else str(raw)


def _yuan(raw: object, lang: Lang) -> str:
    """An amount in yuan as money; one finer than a fen (a worked example of bad input) as typed, not rounded."""
    try:
        return i18n.money(fen(raw), lang)
    except (ValueError, ArithmeticError):
        return f"{raw}元" if lang is Lang.zh else f"¥{raw}"


_BY_UNIT = {
    Unit.YUAN: _yuan,
    Unit.RATE: rate,
    Unit.COUNT: _number,
    Unit.FTE: _number,
}


def value(raw: object, unit: Unit | str | None, lang: Lang) -> str:
    """One value of a policy, an input or a result, in the page's language."""
    if raw is None:
        return "—"
    unit = Unit(unit) if unit else None
    if isinstance(raw, bool) or unit is Unit.BOOL:
        return translate(lang, YES if raw else NO)
    if isinstance(raw, dt.date):
        return i18n.date(raw, lang)
    formatter = _BY_UNIT.get(unit) if unit else None
    return formatter(raw, lang) if formatter else str(raw)


def article_label(article: str, lang: Lang) -> str:
    """第二十条 / Art. 20 (an ``artNN`` key)."""
    return article_name(article, lang.value)


def article_key(number: int) -> str:
    return f"art{number:02d}"


def ordinal(number: int, lang: Lang) -> str:
    """The number of a part as its title writes it: 第一部分 / Part 1."""
    return chinese_number(number) if lang is Lang.zh else str(number)


def large_yuan(yuan: object, lang: Lang) -> str:
    """A plan-sized sum: 100亿元 / ¥10 billion; smaller sums in 万元."""
    amount = Decimal(str(yuan))
    if lang is Lang.zh and amount >= YI:
        return format_decimal(amount / YI, format="#,##0.##", locale=lang.locale) + "亿元"
    if lang is Lang.en and amount >= BILLION:
        return "¥" + format_decimal(amount / BILLION, format="#,##0.##", locale=lang.locale) + " billion"
    return i18n.money_wan(nearest_fen(amount), lang)
