"""OpenFisca-core as a whole process: population files in, the simulation, tables out.

    benchmarks/.venv-openfisca/bin/python benchmarks/openfisca_process.py --year 2024 \\
        --schools S.csv --enterprises E.csv --enterprise-certifications EC.csv \\
        --platforms P.csv --platform-certifications PC.csv --out DIR [--format csv|parquet]

What an OpenFisca user writes around the model of openfisca_model.py: read the files with Polars in
typed columns (yuan as Float64, counts as Int64, dates as Date: a malformed value stops the read), codes →
enum indexes (an unknown code stops the process), links → rows (a link that does not resolve stops it),
certifications pivoted into slots (openfisca_impl), then ``build_default_simulation``, ``set_input`` of
every input, ``calculate`` of every output, the totals as float64 sums, and the tables written with
Polars: the outputs rounded half up to the fen (no per-certification tables: the model has none). It
checks no maxima, duplicated ids or required values beyond what parsing catches.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

import numpy_impl
import numpy_process
import openfisca_impl


def _schema(name: str, columns: list[str]) -> dict[str, type[pl.DataType]]:
    units = {v.name: v.unit.value for v in numpy_process.BY_NAME[name].inputs}
    types = {"yuan": pl.Float64, "fte": pl.Float64, "rate": pl.Float64, "count": pl.Int64, "date": pl.Date}
    return {c: types.get(units.get(c, "text"), pl.String) for c in columns}


def read(path: str, name: str) -> pl.DataFrame:
    """A typed frame; yuan (float) → fen for numpy_impl's integer population (set_input gets yuan again)."""
    if path.endswith(".parquet"):
        frame = pl.read_parquet(path)
        frame = frame.cast(_schema(name, frame.columns))  # type: ignore[arg-type]
    else:
        header = pl.read_csv(path, n_rows=0).columns
        frame = pl.read_csv(path, schema=_schema(name, header))
    scaled = [v for v in numpy_process.BY_NAME[name].inputs if v.unit.scale > 1 and v.name in frame.columns]
    return frame.with_columns((pl.col(v.name) * v.unit.scale).round(0).cast(pl.Int64) for v in scaled)


def main() -> None:
    args = numpy_process.arguments(__doc__.splitlines()[0])
    frames = numpy_process._empty_frames()  # noqa: SLF001 -- an entity without a file has no rows
    frames |= {name: read(path, name) for name in numpy_process.OPTION_OF if (path := getattr(args, name))}
    prepared = openfisca_impl.from_population(numpy_impl.from_frames(frames))
    result = openfisca_impl.calculate(prepared, args.year)
    outputs = openfisca_impl.arrays(result)  # rounded half up to the fen
    totals = openfisca_impl.scaled_totals(result["totals"])
    ids = {name: frames[name].select("id") for name in ("school", "enterprise", "platform")}
    numpy_process.write(Path(args.out), args.output_format, ids, outputs, totals, args.year)


if __name__ == "__main__":
    main()
