"""Page benchmarks (issue 15, item 5): every page each demo persona's navigation offers, and the detail pages its
lists link to, at ``zhijiao demo --scale 100``; and a what-if over the whole registry.

The database is built once and kept under ``benchmarks/data/pages/`` (``--rebuild`` makes it again): the demo at
scale 100, the 2023 drafting record, the demo accounts and the 2026 plan in progress as ``zhijiao serve --demo``
makes them, one county officer per county (as ``fulfilment_bench.py`` does), the year's proactive run
(免申即享) and one released payment batch, so the award, batch and ledger pages have rows to show. Every run
works on a fresh copy of it (SQLite backup API): sign-ins and sessions never change the cached database.

Requests run in-process through Starlette's TestClient on the app ``zhijiao serve`` builds (``create_app``):
what is measured is the application (routing, queries, engine, rendering), not a socket. Each persona signs in
through the form, then each of its pages gets one warm-up request and ``--n`` timed ones.

    .venv/bin/python benchmarks/pages_bench.py                  # → PAGES_RESULTS.md
    .venv/bin/python benchmarks/pages_bench.py --n 5 --output - # a quick look
    .venv/bin/python benchmarks/pages_bench.py --profile /targets --persona admin
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import pstats
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.storage.database import engine_for, unit_of_work
from zhijiao.storage.migrate import upgrade

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "pages"
CACHED = DATA / "scale100.sqlite3"
WORKING = DATA / "run.sqlite3"
RESULTS = HERE / "PAGES_RESULTS.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
SCALE = 100
YEAR = 2024  # the proactive run's year: the awards and the batch the pages show
RELEASED = 40  # pending awards approved, batched and paid, so batch and ledger pages have rows
OFFICER_PASSWORD = "bench-officer-2023"
N = 30  # timed requests per page
WHAT_IF_RUNS = 5
COLD_RUNS = 3  # requests per page right after a change to the data (nothing kept)
PERSONAS = ("admin", "county", "finance", "school", "enterprise", "analyst", "auditor", "drafter", "unit")
TARGET_PAGE_P95_MS = 200.0
TARGET_WHAT_IF_S = 1.0
PERCENTILE_95 = 95
PERCENT = 100
MS = 1000
LOAD_NOTE = 0.5  # a load average above this means other work shared the machine
WHAT_IF_PARAMETER = "art20.donation_matching_rate"  # a rate every year of the plan applies
WHAT_IF_VALUE = "0.6"  # baseline 0.5

# Links followed from the pages a persona's navigation offers (and from those, once more): one of each kind.
DETAIL_LINKS = (
    r"/awards/\d+",
    r"/batches",
    r"/batches/\d+",
    r"/registry/schools/[^/\"?#]+",
    r"/registry/enterprises/[^/\"?#]+",
    r"/registry/platforms/[^/\"?#]+",
    r"/registry/projects/[^/\"?#]+",
    r"/registry/files",
    r"/plan/articles/[^/\"?#]+",
    r"/plan/changes",
    r"/ledger/statements/[^/\"?#]+/[^/\"?#]+",
    r"/audit/verify",
    r"/drafting/\d+",
    r"/drafting/units",
    r"/drafting/versions/\d+",
    r"/drafting/rounds/\d+",
    r"/consultations/\d+",
)
DOWNLOADS = (".xlsx", ".pdf", ".csv")
HREF = re.compile(r'href="(/[^"#]*)"')


def _load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


# ---------------------------------------------------------------------------------------------------------------
# The database: built once, copied for each run
# ---------------------------------------------------------------------------------------------------------------


def _officers(session: Session) -> dict[str, Any]:
    from zhijiao.accounts.models import User  # noqa: PLC0415
    from zhijiao.accounts.service import principal_of  # noqa: PLC0415

    out: dict[str, Any] = {}
    for user in session.scalars(select(User).where(User.active.is_(True))):
        out[user.username] = principal_of(user)
        if user.role == "county_officer" and user.county_code:
            out.setdefault(f"county:{user.county_code}", principal_of(user))
    return out


def _release_some(url: str) -> None:
    """``RELEASED`` pending awards through county review, city approval, a batch per payer, and one release."""
    from zhijiao.fulfilment import applications, payments  # noqa: PLC0415
    from zhijiao.fulfilment.entities import payees_of, payer_of  # noqa: PLC0415
    from zhijiao.fulfilment.models import Application  # noqa: PLC0415
    from zhijiao.policies.wenzhou_vet_2023 import load  # noqa: PLC0415

    engine, policy = engine_for(url), load()
    with unit_of_work(engine) as session:
        people = _officers(session)
        query = select(Application.id, Application.county_code).where(
            Application.year == YEAR, Application.status == "pending"
        )
        awards = [(i, c) for i, c in session.execute(query.order_by(Application.id).limit(RELEASED))]
    with unit_of_work(engine) as session:
        for application_id, county in awards:
            applications.county_approve(session, people[f"county:{county}"], policy, application_id)
    with unit_of_work(engine) as session:
        for application_id, _county in awards:
            applications.city_approve(session, people["admin"], policy, application_id)
    batches: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    with unit_of_work(engine) as session:
        ids = [i for i, _ in awards]
        chosen = list(session.scalars(select(Application).where(Application.id.in_(ids)).order_by(Application.id)))
        payees = payees_of(session, [(a.school_id, a.enterprise_id, a.platform_id) for a in chosen])
        for application in chosen:
            payee = payees[application.school_id, application.enterprise_id, application.platform_id]
            batches[payer_of(policy, payee, policy.entitlements_by_id[application.entitlement])].append(application.id)
    batch_ids = []
    for members in batches.values():
        with unit_of_work(engine) as session:
            total = sum(d.amount_fen for d in payments.latest_decisions(session, members).values())
            batch = payments.prepare_batch(session, people["admin"], policy, members, declared_count=len(members),
                                           declared_total_fen=total)  # fmt: skip
            batch_ids.append(batch.id)
    with unit_of_work(engine) as session:  # the first released, the others left prepared: both states shown
        payments.release_batch(session, people["finance"], policy, batch_ids[0])


def build(scale: int) -> None:
    from zhijiao.accounts.models import User  # noqa: PLC0415
    from zhijiao.accounts.service import add_user  # noqa: PLC0415
    from zhijiao.audit.policy_version import record_policy_version  # noqa: PLC0415
    from zhijiao.authz import Role  # noqa: PLC0415
    from zhijiao.demo.accounts import create_demo_accounts  # noqa: PLC0415
    from zhijiao.demo.drafting_2026 import load_2026_demo  # noqa: PLC0415
    from zhijiao.demo.payees import load_demo_payees  # noqa: PLC0415
    from zhijiao.demo.registry import generate  # noqa: PLC0415
    from zhijiao.drafting.history_2023 import load_2023  # noqa: PLC0415
    from zhijiao.drafting.versions import wenzhou_today  # noqa: PLC0415
    from zhijiao.fulfilment import proactive  # noqa: PLC0415
    from zhijiao.policies.wenzhou_vet_2023 import load  # noqa: PLC0415
    from zhijiao.registry.models import County  # noqa: PLC0415

    DATA.mkdir(parents=True, exist_ok=True)
    partial = DATA / "building.sqlite3"
    partial.unlink(missing_ok=True)
    url = f"sqlite:///{partial}"
    engine = engine_for(url)
    upgrade(engine)
    policy = load()
    start = time.perf_counter()
    print(f"building the scale-{scale} database (once) …", flush=True)
    with unit_of_work(engine) as session:
        record_policy_version(session, policy)
        generate(session, scale=scale)
        load_2023(session, policy)
        create_demo_accounts(session)
        load_demo_payees(session)
        load_2026_demo(session, wenzhou_today())
        have = set(session.scalars(select(User.county_code).where(User.role == Role.county_officer.value)))
        for code in session.scalars(select(County.code).order_by(County.code)):
            if code not in have:
                add_user(session, username=f"county-{code}", password=OFFICER_PASSWORD, role=Role.county_officer,
                         county=code)  # fmt: skip
    with unit_of_work(engine) as session:
        proactive.run(session, _officers(session)["admin"], policy, YEAR)
    _release_some(url)
    engine.dispose()
    partial.replace(CACHED)
    print(f"  built in {time.perf_counter() - start:.0f} s: {CACHED}", flush=True)


def working_copy() -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{WORKING}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(CACHED) as source, sqlite3.connect(WORKING) as target:
        source.backup(target)
    return f"sqlite:///{WORKING}"


# ---------------------------------------------------------------------------------------------------------------
# The measurements
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Timing:
    persona: str
    path: str
    status: int
    ms: list[float] = field(default_factory=list)
    cold_ms: list[float] = field(default_factory=list)  # each right after the kept results were dropped

    @property
    def median(self) -> float:
        return statistics.median(self.ms)

    @property
    def cold(self) -> float:
        return statistics.median(self.cold_ms) if self.cold_ms else float("nan")

    @property
    def p95(self) -> float:
        ordered = sorted(self.ms)
        return ordered[min(len(ordered) - 1, -(-len(ordered) * PERCENTILE_95 // PERCENT) - 1)]


def _sign_in(client: Any, username: str) -> None:  # noqa: ANN401 -- a TestClient
    from zhijiao.demo.accounts import DEMO_PASSWORD  # noqa: PLC0415
    from zhijiao.http.deps import CSRF_COOKIE  # noqa: PLC0415

    client.cookies.clear()
    client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": client.cookies[CSRF_COOKIE]},
        follow_redirects=False,
    )
    if response.status_code != 303:
        raise SystemExit(f"sign-in as {username} failed: {response.status_code}")


def _nav_paths(url: str, username: str) -> list[str]:
    from zhijiao.accounts.models import User  # noqa: PLC0415
    from zhijiao.accounts.service import principal_of  # noqa: PLC0415
    from zhijiao.web.nav import visible  # noqa: PLC0415

    with unit_of_work(engine_for(url)) as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return [item.path for item in visible(principal_of(user))]


def _links(html: str) -> list[str]:
    found = []
    for pattern in DETAIL_LINKS:
        whole = re.compile(pattern + "$")
        for href in HREF.findall(html):
            path = href.split("?", 1)[0]
            if whole.match(path) and not path.endswith(DOWNLOADS):
                found.append(unescape(href))
                break
    return found


def pages_of(client: Any, url: str, username: str) -> tuple[list[str], dict[str, int]]:  # noqa: ANN401
    """The persona's navigation, then the detail pages those pages link to, two levels deep; and the pages that
    did not answer 200 (with their status), left out of the timings."""
    wanted = _nav_paths(url, username)
    pages: list[str] = []
    refused: dict[str, int] = {}
    seen_kinds: set[str] = set()
    frontier = list(wanted)
    for _level in range(3):
        following = []
        for path in frontier:
            if path in pages or path in refused:
                continue
            response = client.get(path)
            if response.status_code != 200:
                refused[path] = response.status_code
                continue
            pages.append(path)
            for link in _links(response.text):
                kind = next(p for p in DETAIL_LINKS if re.match(p + "$", link.split("?", 1)[0]))
                if kind not in seen_kinds:
                    seen_kinds.add(kind)
                    following.append(link)
        frontier = following
    return pages, refused


def _profile_endpoints(profiler: cProfile.Profile) -> None:
    """Sync endpoints run in a worker thread the TestClient's caller cannot profile: profile them there."""
    import fastapi.routing  # noqa: PLC0415
    from starlette.concurrency import run_in_threadpool  # noqa: PLC0415

    original = fastapi.routing.run_endpoint_function

    async def profiled(*, dependant: Any, values: dict[str, Any], is_coroutine: bool) -> Any:  # noqa: ANN401
        if is_coroutine or dependant.call is None:
            return await original(dependant=dependant, values=values, is_coroutine=is_coroutine)
        call = dependant.call

        def run() -> Any:  # noqa: ANN401
            profiler.enable()
            try:
                return call(**values)
            finally:
                profiler.disable()

        return await run_in_threadpool(run)

    fastapi.routing.run_endpoint_function = profiled  # type: ignore[assignment]


