"""One school's calculation over HTTP (issue 15): zhijiao's ``POST /api/v1/calculate`` vs the OpenFisca Web API.

    .venv/bin/python benchmarks/http_bench.py --duration 2 --output -      # smoke run: prints only
    .venv/bin/python benchmarks/http_bench.py                              # full run → SPEED_RESULTS.md
    bash scripts/with-postgres.sh .venv/bin/python benchmarks/http_bench.py   # + zhijiao on PostgreSQL

Servers, each started here as a subprocess on a free port and stopped after its measurement:

* ``openfisca``: ``openfisca serve`` (OpenFisca-core 46 Web API, gunicorn, 1 worker) on the tax-benefit
  system of openfisca_model.py, through the country-package shim in openfisca_web/;
* ``zhijiao``: ``DATABASE_URL=sqlite:///<tmp>/bench.sqlite3 zhijiao serve --workers N`` for N = 1, 2, 4,
  and on PostgreSQL too when ``ZHIJIAO_TEST_POSTGRES_URL`` is set (a database ``zhijiao_http_bench`` is
  created on that server for it).

The same school (api/calculate.py's EXAMPLE school, default options) goes to both: to zhijiao as the
situation document, to OpenFisca as its situation JSON asking for the 11 school outputs of 2024. The load
generator is wrk (wrk_load.py, which says why not a Python client): ``--clients`` (8) concurrent keep-alive
connections, a warm-up, then ``--duration`` seconds; requests/s and p50/p95/p99 latency. Unloaded: one
connection for ``--sequential`` seconds, p50 (zhijiao also with ``?explain=true``). Both
answers are compared output by output (zhijiao answers yuan; OpenFisca's float32 is rounded to the fen).
The load generator shares the machine's 2 cores with the server: the same for every server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

import wrk_load
from common import (
    BENCH_VENV,
    HERE,
    ROOT,
    YEAR,
    cpu_counters,
    git,
    load_average,
    others_cpu_share,
    wait_for_quiet,
    write_section,
)
from process_bench import HEADER, ONE_SCHOOL, RESULTS

ZHIJIAO = ROOT / ".venv" / "bin" / "zhijiao"
OUTPUTS = (
    "appropriation_uplift_rate",
    "per_student_appropriation",
    "appropriation_uplift_amount",
    "public_expenditure_per_student",
    "public_expenditure_uplift_amount",
    "social_service_incentive_cap",
    "part_time_teacher_cap",
    "funded_part_time_teachers",
    "part_time_teacher_funding",
    "part_time_teachers_over_cap",
    "donation_matching_min",
)
PERIOD = str(YEAR)


def openfisca_body() -> dict[str, Any]:
    """The same school as OpenFisca's situation JSON: every input for 2024, every output asked (null)."""
    school = {k: v for k, v in ONE_SCHOOL["schools"][0].items() if k != "id"}
    values = {name: {PERIOD: value} for name, value in school.items()}
    return {"schools": {"S1": values | {name: {PERIOD: None} for name in OUTPUTS}}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A server started in its own process group (so its workers stop with it)."""

    def __init__(self, label: str, command: list[str], env: dict[str, str], port: int, path: str) -> None:
        self.label, self.port, self.url = label, port, f"http://127.0.0.1:{port}{path}"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 -- closed in stop()
        self.process = subprocess.Popen(
            command, env={**os.environ, **env}, cwd=ROOT, stdout=self.log, stderr=self.log, start_new_session=True
        )

    def wait_ready(self, timeout: float = 120.0) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise SystemExit(f"{self.label} exited:\n{self.log.read().decode(errors='replace')[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return time.perf_counter() - started
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"{self.label} did not start in {timeout:.0f} s")

    def wait_idle(self, timeout: float = 90.0) -> None:
        """Until the server's processes use under 5 % of a CPU for a second: every worker has started."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            before = self.cpu()
            time.sleep(1)
            if self.cpu() - before < 0.05:
                return

    def cpu(self) -> float:
        """CPU seconds used so far by the server's process group (master and workers)."""
        ticks, total = os.sysconf("SC_CLK_TCK"), 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.process.pid:  # pgrp: the group this server leads
                total += int(fields[11]) + int(fields[12])
        return total / ticks

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the group this script started, by its id
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def start_openfisca() -> Server:
    port = free_port()
    command = [str(BENCH_VENV / "bin" / "openfisca"), "serve", "--country-package", "openfisca_wenzhou"]
    command += ["--port", str(port), "--workers", "1"]
    env = {"PYTHONPATH": f"{HERE}{os.pathsep}{HERE / 'openfisca_web'}"}
    return Server("OpenFisca Web API (gunicorn, 1 worker)", command, env, port, "/calculate")


def start_zhijiao(workers: int, database_url: str, database: str) -> Server:
    port = free_port()
    command = [str(ZHIJIAO), "serve", "--port", str(port), "--workers", str(workers)]
    label = f"zhijiao serve --workers {workers} ({database})"
    return Server(label, command, {"DATABASE_URL": database_url}, port, "/api/v1/calculate")


# --- the load generator (wrk_load.py) ----------------------------------------------------------------


def load(url: str, body: bytes, clients: int, duration: float) -> dict[str, Any]:
    """``clients`` concurrent connections for ``duration`` seconds."""
    return wrk_load.run(url, body, clients=clients, seconds=duration)


def sequential(url: str, body: bytes, seconds: float) -> float:
    """p50 (ms) of one client's requests one after the other, after a second not counted."""
    wrk_load.run(url, body, clients=1, seconds=1)
    return float(wrk_load.run(url, body, clients=1, seconds=seconds)["p50"])


def answer(url: str, body: bytes) -> dict[str, Any]:
    return httpx.post(url, content=body, headers={"content-type": "application/json"}, timeout=60).json()


def _children() -> float:
    """CPU seconds of this process's finished children: the load generator's runs."""
    times = os.times()
    return times.children_user + times.children_system


def measure(server: Server, body: bytes, args: argparse.Namespace, *, explain: bool) -> dict[str, Any]:
    started = time.perf_counter()
    server.wait_ready()
    first = answer(server.url, body)
    server.wait_idle()  # every worker booted
    started = time.perf_counter() - started
    wait_for_quiet(args.max_noise, args.quiet_timeout)
    load(server.url, body, args.clients, args.warmup)  # not counted: every worker and cache warm
    before, server_before, load_before, wrk_before = cpu_counters(), server.cpu(), load_average(), _children()
    loaded = load(server.url, body, args.clients, args.duration)
    after = cpu_counters()
    server_cpu, wrk_cpu = server.cpu() - server_before, _children() - wrk_before
    others = others_cpu_share(before, (after[0] - server_cpu - wrk_cpu, after[1]), loaded["seconds"])
    loaded["generator_cpu_per_request_ms"] = wrk_cpu / max(loaded["requests"], 1) * 1000
    result = {"label": server.label, "startup": started, **loaded, "others": others, "load": load_before}
    result["server_cpu_per_request_ms"] = server_cpu / max(loaded["requests"], 1) * 1000
    result["unloaded_p50"] = sequential(server.url, body, args.sequential)
    if explain:
        explained = answer(server.url + "?explain=true", body)["schools"]["S1"]
        if not explained.get("explanation"):
            raise SystemExit(f"{server.label}: ?explain=true answered no explanation")
        result["explain_steps"] = len(explained["explanation"])
        result["explain_p50"] = sequential(server.url + "?explain=true", body, args.sequential)
    result["answer"] = first
    print(
        f"  {server.label}: {loaded['rps']:.0f} req/s, p50 {loaded['p50']:.1f} ms, p95 {loaded['p95']:.1f} ms, "
        f"p99 {loaded['p99']:.1f} ms; unloaded p50 {result['unloaded_p50']:.2f} ms"
        + (f", with explain {result['explain_p50']:.2f} ms" if explain else "")
        + f"; others' CPU {others:.0%}",
        flush=True,
    )
    return result


def run_server(server: Server, body: bytes, args: argparse.Namespace, *, explain: bool) -> dict[str, Any]:
    try:
        return measure(server, body, args, explain=explain)
    finally:
        server.stop()


# --- answers and the report ----------------------------------------------------------------------------


def compare(zhijiao: dict[str, Any], openfisca: dict[str, Any]) -> tuple[bool, list[str]]:
    """Output by output: zhijiao's yuan (exact) against OpenFisca's float rounded half up to the fen."""
    mine = zhijiao["schools"]["S1"]
    theirs = openfisca["schools"]["S1"]
    differences = []
    for name in OUTPUTS:
        a = Decimal(str(mine[name]))
        b = (Decimal(repr(float(theirs[name][PERIOD]))) * 100 + Decimal("0.5")).to_integral_value(
            rounding="ROUND_FLOOR"
        )
        b = b / 100 if name != "appropriation_uplift_rate" else Decimal(repr(float(theirs[name][PERIOD])))
        if a != b:
            differences.append(f"{name}: zhijiao {a}, OpenFisca {b}")
    return not differences, differences


def database_for_postgres(url: str) -> str:
    """A database of its own on the server of ``url`` (dropped and created afresh)."""
    from sqlalchemy import create_engine, text  # noqa: PLC0415 -- only with PostgreSQL

    name = "zhijiao_http_bench"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return url.rsplit("/", 1)[0] + f"/{name}"


def report(results: list[dict[str, Any]], env: str, args: argparse.Namespace, same: tuple[bool, list[str]]) -> str:
    openfisca = next(r for r in results if r["label"].startswith("OpenFisca"))
    one = next(r for r in results if r["label"] == "zhijiao serve --workers 1 (SQLite)")
    ratio = one["rps"] / openfisca["rps"]
    lines = ["## One school's calculation over HTTP (`http_bench.py`)", "", env, "", "### Targets", ""]
    lines += ["| issue-15 target | measured | verdict |", "|---|---|---|"]
    lines.append(
        f"| HTTP throughput ≥ 2× the OpenFisca Web API (one process each, {args.clients} concurrent clients) "
        f"| zhijiao {one['rps']:.0f} req/s, OpenFisca {openfisca['rps']:.0f} req/s: **{ratio:.2f}×** "
        f"| **{'met' if ratio >= 2 else 'not met'}** |"
    )
    lines.append(
        f"| p50 ≤ 5 ms unloaded | {one['unloaded_p50']:.2f} ms (OpenFisca {openfisca['unloaded_p50']:.2f} ms) "
        f"| **{'met' if one['unloaded_p50'] <= 5 else 'not met'}** |"
    )
    lines.append(
        f"| p50 ≤ 10 ms unloaded with `?explain=true` | {one['explain_p50']:.2f} ms "
        f"| **{'met' if one['explain_p50'] <= 10 else 'not met'}** |"
    )
    workers = [r for r in results if r["label"].startswith("zhijiao")]
    shown = "; ".join(f"{r['label'].removeprefix('zhijiao serve ')}: {r['rps']:.0f} req/s" for r in workers)
    postgres = any("PostgreSQL" in r["label"] for r in workers)
    lines.append(
        f"| `zhijiao serve --workers N` for production on PostgreSQL, throughput for 1, 2 and 4 workers | {shown} "
        f"| {'shown' if postgres else 'shown on SQLite only (no ZHIJIAO_TEST_POSTGRES_URL)'} |"
    )
    lines.append(
        f"| same amounts for the school | {'every output equal' if same[0] else '; '.join(same[1])} "
        f"| **{'equal' if same[0] else 'different'}** |"
    )
    lines += ["", "### Throughput and latency", ""]
    lines += [
        (
            "| server | start-up to idle (s) | requests | req/s | p50 (ms) | p95 (ms) | p99 (ms) "
            "| server CPU per request (ms) | load generator's CPU per request (ms) | unloaded p50 (ms) "
            "| unloaded p50 with explain (ms) | others' CPU "
            "| load avg at start |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        explain = f"{r['explain_p50']:.2f}" if "explain_p50" in r else "–"
        lines.append(
            f"| {r['label']} | {r['startup']:.1f} | {r['requests']:,} | {r['rps']:.0f} | {r['p50']:.1f} "
            f"| {r['p95']:.1f} | {r['p99']:.1f} | {r['server_cpu_per_request_ms']:.2f} "
            f"| {r['generator_cpu_per_request_ms']:.3f} | {r['unloaded_p50']:.2f} "
            f"| {explain} | {r['others']:.0%} | {r['load']:.2f} |"
        )
    lines += [
        "",
        (
            f"Load generator: wrk {wrk_load.version()} (C, one thread; wrk_load.py says why not a Python client). "
            f"Loaded: {args.clients} concurrent keep-alive connections, {args.warmup:g} s warm-up, "
            f"then {args.duration:g} s; latency from sending the request to the whole answer read. Unloaded: one "
            f"connection, requests one after the other for {args.sequential:g} s after 1 s not counted. "
            "*Server CPU per request*: "
            "the CPU time of the server's processes during the loaded run over its requests. *Others' CPU*: the share "
            "of the CPUs that processes other than the server and the load generator used during the loaded run. "
            "The load generator runs on the same 2 cores as the server. zhijiao's body: the situation document "
            f"`{json.dumps(ONE_SCHOOL, ensure_ascii=False)}`; OpenFisca's: the same inputs for {YEAR} with the 11 "
            "school outputs asked as null (openfisca_body())."
        ),
        "",
    ]
    return "\n".join(lines)


def environment(loads: tuple[float, float], started: dt.datetime) -> str:
    bench = subprocess.run(
        [str(BENCH_VENV / "bin" / "python"), "-c", ("import platform as p; from importlib.metadata import version "
         "as v; print(p.python_version(), v('openfisca-core'), v('gunicorn'), v('flask'))")],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    from importlib.metadata import version  # noqa: PLC0415

    import polars as pl  # noqa: PLC0415

    return (
        f"Measured {started:%Y-%m-%d %H:%M} UTC, zhijiao at commit {git('rev-parse', '--short', 'HEAD')} (work tree "
        f"as it was); {os.cpu_count()} cores; zhijiao: Python {platform.python_version()}, Polars {pl.__version__}, "
        f"uvicorn {version('uvicorn')}, FastAPI {version('fastapi')}; OpenFisca: Python {bench[0]}, OpenFisca-core "
        f"{bench[1]}, gunicorn {bench[2]}, Flask {bench[3]}; load generator wrk {wrk_load.version()}. 1-minute "
        f"load average {loads[0]:.2f} at start, {loads[1]:.2f} at end."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per server")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--sequential", type=float, default=3.0, help="seconds of one client for the unloaded p50")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--max-noise", type=float, default=0.10, help="wait for others' CPU share below this")
    parser.add_argument("--quiet-timeout", type=float, default=120.0, help="longest wait for a quiet machine (s)")
    parser.add_argument(
        "--output", default=None, help="file to write the section into, '-' for none; default: SPEED_RESULTS.md "
        "when --duration ≥ 10 s, none otherwise"
    )  # fmt: skip
    args = parser.parse_args()
    started, load_start = dt.datetime.now(dt.UTC), load_average()
    zhijiao_body = json.dumps(ONE_SCHOOL, ensure_ascii=False).encode()
    results = [run_server(start_openfisca(), json.dumps(openfisca_body()).encode(), args, explain=False)]
    with tempfile.TemporaryDirectory() as folder:
        databases = [(f"sqlite:///{folder}/bench.sqlite3", "SQLite")]
        if os.environ.get("ZHIJIAO_TEST_POSTGRES_URL"):
            databases.append((database_for_postgres(os.environ["ZHIJIAO_TEST_POSTGRES_URL"]), "PostgreSQL"))
        results += [
            run_server(start_zhijiao(workers, url, name), zhijiao_body, args, explain=True)
            for url, name in databases
            for workers in args.workers
        ]
    same = compare(results[1]["answer"], results[0]["answer"])
    text = report(results, environment((load_start, load_average()), started), args, same)
    print()
    print(text)
    output = args.output or (str(RESULTS) if args.duration >= 10 else "-")
    if output != "-":
        write_section(Path(output), "http", text, HEADER)
        print(f"written to {output}")
    if not same[0]:
        sys.exit(1)


if __name__ == "__main__":
    main()
