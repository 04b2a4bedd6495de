"""The platform's two languages: Chinese, its own, and English. Shared by the CLI, the pages and the API."""

from __future__ import annotations

from enum import StrEnum


class Lang(StrEnum):
    zh = "zh"
    en = "en"

    @property
    def locale(self) -> str:
        return "zh_CN" if self is Lang.zh else "en"

    @property
    def html(self) -> str:
        return "zh-CN" if self is Lang.zh else "en"


def say(lang: Lang | str, zh: str, en: str) -> str:
    """For messages built from data (a record's name, a count), where both languages sit in the code."""
    return zh if Lang(lang) is Lang.zh else en


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
