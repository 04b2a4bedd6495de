"""Errors that reach users: each names what is wrong, in Chinese and English."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: which record, which field, what."""

    record: Mapping[str, str]  # {"zh": "学校 S1", "en": "school S1"}
    field: str
    zh: str
    en: str

    def message(self, lang: str = "zh") -> str:
        text = self.zh if lang == "zh" else self.en
        where = self.record.get(lang) or self.record.get("en", "")
        where = f"{where} {self.field}" if self.field else where
        return f"{where}: {text}"


class InputError(ValueError):
    """Input that cannot be calculated; carries every problem found, nothing was computed."""

    headline: ClassVar[dict[str, str]] = {"zh": "输入有误，未进行计算", "en": "Input refused, nothing calculated"}

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message("en") for p in problems))

    def messages(self, lang: str = "zh") -> list[str]:
        return [p.message(lang) for p in self.problems]


class PolicyError(ValueError):
    """A policy that cannot load (a rule reading an unknown input, a cycle), or a choice it refuses
    (an option value, a reform). Messages a user can cause carry a Chinese text too."""

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh or message

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else str(self)
