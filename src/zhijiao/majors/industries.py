"""Art. 10's "扶持新兴产业相关专业建设": the city's key and emerging industries and the majors that serve each.

The list is data beside the policy's parameters (an ``industries.yaml`` anywhere in the policy package), dated and
cited like a parameter, so the bureau changes it without code. A major serves an industry when its national
catalogue code is listed for it, or, for a major the list names without a code, when its name is listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhijiao.engine.parameters import Citation
from zhijiao.engine.policy import Policy, read_yaml

KINDS = {"key": ("重点产业", "Key industries"), "emerging": ("新兴产业", "Emerging industries")}


@dataclass(frozen=True)
class Industry:
    id: str
    name_zh: str
    name_en: str
    kind: str  # key | emerging
    codes: frozenset[str]
    names: frozenset[str]

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def serves(self, major: str, code: str | None) -> bool:
        return (code is not None and code in self.codes) or major in self.names


@dataclass(frozen=True)
class IndustryList:
    effective_from: dt.date
    citation: Citation
    industries: tuple[Industry, ...]

    def served_by(self, major: str, code: str | None) -> list[Industry]:
        return [i for i in self.industries if i.serves(major, code)]

    def replaced(self, industries: Sequence[Industry]) -> IndustryList:
        """The same dated, cited list with other industries (a what-if, or the bureau's edit before it is saved)."""
        return IndustryList(self.effective_from, self.citation, tuple(industries))


def _industry(row: Mapping[str, Any], where: str) -> Industry:
    kind = str(row.get("kind", ""))
    if kind not in KINDS:
        raise ValueError(f"{where}: industry {row.get('id')!r} has kind {kind!r}, not one of {sorted(KINDS)}")
    name = row["name"]
    return Industry(
        str(row["id"]),
        str(name["zh"]),
        str(name["en"]),
        kind,
        frozenset(str(c) for c in row.get("codes") or ()),
        frozenset(str(n) for n in row.get("names") or ()),
    )


def read_industries(path: Path) -> list[IndustryList]:
    """Every dated version of the list in ``path``, oldest first."""
    document = read_yaml(path) or {}
    versions = []
    for i, version in enumerate(document.get("versions") or ()):
        where = f"{path.name}: versions[{i}]"
        cited = {k: str(v) for k, v in (version.get("citation") or {}).items()}
        if not cited.get("document"):
            raise ValueError(f"{where}: the list cites no document")
        industries = tuple(_industry(row, where) for row in version.get("industries") or ())
        versions.append(IndustryList(version["effective_from"], Citation(**cited), industries))
    return sorted(versions, key=lambda v: v.effective_from)


def industry_list(policy: Policy, year: int) -> IndustryList | None:
    """The policy's list in force at the end of ``year``; None if the policy carries none or none is in force yet."""
    if policy.root is None:
        return None
    found = sorted(policy.root.rglob("industries.yaml"))
    if not found:
        return None
    in_force = [v for v in read_industries(found[0]) if v.effective_from <= dt.date(year, 12, 31)]
    return in_force[-1] if in_force else None
