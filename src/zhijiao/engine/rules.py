"""Rules and the other formulas of the rule graph.

A rule is a small pure function that builds a Polars expression. The names of its positional
arguments are the variables it reads; the parameters and options it may consult are declared,
so the graph and every explanation know them before anything runs::

    @rule(entity="school", unit=Unit.RATE, article="art20", clauses=("C1",),
          parameters=("art20.appropriation_uplift.national",), label={...})
    def appropriation_uplift_rate(ownership: pl.Expr, double_high: pl.Expr, ctx: RuleContext) -> pl.Expr:
        ...

A label or formula states a number of its own parameters as a placeholder, never as digits:
``"公办且省级“双高”→{art20.appropriation_uplift.provincial}"`` reads "→10%" in the baseline and a
reform's own rate under a reform (engine.model.PLACEHOLDER; filled in by engine.explain.prose).
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from zhijiao.engine.errors import PolicyError
from zhijiao.engine.model import Label, Note, placeholders
from zhijiao.engine.options import OptionValue
from zhijiao.engine.parameters import ParameterSet
from zhijiao.engine.prepare import PARENT_ROW
from zhijiao.engine.units import Unit

# Beyond this many children per parent, comparing with each row above costs more than hashing.
MAX_SHIFTS = 16


class RuleContext:
    """What a rule may consult besides its inputs: its declared parameters and options, the period."""

    def __init__(
        self,
        formula: Formula,
        parameters: ParameterSet,
        options: Mapping[str, OptionValue],
        period: Period,
        longest_run: int | None = None,
    ) -> None:
        self._formula = formula
        self._parameters = parameters
        self._options = options
        self.period = period
        self._longest_run = longest_run

    def _declared(self, parameter_id: str) -> None:
        if parameter_id not in self._formula.parameters:
            raise PolicyError(f"rule {self._formula.output} reads undeclared parameter {parameter_id}")

    def param(self, parameter_id: str) -> pl.Expr:
        """The parameter in force on the calculation date, as an exact integer literal; null if none is."""
        self._declared(parameter_id)
        entry = self._parameters[parameter_id].entry_on(self.period.as_of)
        return pl.lit(entry.scaled if entry else None, dtype=pl.Int64)

    def param_on(self, parameter_id: str, dates: pl.Expr) -> pl.Expr:
        """The parameter in force on each row's date (null where none was)."""
        self._declared(parameter_id)
        return self._parameters[parameter_id].expr_on(dates)

    def first_in_parent(self, key: pl.Expr) -> pl.Expr:
        """True where no row above in the same parent has the same non-null ``key``: the first of its kind in
        the parent's run of rows (children come sorted by parent, then the entity's ``order``).

        With at most K children per parent only the K − 1 rows above can share the parent, so comparing
        with them is enough and hashes nothing; past ``MAX_SHIFTS`` a hash of (parent, key) is cheaper.
        """
        parent = pl.col(PARENT_ROW)
        k = self._longest_run
        if k is None or k > MAX_SHIFTS:
            return pl.struct(parent, key).is_first_distinct() | key.is_null()
        seen: pl.Expr = pl.lit(value=False)
        for above in range(1, k):
            seen = seen | ((key.shift(above) == key) & (parent.shift(above) == parent)).fill_null(value=False)
        return ~seen

    def option(self, name: str) -> OptionValue:
        if name not in self._formula.options:
            raise PolicyError(f"rule {self._formula.output} reads undeclared option {name}")
        return self._options[name]


@dataclass(frozen=True)
class Period:
    """A calendar year, or one day of it. Yearly values use the parameters in force on ``as_of``."""

    year: int
    day: dt.date | None = None

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def as_of(self) -> dt.date:
        return self.day or self.end

    def contains(self, dates: pl.Expr) -> pl.Expr:
        """Whether each date lies in the year: two integer comparisons, where ``dt.year()`` would decode
        every date into a calendar first (five times slower on millions of rows)."""
        return dates.is_between(pl.lit(self.start), pl.lit(self.end))


# Why a result is zero or capped: the decoded row and the circumstances in, notes out.
WhyNot = Callable[[Mapping[str, Any], "ExplainContext"], list[Note]]


@dataclass(frozen=True)
class ExplainContext:
    options: Mapping[str, OptionValue]
    parameters: ParameterSet
    period: Period


