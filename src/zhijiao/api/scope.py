"""Which county's figures a user may ask for: cost and targets are kept by county, so a county officer
gets its own county and nothing else (another county answers 404, as a record outside a scope does)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from zhijiao.authz import Principal
from zhijiao.engine.errors import InputError
from zhijiao.http.errors import NotFound
from zhijiao.registry.counties import county_codes, resolve_county
from zhijiao.simulation.cost_view import scope_county


def figures_county(session: Session, user: Principal, asked: str | None) -> str | None:
    """The county (by name) whose figures to answer with, None for the whole city.

    ``asked`` may be a county's name or code. A county officer asking for nothing gets its own county.
    """
    own = scope_county(session, user)
    if asked is None:
        return own
    try:
        code = resolve_county(session, asked)
    except InputError:
        # Figures of a county that does not exist are not there to find, as another county's are not for
        # an officer: both answer 404, so an officer learns nothing of what lies outside its county.
        raise NotFound("您的范围内没有该县（市、区）。", "There is no such county within your scope.") from None
    name = next(name for name, c in county_codes(session).items() if c == code)
    if own is not None and name != own:
        raise NotFound("您的范围内没有该县（市、区）。", "There is no such county within your scope.")
    return name
