"""Where zhijiao's time goes at 10^6, and what engine changes would buy (prototyped here, not in src/).

    .venv/bin/python benchmarks/profile_zhijiao.py              # N = 1,000,000; writes benchmarks/PROFILE.md
    .venv/bin/python benchmarks/profile_zhijiao.py --size 100000 --output -

Written against the engine of commit bef8664 (engine.prepare: links resolved to rows, codes as enums,
children sorted by parent; aggregates as running totals at each parent's last child; per-entity
totals). Part 1 times ``run()`` and its parts. Part 2 swaps one function at a time for a prototype
(monkeypatched in this process only), runs the engine and checks that every output and total is
identical to ``run()``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl

import zhijiao_impl
from common import HERE, YEAR, cpu_counters, data_dir, others_cpu_share
from zhijiao.engine import evaluate as engine_evaluate
from zhijiao.engine import prepare as engine_prepare
from zhijiao.engine import units
from zhijiao.engine.calculate import Result, run
from zhijiao.engine.policy import Policy
from zhijiao.engine.rules import Aggregate, Lookup, Period, Rule, RuleContext
from zhijiao.engine.totals import fiscal_totals
from zhijiao.policies.wenzhou_vet_2023 import certification_awards

Frames = dict[str, pl.DataFrame]
REPEATS = 5


def best_of(function: Callable[[], Any], repeats: int = REPEATS) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeats):
        result = None
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def _row(label: str, seconds: float, note: str = "") -> str:
    return f"| {label} | {seconds:.3f} |" + (f" {note} |" if note else "")


# --- part 1: the engine as it is --------------------------------------------------------------------


def part1(policy: Policy, frames: Frames) -> list[str]:
    period = Period(YEAR)
    options = policy.options.resolve(None)
    lines = [f"| what | best of {REPEATS} (s) |", "|---|---:|"]
    seconds, _ = best_of(lambda: run(policy, frames, period))
    lines.append(_row("`run()` on the input frames (as timed in the benchmark)", seconds))
    seconds, prepared = best_of(lambda: engine_prepare.prepare(policy.entities, frames))
    lines.append(_row("`prepare()`: row numbers, enums, links resolved, children sorted", seconds))
    lines += [f"| &nbsp;&nbsp;{label} | {s:.3f} |" for label, s in _prepare_parts(policy, frames)]
    seconds, _ = best_of(lambda: run(policy, prepared, period))
    lines.append(_row("`run()` on prepared frames (prepare done when loading)", seconds))
    seconds, outputs = best_of(
        lambda: engine_evaluate.evaluate(policy.entities, policy.graph, prepared, policy.parameters, options, period)
    )
    lines.append(_row("`evaluate()` on prepared frames", seconds))
    for f in policy.graph.ordered():
        seconds, _ = best_of(_formula_alone(policy, f, outputs))
        if seconds >= 0.01:
            lines.append(f"| &nbsp;&nbsp;`{f.entity}.{f.output}` alone ({type(f).__name__}) | {seconds:.3f} |")
    seconds, _ = best_of(lambda: fiscal_totals(policy.cost_items, outputs))
    lines.append(_row("`fiscal_totals()`", seconds))
    return lines


def _prepare_parts(policy: Policy, frames: Frames) -> Iterator[tuple[str, float]]:
    """prepare()'s steps one by one (its private helpers: this follows the engine of bef8664)."""
    p = engine_prepare
    entities = policy.entities
    coded = {name: p._coded(entities[name], frames[name]) for name in entities}  # noqa: SLF001
    seconds = sum(best_of(lambda n=n: p._coded(entities[n], frames[n]))[0] for n in entities)  # noqa: SLF001
    yield "row numbers and enum casts, all entities", seconds
    for entity in entities.values():
        links = [(v.name, v.references, p.ref_row(v.name)) for v in entity.inputs if v.references]
        if entity.parent and entity.link:
            links.append((entity.link, entity.parent, p.PARENT_ROW))
        for column, target, alias in links:
            rows = p._rows_of(coded[target], entities[target].key).rename({"__target_row": alias})  # noqa: SLF001
            frame = coded[entity.name]
            seconds, joined = best_of(
                lambda f=frame, c=column, r=rows: f.join(
                    r, left_on=c, right_on="__key", how="left", maintain_order="left"
                )
            )
            yield f"String join `{entity.name}.{column}` → row of `{target}`", seconds
            if alias == p.PARENT_ROW:
                order = [pl.col(p.PARENT_ROW), *p._order(entity)]  # noqa: SLF001
                seconds, _ = best_of(lambda j=joined, o=order: j.sort(o, maintain_order=True))
                yield f"sort `{entity.name}` by parent row, {', '.join(entity.order)}", seconds


def _formula_alone(policy: Policy, f: Any, outputs: Frames) -> Callable[[], Any]:  # noqa: ANN401
    if isinstance(f, Rule):
        ctx = RuleContext(f, policy.parameters, policy.options.resolve(None), Period(YEAR))
        expression = f.build(ctx)
        return lambda: outputs[f.entity].select(expression)
    if isinstance(f, Aggregate):
        return lambda: engine_evaluate._aggregate(outputs, f)  # noqa: SLF001
    assert isinstance(f, Lookup)
    return lambda: engine_evaluate._lookup(outputs, f)  # noqa: SLF001


