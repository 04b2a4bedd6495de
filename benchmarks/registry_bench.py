"""Registry benchmarks: xlsx import, re-import and export at 10⁵ rows; a year's cost at ``zhijiao demo --scale 100``.

Every measurement runs in a fresh subprocess of this script, so its peak memory is its own. The peak is the
child's VmHWM (/proc/self/status), reset just before the measured call (``echo 5 > /proc/self/clear_refs``);
the growth is that peak minus VmRSS just before the call. Files are generated once, deterministically (fixed
seed), under benchmarks/data/registry/ (gitignored); their generation is not part of any import time.

    .venv/bin/python benchmarks/registry_bench.py            # everything on SQLite (+ PostgreSQL when
                                                             # ZHIJIAO_TEST_POSTGRES_URL is set); writes
                                                             # benchmarks/REGISTRY_RESULTS.md
    bash scripts/with-postgres.sh .venv/bin/python benchmarks/registry_bench.py

One measurement on its own (a fresh database unless --url is given):

    .venv/bin/python benchmarks/registry_bench.py --case import --table enterprises --rows 100000 --db sqlite
    .venv/bin/python benchmarks/registry_bench.py --case cost --scale 100 --db sqlite [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import random
import re
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, func, make_url, select, text
from sqlalchemy.orm import Session

from zhijiao.demo import names
from zhijiao.registry.counties import county_codes
from zhijiao.storage.base import Base
from zhijiao.storage.database import engine_for, unit_of_work
from zhijiao.storage.migrate import upgrade

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "registry"
RESULTS = HERE / "REGISTRY_RESULTS.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
SEED = 2023
SCALE = 100
COST_YEAR = 2024
TEACHER_YEARS = range(2000, 2023)  # before the demo's 2023–2026: every row of the file is a new key
CHILD_TIMEOUT = 900
MB = 1024 * 1024
SQLITE_EXTRA = ("-wal", "-shm")


# ---------------------------------------------------------------------------------------------------------------
# Memory and time of one measured call, inside the child
# ---------------------------------------------------------------------------------------------------------------


def _status_kb(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0); False where that is not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@dataclass
class Measurement:
    case: str
    engine: str
    rows: int
    seconds: float = 0.0
    base_rss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    process_peak_mb: float = 0.0  # the child's whole life, imports and set-up included
    peak_reset: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def growth_mb(self) -> float:
        return self.peak_rss_mb - self.base_rss_mb

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@contextmanager
def measured(result: Measurement, *, profile: bool = False) -> Iterator[None]:
    gc.collect()
    before = _status_kb("VmHWM")
    result.peak_reset = _reset_peak()
    result.base_rss_mb = _status_kb("VmRSS") / 1024
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    try:
        yield
    finally:
        if profiler:
            profiler.disable()
        result.seconds = time.perf_counter() - start
        peak = _status_kb("VmHWM")
        result.peak_rss_mb = peak / 1024
        result.process_peak_mb = max(before, peak) / 1024
        if profiler:
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(35)
            stats.sort_stats("tottime").print_stats(25)


# ---------------------------------------------------------------------------------------------------------------
# Databases: a fresh one per scenario
# ---------------------------------------------------------------------------------------------------------------


def _admin(url: str) -> Engine:
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def fresh_database(kind: str, name: str) -> str:
    """An empty database migrated to head; its URL."""
    if kind == "sqlite":
        path = DATA / f"{name}.sqlite3"
        for suffix in ("", *SQLITE_EXTRA):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        upgrade(engine_for(url))
        return url
    server = os.environ.get("ZHIJIAO_TEST_POSTGRES_URL")
    if not server:
        raise SystemExit("--db postgresql needs ZHIJIAO_TEST_POSTGRES_URL (run through scripts/with-postgres.sh)")
    admin = _admin(server)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    engine = engine_for(url)
    upgrade(engine)
    engine.dispose()  # no pooled connection may outlive the scenario: DROP DATABASE refuses while one is open
    return url


def drop_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", *SQLITE_EXTRA):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    admin = _admin(url)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
    admin.dispose()


def engine_name(url: str) -> str:
    return "SQLite" if make_url(url).get_backend_name() == "sqlite" else "PostgreSQL"


# ---------------------------------------------------------------------------------------------------------------
# Files: deterministic, generated once
# ---------------------------------------------------------------------------------------------------------------


def _counties() -> dict[str, str]:
    """County name → code, from a migrated scratch database (the migration holds the list)."""
    url = fresh_database("sqlite", "counties")
    engine = engine_for(url)
    with unit_of_work(engine) as session:
        codes = county_codes(session)
    engine.dispose()
    drop_database(url)
    return codes


def _firm_name(rng: random.Random, county: str, industry: str, number: int) -> str:
    """A plausible, unique name: prefix + a four-syllable 字号 spelled from ``number`` + the industry's suffix."""
    syllables = names.FIRM_SYLLABLES
    base = len(syllables)
    mark = ""
    for _ in range(4):
        number, digit = divmod(number, base)
        mark += syllables[digit]
    return rng.choice(names.FIRM_PREFIXES[county]) + mark + rng.choice(names.FIRM_SUFFIXES[industry])


