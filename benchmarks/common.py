"""What every benchmark process shares: paths, the outputs compared, checksums and memory readings.

Imports neither numpy nor zhijiao at module level: it runs in the project venv (zhijiao, no numpy)
and in the benchmark venv (numpy, OpenFisca, no zhijiao installed).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import subprocess
import sys
import time
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SRC = ROOT / "src"
DATA = HERE / "data"
BENCH_VENV = HERE / ".venv-openfisca"
BENCH_PYTHON = BENCH_VENV / "bin" / "python"
PROJECT_PYTHON = ROOT / ".venv" / "bin" / "python"

SEED = 20230323  # the plan's issue date
YEAR = 2024
WINDOW = ("2023-01-01", "2025-12-31")  # option plan_window, default
ENTITY_NAMES = ("school", "enterprise", "enterprise_certification", "platform", "platform_certification")

# The public outputs compared, in clause order, with their scaled integer unit.
SCHOOL_OUTPUTS: dict[str, str] = {
    "appropriation_uplift_rate": "ppm",  # C1
    "per_student_appropriation": "fen",  # C2
    "appropriation_uplift_amount": "fen",  # C3
    "public_expenditure_per_student": "fen",  # C4
    "public_expenditure_uplift_amount": "fen",  # C5
    "social_service_incentive_cap": "fen",  # C6
    "part_time_teacher_cap": "persons",  # C7
    "funded_part_time_teachers": "persons",  # C8
    "part_time_teacher_funding": "fen",  # C9
    "part_time_teachers_over_cap": "persons",  # C10
    "donation_matching_min": "fen",  # C11
}
OUTPUTS: dict[str, tuple[str, str]] = {
    **{f"school.{name}": ("school", unit) for name, unit in SCHOOL_OUTPUTS.items()},
    "enterprise.integration_subsidy": ("enterprise", "fen"),  # C12
    "platform.platform_award": ("platform", "fen"),  # C13
}
TOTALS = "totals (C14)"


def src_on_path() -> None:
    """Let a process import zhijiao's entities from the work tree (the bench venv does not install it)."""
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))


def data_dir(size: int) -> Path:
    return DATA / str(size)


def checksum_ints(values: Iterable[int]) -> dict[str, Any]:
    """Sum and sha256 of the little-endian int64 bytes: equal hashes mean equal arrays, row for row."""
    packed = array("q", values)
    if sys.byteorder != "little":
        packed.byteswap()
    return {"sum": int(sum(packed)), "sha256": hashlib.sha256(packed.tobytes()).hexdigest()[:16], "n": len(packed)}


def checksum_bytes(int64_le: bytes, total: int) -> dict[str, Any]:
    """Same checksum from bytes a numpy int64 array gave (``arr.astype('<i8').tobytes()``)."""
    return {"sum": int(total), "sha256": hashlib.sha256(int64_le).hexdigest()[:16], "n": len(int64_le) // 8}


def checksum_totals(totals: Mapping[str, Any]) -> dict[str, Any]:
    """Totals in fen as canonical JSON: fiscal_cost and the sums by payer, article and county."""
    canonical = {
        "fiscal_cost": int(totals["fiscal_cost"]),
        **{key: {str(k): int(v) for k, v in totals[key].items() if int(v) != 0} for key in _BY},
    }
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False)
    return {
        "sum": canonical["fiscal_cost"],
        "sha256": hashlib.sha256(text.encode()).hexdigest()[:16],
        "n": sum(len(canonical[k]) for k in _BY),
        "detail": canonical,
    }


_BY = ("by_payer", "by_article", "by_county")


def _status() -> dict[str, int]:
    out = {}
    with Path("/proc/self/status").open() as handle:
        for line in handle:
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1]) * 1024
    return out


def rss_now() -> int:
    return _status()["VmRSS"]


def rss_peak() -> int:
    return _status()["VmHWM"]


def reset_peak() -> bool:
    """Reset the process's peak RSS to its current RSS (Linux ≥ 4.0), so the peak counts the calculation only."""
    try:
        with Path("/proc/self/clear_refs").open("w") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def trim_heap() -> None:
    """Give freed heap pages back to the OS (glibc), so the RSS after loading is what loading keeps."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def load_average() -> float:
    return os.getloadavg()[0]


def cpu_counters() -> tuple[float, float]:
    """(machine-wide busy CPU seconds from /proc/stat, this process's CPU seconds)."""
    ticks = os.sysconf("SC_CLK_TCK")
    with Path("/proc/stat").open() as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    own = os.times()
    return (sum(fields[:8]) - idle) / ticks, own.user + own.system


def others_cpu_share(before: tuple[float, float], after: tuple[float, float], seconds: float) -> float:
    """Share of the machine's CPUs that other processes kept busy during ``seconds`` (noise indicator)."""
    busy = (after[0] - before[0]) - (after[1] - before[1])
    return max(busy, 0.0) / (seconds * (os.cpu_count() or 1)) if seconds > 0 else 0.0


def wait_for_quiet(max_noise: float, timeout: float = 300.0) -> None:
    """Wait (up to ``timeout`` s) until other processes use at most ``max_noise`` of the CPUs for 2 s."""
    deadline = time.monotonic() + timeout
    while True:
        before = cpu_counters()
        time.sleep(2)
        others = others_cpu_share(before, cpu_counters(), 2.0)
        if others <= max_noise or time.monotonic() > deadline:
            return
        print(f"  waiting: other processes use {others:.0%} of the CPUs", flush=True)
        time.sleep(8)


@dataclass(frozen=True)
class Spawned:
    stdout: str
    peak_rss: int  # bytes: the child's own peak RSS (``os.wait4``), as /usr/bin/time reports it
    wall: float  # seconds from start to exit, as /usr/bin/time reports them
    cpu: float  # the child's user + system CPU seconds
    code: int


def spawn(command: list[str], env: Mapping[str, str] | None = None, cwd: Path = HERE, *, check: bool = True) -> Spawned:
    """Run a child to its end and measure it as a whole process."""
    environment = {**os.environ, **(env or {})}
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=cwd, text=True, env=environment)
    assert child.stdout is not None
    stdout = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if check and child.returncode:
        raise SystemExit(f"{' '.join(command)} failed with exit code {child.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    return Spawned(stdout, usage.ru_maxrss * 1024, wall, cpu, child.returncode)


def others_cpu_during(
    before: tuple[float, float], after: tuple[float, float], seconds: float, child_cpu: float
) -> float:
    """Share of the CPUs that processes other than this one and its measured child kept busy."""
    return others_cpu_share(before, (after[0] - child_cpu, after[1]), seconds)


RESULTS_START, RESULTS_END = "<!-- results:start -->", "<!-- results:end -->"


def write_section(path: Path, name: str, text: str, header: str) -> None:
    """Put ``text`` between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` inside the results markers of
    ``path`` (created with ``header`` when missing), leaving the other sections as they are."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    document = path.read_text(encoding="utf-8") if path.exists() else f"{header}\n{RESULTS_START}\n{RESULTS_END}\n"
    block = f"{start}\n{text.rstrip()}\n{end}"
    if start in document and end in document:
        document = document[: document.index(start)] + block + document[document.index(end) + len(end) :]
    else:
        document = document.replace(RESULTS_END, f"{block}\n\n{RESULTS_END}")
    path.write_text(document, encoding="utf-8")


def git(*args: str) -> str:
    """Read-only git queries (the commit of the engine measured)."""
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip()
