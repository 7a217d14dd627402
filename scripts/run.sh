#!/usr/bin/env bash
# Fresh machine with Python 3.11 -> the demo at http://127.0.0.1:8000 (embedded default unless
# DATABASE_URL / REDIS_URL are set).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh ""
python manage.py migrate --noinput
python manage.py seed_demo
echo
echo "Console:  http://127.0.0.1:8000/console/   Admin: http://127.0.0.1:8000/admin/"
echo "API docs: http://127.0.0.1:8000/api/docs/"
# daphne's runserver: one ASGI server for HTTP and the console websocket.
exec python manage.py runserver 127.0.0.1:8000 "$@"
