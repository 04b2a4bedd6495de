"""What pages and API routes read from query strings and forms (a blank field means no filter; anything else
is checked and refused by name), the signed-in check of routes every role may open, and file downloads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import Response

from zhijiao.authz import Principal
from zhijiao.http.errors import InvalidInput, NotSignedIn

YEAR_DIGITS, FIRST_YEAR, LAST_YEAR = 4, 2000, 2100  # a sane calendar range for filters
PAGE_DIGITS = 6
ID_DIGITS = 18  # below 2**62
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def signed_in(user: Principal | None) -> Principal:
    """Pages open to every role (each sees its own scope) still need somebody signed in."""
    if user is None:
        raise NotSignedIn
    return user


def blank_to_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def one_of(value: str | None, allowed: Iterable[str], what: tuple[str, str]) -> str | None:
    """A filter's value if it is one of the choices; blank is no filter; anything else is refused."""
    value = blank_to_none(value)
    choices = list(allowed)
    if value is None or value in choices:
        return value
    zh, en = what
    raise InvalidInput(f"{zh}“{value}”不是可选值。", f"{en} {value!r} is not one of {', '.join(choices)}.")


def whole_number(value: str | None, max_digits: int) -> int | None:
    """ASCII digits, at most ``max_digits`` of them, as a number; anything else None (never an error)."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= max_digits:
        return int(value)
    return None


def year_of(value: str | None, what: tuple[str, str] = ("年度", "Year")) -> int | None:
    value = blank_to_none(value)
    if value is None:
        return None
    year = whole_number(value, YEAR_DIGITS)
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        zh, en = what
        raise InvalidInput(f"{zh}“{value}”不是年份。", f"{en} {value!r} is not a year.")
    return year


def page_of(value: str | None) -> int:
    """A page number from the query string; anything else is the first page."""
    return whole_number(value, PAGE_DIGITS) or 1


class QueryString:
    """The page's filters as a query string, one of them changed (the pager's ``query(page=2)``)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = {k: v for k, v in values.items() if v not in (None, "", False)}

    def __call__(self, **changes: Any) -> str:  # noqa: ANN401 -- any query value
        merged = {k: v for k, v in (self.values | changes).items() if v not in (None, "", False)}
        return urlencode(merged)


def download(body: bytes, media_type: str, filename: str, *, inline: bool = False) -> Response:
    """A file with its name kept (RFC 6266: an ASCII fallback and the UTF-8 name)."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    kind = "inline" if inline else "attachment"
    headers = {
        "Content-Disposition": f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "no-store",
    }
    return Response(body, media_type=media_type, headers=headers)


def done_message(request: Request) -> str | None:
    """The ``done`` parameter a form's redirect carries, to confirm what just happened."""
    return blank_to_none(request.query_params.get("done"))
