"""OpenFisca-core run: load the population into arrays, then (timed) build a simulation and calculate.

The model (entities, variables, formulas, parameters and how certifications are modelled) is in
openfisca_model.py. ``load`` (not timed) instantiates the tax-benefit system and turns the Parquet files
into the arrays a loader would hand to ``set_input``: enum codes, counts as int32, yuan as float64 (cast
to float32 by OpenFisca), certifications pivoted into per-entity slots, platform → school as a row index.
``calculate`` (timed) builds the simulation, sets the inputs, calculates every output and the totals.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from openfisca_core.simulations import SimulationBuilder

import numpy_impl
from common import OUTPUTS, YEAR, checksum_bytes, checksum_totals
from numpy_impl import SCHOOL_COUNTIES
from openfisca_model import (
    ENTERPRISE_SLOTS,
    PLATFORM_SLOTS,
    SCHOOL_COUNTS,
    SCHOOL_ENUMS,
    SCHOOL_YUAN,
    Sponsor,
    WenzhouVet,
)

Array = np.ndarray[Any, Any]


@dataclass
class Prepared:
    tbs: WenzhouVet
    count: int
    inputs: dict[str, Array]  # variable → array, in the dtype a loader would hand to set_input
    exact: numpy_impl.Population  # the same population as int arrays, for the exact reference


def _slots(cert: dict[str, Array], owners: int, slots: int, prefix: str) -> dict[str, Array]:
    order = np.lexsort((cert["date"], cert["owner"]))
    owner = cert["owner"][order]
    starts = np.r_[0, np.flatnonzero(owner[1:] != owner[:-1]) + 1]
    rank = np.arange(len(owner)) - np.repeat(starts, np.diff(np.r_[starts, len(owner)]))
    if len(rank) and rank.max() >= slots:
        raise SystemExit(f"more than {slots} certifications for one entity")
    out = {}
    for k in range(slots):
        chosen = order[rank == k]
        level = np.zeros(owners, dtype=np.int16)
        day = np.zeros(owners, dtype="datetime64[D]")
        level[cert["owner"][chosen]] = cert["level"][chosen] + 1
        day[cert["owner"][chosen]] = cert["date"][chosen].astype("datetime64[D]")
        out[f"{prefix}_cert{k + 1}_level"], out[f"{prefix}_cert{k + 1}_date"] = level, day
    return out


def load(folder: Path) -> Prepared:
    return from_population(numpy_impl.load(folder))


def from_population(pop: numpy_impl.Population) -> Prepared:
    """The arrays ``set_input`` takes, from the population as integer arrays."""
    s = pop.school
    n = int(s["n"])
    if not len(pop.enterprise_county) == len(pop.platform_school) == n:
        raise SystemExit("build_default_simulation needs as many enterprises and platforms as schools")
    inputs: dict[str, Array] = {name: s[name].astype(np.int16) for name in SCHOOL_ENUMS}
    inputs |= {name: s[name].astype(np.int32) for name in SCHOOL_COUNTS}
    inputs |= {name: s[name] / 100 for name in SCHOOL_YUAN}  # yuan as float64; set_input casts to float32
    inputs |= _slots(pop.enterprise_cert, n, ENTERPRISE_SLOTS, "enterprise")
    inputs["enterprise_county"] = pop.enterprise_county.astype(np.int16)
    inputs["school_index"] = pop.platform_school.astype(np.int32)
    inputs |= _slots(pop.platform_cert, n, PLATFORM_SLOTS, "platform")
    return Prepared(WenzhouVet(), n, inputs, pop)


def calculate(prepared: Prepared, year: int = YEAR) -> dict[str, Any]:
    """Timed: build the simulation from the arrays, calculate every output, and the totals."""
    started = time.perf_counter()
    simulation = SimulationBuilder().build_default_simulation(prepared.tbs, prepared.count)
    period = str(year)
    for name, values in prepared.inputs.items():
        simulation.set_input(name, period, values)
    build_seconds = time.perf_counter() - started
    outputs = {key: simulation.calculate(key.split(".", 1)[1], period) for key in OUTPUTS}
    codes = {
        "school": np.asarray(simulation.calculate("county", period)),
        "sponsor": np.asarray(simulation.calculate("sponsor", period)),
        "enterprise": np.asarray(simulation.calculate("enterprise_county", period)),
        "platform": np.asarray(simulation.calculate("platform_county", period)),
    }
    return {"outputs": outputs, "totals": float_totals(outputs, codes), "build_seconds": build_seconds}


def float_totals(outputs: dict[str, Array], codes: dict[str, Array]) -> dict[str, Any]:
    """C14 in yuan (float64 sums of the float32 outputs)."""
    art20 = sum(outputs[f"school.{k}"].astype(np.float64) for k in _ART20)
    art13 = outputs["school.part_time_teacher_funding"].astype(np.float64)
    subsidy = outputs["enterprise.integration_subsidy"].astype(np.float64)
    award = outputs["platform.platform_award"].astype(np.float64)
    school_cost = art20 + art13
    n = len(SCHOOL_COUNTIES)
    by_county = np.bincount(codes["school"], weights=school_cost, minlength=n)
    by_county += np.bincount(codes["enterprise"], weights=subsidy, minlength=n)
    by_county += np.bincount(codes["platform"], weights=award, minlength=n)
    city = school_cost[codes["sponsor"] == Sponsor.city.index].sum()
    by_article = {"art03": award.sum(), "art07": subsidy.sum(), "art13": art13.sum(), "art20": art20.sum()}
    return {
        "fiscal_cost": sum(by_article.values()),
        "by_payer": {"city": city + award.sum(), "county": school_cost.sum() - city + subsidy.sum()},
        "by_article": by_article,
        "by_county": dict(zip(SCHOOL_COUNTIES, by_county, strict=True)),
    }


_ART20 = ("appropriation_uplift_amount", "public_expenditure_uplift_amount", "donation_matching_min")


SCALE = {"fen": 100, "ppm": 1_000_000, "persons": 1}


def to_scaled(values: Array, unit: str) -> Array:
    """An OpenFisca output as the engine's integers: rounded half up to the fen (or ppm); counts as they are."""
    if unit == "persons":
        return np.asarray(values).astype(np.int64)
    return np.floor(np.asarray(values, dtype=np.float64) * SCALE[unit] + 0.5).astype(np.int64)


