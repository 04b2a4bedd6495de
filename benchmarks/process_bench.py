"""The whole-process batch (issue 15): population files in, every check, tables out, timed as a process.

    .venv/bin/python benchmarks/process_bench.py --sizes 10000            # smoke run: prints, writes nothing
    .venv/bin/python benchmarks/process_bench.py                          # 10^4, 10^5, 10^6 → SPEED_RESULTS.md

Each run is a fresh subprocess timed from start to exit, with its own peak RSS (``os.wait4``, what
``/usr/bin/time -v`` reports), writing into benchmarks/data/<N>/out-<method>/ (gitignored):

* ``zhijiao``: ``.venv/bin/zhijiao calc --year 2024 --schools … --out DIR`` on the CSV files;
* ``zhijiao-parquet``: the same with the Parquet files and ``--format parquet``;
* ``numpy``: numpy_process.py (Polars I/O, the same checks, the rules on int64) on the CSV files;
* ``numpy-parquet``: numpy_process.py with the Parquet files and ``--format parquet``;
* ``openfisca``: openfisca_process.py (typed read, the OpenFisca simulation, outputs rounded to the fen).

The input files are generate.py's population (``--files``): money in yuan with two decimals. The outputs
are read back from the files each process wrote and checksummed per output (common.checksum_ints over
the rows sorted by id) and for the totals (totals.json). Also timed: ``zhijiao calc one.json`` (one
school) as a whole process, the start-up target. From 10^5 on, a run first waits for a quiet machine
(common.wait_for_quiet, at most ``--quiet-timeout`` s), and a disturbed run is repeated once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from common import (
    BENCH_PYTHON,
    HERE,
    OUTPUTS,
    ROOT,
    TOTALS,
    YEAR,
    checksum_ints,
    checksum_totals,
    cpu_counters,
    data_dir,
    git,
    load_average,
    others_cpu_during,
    spawn,
    wait_for_quiet,
    write_section,
)
from zhijiao.api.calculate import EXAMPLE

ZHIJIAO = ROOT / ".venv" / "bin" / "zhijiao"
METHODS = ("zhijiao", "zhijiao-parquet", "numpy", "numpy-parquet", "openfisca")
FULL_SIZES = (10_000, 100_000, 1_000_000)
QUIET_FROM = 100_000
RESULTS = HERE / "SPEED_RESULTS.md"
HEADER = """# Speed where people feel it (issue 15): the whole batch and one calculation over HTTP

