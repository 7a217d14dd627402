#!/usr/bin/env bash
# Fresh machine with Python 3.11 -> the demo at http://127.0.0.1:8000 (embedded default unless
# DATABASE_URL / REDIS_URL are set). `--port N` serves on another port; any other argument goes
# to the server.
set -euo pipefail
cd "$(dirname "$0")/.."
port=8000
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
case "$port" in
  ''|*[!0-9]*) echo "--port takes a number, e.g. --port 8011" >&2; exit 2 ;;
esac
base="http://127.0.0.1:$port"
# Webhook signatures are checked against PUBLIC_BASE_URL: it must name the port we serve on.
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-$base}"
source scripts/_venv.sh ""
python manage.py migrate --noinput
python manage.py seed_demo
# The simulators (sms_simulate ...) read this to find the server without a --server flag.
mkdir -p .run
echo "$PUBLIC_BASE_URL" > .run/server-url
echo
echo "Console:  $base/console/   Admin: $base/admin/"
echo "API docs: $base/api/docs/"
# daphne's runserver: one ASGI server for HTTP and the console websocket.
exec python manage.py runserver "127.0.0.1:$port" ${args[@]+"${args[@]}"}
