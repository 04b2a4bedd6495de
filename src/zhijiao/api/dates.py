"""A day in a request is written YYYY-MM-DD and nothing else: pydantic's lax dates would also take a number of
seconds (0 is 1970-01-01) or a date and time, which no form, file or official writes for a day."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BeforeValidator, Field, Strict
from pydantic_core import PydanticCustomError

_WRITTEN = re.compile(r"\d{4}-\d{2}-\d{2}")


def _written(value: object) -> object:
    if isinstance(value, str) and _WRITTEN.fullmatch(value):
        return value  # pydantic still refuses 2023-02-30
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value  # a day given from Python, not from a request
    raise PydanticCustomError("date_parsing", "Input should be a date written YYYY-MM-DD")


# Strict(False): strict models refuse text for a date, and JSON has no other way to write one.
Day = Annotated[dt.date, BeforeValidator(_written), Strict(strict=False), Field(description="YYYY-MM-DD")]