Written by `benchmarks/process_bench.py` (the batch) and `benchmarks/http_bench.py` (HTTP); each replaces only
its own section below. How to run them: benchmarks/README.md, section "Speed where people feel it".
"""
PLURALS = {
    "school": "schools",
    "enterprise": "enterprises",
    "enterprise_certification": "enterprise_certifications",
    "platform": "platforms",
    "platform_certification": "platform_certifications",
}
# Compared besides common.OUTPUTS: what each certification pays (zhijiao and NumPy write these tables).
DUES = {
    "enterprise_certification.integration_subsidy_due": ("enterprise_certification", "fen"),
    "platform_certification.platform_award_due": ("platform_certification", "fen"),
}
SCALE = {"fen": 100, "ppm": 1_000_000, "persons": 1}
ONE_SCHOOL = {"year": YEAR, "schools": EXAMPLE["schools"]}  # the API's example school, default options


def command(method: str, size: int, out: Path) -> list[str]:
    fmt = "parquet" if method.endswith("-parquet") else "csv"
    files = data_dir(size) / f"files-{fmt}"
    options = [f"--{plural.replace('_', '-')}={files / f'{plural}.{fmt}'}" for plural in PLURALS.values()]
    options += ["--year", str(YEAR), "--out", str(out)]
    if method.startswith("zhijiao"):
        return [str(ZHIJIAO), "calc", *options, "--format", fmt]
    script = "openfisca_process.py" if method == "openfisca" else "numpy_process.py"
    return [str(BENCH_PYTHON), script, *options, "--format", fmt]


def run_once(method: str, size: int) -> dict[str, Any]:
    out = data_dir(size) / f"out-{method}"
    shutil.rmtree(out, ignore_errors=True)
    before, load = cpu_counters(), load_average()
    done = spawn(command(method, size, out))
    others = others_cpu_during(before, cpu_counters(), done.wall, done.cpu)
    return {"wall": done.wall, "rss": done.peak_rss, "cpu": done.cpu, "others": others, "load": load, "out": out}


def measure(method: str, size: int, args: argparse.Namespace) -> dict[str, Any]:
    """Best of ``--repeats`` whole-process runs. From 10^5 on: first a wait (up to ``--quiet-timeout`` s) for
    a quiet machine, and a run disturbed by other processes is repeated (``--retries``), the quietest kept."""
    runs: list[dict[str, Any]] = []
    if size >= QUIET_FROM:
        wait_for_quiet(args.max_noise, args.quiet_timeout)
    for _ in range(args.repeats):
        best: dict[str, Any] = {}
        attempts = args.retries + 1 if size >= QUIET_FROM else 1  # small runs: too short to read the noise
        for attempt in range(attempts):
            current = run_once(method, size)
            if not best or current["others"] < best["others"]:
                best = current
            if best["others"] <= args.max_noise or attempt == attempts - 1:
                break
            print(f"  {method} N={size:,}: other processes used {current['others']:.0%} of the CPUs, again")
            time.sleep(5)
        runs.append(best)
    fastest = min(runs, key=lambda r: r["wall"])
    result = {"method": method, "size": size, "runs": runs, "best": fastest["wall"], "rss": max(r["rss"] for r in runs)}
    result["others"] = max(r["others"] for r in runs)
    result["checksums"] = output_checksums(fastest["out"], "parquet" if method.endswith("-parquet") else "csv")
    times = ", ".join(f"{r['wall']:.2f}" for r in runs)
    print(
        f"  {method:<16} N={size:>9,}  best {result['best']:.3f} s  (runs {times})  peak RSS {mib(result['rss'])} MiB"
    )
    return result


def _scaled(column: str, unit: str) -> pl.Expr:
    text = pl.col(column).cast(pl.String)
    if unit == "persons":
        return text.cast(pl.Int64)
    digits = len(str(SCALE[unit])) - 1
    return (text.cast(pl.Decimal(38, digits)) * SCALE[unit]).cast(pl.Int64)


def output_checksums(out: Path, fmt: str) -> dict[str, dict[str, Any]]:
    """Per output, the checksum of the scaled integers over the rows sorted by id; the totals in fen."""
    sums: dict[str, dict[str, Any]] = {}
    for key, (entity, unit) in {**OUTPUTS, **DUES}.items():
        path = out / f"{PLURALS[entity]}.{fmt}"
        name = key.split(".", 1)[1]
        if not path.exists():
            continue
        table = pl.read_parquet(path) if fmt == "parquet" else pl.read_csv(path, infer_schema=False)
        if name not in table.columns:
            continue
        values = table.select(pl.col("id").cast(pl.String), _scaled(name, unit)).sort("id")[name]
        sums[key] = checksum_ints(values.to_list())
    document = json.loads((out / "totals.json").read_text(encoding="utf-8"), parse_float=Decimal)
    document = document if "fiscal_cost" in document else document["baseline"]

    def fen(yuan: Decimal | int) -> int:
        return int(Decimal(yuan) * 100)

    totals = {"fiscal_cost": fen(document["fiscal_cost"])}
    totals |= {g: {k: fen(v) for k, v in document[g].items()} for g in ("by_payer", "by_article", "by_county")}
    sums[TOTALS] = checksum_totals(totals)
    return sums


def startup(repeats: int) -> dict[str, Any]:
    """``zhijiao calc one.json`` (one school) as a whole process: best of ``repeats``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one.json"
        path.write_text(json.dumps(ONE_SCHOOL, ensure_ascii=False), encoding="utf-8")
        spawn([str(ZHIJIAO), "calc", str(path)])  # warm the file cache once
        walls = [spawn([str(ZHIJIAO), "calc", str(path)]).wall for _ in range(repeats)]
    print(f"  zhijiao calc one.json: best {min(walls):.3f} s (runs {', '.join(f'{w:.3f}' for w in walls)})")
    return {"best": min(walls), "runs": walls}


def mib(value: int) -> str:
    return f"{value / 1024 / 1024:,.0f}"


