#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for the tests and benchmarks, in a temporary directory, on a
# free port, as the unprivileged `postgres` user when run as root (PostgreSQL refuses to run as root).
#
# usage: pg_cluster.sh start STATE_FILE [fsync]   prints the URL; STATE_FILE gets the URL and the directory
#        pg_cluster.sh stop STATE_FILE            stops the cluster and removes its directory
#        pg_cluster.sh restart STATE_FILE         restarts the server (same port), as an operator would
# Exit 3 on start when the PostgreSQL binaries are absent (`make deps` installs postgresql-15).
# The tests run it with fsync off (their subject is the store's logic, not the disk); the benchmark
# passes "fsync" to measure durable commits.
set -euo pipefail
bindir=${CLEARANCE_PG_BINDIR:-/usr/lib/postgresql/15/bin}
cmd=${1:?usage: pg_cluster.sh start|stop STATE_FILE}
state=${2:?usage: pg_cluster.sh start|stop STATE_FILE}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
start)
  if [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ]; then
    echo "PostgreSQL 15 binaries are absent from $bindir (make deps installs postgresql-15)" >&2
    exit 3
  fi
  fsync=off
  [ "${3:-}" = fsync ] && fsync=on
  dir=$(mktemp -d /tmp/clearance-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  if ! as_owner "$bindir/initdb" -N -D "$dir/data" -A trust -U clearance -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    exit 1
  fi
  for attempt in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=200" start >/dev/null; then
      url="postgresql://clearance@127.0.0.1:$port/postgres"
      printf '%s\n%s\n' "$url" "$dir" >"$state"
      echo "$url"
      exit 0
    fi
  done
  cat "$dir/server.log" >&2 || true
  rm -rf "$dir"
  exit 1
  ;;
restart)
  dir=$(sed -n 2p "$state")
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 restart >/dev/null
  ;;
stop)
  [ -f "$state" ] || exit 0
  dir=$(sed -n 2p "$state")
  if [ -n "$dir" ] && [ -d "$dir/data" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
  fi
  rm -f "$state"
  ;;
*)
  echo "usage: pg_cluster.sh start|stop|restart STATE_FILE" >&2
  exit 2
  ;;
esac
