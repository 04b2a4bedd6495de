"""Fulfilment benchmarks (the money path) at ``zhijiao demo --scale 100``: the proactive-award run (免申即享),
a payment batch released by finance, and the audit chain's verification.

Every measurement runs in a fresh subprocess of this script, so its peak memory is its own: the child's VmHWM
(/proc/self/status), reset just before the measured call (``echo 5 > /proc/self/clear_refs``); growth is that peak
minus VmRSS just before the call. Per engine, one database is built (demo at scale 100, the 2023 drafting record
and the demo accounts as ``zhijiao serve --demo`` makes them, one county officer per county) and the proactive run
is measured on it; every release case then gets its own copy of that database (SQLite backup API, or PostgreSQL
``CREATE DATABASE … TEMPLATE``), so each starts from the same pending awards.

A release case takes the first N pending awards of the year (by number) through county review (each county's
officer), city approval (the city administrator), ``payments.prepare_batch`` (one batch per payer) and times
``payments.release_batch`` by a finance officer over all its batches, each in its own transaction (a release writes
the payment instructions), then the bank's answer to each batch applied as finance imports it (``returns.settle``:
one result, one ledger payment and one state change per payment, decision 0017). The audit chain that results is
then verified in a process of its own.

Approvals are set-up here, not the measured call; a few are timed, each in its own transaction, and reported on
their own row (``applications.city_approve`` reads only the approved entity's records since commit 61ed784).

    .venv/bin/python benchmarks/fulfilment_bench.py                                # SQLite → FULFILMENT_RESULTS.md
    bash scripts/with-postgres.sh .venv/bin/python benchmarks/fulfilment_bench.py  # SQLite + PostgreSQL
    .venv/bin/python benchmarks/fulfilment_bench.py --sizes 200 --engines sqlite --output -     # a smoke run
    .venv/bin/python benchmarks/fulfilment_bench.py --case release --rows 1000 --db sqlite --profile
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import json
import os
import platform
import pstats
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, func, make_url, select, text
from sqlalchemy.orm import Session

from zhijiao.storage.database import engine_for, unit_of_work
from zhijiao.storage.migrate import upgrade

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "fulfilment"
RESULTS = HERE / "FULFILMENT_RESULTS.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
SCALE = 100
YEAR = 2024
SIZES = "1000,5000"  # payments per release case
SAMPLE_APPROVALS = 5  # city approvals timed as shipped, in the first release case
CHILD_TIMEOUT = 3600
# Issue 15, item 5: the money path set-based
TARGET_RELEASE_PER_S = 2000  # payments released per second, PostgreSQL
TARGET_PROACTIVE_S = 2.0  # the year's proactive run at scale 100
BANK_DATE = dt.date(2025, 3, 3)  # the bank's value date of the benchmark's payments
OFFICER_PASSWORD = "bench-officer-2023"  # accounts of a throwaway benchmark database


# ---------------------------------------------------------------------------------------------------------------
# Memory and time of one measured call, inside the child
# ---------------------------------------------------------------------------------------------------------------


def _status_kb(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def _load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


@dataclass
class Measurement:
    case: str
    engine: str
    rows: int
    seconds: float = 0.0
    base_rss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    peak_reset: bool = True
    load: float = 0.0  # 1-minute load average at the end of the call (2 cores)
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
    try:
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS (Linux ≥ 4.0)
    except OSError:
        result.peak_reset = False
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
        result.peak_rss_mb = _status_kb("VmHWM") / 1024
        result.load = _load()
        if profiler:
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(20)


# ---------------------------------------------------------------------------------------------------------------
# Databases: the scale-100 database once per engine, a copy of it per release case
# ---------------------------------------------------------------------------------------------------------------


def _admin(url: str) -> Engine:
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def _sqlite_path(name: str) -> Path:
    return DATA / f"{name}.sqlite3"


def create_database(kind: str, name: str, template: str | None = None) -> str:
    """A new database, migrated to head, or a copy of ``template`` (a URL); its URL."""
    if kind == "sqlite":
        path = _sqlite_path(name)
        drop_database(f"sqlite:///{path}")
        url = f"sqlite:///{path}"
        if template is None:
            upgrade(engine_for(url))
            return url
        with sqlite3.connect(str(make_url(template).database)) as source, sqlite3.connect(path) as target:
            source.backup(target)
        return url
    server = os.environ.get("ZHIJIAO_TEST_POSTGRES_URL")
    if not server:
        raise SystemExit("postgresql needs ZHIJIAO_TEST_POSTGRES_URL (run through scripts/with-postgres.sh)")
    admin = _admin(server)
    copy = f' TEMPLATE "{make_url(template).database}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    admin.dispose()
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    if template is None:
        engine = engine_for(url)
        upgrade(engine)
        engine.dispose()  # CREATE DATABASE … TEMPLATE and DROP DATABASE refuse while a connection is open
    return url


def drop_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    admin = _admin(url)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
    admin.dispose()


def engine_name(url: str) -> str:
    return "SQLite" if make_url(url).get_backend_name() == "sqlite" else "PostgreSQL"


# ---------------------------------------------------------------------------------------------------------------
# The cases, each run in its own process
# ---------------------------------------------------------------------------------------------------------------


def _principals(session: Session) -> dict[str, Any]:
    """The demo accounts by user name, and the county officers by county code (key ``county:<code>``)."""
    from zhijiao.accounts.models import User  # noqa: PLC0415
    from zhijiao.accounts.service import principal_of  # noqa: PLC0415

    out: dict[str, Any] = {}
    for user in session.scalars(select(User).where(User.active.is_(True))):
        out[user.username] = principal_of(user)
        if user.role == "county_officer" and user.county_code:
            out.setdefault(f"county:{user.county_code}", principal_of(user))
    return out


def case_setup(args: argparse.Namespace, url: str) -> list[Measurement]:
    """Not a result: the database every case starts from, as ``serve --demo`` makes it, at scale 100."""
    from zhijiao.accounts.models import User  # noqa: PLC0415
    from zhijiao.accounts.service import add_user  # noqa: PLC0415
    from zhijiao.audit.policy_version import record_policy_version  # noqa: PLC0415
    from zhijiao.authz import Role  # noqa: PLC0415
    from zhijiao.demo.accounts import create_demo_accounts  # noqa: PLC0415
    from zhijiao.demo.payees import load_demo_payees  # noqa: PLC0415
    from zhijiao.demo.registry import generate  # noqa: PLC0415
    from zhijiao.drafting.history_2023 import load_2023  # noqa: PLC0415
    from zhijiao.policies.wenzhou_vet_2023 import load  # noqa: PLC0415
    from zhijiao.registry.models import County  # noqa: PLC0415

    engine = engine_for(url)
    result = Measurement(f"set-up: demo --scale {args.scale}, accounts", engine_name(url), 0)
    with measured(result), unit_of_work(engine) as session:
        record_policy_version(session, load())
        result.rows = generate(session, scale=args.scale).total
        load_2023(session, load())  # create_demo_accounts needs its consulted unit (市发改委)
        create_demo_accounts(session)
        load_demo_payees(session)  # every payee's account, confirmed by two finance officers
        have = set(session.scalars(select(User.county_code).where(User.role == Role.county_officer.value)))
        for code in session.scalars(select(County.code).order_by(County.code)):
            if code not in have:  # one county officer per county, as `zhijiao user add --role county_officer` makes
                add_user(session, username=f"county-{code}", password=OFFICER_PASSWORD, role=Role.county_officer,
                         county=code)  # fmt: skip
    with unit_of_work(engine) as session:
        result.extra = {"registry rows": result.rows, "county officers": sum(k.startswith("county:") for k in
                                                                               _principals(session))}  # fmt: skip
    return [result]


def case_proactive(args: argparse.Namespace, url: str) -> list[Measurement]:
    from zhijiao.fulfilment import proactive  # noqa: PLC0415
    from zhijiao.fulfilment.models import Application  # noqa: PLC0415
    from zhijiao.policies.wenzhou_vet_2023 import load  # noqa: PLC0415

    engine = engine_for(url)
    policy = load()
    with unit_of_work(engine) as session:
        admin = _principals(session)["admin"]
    results = []
    for label in (f"proactive run {args.year} (免申即享)", f"proactive run {args.year} again (idempotent)"):
        result = Measurement(label, engine_name(url), 0)
        with measured(result, profile=args.profile), unit_of_work(engine) as session:
            run = proactive.run(session, admin, policy, args.year)
        result.rows = run.found
        result.extra = {"entitlements found": run.found, "awards created": len(run.created), "skipped": run.skipped}
        results.append(result)
    with unit_of_work(engine) as session:
        query = select(Application.entitlement, func.count()).where(Application.year == args.year)
        counts = session.execute(query.group_by(Application.entitlement))
        results[0].extra["pending awards by entitlement"] = dict(counts.all())
    return results


def _count(session: Session, model: Any) -> int:  # noqa: ANN401 -- a mapped class
    return session.scalar(select(func.count()).select_from(model)) or 0


def _timed(step: Callable[[], object]) -> float:
    start = time.perf_counter()
    step()
    return round(time.perf_counter() - start, 2)


def case_release(args: argparse.Namespace, url: str) -> list[Measurement]:  # noqa: C901, PLR0915 -- one story
    from zhijiao.audit.models import AuditRecord  # noqa: PLC0415
    from zhijiao.fulfilment import applications, payments  # noqa: PLC0415
    from zhijiao.fulfilment.bank_models import PaymentInstruction  # noqa: PLC0415
    from zhijiao.fulfilment.entities import payees_of, payer_of  # noqa: PLC0415
    from zhijiao.fulfilment.models import Application  # noqa: PLC0415
    from zhijiao.policies.wenzhou_vet_2023 import load  # noqa: PLC0415

    engine = engine_for(url)
    policy = load()
    who = engine_name(url)
    with unit_of_work(engine) as session:
        people = _principals(session)
        query = select(Application.id, Application.county_code).where(
            Application.year == args.year, Application.status == "pending"
        )
        awards = [(i, c) for i, c in session.execute(query.order_by(Application.id).limit(args.rows))]
    if len(awards) < args.rows:
        print(f"only {len(awards)} pending awards in {args.year}: using them all", file=sys.stderr)
    ids = [i for i, _ in awards]
    results: list[Measurement] = []

    sample = ids[: min(args.sample, len(ids))]  # a few as shipped, each in its own transaction, timed on their own

    def county_review() -> None:
        by_county: dict[str, list[int]] = defaultdict(list)
        for application_id, county in awards:
            by_county[county].append(application_id)
        for county, chosen in by_county.items():  # one transaction per county officer
            with unit_of_work(engine) as session:
                for application_id in chosen:
                    applications.county_approve(session, people[f"county:{county}"], policy, application_id)

    def city_approval() -> None:
        rest = ids[len(sample) :]  # the sample's are approved already
        for start in range(0, len(rest), 500):
            with unit_of_work(engine) as session:
                for application_id in rest[start : start + 500]:
                    applications.city_approve(session, people["admin"], policy, application_id)

    batches: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    batch_ids: list[int] = []

    def prepare() -> None:
        with unit_of_work(engine) as session:
            chosen = list(session.scalars(select(Application).where(Application.id.in_(ids)).order_by(Application.id)))
            payees = payees_of(session, [(a.school_id, a.enterprise_id, a.platform_id) for a in chosen])
            for application in chosen:
                payee = payees[application.school_id, application.enterprise_id, application.platform_id]
                entitlement = policy.entitlements_by_id[application.entitlement]
                batches[payer_of(policy, payee, entitlement)].append(application.id)
        for members in batches.values():
            with unit_of_work(engine) as session:
                total = sum(d.amount_fen for d in payments.latest_decisions(session, members).values())
                batch = payments.prepare_batch(session, people["admin"], policy, members,
                                               declared_count=len(members), declared_total_fen=total)  # fmt: skip
                batch_ids.append(batch.id)

    setup = {"county review s": _timed(county_review)}
    if sample:  # before the others: these approvals are the shipped code, timed
        approvals = Measurement(f"city_approve ({len(sample)} awards, each)", who, len(sample))
        with measured(approvals):
            for application_id in sample:
                with unit_of_work(engine) as session:
                    applications.city_approve(session, people["admin"], policy, application_id)
        results.append(approvals)

    setup |= {
        "city approval s (500 a transaction)": _timed(city_approval),
        "prepare_batch s": _timed(prepare),
    }
    with unit_of_work(engine) as session:
        before = {"instructions": _count(session, PaymentInstruction), "audit": _count(session, AuditRecord)}
    result = Measurement(
        f"release_batch, {len(ids):,} payments in {len(batch_ids)} batch{'es' * (len(batch_ids) != 1)}", who, len(ids)
    )
    released: list[Any] = []
    each: list[float] = []
    with measured(result, profile=args.profile):
        for batch_id in batch_ids:
            start = time.perf_counter()
            with unit_of_work(engine) as session:  # one transaction per batch, committed: as finance releases it
                released.append(payments.release_batch(session, people["finance"], policy, batch_id))
            each.append(time.perf_counter() - start)
    with unit_of_work(engine) as session:
        after = {"instructions": _count(session, PaymentInstruction), "audit": _count(session, AuditRecord)}
    written = {k: after[k] - before[k] for k in before} | {"applications": len(ids), "batches": len(batch_ids)}
    result.extra = {
        "payments": len(ids),
        "batches by payer (payments, s)": {
            f"{p}{':' + c if c else ''}": [len(v), round(t, 2)]
            for ((p, c), v), t in zip(batches.items(), each, strict=True)
        },
        "all released": all(r.released for r in released),
        "stale": sum(len(r.stale) for r in released),
        "instructed yuan": f"{sum(i.amount_fen for r in released for i in r.instructions) / 100:,.2f}",
        "rows written": written,
        "rows written/s": round(sum(written.values()) / result.seconds) if result.seconds else 0,
        "set-up (not timed)": setup,
    }
    return [*results, result, _bank_answers(engine, people, policy, released)]


def _bank_answers(engine: Engine, people: dict[str, Any], policy: Any, released: list[Any]) -> Measurement:  # noqa: ANN401
    """The bank's file for every released batch applied as finance imports it: one result, one ledger payment and
    one state change per payment, a file (a batch) a transaction."""
    from zhijiao.fulfilment.models import LedgerEntry  # noqa: PLC0415
    from zhijiao.fulfilment.returns import BankResult, settle  # noqa: PLC0415

    sent = [sorted(r.instructions, key=lambda i: i.reference) for r in released]
    count = sum(len(batch) for batch in sent)
    result = Measurement(f"bank returns applied, {count:,} payments in {len(sent)} files", engine_name(str(engine.url)),
                         count)  # fmt: skip
    with measured(result):
        for batch in sent:
            rows = [BankResult(n, i.reference, "confirmed", BANK_DATE) for n, i in enumerate(batch, start=2)]
            with unit_of_work(engine) as session:
                settle(session, people["finance"], policy, rows, "b" * 64)
    with unit_of_work(engine) as session:
        result.extra = {"ledger payments": _count(session, LedgerEntry), "payments": count}
    return result


def case_verify(args: argparse.Namespace, url: str) -> list[Measurement]:
    from zhijiao import audit  # noqa: PLC0415

    engine = engine_for(url)
    with unit_of_work(engine) as session:
        audit.head_hash(session)  # warm the pool and the mapper
    result = Measurement("audit.verify (the whole chain)", engine_name(url), 0)
    with measured(result, profile=args.profile), unit_of_work(engine) as session:
        verification = audit.verify(session)
    result.rows = verification.records
    result.extra = {"records": verification.records, "intact": verification.intact, "after": args.label}
    return [result]


CASES: dict[str, Callable[[argparse.Namespace, str], list[Measurement]]] = {
    "setup": case_setup,
    "proactive": case_proactive,
    "release": case_release,
    "verify": case_verify,
}


def child(args: argparse.Namespace) -> None:
    url = args.url
    if not url:  # on its own: a fresh database with what the case needs under it
        DATA.mkdir(parents=True, exist_ok=True)
        url = create_database(args.db, f"zhijiao_fulfilment_{args.case}")
        if args.case != "setup":
            case_setup(args, url)
        if args.case in {"release", "verify"}:
            case_proactive(argparse.Namespace(**{**vars(args), "profile": False}), url)
    results = CASES[args.case](args, url)
    print(json.dumps([asdict(r) for r in results], ensure_ascii=False))


# ---------------------------------------------------------------------------------------------------------------
# The orchestrator: every case in a fresh subprocess, then the Markdown
# ---------------------------------------------------------------------------------------------------------------


def run_child(*arguments: str) -> list[Measurement]:
    command = [sys.executable, str(Path(__file__).resolve()), *arguments]
    shown = " ".join(a for a in arguments if not a.startswith(("sqlite:", "postgresql")))
    print(f"  … {shown}", flush=True)
    done = subprocess.run(command, capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=False)
    sys.stderr.write(done.stderr)
    if done.returncode:
        raise SystemExit(f"child failed ({done.returncode}): {shown}")
    results = [Measurement(**raw) for raw in json.loads(done.stdout.strip().splitlines()[-1])]
    for r in results:
        print(f"    {r.case:<52} {r.engine:<10} {r.rows:>7} rows {r.seconds:8.2f} s peak {r.peak_rss_mb:6.1f} MB "
              f"growth {r.growth_mb:6.1f} MB load {r.load:.2f}", flush=True)  # fmt: skip
    return results


def scenario(kind: str, sizes: list[int], year: int) -> list[Measurement]:
    base = create_database(kind, "zhijiao_fulfilment_base")
    results = run_child("--case", "setup", "--url", base)
    results += run_child("--case", "proactive", "--url", base, "--year", str(year))
    for position, rows in enumerate(sizes):
        url = create_database(kind, f"zhijiao_fulfilment_{rows}", base)
        sample = ("--sample", str(SAMPLE_APPROVALS)) if position == 0 else ()
        results += run_child("--case", "release", "--url", url, "--rows", str(rows), "--year", str(year), *sample)
        results += run_child("--case", "verify", "--url", url, "--label", results[-1].case)
        drop_database(url)
    drop_database(base)
    return results


def _versions(kinds: list[str]) -> dict[str, str]:
    from importlib.metadata import version  # noqa: PLC0415

    out = {"python": platform.python_version(), "cpus": str(os.cpu_count()), "SQLite": sqlite3.sqlite_version}
    out |= {p: version(p) for p in ("SQLAlchemy", "polars", "psycopg")}
    if "postgresql" in kinds:
        engine = create_engine(os.environ["ZHIJIAO_TEST_POSTGRES_URL"])
        with engine.connect() as connection:
            out["PostgreSQL"] = str(connection.scalar(text("SHOW server_version")))
        engine.dispose()
    return out


def _commit() -> str:
    """The commit measured, and whether src/ differed from it (another piece of work in the same tree)."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False, cwd=HERE
    )
    # the repository's src/: from benchmarks/, "src" named a folder that does not exist, and never looked dirty
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "src"], capture_output=True, text=True, check=False, cwd=HERE.parent
    )
    return (head.stdout.strip() or "?") + (" (with uncommitted changes under src/)" if dirty.stdout.strip() else "")


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:,.1f} min" if seconds >= 60 else f"{seconds:,.1f} s"


