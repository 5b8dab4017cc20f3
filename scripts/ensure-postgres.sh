#!/usr/bin/env bash
# Print a PostgreSQL admin URL the test suite can create its own databases with.
# Uses a server already listening on 127.0.0.1:5432; otherwise installs Debian's postgresql and
# starts a cluster on loopback. Exits non-zero (with a reason on stderr) when neither works.
set -u
URL="${KIOSK_TEST_PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
py="${PYTHON:-.venv/bin/python}"

can_connect() {
  "$py" - "$1" <<'PY' >/dev/null 2>&1
import sys, psycopg2
psycopg2.connect(sys.argv[1], connect_timeout=3).close()
PY
}

if can_connect "$URL"; then echo "$URL"; exit 0; fi

echo "ensure-postgres: no server at $URL; trying to install and start one" >&2
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2 || {
    echo "ensure-postgres: could not install postgresql" >&2; exit 1; }
fi
version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)"
if [ -z "$version" ]; then echo "ensure-postgres: no cluster configured" >&2; exit 1; fi
$sudo pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 2>&1 || true
for _ in $(seq 1 20); do
  if can_connect "$URL"; then echo "$URL"; exit 0; fi
  # A fresh Debian cluster only trusts the postgres OS user on its socket: allow loopback for tests.
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  if [ -w "$hba" ] && ! grep -q "kiosk-tests" "$hba"; then
    sed -i '1i host all postgres 127.0.0.1/32 trust # kiosk-tests' "$hba"
    $sudo pg_ctlcluster --skip-systemctl-redirect "$version" main reload >&2 2>&1 || true
  fi
  sleep 1
done
echo "ensure-postgres: server did not accept connections at $URL" >&2
exit 1