def performance_table(results: list[dict[str, Any]]) -> list[str]:
    lines = [
        (
            "| N | method | input → output | whole process, best (s) | runs (s) | × NumPy (same format) "
            "| × OpenFisca | peak RSS (MiB) | others' CPU (worst run) |"
        ),
        "|---:|---|---|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        same = {x["method"]: x["best"] for x in results if x["size"] == r["size"]}
        parquet = r["method"].endswith("-parquet")
        numpy = same.get("numpy-parquet" if parquet else "numpy")
        openfisca = same.get("openfisca")
        runs = ", ".join(f"{x['wall']:.2f}" for x in r["runs"])
        versus_numpy = f"{r['best'] / numpy:.2f}×" if numpy else "–"
        versus_openfisca = f"{r['best'] / openfisca:.2f}×" if openfisca and not parquet else "–"
        lines.append(
            f"| {r['size']:,} | {r['method']} | {'Parquet → Parquet' if parquet else 'CSV → CSV'} "
            f"| {r['best']:.3f} | {runs} | {versus_numpy} | {versus_openfisca} | {mib(r['rss'])} | {r['others']:.0%} |"
        )
    return lines


def checksum_table(size: int, by_method: dict[str, dict[str, Any]]) -> tuple[list[str], bool]:
    """zhijiao's sums and hashes; whether every other method's are identical."""
    others = [m for m in METHODS if m in by_method and m != "zhijiao"]
    lines = [
        f"#### N = {size:,}",
        "",
        "| output | zhijiao sum | zhijiao sha256 | " + " | ".join(others) + " |",
        "|---|---:|---|" + "---|" * len(others),
    ]
    equal = True
    base = by_method.get("zhijiao", {}).get("checksums", {})
    for key in [*OUTPUTS, *DUES, TOTALS]:
        z = base.get(key)
        cells = [key, f"{z['sum']:,}" if z else "–", f"`{z['sha256']}`" if z else "–"]
        for method in others:
            other = by_method[method]["checksums"].get(key)
            if other is None or z is None:
                cells.append("–")
                continue
            same = (other["sum"], other["sha256"]) == (z["sum"], z["sha256"])
            if method != "openfisca":
                equal &= same
            cells.append("identical" if same else f"**differs**: {other['sum']:,} `{other['sha256']}`")
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""], equal


def targets(results: list[dict[str, Any]], one: dict[str, Any] | None, equal: bool) -> list[str]:
    size = max(r["size"] for r in results)
    best = {r["method"]: r["best"] for r in results if r["size"] == size}
    lines = ["| issue-15 target | measured | verdict |", "|---|---|---|"]
    if one:
        verdict = "met" if one["best"] <= 0.3 else "not met"
        lines.append(f"| `zhijiao calc one.json` whole process ≤ 0.3 s | {one['best']:.3f} s | **{verdict}** |")
    if {"zhijiao", "numpy"} <= set(best):
        z, n = best["zhijiao"], best["numpy"]
        lines += [
            (
                f"| batch at N = {size:,} (CSV in, tables out, all checks) ≤ NumPy whole process "
                f"| zhijiao {z:.3f} s, NumPy {n:.3f} s: **{z / n:.2f}×** | **{'met' if z <= n else 'not met'}** |"
            ),
            f"| … aim: half of NumPy | {z / n:.2f}× | {'met' if z <= n / 2 else 'not met'} |",
        ]
    if {"zhijiao", "openfisca"} <= set(best):
        z, o = best["zhijiao"], best["openfisca"]
        lines.append(
            f"| (issue's table: 3.3–4× slower than OpenFisca) | zhijiao {z:.3f} s, OpenFisca {o:.3f} s: "
            f"**{z / o:.2f}×** OpenFisca's time | {'faster' if z <= o else 'slower'} |"
        )
    if {"zhijiao-parquet", "numpy-parquet"} <= set(best):
        z, n = best["zhijiao-parquet"], best["numpy-parquet"]
        lines.append(
            f"| Parquet in and out as fast as the format allows (anchor: NumPy, Parquet → Parquet) "
            f"| zhijiao {z:.3f} s, NumPy {n:.3f} s: **{z / n:.2f}×** | {'met' if z <= n else 'not met'} |"
        )
    lines.append(
        f"| equal checksums (zhijiao, NumPy; CSV and Parquet) | every output and the totals, every N "
        f"| **{'equal' if equal else 'DIFFERENT'}** |"
    )
    return [*lines, ""]


