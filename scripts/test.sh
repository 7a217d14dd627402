#!/usr/bin/env bash
# Installs what the tests need, checks lint and migrations, then runs the whole suite twice:
# on the embedded default, and against PostgreSQL + Redis when they are configured or
# reachable on this machine's standard ports.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh test
python scripts/ensure_chromium.py || true

echo "== ruff"
ruff check .
echo "== migrations are committed"
env -u DATABASE_URL -u REDIS_URL python manage.py makemigrations --check --dry-run

status=0
# Two processes (the machine's cores); each gets its own test database, Redis database and
# live server for the browser tests. TEST_WORKERS=0 runs in one process.
workers=(-n "${TEST_WORKERS:-2}")
echo "== run 1 of 2: embedded default (SQLite, in-memory channel layer, eager Celery)"
env -u DATABASE_URL -u REDIS_URL CRM_TEST_BACKEND=embedded python -m pytest "${workers[@]}" "$@" || status=$?

services=$(python scripts/find_services.py)
if [ -n "$services" ]; then
  echo "== run 2 of 2: PostgreSQL + Redis ($services)"
  # shellcheck disable=SC2086
  env $services CRM_TEST_BACKEND=postgres python -m pytest "${workers[@]}" "$@" || status=$?
else
  echo "== run 2 of 2: SKIPPED - no PostgreSQL reachable (set DATABASE_URL or start one on"
  echo "   127.0.0.1:5432); only the embedded default was tested."
fi
exit $status