def enterprise_rows(rows: int) -> Iterator[list[object]]:
    rng = random.Random(f"registry-bench/{SEED}/enterprises")
    codes = _counties()
    counties, weights = list(names.ENTERPRISE_WEIGHTS), list(names.ENTERPRISE_WEIGHTS.values())
    for i in range(rows):
        county = rng.choices(counties, weights=weights)[0]
        industry = rng.choice(names.COUNTY_INDUSTRIES[county])
        code = names.credit_code(codes[county], i, old_style=rng.random() < 0.3)
        yield [code, _firm_name(rng, county, industry, i), county, industry if rng.random() < 0.95 else None]


def teacher_rows(rows: int) -> Iterator[list[object]]:
    """(school, year) for the demo's schools at SCALE and the years before the demo's, school by school."""
    rng = random.Random(f"registry-bench/{SEED}/teacher_stats")
    schools = len(names.SCHOOLS) * SCALE
    keys = [(f"SCH-{s:04d}", y) for s in range(1, schools + 1) for y in TEACHER_YEARS]
    if rows > len(keys):
        raise SystemExit(f"teacher_stats: at most {len(keys)} keys at scale {SCALE}")
    for code, year in keys[:rows]:
        full_time = rng.randint(20, 600)
        part_time = full_time * rng.randint(5, 45) // 100
        fte = part_time * rng.randint(25, 60)  # hundredths
        yield [
            code,
            year,
            full_time,
            part_time,
            fte / 100 if rng.random() < 0.9 else None,
            full_time * rng.randint(50, 90) // 100,
            rng.randint(0, full_time // 5) if rng.random() < 0.8 else None,
        ]


GENERATORS: dict[str, Callable[[int], Iterator[list[object]]]] = {
    "enterprises": enterprise_rows,
    "teacher_stats": teacher_rows,
}


def _written(path: Path, seconds: float | None = None) -> float:
    """Seconds it took to write ``path``, kept beside it so a cached file still reports them."""
    sidecar = path.with_name(path.name + ".seconds")
    if seconds is not None:
        sidecar.write_text(f"{seconds:.3f}")
        return seconds
    return float(sidecar.read_text()) if sidecar.exists() else 0.0


def data_file(table: str, rows: int, *, shared: bool = False, suffix: str = ".xlsx") -> Path:
    return DATA / f"{table}-{rows}{'-shared' if shared else ''}{suffix}"


def generate_file(table: str, rows: int, suffix: str = ".xlsx") -> tuple[Path, float]:
    """The file as ``zhijiao export`` writes it (Chinese headers; xlsx with inline strings); seconds to write it."""
    from zhijiao.registry.exporter import header  # noqa: PLC0415 -- only the parent writes files
    from zhijiao.registry.sheets import write_rows  # noqa: PLC0415
    from zhijiao.registry.tables import BY_NAME  # noqa: PLC0415

    path = data_file(table, rows, suffix=suffix)
    if path.exists():
        return path, _written(path)
    start = time.perf_counter()
    spec = BY_NAME[table]
    partial = path.with_suffix(".partial" + suffix)
    write_rows(partial, header(spec, "zh"), GENERATORS[table](rows), title=spec.label["zh"])
    partial.rename(path)
    return path, _written(path, time.perf_counter() - start)


_INLINE = re.compile(rb'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>(.*?)</t></is></c>')
_SHARED_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHARED_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def shared_strings_copy(source: Path) -> tuple[Path, float]:
    """The same workbook as Excel and WPS save it: every string in xl/sharedStrings.xml, cells by index."""
    path = source.with_name(source.stem + "-shared.xlsx")
    if path.exists():
        return path, _written(path)
    start = time.perf_counter()
    strings: dict[bytes, int] = {}
    cells = 0

    def index(match: re.Match[bytes]) -> bytes:
        nonlocal cells
        cells += 1
        number = strings.setdefault(match[2], len(strings))
        return b'<c r="' + match[1] + b'" t="s"><v>' + str(number).encode() + b"</v></c>"

    partial = path.with_suffix(".partial.xlsx")
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = _INLINE.sub(index, data)
            elif item.filename == "[Content_Types].xml":
                override = b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + _SHARED_TYPE + b'"/>'
                data = data.replace(b"</Types>", override + b"</Types>")
            elif item.filename == "xl/_rels/workbook.xml.rels":
                rel = b'<Relationship Id="rIdShared" Type="' + _SHARED_REL + b'" Target="sharedStrings.xml"/>'
                data = data.replace(b"</Relationships>", rel + b"</Relationships>")
            new.writestr(item.filename, data)
        body = b"".join(b"<si><t>" + s + b"</t></si>" for s in strings)
        new.writestr(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="'
            + str(cells).encode()
            + b'" uniqueCount="'
            + str(len(strings)).encode()
            + b'">'
            + body
            + b"</sst>",
        )
    partial.rename(path)
    return path, _written(path, time.perf_counter() - start)


# ---------------------------------------------------------------------------------------------------------------
# The cases, each run in its own process
# ---------------------------------------------------------------------------------------------------------------


def _count(session: Session, table: str) -> int:
    return int(session.scalar(select(func.count()).select_from(Base.metadata.tables[table])) or 0)


def _demo(url: str, scale: int, result: Measurement | None, *, profile: bool = False) -> dict[str, int]:
    from zhijiao.demo.registry import generate  # noqa: PLC0415 -- the name lists load only for the demo

    engine = engine_for(url)
    if result is None:
        with unit_of_work(engine) as session:
            return generate(session, scale=scale).as_dict()
    with measured(result, profile=profile), unit_of_work(engine) as session:
        summary = generate(session, scale=scale)
    result.rows = summary.total
    return summary.as_dict()


def case_demo(args: argparse.Namespace, url: str) -> list[Measurement]:
    result = Measurement(f"demo --scale {args.scale}", engine_name(url), 0)
    counts = _demo(url, args.scale, result, profile=args.profile)
    result.extra = {"rows per table": counts}
    return [result]


def case_import(args: argparse.Namespace, url: str) -> list[Measurement]:
    from zhijiao.registry.importer import import_table  # noqa: PLC0415
    from zhijiao.registry.tables import BY_NAME  # noqa: PLC0415

    suffix = ".csv" if args.csv else ".xlsx"
    path = Path(args.file) if args.file else data_file(args.table, args.rows, shared=args.shared, suffix=suffix)
    if not path.exists():
        raise SystemExit(f"{path} is missing: run without --case first, or give --file")
    engine = engine_for(url)
    spec = BY_NAME[args.table]
    with unit_of_work(engine) as session:
        before = _count(session, args.table)
        county_codes(session)  # warm the connection pool and the mappers outside the measured call
    label = args.label or f"import {args.table}"
    result = Measurement(label, engine_name(url), args.rows)
    with measured(result, profile=args.profile), unit_of_work(engine) as session:
        report = import_table(session, spec, path)
    with unit_of_work(engine) as session:
        after = _count(session, args.table)
    result.rows = report.rows
    result.extra = {
        "file": path.name,
        "file MB": round(path.stat().st_size / MB, 1),
        "inserted": report.inserted,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "table rows before": before,
        "table rows after": after,
    }
    return [result]


def case_export(args: argparse.Namespace, url: str) -> list[Measurement]:
    from zhijiao.registry.exporter import export_table  # noqa: PLC0415
    from zhijiao.registry.tables import BY_NAME  # noqa: PLC0415

    engine = engine_for(url)
    with unit_of_work(engine) as session:
        county_codes(session)
    out = DATA / f"export-{args.table}-{engine_name(url).lower()}.xlsx"
    result = Measurement(f"export {args.table} → xlsx", engine_name(url), 0)
    with measured(result, profile=args.profile), unit_of_work(engine) as session:
        result.rows = export_table(session, BY_NAME[args.table], out)
    result.extra = {"file": out.name, "file MB": round(out.stat().st_size / MB, 1)}
    out.unlink()
    return [result]


def case_cost(args: argparse.Namespace, url: str) -> list[Measurement]:
    from zhijiao.engine.calculate import compare  # noqa: PLC0415
    from zhijiao.engine.rules import Period  # noqa: PLC0415
    from zhijiao.policies.wenzhou_vet_2023 import load  # noqa: PLC0415
    from zhijiao.registry.snapshot import frames_for_year  # noqa: PLC0415
    from zhijiao.simulation.cost import cost_for_year  # noqa: PLC0415

    engine = engine_for(url)
    start = time.perf_counter()
    policy = load()
    loaded = time.perf_counter() - start
    with unit_of_work(engine) as session:
        county_codes(session)
    year, who = args.year, engine_name(url)
    frames_step = Measurement(f"cost {year} (a) frames_for_year", who, 0)
    with measured(frames_step, profile=args.profile), unit_of_work(engine) as session:
        frames = frames_for_year(session, policy, Period(year))
    entities = {name: frame.height for name, frame in frames.items()}
    engine_step = Measurement(f"cost {year} (b) calculate.compare", who, sum(entities.values()))
    with measured(engine_step, profile=args.profile):
        comparison = compare(policy, frames, Period(year), None, None)
    frames_step.rows = engine_step.rows
    del frames, comparison
    whole = Measurement(f"cost {year} cost_for_year (a+b)", who, engine_step.rows)
    with measured(whole), unit_of_work(engine) as session:
        again = cost_for_year(session, policy, year)
    totals = again.baseline.totals
    whole.extra = {
        "policy load s": round(loaded, 2),
        "entities": entities,
        "fiscal cost (yuan)": f"{totals.fiscal_cost / 100:,.2f}",
        "by payer (yuan)": {k: f"{v / 100:,.2f}" for k, v in totals.by_payer.items()},
        "by article (yuan)": {k: f"{v / 100:,.2f}" for k, v in totals.by_article.items()},
    }
    return [frames_step, engine_step, whole]


CASES: dict[str, Callable[[argparse.Namespace, str], list[Measurement]]] = {
    "demo": case_demo,
    "import": case_import,
    "export": case_export,
    "cost": case_cost,
}


def child(args: argparse.Namespace) -> None:
    url = args.url
    if not url:  # on its own: a fresh database, with the demo under it where the case needs one
        DATA.mkdir(parents=True, exist_ok=True)
        url = fresh_database(args.db, f"zhijiao_bench_{args.case}")
        if args.case == "cost" or (args.case == "import" and args.table == "teacher_stats"):
            _demo(url, args.scale, None)
        if args.case == "export":
            raise SystemExit("--case export needs --url of a database that holds the table")
    results = CASES[args.case](args, url)
    print(json.dumps([asdict(r) | {"growth_mb": r.growth_mb} for r in results], ensure_ascii=False))


# ---------------------------------------------------------------------------------------------------------------
# The orchestrator: every case in a fresh subprocess, then the Markdown
# ---------------------------------------------------------------------------------------------------------------


def run_child(*arguments: str) -> list[Measurement]:
    command = [sys.executable, str(Path(__file__).resolve()), *arguments]
    shown = " ".join(arguments)
    print(f"  … {shown}", flush=True)
    done = subprocess.run(command, capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"child failed ({done.returncode}): {shown}")
    results = []
    for raw in json.loads(done.stdout.strip().splitlines()[-1]):
        raw.pop("growth_mb")
        results.append(Measurement(**raw))
    for r in results:
        print(
            f"    {r.case:<42} {r.engine:<10} {r.rows:>8} rows {r.seconds:8.2f} s "
            f"peak {r.peak_rss_mb:7.1f} MB growth {r.growth_mb:7.1f} MB",
            flush=True,
        )
    return results


def scenario_imports(kind: str, files: dict[str, Path]) -> list[Measurement]:
    results: list[Measurement] = []
    for key in ("enterprises-10000", "enterprises-100000", "enterprises-200000"):
        table, rows = key.rsplit("-", 1)
        url = fresh_database(kind, f"zhijiao_bench_{key.replace('-', '_')}")
        base = ("--url", url, "--table", table, "--rows", rows)
        results += run_child("--case", "import", *base)
        if rows == "100000":
            results += run_child("--case", "import", *base, "--label", f"re-import {table} (unchanged)")
            results += run_child("--case", "export", *base)
        drop_database(url)
    for key in ("enterprises-100000", "enterprises-200000"):
        table, rows = key.rsplit("-", 1)
        url = fresh_database(kind, f"zhijiao_bench_{key.replace('-', '_')}_shared")
        label = f"import {table} (sharedStrings xlsx)"
        results += run_child("--case", "import", "--url", url, "--table", table, "--rows", rows, "--shared",
                             "--label", label, "--file", str(files[key + "-shared"]))  # fmt: skip
        drop_database(url)
        url = fresh_database(kind, f"zhijiao_bench_{key.replace('-', '_')}_csv")
        results += run_child("--case", "import", "--url", url, "--table", table, "--rows", rows, "--csv",
                             "--label", f"import {table} (CSV)", "--file", str(files[key + "-csv"]))  # fmt: skip
        drop_database(url)
    return results


def scenario_demo(kind: str) -> list[Measurement]:
    url = fresh_database(kind, "zhijiao_bench_demo")
    results = run_child("--case", "demo", "--url", url, "--scale", str(SCALE))
    results += run_child("--case", "cost", "--url", url, "--year", str(COST_YEAR))
    base = ("--url", url, "--table", "teacher_stats", "--rows", "100000")
    results += run_child("--case", "import", *base, "--label", f"import teacher_stats (demo {SCALE} schools)")
    results += run_child("--case", "import", *base, "--label", "re-import teacher_stats (unchanged)")
    results += run_child("--case", "export", *base)
    drop_database(url)
    return results


def _versions(kinds: list[str]) -> dict[str, str]:
    out = {
        "python": platform.python_version(),
        "cpus": str(os.cpu_count()),
        "SQLite": sqlite3.sqlite_version,
        **{p: version(p) for p in ("SQLAlchemy", "openpyxl", "polars", "psycopg")},
    }
    if "postgresql" in kinds:
        engine = create_engine(os.environ["ZHIJIAO_TEST_POSTGRES_URL"])
        with engine.connect() as connection:
            out["PostgreSQL"] = str(connection.scalar(text("SHOW server_version")))
        engine.dispose()
    return out


def _mb(value: float) -> str:
    return f"{value:,.1f}"


def markdown(results: list[Measurement], generated: list[tuple[str, int, float, float]], kinds: list[str]) -> str:
    lines = [
        f"Run on {time.strftime('%Y-%m-%d %H:%M %Z')}; "
        + ", ".join(f"{k} {v}" for k, v in _versions(kinds).items())
        + ". Peak RSS is the child process's VmHWM reset just before the measured call; growth is that peak"
        " minus the RSS just before the call. PostgreSQL's server memory is not included.",
        "",
        "| case | engine | rows | seconds | peak RSS MB | RSS growth MB | rows/s |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.case} | {r.engine} | {r.rows:,} | {r.seconds:,.2f} | {_mb(r.peak_rss_mb)} | {_mb(r.growth_mb)} "
        f"| {r.rows_per_second:,.0f} |"
        for r in results
    ]
    lines += ["", "Checks (what each run wrote or computed):", ""]
    lines += [f"- {r.case} ({r.engine}): " + json.dumps(r.extra, ensure_ascii=False) for r in results if r.extra]
    lines += ["", "Files (generated once, deterministic; not part of any timing):", ""]
    lines += ["| file | rows | MB | seconds to write (sharedStrings: to convert) |", "|---|---:|---:|---:|"]
    lines += [f"| {n} | {rows:,} | {size:,.1f} | {s:,.1f} |" for n, rows, size, s in generated]
    lines += ["", "RSS growth of the import (MB) by rows in the file, enterprises:", ""]
    lines += ["| engine | file | 10⁴ | 10⁵ | 2×10⁵ | growth per extra 10⁵ rows MB |", "|---|---|---:|---:|---:|---:|"]
    kinds_of_file = {
        "xlsx, inline strings (as zhijiao export writes)": "import enterprises",
        "xlsx, sharedStrings (as Excel/WPS save)": "import enterprises (sharedStrings xlsx)",
        "CSV": "import enterprises (CSV)",
    }
    for engine in sorted({r.engine for r in results}):
        for described, case in kinds_of_file.items():
            peaks = {r.rows: r for r in results if r.engine == engine and r.case == case}
            if 100_000 in peaks and 200_000 in peaks:
                slope = peaks[200_000].growth_mb - peaks[100_000].growth_mb
                small = _mb(peaks[10_000].growth_mb) if 10_000 in peaks else "–"
                lines.append(
                    f"| {engine} | {described} | {small} "
                    f"| {_mb(peaks[100_000].growth_mb)} | {_mb(peaks[200_000].growth_mb)} | {_mb(slope)} |"
                )
    return "\n".join(lines)


def write_results(body: str) -> None:
    """Replace the part between the markers; hand-written findings around it stay."""
    block = f"{START}\n{body}\n{END}"
    if RESULTS.exists() and START in (old := RESULTS.read_text()) and END in old:
        head, rest = old.split(START, 1)
        text_out = head + block + rest.split(END, 1)[1]
    else:
        text_out = f"# Registry benchmarks\n\nWritten by `benchmarks/registry_bench.py`.\n\n{block}\n"
    RESULTS.write_text(text_out)


def orchestrate(kinds: list[str]) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    generated: list[tuple[str, int, float, float]] = []
    files: dict[str, Path] = {}
    print("files", flush=True)
    for table, rows in (("enterprises", 10_000), ("enterprises", 100_000), ("enterprises", 200_000),
                        ("teacher_stats", 100_000)):  # fmt: skip
        path, seconds = generate_file(table, rows)
        files[f"{table}-{rows}"] = path
        generated.append((path.name, rows, path.stat().st_size / MB, seconds))
        if table == "enterprises" and rows >= 100_000:
            shared, seconds = shared_strings_copy(path)
            files[f"{table}-{rows}-shared"] = shared
            generated.append((shared.name, rows, shared.stat().st_size / MB, seconds))
            csv, seconds = generate_file(table, rows, ".csv")
            files[f"{table}-{rows}-csv"] = csv
            generated.append((csv.name, rows, csv.stat().st_size / MB, seconds))
    results: list[Measurement] = []
    started = time.perf_counter()
    for kind in kinds:
        print(kind, flush=True)
        results += scenario_imports(kind, files)
        results += scenario_demo(kind)
    print(f"all cases: {time.perf_counter() - started:.0f} s", flush=True)
    write_results(markdown(results, generated, kinds))
    print(f"wrote {RESULTS}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", choices=sorted(CASES), help="one measurement in this process (default: all)")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", help="an existing database (default: a fresh one)")
    parser.add_argument("--table", default="enterprises", choices=sorted(GENERATORS))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--file", help="the file to import (default: the generated one for --table/--rows)")
    parser.add_argument("--shared", action="store_true", help="the sharedStrings copy of the generated file")
    parser.add_argument("--csv", action="store_true", help="the CSV version of the generated file")
    parser.add_argument("--label")
    parser.add_argument("--scale", type=int, default=SCALE)
    parser.add_argument("--year", type=int, default=COST_YEAR)
    parser.add_argument("--profile", action="store_true", help="cProfile the measured call (to stderr)")
    parser.add_argument("--engines", help="comma-separated: sqlite,postgresql (default: both when available)")
    args = parser.parse_args()
    if args.case:
        child(args)
        return
    kinds = args.engines.split(",") if args.engines else ["sqlite"]
    if not args.engines and os.environ.get("ZHIJIAO_TEST_POSTGRES_URL"):
        kinds.append("postgresql")
    orchestrate(kinds)


if __name__ == "__main__":
    main()
