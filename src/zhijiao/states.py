"""The shape every status of the platform shares: a ``StrEnum`` whose members carry their words in both languages
and whose class names which status may follow which. A member is written ``code = "code", "中文", "English"``;
its value stays the code alone, the string stored and answered today."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Self


class State(StrEnum):
    """A status with its labels (``label(lang)``) and its transition table (``following()``)."""

    _value_: str
    zh: str
    en: str

    # The defaults are for mypy, which reads a look-up by value (``Status("paid")``) as a call of this.
    def __new__(cls, value: str, zh: str = "", en: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh, member.en = zh, en
        return member

    @property
    def labels(self) -> dict[str, str]:
        """Both words, as the templates' ``pick`` and the documents take them."""
        return {"zh": self.zh, "en": self.en}

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    @classmethod
    def label_table(cls) -> dict[str, dict[str, str]]:
        """Code → both words, for a page or an export that looks labels up by the stored string."""
        return {member.value: member.labels for member in cls}

    @classmethod
    def following(cls) -> Mapping[Self, frozenset[Self]]:
        """Each status → the statuses that may follow it (a status absent from the table is final)."""
        return {}

    @property
    def final(self) -> bool:
        """Nothing may follow it."""
        return not type(self).following().get(self)

    def can_become(self, other: Self) -> bool:
        return other in type(self).following().get(self, frozenset())
