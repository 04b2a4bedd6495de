"""Languages, messages and how money and dates are written in each.

Chinese is the platform's language and the source language of its messages (msgids are Chinese, as
the officials who write and check them read them); English is a catalog away. Each area of the site
keeps its own catalog file, ``locale/en/<area>.po``, so that areas can be worked on side by side; they
are merged at start-up. Catalogs are read from the .po text (Babel), so there is no compile step.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

# Money and dates are formatted the same way everywhere (pages, reports, notices): zhijiao.formatting.
from zhijiao.formatting import date, moment, money, money_wan, number, percent
from zhijiao.language import Lang, from_accept_language, parse_lang, say

LOCALE_DIR = Path(__file__).parent / "locale"


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


def translator(lang: Lang) -> Callable[[str], str]:
    """``_ = translator(lang)``: messages built in Python (chart titles) under the name the catalogs' checks find."""
    return partial(gettext, lang)


__all__ = [
    "Lang",
    "date",
    "from_accept_language",
    "gettext",
    "moment",
    "money",
    "money_wan",
    "number",
    "parse_lang",
    "percent",
    "say",
    "translations",
    "translator",
]
