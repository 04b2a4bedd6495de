"""Frames made ready for evaluation, once, when they are loaded (not on every calculation).

Every record gets its row number (``__row``); a child gets its parent's (``__parent_row``) and a
reference its target's (``__<name>_row``), so aggregates, lookups and windows work on integers, not on
text ids. Children are sorted by parent, then by the entity's declared ``order`` (e.g. certification
date, then level in the order its choices are declared), so rules may rely on that order within a
parent without sorting again. A parent then records where its children's run of rows ends
(``__<child>_end``), so a sum over children is two gathers from a running total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from zhijiao.engine.model import Entity

ROW = "__row"
PARENT_ROW = "__parent_row"


def ref_row(name: str) -> str:
    return f"__{name}_row"


def is_engine_column(name: str) -> bool:
    """Columns the engine adds for itself (row numbers, links, run ends): never shown to a reader."""
    return name.startswith("__")


def children_end(child: str) -> str:
    """The parent's column: one past the row of its last ``child`` (its first child is the previous end)."""
    return f"__{child}_end"


def is_prepared(frames: Mapping[str, pl.DataFrame]) -> bool:
    return all(ROW in frame.columns for frame in frames.values())


def _rows_of(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    return frame.select(pl.col(key).alias("__key"), pl.col(ROW).alias("__target_row"))


def _coded(entity: Entity, frame: pl.DataFrame) -> pl.DataFrame:
    """Row numbers, and codes with declared choices as enums: compared, grouped and gathered as integers."""
    enums = [
        pl.col(v.name).cast(pl.Enum(list(v.choices)))
        for v in entity.inputs
        if v.choices and v.name in frame.columns and frame[v.name].dtype == pl.String
    ]
    return frame.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64), *enums)


def _order(entity: Entity) -> list[pl.Expr]:
    columns: list[pl.Expr] = []
    for name in entity.order:
        variable = entity.input(name)
        if variable is not None and variable.choices:
            columns.append(pl.col(name).to_physical())  # an enum's physical value is its choice's position
        else:
            columns.append(pl.col(name))
    return columns


def links(entity: Entity) -> list[tuple[str, str, str]]:
    """(column, entity it points at, the row-number column it gets), references first, the parent last."""
    links = [(v.name, v.references, ref_row(v.name)) for v in entity.inputs if v.references]
    if entity.parent and entity.link:
        links.append((entity.link, entity.parent, PARENT_ROW))
    return links


# An empty frame never changes, so each entity's is built once per shape of input (a frame is immutable: shared
# safely). Kept with its entity, whose id then stays its own.
_empties: dict[int, tuple[Entity, tuple[tuple[str, object], ...], pl.DataFrame]] = {}


def _empty(entity: Entity, frame: pl.DataFrame, children: Sequence[str]) -> pl.DataFrame:
    """An entity without records, prepared by its schema alone: the same columns and types as the joins and
    sorts below would give, without running them (a single situation leaves most entities empty)."""
    shape = tuple(frame.schema.items())
    kept = _empties.get(id(entity))
    if kept is not None and kept[0] is entity and kept[1] == shape:
        return kept[2]
    schema: dict[str, pl.DataType | type[pl.DataType]] = {ROW: pl.Int64}
    for name, dtype in frame.schema.items():
        variable = entity.input(name)
        enum = variable is not None and variable.choices and dtype == pl.String
        schema[name] = pl.Enum(list(variable.choices)) if enum and variable is not None else dtype
    schema.update((alias, pl.Int64) for _column, _target, alias in links(entity))
    schema.update((children_end(child), pl.Int64) for child in children)  # where no child's run ends
    built = pl.DataFrame(schema=schema)
    _empties[id(entity)] = (entity, shape, built)
    return built


def prepare(entities: Mapping[str, Entity], frames: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The frames with row numbers resolved (engine.inputs.checked checks the keys before and the references
    after: a reference that does not resolve leaves its row number missing)."""
    if is_prepared(frames):
        return dict(frames)
    empty = {name for name in entities if frames[name].is_empty()}
    children = {name: [e.name for e in entities.values() if e.parent == name] for name in entities}
    out = {
        name: _empty(entities[name], frames[name], children[name])
        if name in empty
        else _coded(entities[name], frames[name])
        for name in entities
    }
    for entity in entities.values():
        if entity.name in empty:
            continue
        frame = out[entity.name]
        for column, target, alias in links(entity):
            rows = _rows_of(out[target], entities[target].key).rename({"__target_row": alias})
            frame = frame.join(rows, left_on=column, right_on="__key", how="left", maintain_order="left")
        if entity.parent:
            frame = frame.sort([pl.col(PARENT_ROW), *_order(entity)], maintain_order=True)
            frame = frame.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias(ROW))
        out[entity.name] = frame
    for entity in entities.values():
        if entity.parent and entity.parent not in empty:  # an empty parent has the column already
            child_rows = out[entity.name][PARENT_ROW]
            ends = child_rows.search_sorted(out[entity.parent][ROW], side="right").cast(pl.Int64)
            out[entity.parent] = out[entity.parent].with_columns(ends.alias(children_end(entity.name)))
    # Columns in one piece each: a file read in row groups arrives in several, and every running total,
    # gather and shift over a column in pieces costs up to twice as much, on every calculation.
    return {name: frame if name in empty else frame.rechunk() for name, frame in out.items()}
