"""The delivery fault suite: nothing lost, nothing texted twice, and how long recovery takes.

Runs on its own redis-server (a free port, no persistence) and its own Celery worker, never
the machine's shared Redis; the Twilio stand-in answers with the faults found in production
runs (429, 500, a connection closed after it took the message, a hang past the client's
timeout) and serves Twilio's message list, so reconciliation runs against it. Two more
classes kill processes: the worker (SIGKILL, mid-drain) and Redis itself (SIGKILL, restarted
after 3 s; the worker, which exits then, is restarted as a supervisor would).

For each class: COUNT notifications are made (``bench.faults_driver create``), the fault
acts during the first drain, then is cleared, and the sweeps run until every row is settled
(``settle``); the kills land while the notifications are still being made and drained.
Texts are counted per outbox row at the stand-in: doubled and lost must be 0.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

from ..benchenv import free_port
from ..procs import Managed, wait_for_port

HTTP_FAULTS = {"close": 3, "429": 4, "500": 4, "hang": 10}  # kind -> every N-th send
FAULT_SECONDS = 6
# Into the making of the notifications, while the worker is draining the first of them.
KILL_AFTER_SECONDS = 2.0
SETTLE_TIMEOUT = 240


def _standin(port: int, path: str) -> dict:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="POST", data=b"")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def _stats(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__bench/stats", timeout=10) as resp:
        return json.loads(resp.read())


def _driver(env: dict, *args: str, timeout: float) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.faults_driver", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _kill9(process: Managed) -> None:
    import os

    os.killpg(process.pid, signal.SIGKILL)
    process.proc.wait(timeout=10)


def run(*, env: dict, work: Path, count: int, concurrency: int, log=print) -> dict:
    redis_port, standin_port = free_port(), free_port()
    suite_env = {
        **env,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "BENCH_TWILIO_API": f"http://127.0.0.1:{standin_port}",
        "TWILIO_HTTP_TIMEOUT": "2",
        # Short for the suite (a hang answers after 4 s, the client gives up after 2 s).
        "OUTBOX_SENDING_STALE_SECONDS": "15",
        "OUTBOX_DRAIN_LEASE_SECONDS": "10",
    }
    redis_argv = ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                  "--save", "", "--appendonly", "no"]  # fmt: skip
    redis = Managed("faults-redis", redis_argv, env=suite_env, log_dir=work).start()
    standin = Managed(
        "faults-standin",
        [sys.executable, "-m", "bench.twilio_standin", "--port", str(standin_port),
         "--hang-seconds", "4"],
        env=suite_env, log_dir=work,
    ).start()  # fmt: skip

    def worker() -> Managed:
        return Managed(
            "faults-worker",
            [sys.executable, "-m", "bench.celery_worker", "--loglevel=WARNING",
             f"--concurrency={concurrency}", "--pool=prefork", "-n", f"faults-{redis_port}@%h",
             "--without-gossip", "--without-mingle"],
            env=suite_env, log_dir=work,
        ).start()  # fmt: skip

    running: list[Managed] = [redis, standin]
    results: dict = {}
    try:
        wait_for_port(redis_port, timeout=10, process=redis)
        wait_for_port(standin_port, timeout=10, process=standin)
        current = worker()
        running.append(current)
        time.sleep(3)  # the worker connects
        for kind in (*HTTP_FAULTS, "kill-worker", "kill-redis"):
            _standin(standin_port, "/__bench/reset")
            if kind in HTTP_FAULTS:
                _standin(standin_port, f"/__bench/fault?kind={kind}&every={HTTP_FAULTS[kind]}")
            log(f"faults: {kind}: {count} notifications")
            # Made while the worker drains them, so a kill lands mid-drain.
            creating = subprocess.Popen(
                [sys.executable, "-m", "bench.faults_driver", "create", kind, str(count)],
                env=suite_env,
                stdout=subprocess.DEVNULL,
            )
            if kind == "kill-worker":
                time.sleep(KILL_AFTER_SECONDS)
                _kill9(current)
                log("faults: worker killed (SIGKILL) mid-drain; restarting it")
                current = worker()
                running.append(current)
            elif kind == "kill-redis":
                time.sleep(KILL_AFTER_SECONDS)
                _kill9(redis)
                log("faults: redis-server killed (SIGKILL); back in 3 s")
                time.sleep(3)
                redis = Managed("faults-redis", redis_argv, env=suite_env, log_dir=work).start()
                running.append(redis)
                wait_for_port(redis_port, timeout=10, process=redis)
                if not current.alive():
                    log("faults: the worker exited with Redis; its supervisor restarts it")
                current.stop()
                current = worker()
                running.append(current)
            if creating.wait(timeout=300) != 0:
                raise RuntimeError(f"making the {kind} notifications failed")
            if kind in HTTP_FAULTS:
                time.sleep(FAULT_SECONDS)
                _standin(standin_port, "/__bench/fault?kind=none")
            recovery_started = time.monotonic()
            settled = _driver(suite_env, "settle", kind, str(SETTLE_TIMEOUT),
                              timeout=SETTLE_TIMEOUT + 60)  # fmt: skip
            recovered_s = round(time.monotonic() - recovery_started, 1)
            texts = Counter(_stats(standin_port)["to"])
            rows = settled["addresses"]
            doubled = sum(max(texts[a] - 1, 0) for a in rows)
            lost = sum(1 for a in rows if texts[a] == 0)
            results[kind] = {
                "notifications": len(rows),
                "texts": sum(texts[a] for a in rows),
                "doubled": doubled,
                "lost": lost,
                "recovery_s": recovered_s,
                "rows_by_status": settled["by_status"],
            }
            log(f"  {kind}: {results[kind]}")
    finally:
        for process in reversed(running):
            process.stop()
    return {
        "classes": results,
        "doubled": sum(r["doubled"] for r in results.values()),
        "lost": sum(r["lost"] for r in results.values()),
        "notifications_per_class": count,
        "targets": {
            "doubled_is_0": all(r["doubled"] == 0 for r in results.values()),
            "lost_is_0": all(r["lost"] == 0 for r in results.values()),
        },
    }
