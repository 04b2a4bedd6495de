"""Languages, messages and how money and dates are written in each.

Chinese is the platform's language and the source language of its messages (msgids are Chinese, as
the officials who write and check them read them); English is a catalog away. Each area of the site
keeps its own catalog file, ``locale/en/<area>.po``, so that areas can be worked on side by side; they
are merged at start-up. Catalogs are read from the .po text (Babel), so there is no compile step.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path

from babel.dates import format_date, format_datetime, get_timezone
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import Translations

from zhijiao.language import Lang

LOCALE_DIR = Path(__file__).parent / "locale"
FEN_PER_YUAN = 100
YUAN_PER_WAN = 10_000
WENZHOU_TIME = get_timezone("Asia/Shanghai")  # event times are stored in UTC, shown in local time


def parse_lang(value: str | None) -> Lang | None:
    if not value:
        return None
    value = value.strip().lower()
    if value.startswith("zh"):
        return Lang.zh
    if value.startswith("en"):
        return Lang.en
    return None


def from_accept_language(header: str | None) -> Lang:
    """The first language of the browser's list that the platform speaks; Chinese otherwise."""
    for part in (header or "").split(","):
        lang = parse_lang(part.split(";")[0])
        if lang:
            return lang
    return Lang.zh


@cache
def translations(lang: Lang) -> NullTranslations:
    if lang is Lang.zh:
        return NullTranslations()  # the messages are written in Chinese
    merged: Translations | None = None
    for path in sorted((LOCALE_DIR / lang.value).glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang.locale)
        buffer = BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        part = Translations(buffer)
        merged = part if merged is None else merged.merge(part)
    return merged or NullTranslations()


def gettext(lang: Lang, message: str) -> str:
    return translations(lang).gettext(message)


# --- money and dates ------------------------------------------------------------------------------------


def _yuan(fen: int | Decimal) -> Decimal:
    return Decimal(fen) / FEN_PER_YUAN


def money(fen: int | None, lang: Lang) -> str:
    """¥12,345.67 — exact, from integer fen."""
    if fen is None:
        return "—"
    return format_currency(_yuan(fen), "CNY", locale=lang.locale, currency_digits=True)


def money_wan(fen: int | None, lang: Lang) -> str:
    """Large sums as officials write them: 1,234.57万元 (in English, ¥12.35 million)."""
    if fen is None:
        return "—"
    if lang is Lang.zh:
        return format_decimal(_yuan(fen) / YUAN_PER_WAN, format="#,##0.00", locale=lang.locale) + "万元"
    return "¥" + format_decimal(_yuan(fen) / 1_000_000, format="#,##0.00", locale=lang.locale) + " million"


def number(value: int | Decimal | None, lang: Lang) -> str:
    return "—" if value is None else format_decimal(value, locale=lang.locale)


def percent(value: Decimal | float | None, lang: Lang) -> str:
    return "—" if value is None else format_percent(value, format="#,##0.0%", locale=lang.locale)


def date(value: dt.date | None, lang: Lang) -> str:
    return "—" if value is None else format_date(value, format="long", locale=lang.locale)


def moment(value: dt.datetime | None, lang: Lang) -> str:
    return "—" if value is None else format_datetime(value, format="medium", locale=lang.locale, tzinfo=WENZHOU_TIME)