def measure_pages(url: str, personas: list[str], n: int, only: str | None, profile: bool) -> list[Timing]:
    from fastapi.testclient import TestClient  # noqa: PLC0415

    from zhijiao.cli.platform import create_app  # noqa: PLC0415
    from zhijiao.policies.wenzhou_vet_2023 import load  # noqa: PLC0415
    from zhijiao.registry.snapshot import forget  # noqa: PLC0415

    timings: list[Timing] = []
    engine = engine_for(url)
    with TestClient(create_app(engine, demo=True, policy=load()), base_url="http://testserver") as client:
        for persona in personas:
            _sign_in(client, persona)
            pages, refused = pages_of(client, url, persona)
            if refused:
                print(f"  {persona}: not 200, left out: {refused}", flush=True)
            for path in pages:
                if only and path != only:
                    continue
                timing = Timing(persona, path, client.get(path).status_code)  # the warm-up
                profiler = cProfile.Profile() if profile else None
                if profiler:
                    _profile_endpoints(profiler)
                for _ in range(n):
                    start = time.perf_counter()
                    client.get(path)
                    timing.ms.append((time.perf_counter() - start) * MS)
                for _ in range(0 if profile else COLD_RUNS):
                    forget()
                    start = time.perf_counter()
                    client.get(path)
                    timing.cold_ms.append((time.perf_counter() - start) * MS)
                if profiler:
                    stats = pstats.Stats(profiler, stream=sys.stderr)
                    stats.sort_stats("cumulative").print_stats(40)
                    stats.sort_stats("tottime").print_stats(25)
                print(f"  {persona:<10} {path:<42} median {timing.median:7.1f} ms  p95 {timing.p95:7.1f} ms  cold "
                      f"{timing.cold:7.1f} ms", flush=True)  # fmt: skip
                timings.append(timing)
    engine.dispose()
    return timings


