"""``make test`` on a machine where another apt-get holds the lock waits for it instead of failing at once
(issue 14): ``scripts/apt-install.sh`` against a stand-in ``apt-get`` that is busy twice, then free."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "scripts" / "apt-install.sh"
BUSY = "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)"


def _fake_apt(tmp_path: Path, busy_times: int, error: str = BUSY) -> Path:
    calls = tmp_path / "calls"
    fake = tmp_path / "bin" / "apt-get"
    fake.parent.mkdir()
    fake.write_text(
        "#!/usr/bin/env bash\n"
        f'echo "$*" >> {calls}\n'
        f'updates=$(grep -c "^update" {calls})\n'
        f'if [ "$1" = update ] && [ "$updates" -le {busy_times} ]; then echo "{error}" >&2; exit 100; fi\n'
        "exit 0\n"
    )
    fake.chmod(0o755)
    return calls


def _run(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}", "APT_RETRY_SECONDS": "0"}
    command = [shutil.which("bash") or "/bin/bash", str(SCRIPT), "chromium"]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 -- our script


def test_a_held_lock_is_waited_for_then_the_packages_install(tmp_path: Path):
    calls = _fake_apt(tmp_path, busy_times=2)
    done = _run(tmp_path)
    assert done.returncode == 0, done.stderr
    made = calls.read_text().splitlines()
    assert made[:3] == ["update -qq"] * 3
    assert made[3].endswith("install -y -qq chromium")
    assert "DPkg::Lock::Timeout=600" in made[3]  # dpkg's own lock: apt waits for it
    assert done.stderr.count("apt is busy") == 2


def test_another_failure_is_not_retried(tmp_path: Path):
    calls = _fake_apt(tmp_path, busy_times=1, error="E: The repository is not signed.")
    done = _run(tmp_path)
    assert done.returncode != 0
    assert "not signed" in done.stderr
    assert calls.read_text().splitlines() == ["update -qq"]
