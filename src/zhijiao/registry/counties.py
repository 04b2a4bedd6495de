"""The counties a person may name: by name (瑞安市) or by administrative code (330381)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.engine.errors import InputError, Problem
from zhijiao.registry.models import County


def county_codes(session: Session) -> dict[str, str]:
    """name → code."""
    return dict(session.execute(select(County.name, County.code)).all())


def resolve_county(session: Session, text: str) -> str:
    """The code of the county named by ``text``; raises InputError naming it otherwise."""
    codes = county_codes(session)
    code = codes.get(text) or (text if text in codes.values() else None)
    if code is None:
        where = {"zh": "参数", "en": "option"}
        raise InputError(
            [Problem(where, "county", f"“{text}” 不是温州市的县（市、区）", f"{text!r} is not a county of Wenzhou")]
        )
    return code
