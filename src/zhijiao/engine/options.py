"""Named options: the places where the text is ambiguous, each a choice with a default and a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from zhijiao.engine.errors import PolicyError
from zhijiao.engine.parameters import parse_date


@dataclass(frozen=True)
class DateRange:
    start: dt.date
    end: dt.date

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


OptionValue = str | DateRange


@dataclass(frozen=True)
class Option:
    name: str
    kind: str  # "choice" or "date_range"
    default: OptionValue
    choices: Mapping[str, Mapping[str, str]]  # value → {zh, en} label; empty for date ranges
    label: Mapping[str, str]
    why: Mapping[str, str]

    def parse(self, raw: object) -> OptionValue:
        if self.kind == "date_range":
            return parse_date_range(raw, f"option {self.name}")
        if not isinstance(raw, str) or raw not in self.choices:
            allowed = " | ".join(self.choices)
            raise PolicyError(
                f"option {self.name}: {raw!r} is not one of {allowed}",
                f"口径 {self.name}：“{raw}” 不是可选值（{allowed}）",
            )
        return raw

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "default": str(self.default),
            "choices": {k: dict(v) for k, v in self.choices.items()},
            "label": dict(self.label),
            "why": dict(self.why),
        }


def parse_date_range(raw: object, what: str) -> DateRange:
    if isinstance(raw, DateRange):
        return raw
    if isinstance(raw, str) and ".." in raw:
        start, end = raw.split("..", 1)
    elif isinstance(raw, Mapping) and set(raw.keys()) == {"from", "to"}:  # a stray key may be a typed-wrong one
        start, end = raw["from"], raw["to"]
    else:
        raise PolicyError(
            f"{what}: expected 'YYYY-MM-DD..YYYY-MM-DD' or {{from, to}}, got {raw!r}",
            f"{what}：应为“YYYY-MM-DD..YYYY-MM-DD”，实为 {raw!r}",
        )
    result = DateRange(parse_date(start, what), parse_date(end, what))
    if result.end < result.start:
        raise PolicyError(f"{what}: the range ends before it starts", f"{what}：结束日期早于开始日期")
    return result


@dataclass(frozen=True)
class OptionSet:
    options: Mapping[str, Option]

    def __iter__(self) -> Iterator[Option]:
        return iter(self.options.values())

    def __contains__(self, name: object) -> bool:
        return name in self.options

    def resolve(self, chosen: Mapping[str, object] | None) -> dict[str, OptionValue]:
        """Every option in effect: the defaults, overridden by ``chosen`` (unknown names refused)."""
        chosen = chosen or {}
        unknown = set(chosen) - set(self.options)
        if unknown:
            names, known = ", ".join(sorted(unknown)), ", ".join(self.options)
            raise PolicyError(f"unknown option: {names}; known: {known}", f"未知口径：{names}（可用：{known}）")
        return {
            name: option.parse(chosen[name]) if name in chosen else option.default
            for name, option in self.options.items()
        }


def load_options(raw: Mapping[str, Any], source: str) -> OptionSet:
    out = {}
    for name, node in raw.items():
        what = f"{source}: option {name}"
        kind = node.get("kind", "choice")
        choices = node.get("choices") or {}
        if kind == "choice" and not choices:
            raise PolicyError(f"{what}: a choice needs its choices")
        default_raw = node.get("default")
        option = Option(name, kind, "", choices, node.get("label") or {}, node.get("why") or {})
        default = option.parse(default_raw)
        out[name] = Option(name, kind, default, choices, option.label, option.why)
    return OptionSet(out)
