"""Money, numbers and dates as each language writes them: ¥ and 万元, 2024年6月1日 / June 1, 2024.

Used by pages, reports and the notices fulfilment sends, so that one amount reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from babel.dates import format_date, format_datetime, get_timezone
from babel.numbers import format_currency, format_decimal, format_percent

from zhijiao.language import Lang
from zhijiao.money import FEN_PER_MILLION, FEN_PER_WAN, yuan

WENZHOU_TIME = get_timezone("Asia/Shanghai")  # event times are stored in UTC, shown in local time


def money(fen: int | None, lang: Lang) -> str:
    """¥12,345.67 — exact, from integer fen."""
    if fen is None:
        return "—"
    return format_currency(yuan(fen), "CNY", locale=lang.locale, currency_digits=True)


def money_wan(fen: int | None, lang: Lang) -> str:
    """Large sums as officials write them: 1,234.57万元 (in English, ¥12.35 million)."""
    if fen is None:
        return "—"
    if lang is Lang.zh:
        return format_decimal(Decimal(fen) / FEN_PER_WAN, format="#,##0.00", locale=lang.locale) + "万元"
    return "¥" + format_decimal(Decimal(fen) / FEN_PER_MILLION, format="#,##0.00", locale=lang.locale) + " million"


def number(value: int | Decimal | None, lang: Lang) -> str:
    return "—" if value is None else format_decimal(value, locale=lang.locale)


def percent(value: Decimal | float | None, lang: Lang) -> str:
    """One decimal of a percent, cut rather than rounded: 59.98 % of a 60 % target shows 59.9 %, never a
    60.0 % beside the word "behind"."""
    if value is None:
        return "—"
    shown = Decimal(str(value)).quantize(Decimal("0.001"), rounding=ROUND_DOWN)
    return format_percent(shown, format="#,##0.0%", locale=lang.locale)


def date(value: dt.date | None, lang: Lang) -> str:
    return "—" if value is None else format_date(value, format="long", locale=lang.locale)


def moment(value: dt.datetime | None, lang: Lang) -> str:
    return "—" if value is None else format_datetime(value, format="medium", locale=lang.locale, tzinfo=WENZHOU_TIME)
