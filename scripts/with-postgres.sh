#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: a new cluster in a temporary folder,
# listening on 127.0.0.1 on a private port, removed when the command ends. DATABASE_URL points
# the command at it. Needs Debian's postgresql package (initdb and pg_ctl).
set -euo pipefail

pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "PostgreSQL server not found (no /usr/lib/postgresql/*/bin/initdb)." >&2
  echo "Install it with: sudo apt-get install postgresql" >&2
  exit 1
fi

port=${PG_TEST_PORT:-54329}
dir=$(mktemp -d /tmp/leicester-perf-pg.XXXXXX)
chmod 755 "$dir"

# initdb refuses to run as root; Debian's package creates the postgres user for that.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" = 0 ] && chown postgres "$dir"

stop() {
  as_owner "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

as_owner "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
# Durability settings are off: this cluster lives for one test run. PG_OPTIONS adds server
# settings (e.g. "-c log_min_duration_statement=100" to profile); PG_LOG keeps the server's log.
log=${PG_LOG:-$dir/server.log}
[ -n "${PG_LOG:-}" ] && touch "$log" && chown postgres "$log" 2>/dev/null || true
as_owner "$pg_bin/pg_ctl" -D "$dir/data" -l "$log" -w -o \
  "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${PG_OPTIONS:-}" \
  start >/dev/null || { cat "$log" >&2; exit 1; }

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/leicester_perf"
"$@"
