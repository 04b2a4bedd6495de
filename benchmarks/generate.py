"""The synthetic population: N schools, N enterprises, N platforms and their certifications, fixed seed.

Written once per size as Parquet files in benchmarks/data/<N>/, one per entity of the policy package,
with exactly the entity's input columns and the engine's dtypes (money as Int64 fen, FTE as Int64
hundredths, counts as Int64, dates as Date, codes and ids as String). Every method reads these files,
so all three compute on the same population. With ``--files``, the same population also as the input
files of ``zhijiao calc`` (money in yuan with two decimals): benchmarks/data/<N>/files-csv/<plural>.csv
and files-parquet/<plural>.parquet (process_bench.py). Runs in the benchmark venv (needs numpy):

    benchmarks/.venv-openfisca/bin/python benchmarks/generate.py --sizes 10000 100000 1000000 [--files]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import numpy as np
import polars as pl

from common import ENTITY_NAMES, SEED, data_dir, src_on_path

src_on_path()
from zhijiao.policies.wenzhou_vet_2023.entities import COUNTIES, ENTITIES, SCHOOL_COUNTIES  # noqa: E402

CERT_FROM, CERT_TO = dt.date(2022, 6, 1), dt.date(2026, 6, 30)
EPOCH = dt.date(1970, 1, 1)


def _pick(rng: np.random.Generator, n: int, choices: tuple[str, ...], weights: tuple[float, ...]) -> pl.Series:
    codes = rng.choice(len(choices), size=n, p=np.asarray(weights) / sum(weights))
    return pl.Series(choices, dtype=pl.String).gather(pl.Series(codes, dtype=pl.UInt32))


def _ids(prefix: str, n: int) -> pl.Series:
    return pl.select((pl.lit(prefix) + pl.int_range(1, n + 1).cast(pl.String).str.zfill(7)).alias("id")).to_series()


def _ints(rng: np.random.Generator, low: int, high: int, n: int) -> pl.Series:
    """Uniform integers in [low, high], both ends included, as Int64."""
    return pl.Series(rng.integers(low, high + 1, size=n, dtype=np.int64), dtype=pl.Int64)


def _dates(rng: np.random.Generator, n: int) -> pl.Series:
    first, last = (CERT_FROM - EPOCH).days, (CERT_TO - EPOCH).days
    return pl.Series(rng.integers(first, last + 1, size=n, dtype=np.int32)).cast(pl.Date)


def schools(rng: np.random.Generator, n: int) -> pl.DataFrame:
    students = rng.integers(100, 20_000 + 1, size=n, dtype=np.int64)
    part_time = rng.integers(0, 400 + 1, size=n, dtype=np.int64)
    zero_income = rng.random(n) < 0.15  # some schools sell no services, some get no donations
    zero_donations = rng.random(n) < 0.40
    ids = _ids("S", n)
    return pl.DataFrame(
        {
            "id": ids,
            "name": "学校" + ids,
            "county": _pick(rng, n, SCHOOL_COUNTIES, (1.0,) * len(SCHOOL_COUNTIES)),
            "school_type": _pick(rng, n, ("higher", "secondary", "technical"), (0.2, 0.5, 0.3)),
            "ownership": _pick(rng, n, ("public", "private", "mixed"), (0.7, 0.2, 0.1)),
            "sponsor": _pick(rng, n, ("city", "county"), (0.3, 0.7)),
            "double_high": _pick(rng, n, ("none", "provincial", "national"), (0.8, 0.14, 0.06)),
            "students": pl.Series(students),
            # Read only under option double_high_scope = group; given so the frame is complete.
            "double_high_group_students": pl.Series(students * rng.integers(10, 60 + 1, size=n) // 100),
            "base_appropriation_per_student": _ints(rng, 500_000, 3_000_000, n),  # fen: 5,000.00–30,000.00 yuan
            "full_time_teachers": _ints(rng, 10, 800, n),
            "part_time_teachers": pl.Series(part_time),
            # Hundredths of an FTE, read only under option part_time_denominator = fte.
            "part_time_teacher_fte": pl.Series(part_time * rng.integers(30, 100 + 1, size=n)),
            "local_avg_teacher_salary": _ints(rng, 8_000_000, 25_000_000, n),  # fen: 80,000.00–250,000.00
            "market_service_income": _ints(rng, 0, 1_000_000_000, n) * pl.Series(~zero_income),  # ≤ 10,000,000 yuan
            "capital_donations": _ints(rng, 0, 500_000_000, n) * pl.Series(~zero_donations),  # ≤ 5,000,000 yuan
        }
    )


def enterprises(rng: np.random.Generator, n: int) -> pl.DataFrame:
    ids = _ids("E", n)
    return pl.DataFrame({"id": ids, "name": "企业" + ids, "county": _pick(rng, n, COUNTIES, (1.0,) * len(COUNTIES))})


def _certifications(
    rng: np.random.Generator,
    owners: pl.Series,
    low: int,
    high: int,
    levels: tuple[str, ...],
    weights: tuple[float, ...],
    link: str,
) -> pl.DataFrame:
    per_owner = rng.integers(low, high + 1, size=len(owners))
    owner = owners.gather(pl.Series(np.repeat(np.arange(len(owners)), per_owner), dtype=pl.UInt32))
    rows = len(owner)
    frame = pl.DataFrame({link: owner}).with_columns(
        (pl.col(link) + "#" + (pl.int_range(pl.len()).over(link) + 1).cast(pl.String)).alias("id")
    )
    return frame.select(
        "id",
        link,
        _pick(rng, rows, levels, weights).alias("level"),
        _dates(rng, rows).alias("date"),
    )


def population(size: int, seed: int = SEED) -> dict[str, pl.DataFrame]:
    rng = np.random.default_rng(seed + size)
    school = schools(rng, size)
    enterprise = enterprises(rng, size)
    platform_ids = _ids("P", size)
    platform = pl.DataFrame(
        {
            "id": platform_ids,
            "name": "平台" + platform_ids,
            "school_id": school["id"].gather(pl.Series(rng.integers(0, size, size=size), dtype=pl.UInt32)),
            "kind": _pick(rng, size, ("research", "training"), (0.5, 0.5)),
        }
    )
    frames = {
        "school": school,
        "enterprise": enterprise,
        "enterprise_certification": _certifications(
            rng, enterprise["id"], 1, 3, ("city", "provincial", "national"), (0.5, 0.35, 0.15), "enterprise_id"
        ),
        "platform": platform,
        "platform_certification": _certifications(
            rng, platform_ids, 0, 2, ("provincial", "national"), (0.7, 0.3), "platform_id"
        ),
    }
    return {name: _conform(name, frame) for name, frame in frames.items()}


def _conform(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Exactly the entity's input columns, in its order, with the engine's dtypes."""
    entity = next(e for e in ENTITIES if e.name == name)
    numeric = {"yuan", "rate", "count", "fte"}
    dtypes = {v.name: pl.Int64 if v.unit.value in numeric else _NON_NUMERIC[v.unit.value] for v in entity.inputs}
    return frame.select(pl.col(c).cast(t) for c, t in dtypes.items())