@dataclass(frozen=True)
class Formula:
    """A node of the rule graph: it produces ``output`` on ``entity`` from what it ``reads``."""

    entity: str
    output: str
    unit: Unit
    reads: tuple[str, ...]
    article: str = ""
    clauses: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    label: Label = field(default_factory=dict)
    formula: Label = field(default_factory=dict)
    internal: bool = False
    dated_by: str | None = None  # parameters resolved on this column's date instead of the period's
    why: WhyNot | None = None

    def __post_init__(self) -> None:
        # Its label and formula may state only the numbers of its own parameters: the step lists those
        # with their dates and citations, so every number the reader sees is accounted for.
        for text in (*self.label.values(), *self.formula.values()):
            for placeholder in placeholders(text):
                if placeholder.name not in self.parameters:
                    raise PolicyError(
                        f"rule {self.output}: its text names {placeholder.name}, which it does not declare"
                    )

    @property
    def node(self) -> str:
        return f"{self.entity}.{self.output}"

    def dependencies(self) -> list[str]:
        return [f"{self.entity}.{name}" for name in self.reads]


@dataclass(frozen=True)
class Rule(Formula):
    function: Callable[..., pl.Expr] | None = None

    def build(self, ctx: RuleContext) -> pl.Expr:
        """The rule's expression. A rule whose parameters are not in force on the period's date is not built
        (engine.in_force: it produces ``nothing``); a row-dated parameter not in force on a row's date makes
        that row's result null, shown as 0 (or false), and the explanation names the parameter and the date."""
        assert self.function is not None  # noqa: S101 -- set by the decorator, the only constructor used
        expression = self.function(*(pl.col(name) for name in self.reads), ctx=ctx)
        if self.unit.numeric:
            expression = expression.cast(pl.Int64).fill_null(0)
        elif self.unit is Unit.BOOL:
            expression = expression.fill_null(value=False)
        return expression.alias(self.output)

    def nothing(self) -> pl.Expr:
        """What a rule not in force produces: 0 (or false, or no value), as its column's type."""
        if self.unit.numeric:
            return pl.lit(0, dtype=pl.Int64).alias(self.output)
        if self.unit is Unit.BOOL:
            return pl.lit(value=False).alias(self.output)
        return pl.lit(None, dtype=pl.Date if self.unit is Unit.DATE else pl.String).alias(self.output)


@dataclass(frozen=True)
class Aggregate(Formula):
    """Sum of a child entity's variable over each parent (e.g. certifications → enterprise)."""

    source_entity: str = ""

    def dependencies(self) -> list[str]:
        return [f"{self.source_entity}.{name}" for name in self.reads]


@dataclass(frozen=True)
class Lookup(Formula):
    """A variable of the entity a link points at, falling back to the entity's own column."""

    target_entity: str = ""
    link: str = ""
    fallback: str | None = None

    def dependencies(self) -> list[str]:
        own = [f"{self.entity}.{self.link}"] + ([f"{self.entity}.{self.fallback}"] if self.fallback else [])
        return own + [f"{self.target_entity}.{name}" for name in self.reads]


def rule(
    *,
    entity: str,
    unit: Unit,
    article: str,
    clauses: tuple[str, ...] = (),
    parameters: tuple[str, ...] = (),
    options: tuple[str, ...] = (),
    label: Label,
    formula: Label | None = None,
    internal: bool = False,
    dated_by: str | None = None,
    why: WhyNot | None = None,
    output: str | None = None,
    reads: tuple[str, ...] | None = None,
) -> Callable[[Callable[..., pl.Expr]], Rule]:
    """Declare a rule; the output is named after the function, the reads after its arguments.

    A function shared by several rules (e.g. one award logic for two articles) names its ``output``
    and its ``reads`` explicitly: the positional arguments then read those variables, in order.
    """

    def wrap(function: Callable[..., pl.Expr]) -> Rule:
        signature = inspect.signature(function)
        arguments = tuple(
            name
            for name, p in signature.parameters.items()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and name != "ctx"
        )
        name = output or function.__name__
        if "ctx" not in signature.parameters:
            raise PolicyError(f"rule {name}: takes no ctx argument")
        if reads is not None and len(reads) != len(arguments):
            raise PolicyError(f"rule {name}: names {len(reads)} reads for {len(arguments)} arguments")
        return Rule(
            entity=entity,
            output=name,
            unit=unit,
            reads=reads if reads is not None else arguments,
            article=article,
            clauses=clauses,
            parameters=parameters,
            options=options,
            label=label,
            formula=formula or {},
            internal=internal,
            dated_by=dated_by,
            why=why,
            function=function,
        )

    return wrap