def scaled_totals(totals: dict[str, Any]) -> dict[str, Any]:
    def fen(yuan: float) -> int:
        return int(np.floor(yuan * 100 + 0.5))

    return {
        "fiscal_cost": fen(totals["fiscal_cost"]),
        **{key: {k: fen(v) for k, v in totals[key].items()} for key in ("by_payer", "by_article", "by_county")},
    }


def arrays(result: dict[str, Any]) -> dict[str, Array]:
    return {key: to_scaled(result["outputs"][key], unit) for key, (_entity, unit) in OUTPUTS.items()}


def checksums(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {k: checksum_bytes(v.astype("<i8").tobytes(), int(v.sum())) for k, v in arrays(result).items()}
    out["totals (C14)"] = checksum_totals(scaled_totals(result["totals"]))
    return out


def differences(result: dict[str, Any], prepared: Prepared) -> dict[str, dict[str, Any]]:
    """Where OpenFisca (rounded to the fen) differs from the exact result, per output, in natural units."""
    exact_result = numpy_impl.calculate(prepared.exact)
    exact = numpy_impl.arrays(exact_result)
    out: dict[str, dict[str, Any]] = {}
    for key, values in arrays(result).items():
        unit = OUTPUTS[key][1]
        diff = np.abs(values - exact[key])
        worst = int(diff.argmax()) if len(diff) else 0
        out[key] = {
            "rows_differing": int((diff != 0).sum()),
            "max_abs_diff": float(diff.max()) / SCALE[unit] if len(diff) else 0.0,
            "unit": {"fen": "yuan", "ppm": "rate", "persons": "persons"}[unit],
            "worst_row": worst,
            "sum_diff": float((values - exact[key]).sum()) / SCALE[unit],
        }
    mine, truth = scaled_totals(result["totals"]), exact_result["totals"]
    items = [("fiscal_cost", mine["fiscal_cost"], truth["fiscal_cost"])]
    items += [
        (f"{g}.{k}", mine[g].get(k, 0), v) for g in ("by_payer", "by_article", "by_county") for k, v in truth[g].items()
    ]
    diffs = [abs(a - b) for _, a, b in items]
    out["totals (C14)"] = {
        "rows_differing": sum(d != 0 for d in diffs),
        "max_abs_diff": max(diffs) / 100,
        "unit": "yuan",
        "worst_row": items[diffs.index(max(diffs))][0],
        "sum_diff": (mine["fiscal_cost"] - truth["fiscal_cost"]) / 100,
    }
    return out
