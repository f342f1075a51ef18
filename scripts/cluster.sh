#!/usr/bin/env bash
# A throw-away Clearance cluster on loopback: a PostgreSQL 15 store, N `clearance serve` replicas
# sharing it (and one data home), and nginx (nginx-light) balancing across them. Prints the URL
# and an admin key; stops everything on exit.
#
# usage: scripts/cluster.sh [--replicas N] [--bin PATH/TO/clearance] [--port PORT] [--import 'FILE…']…
#                          [-- COMMAND ARGS…]
#   --import imports list files (one `lists import` per option) before the replicas start; without
#   it the replicas serve the bundled samples. $CLUSTER_SERVE_OPTIONS is added to every `serve`.
#   Without COMMAND it runs until Ctrl-C. With one, it runs COMMAND with CLUSTER_URL, CLUSTER_KEY,
#   CLUSTER_DIR, CLUSTER_PG_URL, CLUSTER_REPLICAS and CLEARANCE_BIN set, then stops the cluster and
#   exits with COMMAND's status. $CLUSTER_DIR/replica-I.pid holds replica I's pid and
#   $CLUSTER_DIR/start-replica-I.sh starts it again (on its port), for tests that kill one.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
replicas=3
bin=$here/build/clearance
port=0
imports=()
while [ $# -gt 0 ]; do
  case $1 in
    --replicas) replicas=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --import) imports+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "usage: cluster.sh [--replicas N] [--bin PATH] [--port PORT] [-- COMMAND…]" >&2; exit 2 ;;
  esac
done
[ -x "$bin" ] || { echo "cluster.sh: no clearance binary at $bin (make build)" >&2; exit 1; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "cluster.sh: nginx is absent (make deps installs nginx-light)" >&2; exit 1; }
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

dir=$(mktemp -d /tmp/clearance-cluster.XXXXXX)
chmod 755 "$dir"
nginx_pid=
stop_all() {
  set +e
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  for f in "$dir"/replica-*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f"); kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  "$here/tests/support/pg_cluster.sh" stop "$dir/pg.state" >/dev/null 2>&1
  rm -rf "$dir"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

pg_url=$("$here/tests/support/pg_cluster.sh" start "$dir/pg.state" fsync)
home=$dir/home
mkdir -p "$home"
key=$("$bin" --home "$home" --store "$pg_url" keys create --name cluster --role admin 2>/dev/null)
for files in "${imports[@]}"; do
  # shellcheck disable=SC2086  # one option names several files
  "$bin" --home "$home" --store "$pg_url" lists import $files >"$dir/import.log" 2>&1 ||
    { cat "$dir/import.log" >&2; echo "cluster.sh: lists import $files failed" >&2; exit 1; }
done

upstreams=
for i in $(seq 1 "$replicas"); do
  p=$(free_port)
  cat >"$dir/start-replica-$i.sh" <<START
#!/usr/bin/env bash
# Starts replica $i on 127.0.0.1:$p (again, after a test killed it) and waits until it listens.
rm -f "$dir/replica-$i.port"
"$bin" --home "$home" --store "$pg_url" serve --listen 127.0.0.1:$p --web '' \\
  --port-file "$dir/replica-$i.port" --log "$dir/replica-$i.log" ${CLUSTER_SERVE_OPTIONS:-} </dev/null >>"$dir/replica-$i.out" 2>&1 &
echo \$! >"$dir/replica-$i.pid"
for _ in \$(seq 1 300); do [ -s "$dir/replica-$i.port" ] && exit 0; sleep 0.1; done
echo "replica $i did not start: \$(tail -5 "$dir/replica-$i.out")" >&2
exit 1
START
  chmod +x "$dir/start-replica-$i.sh"
  "$dir/start-replica-$i.sh"
  upstreams+="        server 127.0.0.1:$p max_fails=1 fail_timeout=2s;"$'\n'
done

[ "$port" = 0 ] && port=$(free_port)
mkdir -p "$dir/nginx-tmp"
user_line=
if [ "$(id -u)" = 0 ]; then user_line="user nobody nogroup;"; chown nobody "$dir/nginx-tmp"; fi
sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@USER@|$user_line|" \
  "$here/deploy/nginx/cluster.conf.in" | awk -v up="$upstreams" '{ if ($0 ~ /@UPSTREAMS@/) printf "%s", up; else print }' \
  >"$dir/nginx.conf"
"$nginx_bin" -c "$dir/nginx.conf" -p "$dir" &
nginx_pid=$!
url=http://127.0.0.1:$port
for _ in $(seq 1 100); do curl -sf -o /dev/null "$url/healthz" && break; sleep 0.1; done
curl -sf -o /dev/null "$url/healthz" || { cat "$dir/nginx-error.log" >&2; echo "cluster.sh: nginx did not come up" >&2; exit 1; }

export CLUSTER_URL=$url CLUSTER_KEY=$key CLUSTER_DIR=$dir CLUSTER_PG_URL=$pg_url CLUSTER_REPLICAS=$replicas CLEARANCE_BIN=$bin
echo "cluster: $replicas replicas on PostgreSQL ($pg_url) behind nginx at $url"
echo "admin key: $key"
if [ $# -gt 0 ]; then
  set +e
  "$@"
  rc=$?
  exit $rc
fi
echo "Ctrl-C stops it."
wait "$nginx_pid"
