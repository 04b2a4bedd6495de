"""The ``zhijiao calc`` situation of an entity, as the registry holds it: what a decision freezes and what a
release compares with every decision of its batch. One way to build it, for one entity or many: each of the
year's frames is filtered once for all the codes asked for (filtering per award cost a millisecond each)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from typing import Any

import polars as pl

from zhijiao.engine.explain import shown
from zhijiao.engine.inputs import decode
from zhijiao.engine.model import Entity
from zhijiao.engine.policy import Policy

Frames = Mapping[str, pl.DataFrame]


def _plain_row(entity: Entity, row: Mapping[str, Any], skip: set[str]) -> dict[str, Any]:
    """Input values as the situation contract writes them: yuan and rates as JSON numbers, whose shortest
    decimal form reads back exactly (the engine reads numbers through their text, never as binary floats)."""
    out: dict[str, Any] = {}
    for variable in entity.inputs:
        if variable.name in skip:
            continue
        value = row.get(variable.name)
        value = decode(value, variable.unit)
        if value is not None:
            out[variable.name] = shown(value)
    return out


_CODE = "__situation_code"  # the key as text, compared as situation_for compares it (a cast to String)


def _rows_by_code(frame: pl.DataFrame, column: str, codes: Collection[str]) -> dict[str, list[dict[str, Any]]]:
    """The frame's rows whose ``column`` is one of ``codes``, in frame order, grouped by that code."""
    found = frame.with_columns(pl.col(column).cast(pl.String).alias(_CODE)).filter(pl.col(_CODE).is_in(list(codes)))
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in found.to_dicts():
        out[row[_CODE]].append(row)
    return out


class Situations:
    """The situations of ``codes`` of one entity, and of whatever they reference (a platform's school). The parts
    are shared between situations: read them, do not change them."""

    def __init__(self, policy: Policy, frames: Frames, entity_name: str, codes: Collection[str]) -> None:
        self._policy, self._frames, self._entity = policy, frames, policy.entities[entity_name]
        self._items: dict[tuple[str, str], dict[str, Any]] = {}
        self._load(entity_name, codes)
        referenced: dict[str, set[str]] = defaultdict(set)
        for variable in self._entity.inputs:
            if variable.references:
                for code in codes:
                    item = self._items.get((entity_name, code))
                    if item is not None and variable.name in item:
                        referenced[variable.references].add(str(item[variable.name]))
        for target, wanted in referenced.items():
            self._load(target, wanted)

    def _load(self, entity_name: str, codes: Collection[str]) -> None:
        entity = self._policy.entities[entity_name]
        rows = _rows_by_code(self._frames[entity_name], entity.key, codes)
        children = [
            (child, _rows_by_code(self._frames[child.name], child.link or "", codes))
            for child in self._policy.children(entity_name)
        ]
        for code, found in rows.items():
            item = _plain_row(entity, found[0], set())
            for child, by_code in children:
                skip = {child.link or "", child.key}
                item[child.nested_key or child.plural] = [_plain_row(child, r, skip) for r in by_code.get(code, [])]
            self._items[entity_name, code] = item

    def _item(self, entity_name: str, code: str) -> dict[str, Any]:
        item = self._items.get((entity_name, code))
        if item is None:
            raise LookupError(f"{entity_name} {code} is not in the registry")
        return item

    def of(self, code: str, year: int, options: Mapping[str, object]) -> dict[str, Any]:
        """The situation of ``code`` (one of the codes these situations were read for) in ``year``."""
        entity = self._entity
        situation: dict[str, Any] = {"year": year, "options": {k: str(v) for k, v in options.items()}}
        item = self._item(entity.name, code)
        situation[entity.plural] = [item]
        for variable in entity.inputs:
            if variable.references and variable.name in item:
                target = self._policy.entities[variable.references]
                situation.setdefault(target.plural, []).append(self._item(target.name, str(item[variable.name])))
        for top in self._policy.top_entities():
            situation.setdefault(top.plural, [])
        return situation


def situation_for(
    policy: Policy, frames: Frames, entity_name: str, code: str, year: int, options: Mapping[str, object]
) -> dict[str, Any]:
    """The ``zhijiao calc`` situation of one entity, with whatever it references (a platform's school)."""
    return Situations(policy, frames, entity_name, [code]).of(code, year, options)
