"""Languages, messages and how money and dates are written in each.

Chinese is the platform's language and the source language of its messages (msgids are Chinese, as
the officials who write and check them read them); English is a catalog away. Each area of the site
keeps its own catalog file, ``locale/en/<area>.po``, so that areas can be worked on side by side; they
are merged at start-up. Catalogs are read from the .po text (Babel), so there is no compile step.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from zhijiao.catalogs import LOCALE_DIR, gettext, translations

# Money and dates are formatted the same way everywhere (pages, reports, notices): zhijiao.formatting.
from zhijiao.formatting import date, moment, money, money_wan, number, percent
from zhijiao.language import Lang, from_accept_language, parse_lang, say


def translator(lang: Lang) -> Callable[[str], str]:
    """``_ = translator(lang)``: messages built in Python (chart titles) under the name the catalogs' checks find."""
    return partial(gettext, lang)


__all__ = [
    "LOCALE_DIR",
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