@dataclass
class WhatIf:
    label: str
    seconds: list[float]
    status: int

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def measure_what_if(url: str, runs: int) -> list[WhatIf]:
    """The simulation page run over the whole registry for every year of the plan, and the API's what-if (one
    year), each as the analyst: one warm-up, then ``runs`` timed."""
    from fastapi.testclient import TestClient  # noqa: PLC0415

    from zhijiao.cli.platform import create_app  # noqa: PLC0415
    from zhijiao.policies.wenzhou_vet_2023 import load  # noqa: PLC0415
    from zhijiao.registry.snapshot import forget  # noqa: PLC0415

    policy = load()
    engine = engine_for(url)
    out = []
    with TestClient(create_app(engine, demo=True, policy=policy), base_url="http://testserver") as client:
        _sign_in(client, "analyst")
        token = client.post("/api/v1/auth/token", json={"username": "analyst", "password": "wenzhou-demo-2023"})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        page = f"/simulation?run=1&year={YEAR}&{WHAT_IF_PARAMETER}={WHAT_IF_VALUE}"
        body = {"year": YEAR, "reform": {"parameters": {WHAT_IF_PARAMETER: float(WHAT_IF_VALUE)}}}
        cases = (
            ("simulation page, every plan year (GET /simulation?run=1…)", lambda: client.get(page)),
            ("API what-if, one year (POST /api/v1/cost/simulate)",
             lambda: client.post("/api/v1/cost/simulate", json=body, headers=headers)),
        )  # fmt: skip
        for label, call in cases:
            status = call().status_code
            for cold in (False, True):
                seconds = []
                for _ in range(runs):
                    if cold:  # as after a change to the data: nothing read from the registry is kept
                        forget()
                    start = time.perf_counter()
                    call()
                    seconds.append(time.perf_counter() - start)
                shown = f"{label}, {'cold: right after a change' if cold else 'warm'}"
                out.append(WhatIf(shown, seconds, status))
                print(f"  {shown}: median {out[-1].median:.3f} s (status {status})", flush=True)
    engine.dispose()
    return out


