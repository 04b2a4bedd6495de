"""One (method, size) measurement in a fresh process; prints one JSON object on its last line.

    .venv/bin/python benchmarks/worker.py zhijiao 10000
    .venv/bin/python benchmarks/worker.py zhijiao-prepared 10000
    benchmarks/.venv-openfisca/bin/python benchmarks/worker.py numpy 10000
    benchmarks/.venv-openfisca/bin/python benchmarks/worker.py openfisca 10000

Loading (import, policy or tax-benefit system, reading Parquet, preparing arrays) is not timed. After
loading, freed glibc heap is returned to the OS (malloc_trim), the process's RSS is read (the baseline)
and its peak RSS is reset (/proc/self/clear_refs), so the peak read after the runs belongs to the
calculations. Each run drops the previous result first. run.py takes the memory columns from a separate
``--memory-only`` run started with _RJEM_MALLOC_CONF=dirty_decay_ms:0,muzzy_decay_ms:0, so that Polars'
jemalloc returns freed pages at once too (otherwise pages freed while loading stay resident, are reused
by the calculation and hide its allocations); that setting slows Polars, so its times are not reported.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import platform
import sys
import time
from typing import Any

from common import cpu_counters, data_dir, load_average, others_cpu_share, reset_peak, rss_now, rss_peak, trim_heap

MODULES = {
    "zhijiao": "zhijiao_impl",
    "zhijiao-prepared": "zhijiao_impl",
    "numpy": "numpy_impl",
    "openfisca": "openfisca_impl",
}


def _versions(method: str) -> dict[str, str]:
    from importlib.metadata import version  # noqa: PLC0415

    names = {"zhijiao": ["zhijiao", "polars"], "numpy": ["numpy", "polars"], "openfisca": ["openfisca-core", "numpy"]}
    return {"python": platform.python_version(), **{n: version(n) for n in names[method.split("-", maxsplit=1)[0]]}}


def measure(method: str, size: int, repeats: int, *, memory_only: bool = False) -> dict[str, Any]:
    impl = importlib.import_module(MODULES[method])
    started = time.perf_counter()
    loaded = (impl.load_prepared if method.endswith("-prepared") else impl.load)(data_dir(size))
    load_seconds = time.perf_counter() - started
    gc.collect()
    trim_heap()
    baseline = rss_now()
    load_before = load_average()
    peak_reset = reset_peak()
    times: list[float] = []
    parts: list[float] = []
    result: Any = None
    counters = cpu_counters()
    wall = time.perf_counter()
    for _ in range(repeats):
        result = None
        gc.collect()
        started = time.perf_counter()
        result = impl.calculate(loaded)
        times.append(time.perf_counter() - started)
        if isinstance(result, dict) and "build_seconds" in result:  # OpenFisca: simulation building, of it
            parts.append(result["build_seconds"])
    peak = rss_peak()
    others = others_cpu_share(counters, cpu_counters(), time.perf_counter() - wall)
    out: dict[str, Any] = {
        "method": method,
        "size": size,
        "times": times,
        "best": min(times),
        "load_seconds": load_seconds,
        "baseline_rss": baseline,
        "peak_rss": peak,
        "peak_reset": peak_reset,
        "load_average": [load_before, load_average()],
        "others_cpu": others,
        "versions": _versions(method),
    }
    if parts:
        out["build_seconds"] = parts[times.index(min(times))]
    if memory_only:
        return out
    out["checksums"] = impl.checksums(result)
    if method == "openfisca":
        out["differences"] = impl.differences(result, loaded)
    if method.startswith("zhijiao"):
        import polars as pl  # noqa: PLC0415

        out["threads"] = pl.thread_pool_size()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="one benchmark measurement")
    parser.add_argument("method", choices=sorted(MODULES))
    parser.add_argument("size", type=int)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--memory-only", action="store_true", help="skip checksums (a run for the memory columns)")
    args = parser.parse_args()
    result = measure(args.method, args.size, args.repeats, memory_only=args.memory_only)
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