def markdown(
    results: list[Measurement], kinds: list[str], started: str, wall: float, loads: tuple[float, float]
) -> str:
    lines = [
        f"Run of {started} UTC at commit {_commit()}, {wall / 60:.1f} min in all; "
        + ", ".join(f"{k} {v}" for k, v in _versions(kinds).items())
        + f". Load average (1 min) {loads[0]:.2f} at the start and {loads[1]:.2f} at the end"
        + (" — other work was running on the machine, so single timings move" if max(loads) > 0.5 else "")
        + ". Peak RSS is the child's VmHWM reset just before the measured call; growth is that peak minus the RSS"
        " just before the call; PostgreSQL's server memory is not included. *load* is the 1-minute load average"
        " when the call ended.",
        "",
        "| case | engine | rows | seconds | peak RSS MB | RSS growth MB | rows/s | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.case} | {r.engine} | {r.rows:,} | {r.seconds:,.2f} | {r.peak_rss_mb:,.1f} | {r.growth_mb:,.1f} "
        f"| {r.rows_per_second:,.1f} | {r.load:.2f} |"
        for r in results
    ]
    lines += ["", "Checks and set-up (what each run wrote or found; set-up times are not part of the timings):", ""]
    lines += [f"- {r.case} ({r.engine}): " + json.dumps(r.extra, ensure_ascii=False) for r in results if r.extra]
    lines += ["", "The largest release per engine, and what its rate means for a year's awards:", ""]
    header = "| engine | payments | payments/s | rows written/s | largest batch (payments, s) "
    header += "| the year's awards at that rate |"
    lines += [header, "|---|---:|---:|---:|---|---:|"]
    for engine in sorted({r.engine for r in results}):
        found = next((r.rows for r in results if r.engine == engine and r.case.startswith("proactive run")), 0)
        runs = [r for r in results if r.engine == engine and r.case.startswith("release_batch") and r.seconds]
        if runs:
            big = max(runs, key=lambda r: r.rows)
            payer, (rows, seconds) = max(big.extra["batches by payer (payments, s)"].items(), key=lambda kv: kv[1][0])
            lines.append(f"| {engine} | {big.rows:,} | {big.rows_per_second:,.0f} | {big.extra['rows written/s']:,} "
                         f"| {payer}: {rows:,} in {seconds:,.1f} s | {_minutes(found / big.rows_per_second)} "
                         f"({found:,}) |")  # fmt: skip
    lines += ["", "Targets (issue 15, item 5) beside what this run measured:", ""]
    lines += ["| target | engine | measured | met |", "|---|---|---:|---|"]
    for engine in sorted({r.engine for r in results}):
        runs = [r for r in results if r.engine == engine and r.case.startswith("release_batch") and r.seconds]
        if runs:
            big = max(runs, key=lambda r: r.rows)
            met = "yes" if big.rows_per_second >= TARGET_RELEASE_PER_S else "no"
            lines.append(f"| release ≥ {TARGET_RELEASE_PER_S:,} payments/s | {engine} | {big.rows_per_second:,.0f} "
                         f"payments/s ({big.rows:,}) | {met} |")  # fmt: skip
        first = next((r for r in results if r.engine == engine and r.case.startswith("proactive run")), None)
        if first is not None:
            lines.append(f"| proactive run ≤ {TARGET_PROACTIVE_S:g} s | {engine} | {first.seconds:,.2f} s "
                         f"| {'yes' if first.seconds <= TARGET_PROACTIVE_S else 'no'} |")  # fmt: skip
    return "\n".join(lines)