# ---------------------------------------------------------------------------------------------------------------
# The Markdown
# ---------------------------------------------------------------------------------------------------------------


def _commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False,
                          cwd=HERE)  # fmt: skip
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], capture_output=True, text=True,
                           check=False, cwd=HERE.parent)  # fmt: skip
    return (head.stdout.strip() or "?") + (" (with uncommitted changes under src/)" if dirty.stdout.strip() else "")


def markdown(timings: list[Timing], what_ifs: list[WhatIf], n: int, started: str, loads: tuple[float, float]) -> str:
    over = [t for t in timings if t.p95 > TARGET_PAGE_P95_MS]
    lines = [
        "# Page benchmarks (issue 15, item 5)",
        "",
        (
            "Written by `benchmarks/pages_bench.py`: in-process (Starlette TestClient on the app `zhijiao serve`"
            f" builds), SQLite, demo scale {SCALE} with the demo accounts, the {YEAR} proactive run and one released"
            " batch. *Warm*: the data unchanged since the last request; *cold*: right after a change to the data"
            " (nothing kept)."
        ),
        "",
        f"Run of {started} UTC at commit {_commit()}. Load average (1 min) {loads[0]:.2f} at the start and "
        f"{loads[1]:.2f} at the end" + (" — other work shared the machine" if max(loads) > LOAD_NOTE else "") + ".",
        f"Each page: one warm-up request, then {n} timed; slowest p95 first.",
        "",
        f"Target: every page p95 ≤ {TARGET_PAGE_P95_MS:.0f} ms — "
        + ("met." if not over else f"**not met** by {len(over)} of {len(timings)} pages.")
        + f" What-if over the whole registry ≤ {TARGET_WHAT_IF_S:g} s — "
        + ("met." if all(w.median <= TARGET_WHAT_IF_S for w in what_ifs) else "**not met**.")
        + "",
        "",
        f"| what-if (analyst, median of {WHAT_IF_RUNS}) | median s | target | met |",
        "|---|---:|---:|---|",
    ]
    lines += [
        f"| {w.label} | {w.median:.3f} | ≤ {TARGET_WHAT_IF_S:g} s | {'yes' if w.median <= TARGET_WHAT_IF_S else 'no'} |"
        for w in what_ifs
    ]
    lines += [
        "",
        (
            f"*cold*: median of {COLD_RUNS} requests, each right after the kept results were dropped (as after a change"
            " to the data); not part of the target, shown so that the first view after a change is not hidden."
        ),
        "",
        "| persona | page | median ms | p95 ms | target p95 | met | cold ms |",
        "|---|---|---:|---:|---:|---|---:|",
    ]
    for t in sorted(timings, key=lambda t: t.p95, reverse=True):
        met = "yes" if t.p95 <= TARGET_PAGE_P95_MS else "**no**"
        lines.append(
            f"| {t.persona} | `{t.path}` | {t.median:.1f} | {t.p95:.1f} | ≤ {TARGET_PAGE_P95_MS:.0f} | {met} "
            f"| {t.cold:.1f} |"
        )
    return "\n".join(lines) + "\n"


