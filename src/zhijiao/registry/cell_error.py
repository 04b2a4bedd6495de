"""Why one cell of a file cannot be taken, in Chinese and English."""

from __future__ import annotations


class CellError(ValueError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en
