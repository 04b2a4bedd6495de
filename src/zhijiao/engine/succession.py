"""Plans in force one after another: a city's plan and, once it is adopted, its successor (issue 18, decision 0019).

A successor is the plan it follows, re-enacted under its own document from its own start: the same entities and
rules, every parameter cited anew from the start date at the value the adopted version sets, or else at the value
it carries over, under the article that now holds it. Before the start nothing changes. A calculation then takes
the plan in force on its date (``PlansInTurn.on``): a 2027 calculation cites the successor, a 2024 one the plan
of 2023, and the two never mix within one calculation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from zhijiao.engine.errors import PolicyError
from zhijiao.engine.options import OptionSet
from zhijiao.engine.parameters import Citation, DatedValue, ParameterSet, parse_date
from zhijiao.engine.policy import Policy
from zhijiao.engine.reform import parse_reform
from zhijiao.engine.situation import period_of


@dataclass(frozen=True)
class Adopted:
    """What adopting a draft version decides: the document, its start, the values it changes (as a reform gives
    them: parameter id → value), and the articles renumbered (the predecessor's 第三条 → the successor's 第四条)."""

    name: str
    document: Mapping[str, Any]
    values: Mapping[str, object] = field(default_factory=dict)
    options: Mapping[str, object] = field(default_factory=dict)  # option → the choice the successor makes its rule
    articles: Mapping[str, str] = field(default_factory=dict)
    note: str = ""
    note_en: str = ""

    @property
    def start(self) -> dt.date:
        period = self.document.get("period") or {}
        return parse_date(period.get("from"), f"{self.name}: document.period.from")


def start_of(policy: Policy) -> dt.date:
    """The first day a plan is in force: its document's period."""
    period = (policy.metadata.get("document") or {}).get("period") or {}
    start = period.get("from")
    if start is None:
        raise PolicyError(
            f"{policy.name}: plan.yaml gives no document.period.from", f"{policy.name}：未给出施行起始日期"
        )
    return parse_date(start, f"{policy.name}: document.period.from")


def successor(base: Policy, adopted: Adopted) -> Policy:
    """``base`` re-enacted by ``adopted``: each parameter in force at the start continues from it, cited to the new
    document (the value ``adopted`` sets, else the value it had); a value ``adopted`` sets is checked as a reform's
    value is (known parameter, unit, maximum). Values ``base`` had scheduled after the start give way."""
    start = adopted.start
    lists = sorted(k for k, v in adopted.values.items() if isinstance(v, list))
    if lists:
        raise PolicyError(
            f"{adopted.name}: an adopted value holds from the plan's start: {', '.join(lists)} give dated values",
            f"{adopted.name}：通过的方案自施行之日起适用一个取值，{'、'.join(lists)} 给出了分日期的取值",
        )
    try:  # checked as a reform's values are: known parameters and options, units, maxima
        reform = parse_reform({"parameters": dict(adopted.values), "options": dict(adopted.options)}, base)
    except PolicyError as error:  # said of the adoption, not of a reform
        zh = error.message("zh").removeprefix("改革方案").lstrip("： ")
        raise PolicyError(f"{adopted.name}: {str(error).removeprefix('reform: ')}", f"{adopted.name}：{zh}") from None
    changed = reform.parameters
    number = str(adopted.document.get("number", adopted.name))
    built = {}
    for parameter in base.parameters:
        kept = tuple(e for e in parameter.values if e.effective_from < start)
        before = parameter.entry_on(start)
        scaled = changed[parameter.id][0].scaled if parameter.id in changed else None
        if scaled is None and before is not None:
            scaled = before.scaled
        if scaled is None:  # not in force when the successor starts, and it sets nothing: it stays as it ended
            built[parameter.id] = replace(parameter, values=kept)
            continue
        article = before.citation.article if before is not None else ""
        mine = parameter.id in changed
        citation = Citation(
            document=number,
            article=adopted.articles.get(article, article),
            note=adopted.note if mine else "",
            note_en=adopted.note_en if mine else "",
        )
        built[parameter.id] = replace(parameter, values=(*kept, DatedValue(start, scaled, citation)))
    parameters = ParameterSet(built)
    # An ambiguity the successor settles becomes its default, with the successor named as the reason.
    options = OptionSet(
        {
            o.name: replace(o, default=o.parse(reform.options[o.name]), why=_settled(number, adopted))
            if o.name in reform.options
            else o
            for o in base.options
        }
    )
    return replace(
        base,
        name=adopted.name,
        parameters=parameters,
        options=options,
        metadata={**base.metadata, "document": dict(adopted.document)},
    )


def _settled(number: str, adopted: Adopted) -> dict[str, str]:
    return {
        "zh": f"{number}规定。{adopted.note}".rstrip("。") + "。",
        "en": f"Set by {number}. {adopted.note_en}".rstrip(". ") + ".",
    }


@dataclass(frozen=True)
class PlansInTurn:
    """The plans a city applies one after another, each from its start: the first also before its own start
    (nothing earlier is known), each one until the next starts."""

    plans: tuple[Policy, ...]

    def __post_init__(self) -> None:
        if not self.plans:
            raise PolicyError("no plan to apply", "没有可适用的方案")
        starts = [start_of(p) for p in self.plans]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise PolicyError(
                "plans in turn must start on different dates, in order",
                "先后施行的方案应按施行日期先后排列，且起始日期各不相同",
            )

    @classmethod
    def of(cls, plans: Sequence[Policy]) -> PlansInTurn:
        return cls(tuple(sorted(plans, key=start_of)))

    @property
    def first(self) -> Policy:
        return self.plans[0]

    def on(self, day: dt.date) -> Policy:
        """The plan in force on ``day``."""
        current = self.plans[0]
        for plan in self.plans[1:]:
            if start_of(plan) <= day:
                current = plan
        return current

    def named(self, name: str) -> Policy | None:
        return next((p for p in self.plans if p.name == name), None)

    def for_situation(self, situation: object) -> Policy:
        """The plan in force on the date a situation document asks about (its year's last day, or its date); the
        first plan for a document whose period is not valid, whose calculation then says what is wrong."""
        period = period_of(situation)
        return self.on(period.as_of) if period is not None else self.first


def plan_for(plans: Policy | PlansInTurn, situation: object) -> Policy:
    """``plans`` as one policy, or the plan of ``plans`` in force on the situation's date."""
    return plans.for_situation(situation) if isinstance(plans, PlansInTurn) else plans
