"""The message catalogs, one .po file per area of the platform in ``locale/en/`` (pages, reports, notices): Chinese
is the source language (msgids are Chinese, as the officials who write and check them read them); English is a
catalog away. They are merged at start-up and read from the .po text (Babel), so there is no compile step."""

from __future__ import annotations

from functools import cache
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from zhijiao.language import Lang

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
