#!/usr/bin/env bash
# One command for the benchmark figures (see bench/README.md). Options go to bench/run.py.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh bench
# wrk drives the HTTP load from its own native process; Debian has it.
if ! command -v wrk >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null || apt-get update -qq
  command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
exec .venv/bin/python -m bench.run "$@"
