"""Which county's figures a user may ask for: cost and targets are kept by county, so a county officer
gets its own county and nothing else (another county answers 404, as a record outside a scope does)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from zhijiao.accounts.service import Principal
from zhijiao.engine.errors import InputError
from zhijiao.registry.counties import county_codes, resolve_county
from zhijiao.web.errors import InvalidInput, NotFound
from zhijiao.web.pages.dashboard_data import scope_county


def figures_county(session: Session, user: Principal, asked: str | None) -> str | None:
    """The county (by name) whose figures to answer with, None for the whole city.

    ``asked`` may be a county's name or code. A county officer asking for nothing gets its own county.
    """
    own = scope_county(session, user)
    if asked is None:
        return own
    try:
        code = resolve_county(session, asked)
    except InputError as error:
        if own is not None:  # whether a county exists is no more an officer's business than its figures
            raise NotFound("您的范围内没有该县（市、区）。", "There is no such county within your scope.") from None
        raise InvalidInput("没有该县（市、区）。", "There is no such county.", error.problems) from None
    name = next(name for name, c in county_codes(session).items() if c == code)
    if own is not None and name != own:
        raise NotFound("您的范围内没有该县（市、区）。", "There is no such county within your scope.")
    return name
