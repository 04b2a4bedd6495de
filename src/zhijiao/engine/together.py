"""Several situation documents calculated together, as one population, and answered each on its own.

The engine is vectorised: one school costs nearly what a hundred do, because a calculation's time is the fixed
cost of its Polars calls, not its rows. When many small documents arrive at once (the API under load), they are
calculated as one situation through ``calculate_situation`` itself, the one engine path, and the answer is cut
back into one per document, exactly what each would have got alone (decision 0018).

How the documents stay apart: each record's id, and every reference to an id, is prefixed with the document's
number and ``SEPARATOR`` (a child's id is built from its parent's, so it carries the prefix too). Ids from two
documents can then never meet, while ids within one document repeat, or fail to resolve, exactly as before. The
answer's records and totals are split by that prefix and the prefix removed.

What is never calculated together, but alone, so that its answer and its refusal are its own:
- a document with a reform (its rules differ), or that is not an object;
- a document whose year or date, or options, differ from the others' (documents are grouped by them);
- every document of a group the engine refused: each is then calculated alone, so the refusal names its own
  records and fields, and its neighbours' answers do not depend on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import polars as pl

from zhijiao.engine.calculate import Result, yuan_totals
from zhijiao.engine.errors import InputError, PolicyError
from zhijiao.engine.model import Entity
from zhijiao.engine.policy import Policy
from zhijiao.engine.situation import calculate_situation
from zhijiao.engine.succession import PlansInTurn, plan_for
from zhijiao.engine.totals import totals_by_part

SEPARATOR = "\x1f"  # ASCII unit separator: the prefix ends at its first occurrence, whatever the ids contain
PERIOD_FIELDS = ("year", "date")

Answer = dict[str, Any] | InputError | PolicyError


def answer_alone(plans: Policy | PlansInTurn, document: object) -> Answer:
    """What ``zhijiao calc`` answers for one document (without explanations), or why it refused: under the plan
    in force on its date when ``plans`` are several in turn."""
    try:
        return calculate_situation(plan_for(plans, document), document).as_json()
    except (InputError, PolicyError) as refusal:
        return refusal


def answer_together(plans: Policy | PlansInTurn, documents: Sequence[object]) -> list[Answer]:
    """Each document's answer, as ``answer_alone`` gives it, computed with as few passes of the engine as the
    documents allow."""
    answers: list[Answer | None] = [None] * len(documents)
    groups: dict[Hashable, list[int]] = defaultdict(list)
    for index, document in enumerate(documents):
        key = _group(document)
        if key is None:
            answers[index] = answer_alone(plans, document)
        else:
            groups[key].append(index)
    for members in groups.values():
        policy = plan_for(plans, documents[members[0]])  # the documents of a group share their period
        together = _together(policy, [documents[i] for i in members]) if len(members) > 1 else None
        for offset, index in enumerate(members):
            answers[index] = together[offset] if together is not None else answer_alone(policy, documents[index])
    return [answer for answer in answers if answer is not None]


def _group(document: object) -> Hashable | None:
    """What documents calculated together must share: the period and the options. None: calculate it alone."""
    if not isinstance(document, Mapping) or document.get("reform") is not None:
        return None
    try:
        options = document.get("options") or {}
        if not isinstance(options, Mapping):
            return None
        return (
            tuple((name, repr(document.get(name))) for name in PERIOD_FIELDS),
            tuple(sorted((str(k), repr(v)) for k, v in options.items())),
        )
    except TypeError:  # an option name that does not sort: the engine's own checks will name it
        return None


def _together(policy: Policy, documents: list[Any]) -> list[Answer] | None:
    """The documents' answers from one calculation; None when the engine refused the whole (then each is
    calculated alone and answers for itself)."""
    merged: dict[str, Any] = {name: documents[0][name] for name in (*PERIOD_FIELDS, "options") if name in documents[0]}
    for entity in policy.top_entities():
        records: list[object] = []
        for number, document in enumerate(documents):
            items = document.get(entity.plural, [])
            if not isinstance(items, list):
                return None
            records.extend(_prefixed(policy, entity, item, f"{number}{SEPARATOR}") for item in items)
        if records:
            merged[entity.plural] = records
    unknown = (
        {name for document in documents for name in document} - set(merged) - {e.plural for e in policy.top_entities()}
    )
    if unknown:
        return None  # refused alone, by name
    try:
        result = calculate_situation(policy, merged).baseline
        return _split(policy, result, len(documents))
    except (InputError, PolicyError):
        return None


def _prefixed(policy: Policy, entity: Entity, item: object, prefix: str) -> object:
    """The record with its id and its references to other records prefixed; anything else is left as it is
    (a value of the wrong type is refused the same way with or without the prefix)."""
    if not isinstance(item, Mapping):
        return item
    out = dict(item)
    names = [entity.key, *(v.name for v in entity.inputs if v.references)]
    for name in names:
        if isinstance(out.get(name), str):
            out[name] = prefix + out[name]
    for child in policy.children(entity.name):
        nested = out.get(child.nested_key or "")
        if isinstance(nested, list):
            out[child.nested_key or ""] = [_prefixed(policy, child, record, prefix) for record in nested]
    return out


def _split(policy: Policy, result: Result, parts: int) -> list[Answer]:
    answers = [result.heading() for _ in range(parts)]
    for entity in policy.top_entities():
        for answer in answers:
            answer[entity.plural] = {}
        for prefixed, outputs in result.records(entity):
            number, key = prefixed.split(SEPARATOR, 1)
            answers[int(number)][entity.plural][key] = outputs
    part = {e.name: _part_of(e) for e in policy.entities.values()}
    for answer, totals in zip(answers, totals_by_part(policy.cost_items, result.frames, part, parts), strict=True):
        answer["totals"] = yuan_totals(totals)
    return list(answers)


def _part_of(entity: Entity) -> pl.Expr:
    """The document a record came from: the number before the separator of its id."""
    return pl.col(entity.key).str.split_exact(SEPARATOR, 1).struct.field("field_0").cast(pl.Int64)
