"""The counties a person may name: by name (瑞安市) or by administrative code (330381)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.engine.errors import InputError, Problem
from zhijiao.engine.policy import Policy
from zhijiao.registry.models import County

# The 12 county-level units and 市直属, as migration 0001 seeds them, with their English names (Hanyu Pinyin, as the
# city's own English pages write them), by administrative code: the templates' drop-downs need them before any
# database does.
COUNTY_NAMES = {
    "330302": ("鹿城区", "Lucheng District"),
    "330303": ("龙湾区", "Longwan District"),
    "330304": ("瓯海区", "Ouhai District"),
    "330305": ("洞头区", "Dongtou District"),
    "330381": ("瑞安市", "Rui'an City"),
    "330382": ("乐清市", "Yueqing City"),
    "330383": ("龙港市", "Longgang City"),
    "330324": ("永嘉县", "Yongjia County"),
    "330326": ("平阳县", "Pingyang County"),
    "330327": ("苍南县", "Cangnan County"),
    "330328": ("文成县", "Wencheng County"),
    "330329": ("泰顺县", "Taishun County"),
    "330300": ("市直属", "City-run"),
}
COUNTY_EN = {code: en for code, (_, en) in COUNTY_NAMES.items()}
CITY_RUN = COUNTY_NAMES["330300"][0]


def county_governments(policy: Policy) -> list[str]:
    """The places of ``policy`` with a county government of their own: all but the schools the city runs."""
    return [place for place in policy.places if place != CITY_RUN]


def named_counties(lang: str) -> list[str]:
    """Every county's name in ``lang``, in the order officials list them."""
    return [zh if lang == "zh" else en for zh, en in COUNTY_NAMES.values()]


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


def county_options(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every county, in the official order (districts, cities, counties, city-run) the registry
    seeds them in."""
    order = {name: i for i, name in enumerate(named_counties("zh"))}
    found = session.execute(select(County.code, County.name)).all()
    return sorted(((str(c), str(n)) for c, n in found), key=lambda item: (order.get(item[1], len(order)), item[1]))