_NON_NUMERIC = {"code": pl.String, "text": pl.String, "date": pl.Date, "bool": pl.Boolean}


def ensure(size: int, *, force: bool = False) -> Path:
    folder = data_dir(size)
    if not force and all((folder / f"{name}.parquet").exists() for name in ENTITY_NAMES):
        return folder
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in population(size).items():
        frame.write_parquet(folder / f"{name}.parquet")
    print(f"generated N={size:,} in {time.perf_counter() - started:.1f} s → {folder}")
    return folder


FILE_FORMATS = ("csv", "parquet")


def file_path(size: int, file_format: str, entity: str) -> Path:
    """The population as a user hands it to ``zhijiao calc``: benchmarks/data/<N>/files-<fmt>/<plural>.<fmt>."""
    return data_dir(size) / f"files-{file_format}" / f"{_PLURALS[entity]}.{file_format}"


_PLURALS = {e.name: e.plural for e in ENTITIES}


def user_frame(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """One entity's frame in the units people write: money in yuan with two decimals (Decimal), FTE in
    full-time equivalents with two decimals, counts as integers, dates as dates, codes and ids as text."""
    entity = next(e for e in ENTITIES if e.name == name)
    scaled = {v.name: v.unit.scale for v in entity.inputs if v.unit.value in {"yuan", "rate", "fte"}}
    return frame.with_columns(
        pl.col(c).cast(pl.Decimal(38, len(str(k)) - 1)) / pl.lit(k, dtype=pl.Decimal(38, 0)) for c, k in scaled.items()
    )


def ensure_files(size: int, *, force: bool = False) -> None:
    """The same population as the Parquet frames, in the units of the input files: CSV and Parquet."""
    folder = ensure(size, force=force)
    paths = [file_path(size, fmt, name) for fmt in FILE_FORMATS for name in ENTITY_NAMES]
    if not force and all(p.exists() for p in paths):
        return
    started = time.perf_counter()
    for name in ENTITY_NAMES:
        frame = user_frame(name, pl.read_parquet(folder / f"{name}.parquet"))
        for fmt in FILE_FORMATS:
            path = file_path(size, fmt, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            if fmt == "csv":
                frame.write_csv(path)
            else:
                frame.write_parquet(path)
    print(f"wrote the input files for N={size:,} in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--force", action="store_true", help="regenerate even if the files exist")
    parser.add_argument("--files", action="store_true", help="also the input files of zhijiao calc (CSV, Parquet)")
    args = parser.parse_args()
    for size in args.sizes:
        (ensure_files if args.files else ensure)(size, force=args.force)


if __name__ == "__main__":
    main()
