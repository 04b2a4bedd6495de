"""zhijiao: the policy package's own rules, run by the engine on the Parquet population.

Runs in the project venv. ``load`` (excluded from the timing) reads the frames and loads the policy;
``calculate`` is the timed call, ``zhijiao.engine.calculate.run`` with the default options. Method
``zhijiao`` times it on the input frames (exactly the entities' input columns), so the engine's
``prepare`` step runs inside; method ``zhijiao-prepared`` loads with ``load_prepared``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from common import ENTITY_NAMES, OUTPUTS, YEAR, checksum_ints, checksum_totals, src_on_path

src_on_path()
from zhijiao.engine.calculate import Result, run  # noqa: E402
from zhijiao.engine.inputs import dtype  # noqa: E402
from zhijiao.engine.policy import Policy  # noqa: E402
from zhijiao.engine.rules import Period  # noqa: E402
from zhijiao.policies import wenzhou_vet_2023  # noqa: E402

Loaded = tuple[Policy, dict[str, pl.DataFrame]]


def load(folder: Path) -> Loaded:
    policy = wenzhou_vet_2023.load()
    frames = {}
    for name in ENTITY_NAMES:
        entity = policy.entities[name]
        frame = pl.read_parquet(folder / f"{name}.parquet")
        expected = {v.name: dtype(v.unit) for v in entity.inputs}
        actual = dict(frame.schema)
        if list(actual) != list(expected) or any(actual[k] != v for k, v in expected.items()):
            raise SystemExit(f"{name}: columns {actual} are not the entity's inputs {expected}")
        frames[name] = frame
    return policy, frames


def load_prepared(folder: Path) -> Loaded:
    """The same frames passed through ``zhijiao.engine.prepare`` (row numbers for every link, enums, children
    sorted by parent), as a loader would hand them over once: the counterpart of numpy_impl.load, which
    resolves the links to rows before its timed part too."""
    from zhijiao.engine.prepare import prepare  # noqa: PLC0415 -- only engines that have it (2f1dd68 on)

    policy, frames = load(folder)
    return policy, prepare(policy.entities, frames)


def calculate(loaded: Loaded) -> Result:
    policy, frames = loaded
    return run(policy, frames, Period(YEAR))


def checksums(result: Result) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key, (entity, _unit) in OUTPUTS.items():
        column = result.frames[entity][key.split(".", 1)[1]]
        if column.null_count():
            raise SystemExit(f"{key} has nulls")
        out[key] = checksum_ints(column.cast(pl.Int64).to_list())
    out["totals (C14)"] = checksum_totals(result.totals.as_dict())
    return out
