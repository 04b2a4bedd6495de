"""The rule graph refuses at load time what would otherwise fail half-way through a run."""
# ruff: noqa: ARG001 -- every rule takes ctx by contract, these test rules seldom need it

import polars as pl
import pytest

from zhijiao.engine.errors import PolicyError
from zhijiao.engine.evaluate import evaluate
from zhijiao.engine.graph import build_graph
from zhijiao.engine.model import Entity, Variable
from zhijiao.engine.options import load_options
from zhijiao.engine.parameters import ParameterSet, load_parameters
from zhijiao.engine.rules import Period, RuleContext, rule
from zhijiao.engine.units import Unit

THING = Entity(
    "thing", "things", {"zh": "物", "en": "thing"}, (Variable("id", Unit.TEXT, {}), Variable("x", Unit.COUNT, {}))
)
ENTITIES = {"thing": THING}
OPTIONS = load_options({}, "test")
PARAMS = load_parameters(
    {"p": {"unit": "count", "values": [{"effective_from": None, "value": 2, "citation": {"document": "d"}}]}}, "t"
)


@rule(entity="thing", unit=Unit.COUNT, article="a", label={})
def doubled(x: pl.Expr, ctx: RuleContext) -> pl.Expr:
    return x * 2


def test_an_unknown_input_names_the_rule():
    @rule(entity="thing", unit=Unit.COUNT, article="a", label={})
    def tripled(y: pl.Expr, ctx: RuleContext) -> pl.Expr:
        return y * 3

    with pytest.raises(PolicyError, match=r"rule tripled \(thing\) reads thing\.y, which is neither an input nor"):
        build_graph(ENTITIES, [tripled], ParameterSet(), OPTIONS)


def test_a_cycle_names_the_rules_in_it():
    @rule(entity="thing", unit=Unit.COUNT, article="a", label={})
    def a(b: pl.Expr, ctx: RuleContext) -> pl.Expr:
        return b

    @rule(entity="thing", unit=Unit.COUNT, article="a", label={})
    def b(a: pl.Expr, ctx: RuleContext) -> pl.Expr:
        return a

    with pytest.raises(PolicyError, match=r"cycle: rule a \(thing\), rule b \(thing\)"):
        build_graph(ENTITIES, [doubled, a, b], ParameterSet(), OPTIONS)


def test_an_unknown_parameter_or_option_names_the_rule():
    @rule(entity="thing", unit=Unit.COUNT, article="a", parameters=("nope",), label={})
    def c(x: pl.Expr, ctx: RuleContext) -> pl.Expr:
        return x

    with pytest.raises(PolicyError, match=r"rule c .* declares unknown parameter nope"):
        build_graph(ENTITIES, [c], ParameterSet(), OPTIONS)

    @rule(entity="thing", unit=Unit.COUNT, article="a", options=("nope",), label={})
    def d(x: pl.Expr, ctx: RuleContext) -> pl.Expr:
        return x

    with pytest.raises(PolicyError, match=r"rule d .* declares unknown option nope"):
        build_graph(ENTITIES, [d], ParameterSet(), OPTIONS)


def test_an_output_produced_twice_is_refused():
    @rule(entity="thing", unit=Unit.COUNT, article="a", label={})
    def x(id: pl.Expr, ctx: RuleContext) -> pl.Expr:  # noqa: A002 -- reads the input named id
        return pl.lit(1)

    with pytest.raises(PolicyError, match=r"thing\.x is produced twice"):
        build_graph(ENTITIES, [x], ParameterSet(), OPTIONS)


def test_layers_put_every_rule_after_what_it_reads():
    @rule(entity="thing", unit=Unit.COUNT, article="a", label={})
    def quadrupled(doubled: pl.Expr, ctx: RuleContext) -> pl.Expr:
        return doubled * 2

    graph = build_graph(ENTITIES, [quadrupled, doubled], PARAMS, OPTIONS)
    assert [[f.output for f in layer] for layer in graph.layers] == [["doubled"], ["quadrupled"]]


def test_a_rule_reading_an_undeclared_parameter_fails_before_evaluating():
    @rule(entity="thing", unit=Unit.COUNT, article="a", label={})
    def sneaky(x: pl.Expr, ctx: RuleContext) -> pl.Expr:
        return x * ctx.param("p")

    graph = build_graph(ENTITIES, [sneaky], PARAMS, OPTIONS)
    frames = {"thing": pl.DataFrame({"id": ["1"], "x": [3]})}
    with pytest.raises(PolicyError, match="rule sneaky reads undeclared parameter p"):
        evaluate(ENTITIES, graph, frames, PARAMS, {}, Period(2024))
