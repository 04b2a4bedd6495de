"""Where NumPy's time goes, and what it would pay to start from String ids as zhijiao does.

    benchmarks/.venv-openfisca/bin/python benchmarks/numpy_parts.py [--size 1000000]

numpy_impl.calculate gets integer codes and row links prepared by numpy_impl.load (not timed). This
times its parts, and the work it skipped: resolving the String links (certification → enterprise or
platform, platform → school) to rows, and decoding the String codes, as zhijiao's timed run must.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl

import numpy_impl
from common import YEAR, data_dir

Array = np.ndarray[Any, Any]


def best_of(function: Callable[[], Any], repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def resolve(keys: Array, ids: Array) -> Array:
    """Row of each key in ``ids`` (String arrays): argsort + searchsorted."""
    order = np.argsort(ids, kind="stable")
    return order[np.searchsorted(ids, keys, sorter=order)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args()
    folder = data_dir(args.size)
    pop = numpy_impl.load(folder)
    frames = {n: pl.read_parquet(folder / f"{n}.parquet") for n in numpy_impl._FILES}  # noqa: SLF001
    text = {
        (n, c): frames[n][c].to_numpy().astype(str)
        for n, c in [
            ("enterprise", "id"),
            ("enterprise_certification", "enterprise_id"),
            ("enterprise_certification", "level"),
            ("platform", "id"),
            ("platform_certification", "platform_id"),
            ("platform", "school_id"),
            ("school", "id"),
            ("school", "ownership"),
        ]
    }
    owners, platforms = len(pop.enterprise_county), len(pop.platform_school)
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("numpy_impl.calculate (as timed in the benchmark)", lambda: numpy_impl.calculate(pop)),
        ("  school outputs C1–C11", lambda: numpy_impl.school_outputs(pop.school)),
        (
            "  integration_subsidy C12",
            lambda: numpy_impl.certification_awards(pop.enterprise_cert, owners, numpy_impl.INTEGRATION_SUBSIDY, YEAR),
        ),
        (
            "  platform_award C13",
            lambda: numpy_impl.certification_awards(pop.platform_cert, platforms, numpy_impl.PLATFORM_AWARD, YEAR),
        ),
        (
            "not timed there: certification → enterprise row from String ids",
            lambda: resolve(text["enterprise_certification", "enterprise_id"], text["enterprise", "id"]),
        ),
        (
            "not timed there: certification → platform row from String ids",
            lambda: resolve(text["platform_certification", "platform_id"], text["platform", "id"]),
        ),
        (
            "not timed there: platform → school row from String ids",
            lambda: resolve(text["platform", "school_id"], text["school", "id"]),
        ),
        (
            "not timed there: level codes from Strings (2 M certifications)",
            lambda: (
                (text["enterprise_certification", "level"] == "provincial") * 1
                + (text["enterprise_certification", "level"] == "national") * 2
            ),
        ),
        ("not timed there: ownership == 'public' on Strings", lambda: text["school", "ownership"] == "public"),
    ]
    print(f"| NumPy at N = {args.size:,} | best of 5 (s) |")
    print("|---|---:|")
    for label, function in cases:
        print(f"| {label} | {best_of(function):.3f} |")


if __name__ == "__main__":
    main()
