"""Codes of other records (schools, enterprises, platforms, communities) → their ids and counties."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, String, null, select
from sqlalchemy.orm import Session

from zhijiao.registry.models import Community, Enterprise, Platform, School
from zhijiao.registry.spec import TableSpec

_IN_CHUNK = 1_000


def _query(table: str) -> Select[str, int, str | None]:
    """code, id, county of every record of a referenced table."""
    if table == "schools":
        return select(School.code, School.id, School.county_code)
    if table == "enterprises":
        return select(Enterprise.code, Enterprise.id, Enterprise.county_code)
    if table == "platforms":
        return select(Platform.code, Platform.id, School.county_code).join(School, Platform.school_id == School.id)
    if table == "communities":
        return select(Community.code, Community.id, null().cast(String))
    raise KeyError(table)


_CODE = {
    "schools": School.code,
    "enterprises": Enterprise.code,
    "platforms": Platform.code,
    "communities": Community.code,
}
_ID = {"schools": School.id, "enterprises": Enterprise.id, "platforms": Platform.id, "communities": Community.id}


class ReferenceIndex:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._ids: dict[str, dict[str, int]] = {}
        self._counties: dict[str, dict[str, str | None]] = {}
        self._counties_by_id: dict[str, dict[int, str | None]] = {}
        self._codes: dict[str, dict[object, str]] = {}  # id → code, for the ids asked about

    def load(self, table: str, codes: Iterable[object]) -> None:
        wanted = sorted({str(c) for c in codes} - set(self._ids.get(table, {})))
        ids = self._ids.setdefault(table, {})
        counties = self._counties.setdefault(table, {})
        by_id = self._counties_by_id.setdefault(table, {})
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start : start + _IN_CHUNK]
            for code, ident, county in self.session.execute(_query(table).where(_CODE[table].in_(chunk))):
                ids[code], counties[code], by_id[ident] = ident, county, county

    def load_all(self, table: str) -> None:
        ids = self._ids.setdefault(table, {})
        counties = self._counties.setdefault(table, {})
        by_id = self._counties_by_id.setdefault(table, {})
        for code, ident, county in self.session.execute(_query(table)):
            ids[code], counties[code], by_id[ident] = ident, county, county

    def codes_by_id(self, table: str) -> dict[int, str]:
        return {ident: code for code, ident in self._ids.get(table, {}).items()}

    def code_of(self, table: str, ident: object) -> str | None:
        """The code of the record with id ``ident`` (looked up once if the index does not have it)."""
        codes = self._codes.setdefault(table, {})
        if ident in codes:
            return codes[ident]
        found = self.session.execute(_query(table).where(_ID[table] == ident)).first()
        if found is None:
            return None
        code, ident, county = found
        self._ids.setdefault(table, {})[code] = ident
        self._counties.setdefault(table, {})[code] = county
        self._counties_by_id.setdefault(table, {})[ident] = county
        codes[ident] = str(code)
        return str(code)

    def id_of(self, table: str, code: object) -> int | None:
        return self._ids.get(table, {}).get(str(code))

    def county_of(self, table: str, code: object) -> str | None:
        return self._counties.get(table, {}).get(str(code))

    def county_of_record(self, spec: TableSpec, record: Any) -> str | None:  # noqa: ANN401 -- any registry row
        """The county an existing row belongs to, for county-scoped imports."""
        if spec.county_via is None:
            return None
        column = spec.column(spec.county_via)
        if column.kind == "county":
            return str(record.county_code)
        table = column.ref or ""
        ident = getattr(record, column.target)
        known = self._counties_by_id.setdefault(table, {})
        if ident not in known:
            row = self.session.execute(_query(table).where(_ID[table] == ident)).first()
            known[ident] = row[2] if row else None
        return known[ident]