def write_results(body: str, path: Path) -> None:
    """Replace the part between the markers; hand-written findings around it stay."""
    block = f"{START}\n{body}{END}"
    if path.exists() and START in (old := path.read_text()) and END in old:
        head, rest = old.split(START, 1)
        path.write_text(head + block + rest.split(END, 1)[1])
        return
    path.write_text(f"{block}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=N, help=f"timed requests per page ({N})")
    parser.add_argument("--persona", action="append", help="only these personas (repeatable)")
    parser.add_argument("--page", help="only this path")
    parser.add_argument("--profile", action="store_true", help="cProfile the timed requests (to stderr)")
    parser.add_argument("--no-what-if", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="build the scale-100 database again")
    parser.add_argument("--output", default=str(RESULTS), help="results file, or - to print only")
    args = parser.parse_args()
    if args.rebuild or not CACHED.exists():
        build(SCALE)
    started, load_start = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"), _load()
    url = working_copy()
    timings = measure_pages(url, args.persona or list(PERSONAS), args.n, args.page, args.profile)
    what_ifs = [] if args.no_what_if else measure_what_if(url, WHAT_IF_RUNS)
    body = markdown(timings, what_ifs, args.n, started, (load_start, _load()))
    if args.output == "-":
        print(body)
        return
    write_results(body, Path(args.output))
    print(json.dumps({"wrote": args.output, "pages": len(timings)}))


if __name__ == "__main__":
    main()
