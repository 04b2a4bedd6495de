"""Children within their parent: sums over each parent's run of rows, and the first of a kind in a run."""
# ruff: noqa: ARG001 -- every rule takes ctx by contract, these test rules seldom need it

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from zhijiao.engine.evaluate import evaluate
from zhijiao.engine.graph import build_graph
from zhijiao.engine.model import Entity, Variable
from zhijiao.engine.options import load_options
from zhijiao.engine.parameters import ParameterSet
from zhijiao.engine.rules import MAX_SHIFTS, Aggregate, Period, RuleContext, rule
from zhijiao.engine.units import Unit

OWNER = Entity("owner", "owners", {"zh": "主体", "en": "owner"}, (Variable("id", Unit.TEXT, {}),))
ITEM = Entity(
    "item",
    "items",
    {"zh": "项", "en": "item"},
    (Variable("id", Unit.TEXT, {}), Variable("owner_id", Unit.TEXT, {}), Variable("kind", Unit.COUNT, {})),
    parent="owner",
    link="owner_id",
    order=("id",),
)
ENTITIES = {"owner": OWNER, "item": ITEM}


@rule(entity="item", unit=Unit.BOOL, article="a", label={}, output="first", reads=("kind",))
def first(kind: pl.Expr, ctx: RuleContext) -> pl.Expr:
    return ctx.first_in_parent(kind)


@rule(entity="item", unit=Unit.COUNT, article="a", label={}, output="counted", reads=("kind",))
def counted(kind: pl.Expr, ctx: RuleContext) -> pl.Expr:
    return kind.fill_null(0)


TOTAL = Aggregate(entity="owner", output="total", unit=Unit.COUNT, reads=("counted",), source_entity="item")
GRAPH = build_graph(ENTITIES, [first, counted, TOTAL], ParameterSet(), load_options({}, "test"))

# Each owner's items, in order: the kind of each (None: no kind).
owners_items = st.lists(st.lists(st.one_of(st.none(), st.integers(0, 3)), max_size=MAX_SHIFTS + 4), max_size=8)


def _frames(items_per_owner: list[list[int | None]]) -> dict[str, pl.DataFrame]:
    owners = pl.DataFrame({"id": [f"O{i}" for i in range(len(items_per_owner))]}, schema={"id": pl.String})
    rows = [
        (f"I{o:02d}{n:02d}", f"O{o}", kind) for o, kinds in enumerate(items_per_owner) for n, kind in enumerate(kinds)
    ]
    schema = {"id": pl.String, "owner_id": pl.String, "kind": pl.Int64}
    # Shuffled, as a file would give them: the engine sorts children by parent, then by their order.
    items = pl.DataFrame(rows[::-1], schema=schema, orient="row")
    return {"owner": owners, "item": items}


@settings(max_examples=150)
@given(owners_items)
def test_first_of_its_kind_and_sums_per_owner(items_per_owner: list[list[int | None]]) -> None:
    out = evaluate(ENTITIES, GRAPH, _frames(items_per_owner), ParameterSet(), {}, Period(2024, dt.date(2024, 1, 1)))
    items = out["item"].sort("id")
    expected_first = []
    for kinds in items_per_owner:
        expected_first += [kind is None or kind not in kinds[:n] for n, kind in enumerate(kinds)]
    assert items["first"].to_list() == expected_first
    totals = out["owner"].sort("id")["total"].to_list()
    assert totals == [sum(k or 0 for k in kinds) for kinds in items_per_owner]


def test_many_children_per_parent_are_compared_by_hashing():
    kinds = [n % 3 for n in range(MAX_SHIFTS + 5)]  # longer than the shifts cover
    out = evaluate(ENTITIES, GRAPH, _frames([kinds, [2, 2]]), ParameterSet(), {}, Period(2024))
    items = out["item"].sort("id")
    assert items["first"].to_list() == [True, True, True] + [False] * (len(kinds) - 3) + [True, False]
