#!/usr/bin/env bash
# Installs the Debian package `make package` built, runs the installed binary's server with a key,
# calls it, and removes the package again (issue 16: packaging). Needs root (CI runs as root) or sudo.
# usage: tests/package/package_test.sh PATH/TO/clearance_VERSION_ARCH.deb
set -euo pipefail
deb=${1:?usage: package_test.sh PACKAGE.deb}
[ -f "$deb" ] || { echo "package_test: no package at $deb (make package builds it)" >&2; exit 1; }
sudo=
if [ "$(id -u)" != 0 ]; then
  sudo -n true 2>/dev/null || { echo "package_test: needs root or password-less sudo to run dpkg" >&2; exit 1; }
  sudo=sudo
fi
fail() { echo "package_test: FAIL: $*" >&2; exit 1; }

work=$(mktemp -d /tmp/clearance-pkg.XXXXXX)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  $sudo dpkg -P clearance >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

$sudo dpkg -i "$deb" >"$work/dpkg-install.log" 2>&1 || { cat "$work/dpkg-install.log" >&2; fail "dpkg -i $deb"; }
for f in /usr/bin/clearance /usr/share/clearance/data/rules/us-ear /usr/share/clearance/web/index.html \
         /usr/lib/systemd/system/clearance.service /usr/share/clearance/deploy/nginx/clearance.conf; do
  [ -e "$f" ] || fail "the package did not install $f"
done
getent passwd clearance >/dev/null || fail "postinst did not create the system user clearance"
[ -d /var/lib/clearance ] || fail "postinst did not create /var/lib/clearance"

# The installed binary reads the installed data and page, not the source tree it was built from.
version=$(/usr/bin/clearance --version)
echo "$version"
grep -qx 'data: /usr/share/clearance/data' <<<"$version" || fail "installed binary does not use /usr/share/clearance/data"
grep -qx 'web:  /usr/share/clearance/web' <<<"$version" || fail "installed binary does not use /usr/share/clearance/web"

home=$work/home
cd "$work"
key=$(/usr/bin/clearance --home "$home" keys create --name package-test --role analyst 2>/dev/null)
[[ $key == clr_* ]] || fail "keys create printed no key"
/usr/bin/clearance --home "$home" serve --listen 127.0.0.1:0 --port-file "$work/port" 2>"$work/serve.log" &
server=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { cat "$work/serve.log" >&2; fail "the installed server did not start"; }
url=http://127.0.0.1:$(cat "$work/port")

answer=$(curl -sS -f -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"name": "Huawei Technologies Co Ltd", "country": "CN"}' "$url/v1/screen")
python3 - "$answer" <<'PY' || fail "POST /v1/screen on the installed server: $answer"
import json, sys
a = json.loads(sys.argv[1])
hits = a.get("hits", [])
assert hits, "no hits"
assert "HUAWEI" in hits[0]["name"].upper(), hits[0]["name"]
assert a.get("record", 0) >= 1, "answer not on the record"
PY
curl -sS -f -o "$work/index.html" "$url/" || fail "GET / (the analyst page) failed"
grep -q '<html' "$work/index.html" || fail "GET / did not serve the page"
code=$(curl -sS -o /dev/null -w '%{http_code}' -d '{"name":"x"}' "$url/v1/screen")
[ "$code" = 401 ] || fail "a request without a key got $code, not 401"
kill -TERM "$server"; wait "$server" || fail "the server did not exit cleanly on SIGTERM"
server=
/usr/bin/clearance --home "$home" audit verify >/dev/null || fail "audit verify on the installed binary's home"

$sudo dpkg -r clearance >"$work/dpkg-remove.log" 2>&1 || { cat "$work/dpkg-remove.log" >&2; fail "dpkg -r clearance"; }
[ ! -e /usr/bin/clearance ] || fail "dpkg -r left /usr/bin/clearance"
[ -d /var/lib/clearance ] || fail "dpkg -r removed the data home /var/lib/clearance"
echo "package_test: ok ($(basename "$deb"): installed, served a screening with its record, removed)"
