"""Text a request may carry into the database: PostgreSQL refuses the NUL character and text that is not
UTF-8 (a lone surrogate such as JSON's ``"\\ud800"``) with an error, so such text is refused at the door with
the parameter named, the same on SQLite as on PostgreSQL."""

from __future__ import annotations

from typing import Any

NO_NUL = r"^[^\x00]*$"  # a pattern for Query/Form/Field text; the middleware and JsonRoute check the rest


def storable(text: str) -> bool:
    """Whether the database can hold ``text``: no NUL, and encodable as UTF-8 (no lone surrogates)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def why_unstorable(text: str) -> tuple[str, str]:
    """What is wrong with text ``storable`` refused, in Chinese and English (said as a NUL pattern is said)."""
    if "\x00" in text:
        return "不能含有空字符（NUL）", "must not contain the NUL character"
    return "含有无法保存的字符（如单独的代理项）", "contains characters that cannot be stored (a lone surrogate)"


def unstorable_text(document: Any) -> str | None:  # noqa: ANN401 -- a JSON document of any shape
    """The first key or string of a JSON document the database cannot hold, or None."""
    if isinstance(document, str):
        return None if storable(document) else document
    items = (
        document.items() if isinstance(document, dict) else enumerate(document) if isinstance(document, list) else []
    )
    for key, value in items:
        if isinstance(key, str) and not storable(key):
            return key
        found = unstorable_text(value)
        if found is not None:
            return found
    return None


def unstorable_in(document: Any, where: str = "") -> str | None:  # noqa: ANN401 -- a JSON document of any shape
    """The dotted path of the first key or string of a JSON document the database cannot hold, or None."""
    if isinstance(document, str):
        return None if storable(document) else where
    if isinstance(document, dict):
        for key, value in document.items():
            here = f"{where}.{key}" if where else str(key)
            if not storable(str(key)):
                return where or "(key)"
            found = unstorable_in(value, here)
            if found is not None:
                return found
    if isinstance(document, list):
        for index, value in enumerate(document):
            found = unstorable_in(value, f"{where}.{index}" if where else str(index))
            if found is not None:
                return found
    return None