# --- part 2: prototypes ------------------------------------------------------------------------------


def first_of_level_by_rows_above(longest_run: int) -> Callable[..., pl.Expr]:
    """certification_awards.payable, ``full`` branch without hashing: the children are sorted by owner, then
    date and level, so a certification is its owner's first qualifying one at its level unless one of the
    ``longest_run − 1`` rows above has the same (owner, level) key. The engine would record the longest run
    of children per parent when preparing (~0.01 s) and keep ``is_first_distinct`` when it is long."""
    original = certification_awards.payable

    def payable(amount: pl.Expr, qualifies: pl.Expr, level: pl.Expr, owner_row: pl.Expr, ctx: RuleContext) -> pl.Expr:
        if ctx.option("upgrade_payment") != "full" or longest_run > MAX_LOOKBACK:
            return original(amount, qualifies, level, owner_row, ctx)
        key = pl.when(qualifies).then(owner_row * 4 + level.to_physical().cast(pl.Int64))
        seen = pl.lit(value=False)
        for above in range(1, longest_run):
            seen = seen | (key.shift(above) == key).fill_null(value=False)
        return pl.when(qualifies & ~seen).then(amount).otherwise(0)

    return payable


MAX_LOOKBACK = 16


def mul_div_int64(a: pl.Expr, b: pl.Expr | int, denominator: pl.Expr | int) -> pl.Expr:
    """mul_div in Int64, ``(a·b + d/2) // d`` for an even constant d: exact while a·b + d/2 < 2⁶³, which the
    engine could prove per rule from the input and parameter maxima (here: checked by equality)."""
    if not isinstance(denominator, int) or denominator % 2:
        return ORIGINAL_MUL_DIV(a, b, denominator)
    return (a.cast(pl.Int64) * b + denominator // 2) // denominator


ORIGINAL_MUL_DIV = units.mul_div


@contextmanager
def patched(*, int64: bool, lookback: int | None) -> Iterator[None]:
    payable = certification_awards.payable
    try:
        if int64:
            units.mul_div = mul_div_int64
        if lookback is not None:
            certification_awards.payable = first_of_level_by_rows_above(lookback)
        yield
    finally:
        units.mul_div = ORIGINAL_MUL_DIV
        certification_awards.payable = payable


def _identical(reference: Result, result: Result) -> bool:
    for entity, frame in reference.frames.items():
        if not frame.equals(result.frames[entity].select(frame.columns)):
            return False
    return reference.totals.as_dict() == result.totals.as_dict()


def part2(policy: Policy, frames: Frames) -> list[str]:
    period = Period(YEAR)
    prepared = engine_prepare.prepare(policy.entities, frames)
    reference = run(policy, frames, period)
    lines = [
        f"| variant | `run()` on input frames, best of {REPEATS} (s) | on prepared frames (s) | identical |",
        "|---|---:|---:|---|",
    ]
    longest = max(
        int(prepared[name][engine_prepare.PARENT_ROW].value_counts()["count"].max() or 1)
        for name in ("enterprise_certification", "platform_certification")
    )
    variants = [
        ("engine as it is", False, None),
        ("B: `mul_rate` in Int64 where it cannot overflow (no Int128)", True, None),
        (f"C: first of its level by comparing with the {longest - 1} rows above (no hashing)", False, longest),
        ("B + C", True, longest),
    ]
    # Interleaved (variant after variant, REPEATS rounds) so that noise from other processes hits all alike.
    best: dict[str, list[float]] = {label: [float("inf"), float("inf")] for label, _, _ in variants}
    same = dict.fromkeys(best, True)
    for _ in range(REPEATS):
        for label, int64, lookback in variants:
            with patched(int64=int64, lookback=lookback):
                for i, given in enumerate((frames, prepared)):
                    seconds, result = best_of(lambda g=given: run(policy, g, period), repeats=1)
                    best[label][i] = min(best[label][i], seconds)
                    same[label] &= _identical(reference, result)
    for label, (raw, ready) in best.items():
        lines.append(f"| {label} | {raw:.3f} | {ready:.3f} | {'yes' if same[label] else '**no**'} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--output", default=str(HERE / "PROFILE.md"), help="Markdown file to write, '-' for none")
    args = parser.parse_args()
    folder: Path = data_dir(args.size)
    if not folder.exists():
        raise SystemExit(f"{folder} is missing: run benchmarks/run.py --sizes {args.size} first")
    policy, frames = zhijiao_impl.load(folder)
    counters, started = cpu_counters(), time.perf_counter()
    sections = [
        "## 1. The engine as it is",
        "",
        *part1(policy, frames),
        "",
        "## 2. Prototyped changes (monkeypatched here; outputs and totals compared with `run()`)",
        "",
        *part2(policy, frames),
        "",
    ]
    others = others_cpu_share(counters, cpu_counters(), time.perf_counter() - started)
    title = f"# Profile of zhijiao at N = {args.size:,} (Polars {pl.__version__}, {pl.thread_pool_size()} threads)"
    note = (
        f"Other processes used {others:.0%} of the machine's CPUs while this ran (noise indicator). "
        "What these numbers mean and what to change: benchmarks/README.md, section Findings."
    )
    text = "\n".join([title, "", note, "", *sections])
    print(text)
    if args.output != "-":
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"written to {args.output}")


if __name__ == "__main__":
    main()
