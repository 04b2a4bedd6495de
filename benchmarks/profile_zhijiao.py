"""Where zhijiao's time goes at 10^6.

    .venv/bin/python benchmarks/profile_zhijiao.py              # N = 1,000,000; writes benchmarks/PROFILE.md
    .venv/bin/python benchmarks/profile_zhijiao.py --size 100000 --output -

Part 1 times ``run()`` and its parts: ``prepare()`` (what a loader does once), ``evaluate()``, each formula
alone, the totals. Part 2 follows ``evaluate()`` through the rule graph's layers in one pass. It reads the
engine's private helpers, so it follows the engine as it is (session 3: 64-bit ``mul_div`` with the short
path chosen from the data, run-end aggregates with one gather, rows above instead of hashing).
"""
# ruff: noqa: SLF001 -- a profile follows the engine's own private steps, one by one

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl

import zhijiao_impl
from common import HERE, YEAR, cpu_counters, data_dir, others_cpu_share
from zhijiao.engine import evaluate as engine_evaluate
from zhijiao.engine import prepare as engine_prepare
from zhijiao.engine.calculate import run
from zhijiao.engine.policy import Policy
from zhijiao.engine.rules import Aggregate, Lookup, Period, Rule, RuleContext
from zhijiao.engine.totals import fiscal_totals

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
    coded = {name: p._coded(entities[name], frames[name]) for name in entities}
    seconds = sum(best_of(lambda n=n: p._coded(entities[n], frames[n]))[0] for n in entities)
    yield "row numbers and enum casts, all entities", seconds
    for entity in entities.values():
        links = [(v.name, v.references, p.ref_row(v.name)) for v in entity.inputs if v.references]
        if entity.parent and entity.link:
            links.append((entity.link, entity.parent, p.PARENT_ROW))
        for column, target, alias in links:
            rows = p._rows_of(coded[target], entities[target].key).rename({"__target_row": alias})
            frame = coded[entity.name]
            seconds, joined = best_of(
                lambda f=frame, c=column, r=rows: f.join(
                    r, left_on=c, right_on="__key", how="left", maintain_order="left"
                )
            )
            yield f"String join `{entity.name}.{column}` → row of `{target}`", seconds
            if alias == p.PARENT_ROW:
                order = [pl.col(p.PARENT_ROW), *p._order(entity)]
                seconds, _ = best_of(lambda j=joined, o=order: j.sort(o, maintain_order=True))
                yield f"sort `{entity.name}` by parent row, {', '.join(entity.order)}", seconds


def _formula_alone(policy: Policy, f: Any, outputs: Frames) -> Callable[[], Any]:  # noqa: ANN401
    if isinstance(f, Rule):
        entity = policy.entities[f.entity]
        longest = _longest(outputs, f.entity, entity.parent) if entity.parent else None
        ctx = RuleContext(f, policy.parameters, policy.options.resolve(None), Period(YEAR), longest)
        expression = f.build(ctx)
        return lambda: outputs[f.entity].select(expression)
    if isinstance(f, Aggregate):
        return lambda: engine_evaluate._aggregate(outputs, f)
    assert isinstance(f, Lookup)
    return lambda: engine_evaluate._lookup(outputs, f)


# --- part 2: inside evaluate() ---------------------------------------------------------------------


def part2(policy: Policy, frames: Frames) -> list[str]:
    """evaluate()'s steps as it takes them: one ``with_columns`` per entity and layer, each aggregate and
    lookup; timed within one pass, best of the repeats."""
    period = Period(YEAR)
    options = policy.options.resolve(None)
    prepared = engine_prepare.prepare(policy.entities, frames)
    timings: dict[str, float] = {}
    for _ in range(REPEATS):
        data = dict(prepared)
        longest = {e.name: _longest(data, e.name, e.parent) for e in policy.entities.values() if e.parent}
        for number, layer in enumerate(policy.graph.layers):
            built: dict[str, list[pl.Expr]] = {}
            for f in layer:
                started = time.perf_counter()
                if isinstance(f, Rule):
                    ctx = RuleContext(f, policy.parameters, options, period, longest.get(f.entity))
                    built.setdefault(f.entity, []).append(f.build(ctx))
                    continue
                if isinstance(f, Aggregate):
                    data[f.entity], label = engine_evaluate._aggregate(data, f), "sum"
                else:
                    data[f.entity], label = engine_evaluate._lookup(data, f), "lookup"
                _keep_best(timings, f"layer {number}: {label} `{f.entity}.{f.output}`", started)
            for entity, expressions in built.items():
                started = time.perf_counter()
                data[entity] = data[entity].with_columns(expressions).rechunk()
                _keep_best(timings, f"layer {number}: `{entity}`, {len(expressions)} rule(s)", started)
    lines = [f"| step | best of {REPEATS} (s) |", "|---|---:|"]
    lines += [_row(label, seconds) for label, seconds in timings.items()]
    lines.append(_row("sum of the steps", sum(timings.values())))
    return lines


def _keep_best(timings: dict[str, float], label: str, started: float) -> None:
    timings[label] = min(timings.get(label, float("inf")), time.perf_counter() - started)


def _longest(data: Frames, child: str, parent: str) -> int:
    return engine_evaluate._longest_run(data[parent], child)


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
        "## 2. Inside `evaluate()`, step by step",
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