def environment(loads: tuple[float, float], started: dt.datetime) -> str:
    bench = subprocess.run(
        [str(BENCH_PYTHON), "-c", ("import numpy, polars, openfisca_core, platform as p; "
         "from importlib.metadata import version as v; "
         "print(p.python_version(), numpy.__version__, polars.__version__, v('openfisca-core'))")],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    cpu = next(
        (ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in ln),
        "unknown CPU",
    )
    return (
        f"Measured {started:%Y-%m-%d %H:%M} UTC, zhijiao at commit {git('rev-parse', '--short', 'HEAD')} "
        f"(work tree as it was, other sessions editing src/); {cpu}, {os.cpu_count()} cores; project venv Python "
        f"{platform.python_version()}, Polars {pl.__version__} (thread pool {pl.thread_pool_size()}); benchmark "
        f"venv Python {bench[0]}, NumPy {bench[1]}, Polars {bench[2]}, OpenFisca-core {bench[3]}. 1-minute load "
        f"average {loads[0]:.2f} at start, {loads[1]:.2f} at end."
    )


def report(results: list[dict[str, Any]], one: dict[str, Any] | None, env: str) -> tuple[str, bool]:
    lines = ["## The whole-process batch (`process_bench.py`)", "", env, ""]
    tables, equal = [], True
    for size in sorted({r["size"] for r in results}):
        table, same = checksum_table(size, {r["method"]: r for r in results if r["size"] == size})
        tables += table
        equal &= same
    lines += ["### Targets", "", *targets(results, one, equal), "### Time and memory", "", *performance_table(results)]
    lines += [
        "",
        (
            "Whole process: wall clock from the subprocess's start to its exit (interpreter start-up, imports, "
            "reading, every check, the rules, writing every table and totals.json), best of the runs; peak RSS: "
            "the child's `ru_maxrss` (`os.wait4`, as `/usr/bin/time -v`), the largest of the runs. *Others' CPU*: "
            "the share of the CPUs that other processes used during the run (machine-wide busy time from "
            "/proc/stat minus the child's own CPU time). NumPy's and OpenFisca's checks: see numpy_process.py "
            "and openfisca_process.py (OpenFisca checks only what parsing catches)."
        ),
        "",
        "### Checksums of the written tables",
        "",
        (
            "Per output, read back from the file each process wrote: the sum of the scaled integers (fen, ppm, "
            "persons) and the sha256 of the int64 array over the rows sorted by id; totals from totals.json in fen. "
            "OpenFisca computes money in float32 (rounded half up to the fen when written), so it differs where "
            "products are large (see RESULTS.md), and writes no per-certification tables."
        ),
        "",
        *tables,
    ]
    return "\n".join(lines) + "\n", equal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(FULL_SIZES))
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS))
    parser.add_argument("--repeats", type=int, default=3, help="whole-process runs per (method, size); best kept")
    parser.add_argument("--max-noise", type=float, default=0.10, help="others' CPU share above which to re-run")
    parser.add_argument("--retries", type=int, default=1, help="re-runs allowed per disturbed run")
    parser.add_argument("--quiet-timeout", type=float, default=60.0, help="longest wait for a quiet machine (s)")
    parser.add_argument(
        "--output", default=None, help="file to write the section into, '-' for none; default: SPEED_RESULTS.md "
        "for the full run (all sizes and methods), none otherwise"
    )  # fmt: skip
    args = parser.parse_args()
    started, load_start = dt.datetime.now(dt.UTC), load_average()
    sizes = [str(s) for s in args.sizes]
    subprocess.run([str(BENCH_PYTHON), "generate.py", "--files", "--sizes", *sizes], cwd=HERE, check=True)
    one = startup(10) if "zhijiao" in args.methods else None
    results = [measure(m, size, args) for size in args.sizes for m in args.methods]
    text, equal = report(results, one, environment((load_start, load_average()), started))
    print()
    print(text)
    full = sorted(args.sizes) == sorted(FULL_SIZES) and set(args.methods) == set(METHODS)
    output = args.output or (str(RESULTS) if full else "-")
    if output != "-":
        write_section(Path(output), "batch", text, HEADER)
        print(f"written to {output}")
    if not equal:
        sys.exit(1)


if __name__ == "__main__":
    main()
