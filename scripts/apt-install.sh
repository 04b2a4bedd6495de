#!/usr/bin/env bash
# Installs Debian packages. Another apt-get or dpkg holding a lock (an unattended upgrade, a second build) is
# waited for, up to ten minutes, instead of failing the build: dpkg's lock through apt's own timeout, the package
# lists' lock (which that timeout does not cover) by retrying while apt says the lock is held.
set -euo pipefail
WAIT_SECONDS=${APT_WAIT_SECONDS:-600}
RETRY_SECONDS=${APT_RETRY_SECONDS:-5}
update_lists() {
  local waited=0 log
  log=$(mktemp)
  until apt-get update -qq 2>"$log"; do
    if ! grep -q "Could not get lock" "$log" || [ "$waited" -ge "$WAIT_SECONDS" ]; then
      cat "$log" >&2; rm -f "$log"; return 1
    fi
    echo "apt is busy (another apt-get or dpkg holds its lock): waiting…" >&2
    sleep "$RETRY_SECONDS"; waited=$((waited + RETRY_SECONDS))
  done
  rm -f "$log"
}
update_lists
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$WAIT_SECONDS" install -y -qq "$@" >/dev/null
