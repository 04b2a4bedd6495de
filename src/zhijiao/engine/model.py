"""What a policy package declares: its entities and their input variables."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from zhijiao.engine.errors import PolicyError
from zhijiao.engine.units import Unit

Label = Mapping[str, str]

# Rule prose (a formula, a label, a note) names the numbers it states instead of writing them, so an
# explanation shows the values the calculation used, a reform's included: {name} is a value a note
# carries or a parameter id; {1 - id} and {1 + id} its complement and its sum with one (the 70% beside
# a 30% cap, the 120% of a 20% uplift). engine.explain.prose fills them in.
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_TERM = re.compile(r"\s*(?:1\s*([-+\u2212])\s*)?([A-Za-z_][\w.]*)\s*")


@dataclass(frozen=True)
class Placeholder:
    name: str
    sign: str = ""  # "+" or "-": one plus or minus the named value


def placeholders(template: str) -> list[Placeholder]:
    """The placeholders of a template, in order; PolicyError for one that is not of the three forms."""
    out = []
    for match in PLACEHOLDER.finditer(template):
        term = _TERM.fullmatch(match.group(1))
        if term is None:
            raise PolicyError(f"rule prose: cannot read the placeholder {match.group(0)} in {template!r}")
        sign, name = term.groups()
        out.append(Placeholder(name, "-" if sign == "\u2212" else sign or ""))
    return out


@dataclass(frozen=True)
class Variable:
    """An input of an entity. ``choices`` for codes; ``references`` for a link to another entity."""

    name: str
    unit: Unit
    label: Label
    required: bool = False
    choices: tuple[str, ...] = ()
    references: str | None = None
    default: object = None
    choice_labels: Mapping[str, Label] = field(default_factory=dict)
    maximum: int | None = None  # in the unit's natural value (yuan, persons); bounds keep every result exact

    def shown(self, value: object, lang: str) -> object:
        """A code as its reader sees it (public → 公办); anything else unchanged."""
        labels = self.choice_labels.get(str(value))
        return labels.get(lang, value) if labels else value

    def choice_list(self, lang: str) -> str:
        """The values a person may give, for a message: 鹿城区、龙湾区…; in English each with its English name
        where it has one (鹿城区 (Lucheng District), …), since the value itself is what must be typed."""
        if lang == "zh":
            return "、".join(self.choices)
        named = []
        for choice in self.choices:
            english = self.choice_labels.get(choice, {}).get("en")
            named.append(f"{choice} ({english})" if english and english != choice else choice)
        return ", ".join(named)


@dataclass(frozen=True)
class Entity:
    """A kind of record the rules run over. A child (``parent`` set) is nested in its parent's input."""

    name: str
    plural: str
    label: Label
    inputs: tuple[Variable, ...]
    parent: str | None = None
    link: str | None = None
    nested_key: str | None = None
    key: str = "id"
    order: tuple[str, ...] = ()  # a child's rows within its parent: by these columns (choices in declared order)

    def input(self, name: str) -> Variable | None:
        return next((v for v in self.inputs if v.name == name), None)

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.inputs)


@dataclass(frozen=True)
class Note:
    """Why a result is zero or capped, and what would change it.

    The texts are templates: a policy declares each note once, with placeholders, and fills in the
    record's own figures (``values``, a text or a zh/en label each) when it explains a record.
    """

    zh: str
    en: str
    change_zh: str = ""
    change_en: str = ""
    values: Mapping[str, object] = field(default_factory=dict)

    def filled(self, **values: object) -> Note:
        return replace(self, values={**self.values, **values})

    def as_dict(self, lang: str) -> dict[str, str]:
        text, change = (self.zh, self.change_zh) if lang == "zh" else (self.en, self.change_en)
        return {"why": text, "would_change": change} if change else {"why": text}


@dataclass(frozen=True)
class CostItem:
    """An output that is public money: who pays, for which article, in which county."""

    entity: str
    output: str
    article: str
    payer: str  # a column of the entity holding the payer, or a constant prefixed with '='
    county: str  # a column of the entity
    label: Label = field(default_factory=dict)


@dataclass(frozen=True)
class Entitlement:
    """Money the policy pays to an entity, and how it is claimed: what fulfilment needs to know.

    A one-time award is computed per ``detail_entity`` row (a certification: ``detail_output`` is what
    falls due in the year) and paid once per entity, article and ``level`` ever; any other entitlement
    is paid once per entity, article and year. ``proactive`` entitlements (免申即享) are found in the
    registry and need no application.
    """

    id: str
    article: str
    entity: str
    output: str
    label: Label
    proactive: bool = False
    detail_entity: str | None = None
    detail_output: str | None = None

    @property
    def one_time(self) -> bool:
        return self.detail_entity is not None
