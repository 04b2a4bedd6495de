"""Many entities' situations from one read of the registry, as ``compute.situation_for`` builds each: what a
release compares with every decision of its batch. ``situation_for`` filters the year's frames once per entity
(and per child table), a millisecond an award; here each frame is filtered once for all the batch's codes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from typing import Any

import polars as pl

from zhijiao.engine.policy import Policy
from zhijiao.fulfilment.compute import Frames, _plain_row

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
        """``situation_for(policy, frames, entity_name, code, year, options)``, without filtering the frames."""
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
