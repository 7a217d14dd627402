#!/usr/bin/env bash
# One command for the benchmark figures (see bench/README.md). Options go to bench/run.py.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh bench
exec .venv/bin/python -m bench.run "$@"
