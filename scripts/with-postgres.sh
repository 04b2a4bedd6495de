#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL: started here, stopped on exit (success or failure).
# Exports ZHIJIAO_TEST_POSTGRES_URL for the integration tests. PostgreSQL refuses to run as root,
# so the server runs as the postgres user (recipe: shared/design/STACK.md).
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$PGBIN" ]; then
  echo "installing PostgreSQL (apt-get)…" >&2
  bash "$(dirname "$0")/apt-install.sh" postgresql
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
fi
PGTMP=$(mktemp -d)
chown postgres: "$PGTMP"
PGDATA="$PGTMP/data"
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pg_as() { (cd "$PGTMP" && runuser -u postgres -- "$@"); }
pg_stop() { pg_as "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$PGTMP"; }
trap pg_stop EXIT
pg_as "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 -N >/dev/null
pg_as "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGTMP/server.log" -w -t 60 \
  -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres zhijiao_test
export ZHIJIAO_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/zhijiao_test"
"$@"
