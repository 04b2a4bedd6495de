"""The HTTP load generator of http_bench.py: wrk (C, one thread, keep-alive), driven by a Lua script that posts the
body and reports the run as one JSON line.

Why wrk and not a Python client: on this 2-core machine the load generator shares the cores with the server. The
earlier generator (asyncio + httpx) spent about 1.5 ms of CPU per request, more than zhijiao's server (1.3 ms):
the measured rate was then the generator's, not the server's, and the faster the server the more it understated
it (OpenFisca's rate, bound by its one synchronous worker, was the same under both). wrk spends a few
microseconds per request. Install it with ``apt-get install wrk`` (Debian's package; the benchmark says so if it
is missing).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local file = io.open(os.getenv("WRK_BODY"), "rb")
wrk.body = file:read("*a")
file:close()

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n{"requests": %d, "microseconds": %d, "p50": %d, "p95": %d, "p99": %d, "status": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "timeout": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
"""


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("http_bench.py needs wrk, the HTTP load generator: apt-get install wrk")
    return found


def version() -> str:
    """wrk's own version line (it prints it with its usage, on an unknown option)."""
    shown = subprocess.run([wrk_path(), "--version"], capture_output=True, text=True, check=False).stdout
    return shown.split()[1] if shown.split() else "?"


def run(url: str, body: bytes, *, clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` keep-alive connections posting ``body`` for ``seconds``: requests, rate, latency (ms)."""
    with tempfile.TemporaryDirectory() as folder:
        script, payload = Path(folder) / "post.lua", Path(folder) / "body.json"
        script.write_text(SCRIPT)
        payload.write_bytes(body)
        command = [wrk_path(), "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "60s"]
        done = subprocess.run(
            [*command, "-s", str(script), url],
            env={**os.environ, "WRK_BODY": str(payload)},
            capture_output=True,
            text=True,
            check=True,
        )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    failed = {k: report[k] for k in ("status", "connect", "read", "write", "timeout") if report[k]}
    if failed:
        raise SystemExit(f"{url}: wrk counted failed requests {failed}:\n{done.stdout}")
    elapsed = report["microseconds"] / 1e6
    return {
        "requests": report["requests"],
        "seconds": elapsed,
        "rps": report["requests"] / elapsed,
        **{f"p{q}": report[f"p{q}"] / 1000 for q in (50, 95, 99)},
    }