def write_results(body: str, path: Path) -> None:
    """Replace the part between the markers; hand-written findings around it stay."""
    block = f"{START}\n{body}\n{END}"
    if path.exists() and START in (old := path.read_text()) and END in old:
        head, rest = old.split(START, 1)
        text_out = head + block + rest.split(END, 1)[1]
    else:
        text_out = f"# Fulfilment benchmarks\n\nWritten by `benchmarks/fulfilment_bench.py`.\n\n{block}\n"
    path.write_text(text_out)


def _sizes(value: str) -> list[int]:
    return [int(v) for v in value.split(",") if v.strip()]


def orchestrate(args: argparse.Namespace, kinds: list[str]) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    started, load_start = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"), _load()
    clock = time.perf_counter()
    results: list[Measurement] = []
    for kind in kinds:
        print(kind, flush=True)
        results += scenario(kind, _sizes(args.sizes), args.year)
    wall = time.perf_counter() - clock
    print(f"all cases: {wall:.0f} s", flush=True)
    body = markdown(results, kinds, started, wall, (load_start, _load()))
    if args.output == "-":
        print(body)
        return
    write_results(body, Path(args.output))
    print(f"wrote {args.output}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", choices=sorted(CASES), help="one measurement in this process (default: all)")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", help="an existing database (default: a fresh one)")
    parser.add_argument("--rows", type=int, default=1000, help="release: how many pending awards to pay")
    parser.add_argument("--sample", type=int, default=0, help="release: time this many city approvals as shipped")
    parser.add_argument("--label", default="")
    parser.add_argument("--scale", type=int, default=SCALE)
    parser.add_argument("--year", type=int, default=YEAR)
    parser.add_argument("--profile", action="store_true", help="cProfile the measured call (to stderr)")
    parser.add_argument("--sizes", default=SIZES, help=f"payments per release case, comma-separated ({SIZES})")
    parser.add_argument("--engines", help="comma-separated: sqlite,postgresql (default: both when available)")
    parser.add_argument("--output", default=str(RESULTS), help="results file, or - to print only")
    args = parser.parse_args()
    if args.case:
        child(args)
        return
    kinds = args.engines.split(",") if args.engines else ["sqlite"]
    if not args.engines and os.environ.get("ZHIJIAO_TEST_POSTGRES_URL"):
        kinds.append("postgresql")
    orchestrate(args, kinds)


if __name__ == "__main__":
    main()
