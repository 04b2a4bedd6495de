"""Dated, cited parameters: each value of a policy number, when it took effect and where it is written.

YAML shape (one file per article, merged by the policy loader)::

    art11.incentive_rate:
      label: {zh: 社会服务性激励绩效核定比例上限, en: cap rate of the social-service incentive pool}
      unit: rate
      values:
        - effective_from: null            # in force before any date we know of
          value: 0.35
          citation: {document: ..., article: 第十一条, note: 原先的政策是按35%}
        - effective_from: 2023-03-23
          value: 0.50
          citation: {document: 温政办〔2023〕32号, article: 第十一条}

A node with ``levels:`` instead of ``values:`` is a schedule keyed by level: ``art07.integration_subsidy``
with levels city / provincial / national becomes ``art07.integration_subsidy.city`` and so on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import polars as pl

from zhijiao.engine.errors import PolicyError
from zhijiao.engine.units import Unit, from_scaled, to_scaled

OPEN_START = dt.date.min


@dataclass(frozen=True)
class Citation:
    document: str
    article: str = ""
    paragraph: str = ""
    source: str = ""
    note: str = ""
    note_en: str = ""  # the note in English (the source's own words stay quoted in Chinese)

    def note_in(self, lang: str) -> str:
        return self.note if lang == "zh" else self.note_en

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}

    def text(self) -> str:
        return " ".join(p for p in (self.document, self.article, self.paragraph) if p)


@dataclass(frozen=True)
class DatedValue:
    effective_from: dt.date
    scaled: int | None  # None: no longer in force from this date
    citation: Citation


@dataclass(frozen=True)
class Parameter:
    id: str
    unit: Unit
    label: Mapping[str, str]
    values: tuple[DatedValue, ...]
    maximum: int | None = None  # scaled; a reform above it is refused (a 30% cap of 100% divides by zero)

    def entry_on(self, on: dt.date) -> DatedValue | None:
        found = None
        for entry in self.values:
            if entry.effective_from <= on:
                found = entry
        return found

    def scaled_on(self, on: dt.date) -> int:
        entry = self.entry_on(on)
        if entry is None or entry.scaled is None:
            raise PolicyError(
                f"parameter {self.id} is not in force on {on.isoformat()}",
                f"参数 {self.label.get('zh', self.id)}（{self.id}）在 {on.isoformat()} 不在施行期内",
            )
        return entry.scaled

    def value_on(self, on: dt.date) -> Decimal:
        return from_scaled(self.scaled_on(on), self.unit)

    def expr_on(self, dates: pl.Expr) -> pl.Expr:
        """The value in force on each row's date: one vectorized expression, no row loop."""
        if len(self.values) == 1 and self.values[0].effective_from == OPEN_START:
            return pl.lit(self.values[0].scaled, dtype=pl.Int64)  # in force on every date: nothing to compare
        expr: pl.Expr = pl.lit(None, dtype=pl.Int64)
        for entry in self.values:
            then = pl.lit(entry.scaled, dtype=pl.Int64)
            expr = pl.when(dates >= pl.lit(entry.effective_from)).then(then).otherwise(expr)
        return expr

    def overridden(self, entries: list[DatedValue]) -> Parameter:
        """This parameter with ``entries`` replacing every value from the first entry's date on."""
        first = min(e.effective_from for e in entries)
        kept = [e for e in self.values if e.effective_from < first]
        merged = sorted([*kept, *entries], key=lambda e: e.effective_from)
        return replace(self, values=tuple(merged))

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "unit": self.unit.value,
            "label": dict(self.label),
            "values": [
                {
                    "effective_from": None if e.effective_from == OPEN_START else e.effective_from.isoformat(),
                    "value": None if e.scaled is None else from_scaled(e.scaled, self.unit),
                    "citation": e.citation.as_dict(),
                }
                for e in self.values
            ],
        }


@dataclass(frozen=True)
class ParameterSet:
    parameters: Mapping[str, Parameter] = field(default_factory=dict)

    def __getitem__(self, parameter_id: str) -> Parameter:
        try:
            return self.parameters[parameter_id]
        except KeyError:
            raise PolicyError(f"unknown parameter {parameter_id}") from None

    def __contains__(self, parameter_id: object) -> bool:
        return parameter_id in self.parameters

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self.parameters.values())

    def schedule(self, prefix: str, on: dt.date) -> dict[str, Decimal]:
        """Values keyed by level: ``schedule("art07.integration_subsidy", d)`` → {city: …, …}."""
        head = prefix + "."
        return {pid.removeprefix(head): p.value_on(on) for pid, p in self.parameters.items() if pid.startswith(head)}

    def merged(self, other: ParameterSet) -> ParameterSet:
        clash = set(self.parameters) & set(other.parameters)
        if clash:
            raise PolicyError(f"parameter defined twice: {', '.join(sorted(clash))}")
        return ParameterSet({**self.parameters, **other.parameters})

    def with_parameter(self, parameter: Parameter) -> ParameterSet:
        return ParameterSet({**self.parameters, parameter.id: parameter})


def parse_date(value: object, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise PolicyError(f"{what}: expected a date, got a date and time {value!r}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise PolicyError(f"{what}: {value!r} is not a date (YYYY-MM-DD)")


def _citation(raw: object, what: str) -> Citation:
    if not isinstance(raw, Mapping) or not raw.get("document"):
        raise PolicyError(f"{what}: every value needs a citation with a document")
    citation = Citation(**{k: str(v) for k, v in raw.items()})
    if citation.note and not citation.note_en:
        raise PolicyError(f"{what}: a citation's note needs its English (note_en)")
    return citation


def _dated_values(raw: object, unit: Unit, what: str) -> tuple[DatedValue, ...]:
    if not isinstance(raw, list) or not raw:
        raise PolicyError(f"{what}: 'values' must be a non-empty list")
    entries = []
    for i, item in enumerate(raw):
        where = f"{what} value #{i + 1}"
        if not isinstance(item, Mapping):
            raise PolicyError(f"{where}: expected a mapping")
        start = item.get("effective_from")
        start_date = OPEN_START if start is None else parse_date(start, where)
        value = item.get("value")
        try:
            scaled = None if value is None else to_scaled(value, unit)
        except (TypeError, ValueError) as exc:
            raise PolicyError(f"{where}: {exc}") from None
        entries.append(DatedValue(start_date, scaled, _citation(item.get("citation"), where)))
    dates = [e.effective_from for e in entries]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise PolicyError(f"{what}: values must be in strictly increasing date order")
    return tuple(entries)


def load_parameters(raw: Mapping[str, Any], source: str) -> ParameterSet:
    """Parameters from one parsed YAML document."""
    out: dict[str, Parameter] = {}
    for pid, node in raw.items():
        what = f"{source}: {pid}"
        if not isinstance(node, Mapping):
            raise PolicyError(f"{what}: expected a mapping")
        try:
            unit = Unit(str(node.get("unit")))
        except ValueError:
            raise PolicyError(f"{what}: unknown unit {node.get('unit')!r}") from None
        label = node.get("label") or {}
        maximum = None if node.get("maximum") is None else to_scaled(node["maximum"], unit)
        if "levels" in node:
            for level, sub in node["levels"].items():
                sub_label = sub.get("label") or {lang: f"{text} ({level})" for lang, text in label.items()}
                values = _dated_values(sub.get("values"), unit, f"{what}.{level}")
                out[f"{pid}.{level}"] = Parameter(f"{pid}.{level}", unit, sub_label, values, maximum)
        else:
            out[pid] = Parameter(pid, unit, label, _dated_values(node.get("values"), unit, what), maximum)
    return ParameterSet(out)
