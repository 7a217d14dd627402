"""Driving wrk (a separate, native process) and reading its one JSON line of results."""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

LUA_DIR = Path(__file__).resolve().parent / "lua"
# The server's process group, set by bench/run.py: each run first waits for the server to be
# idle, and reports how much CPU it and the whole machine used while wrk ran.
SERVER_PGID: int | None = None


@dataclass
class WrkResult:
    requests: int
    seconds: float
    rps: float
    ok: int
    not_ok: int
    not_ok_example: str
    socket_errors: dict
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    wrk_cpu_share: float  # wrk's CPU seconds / wall seconds (1.0 = one core busy)
    server_cpu_cores: float = 0.0  # the server's workers, in cores busy
    machine_cpu_busy: float = 0.0  # whole machine, 0..1 (other tenants included)
    machine_cpu_stolen: float = 0.0  # of that, taken by the hypervisor for other guests
    idle_wait_s: float = 0.0  # waited for the previous figure's backlog to finish

    def as_dict(self) -> dict:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in vars(self).items()}


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    return path


def run_wrk(
    *,
    url: str,
    script: str,
    script_args: list[str],
    seconds: int,
    connections: int,
    threads: int = 1,
    timeout_s: int = 5,
) -> WrkResult:
    assert url.startswith("http://127.0.0.1:"), "load goes to loopback only"
    argv = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={timeout_s}s",
        "-s",
        str(LUA_DIR / script),
        url,
        "--",
        *script_args,
    ]
    from .procs import CpuWindow, wait_idle

    idle_wait = wait_idle(SERVER_PGID, timeout=90) if SERVER_PGID else 0.0
    window = CpuWindow(SERVER_PGID or -1)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with window:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stdout}\n{proc.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    secs = data["duration_us"] / 1e6
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lat = data["latency_us"]
    return WrkResult(
        requests=data["requests"],
        seconds=secs,
        rps=data["requests"] / secs if secs else 0.0,
        ok=data["ok"],
        not_ok=data["not_ok"],
        not_ok_example=data["not_ok_example"],
        socket_errors={k: v for k, v in data["errors"].items() if k != "status"},
        p50_ms=lat["p50"] / 1000,
        p90_ms=lat["p90"] / 1000,
        p95_ms=lat["p95"] / 1000,
        p99_ms=lat["p99"] / 1000,
        max_ms=lat["max"] / 1000,
        mean_ms=lat["mean"] / 1000,
        wrk_cpu_share=cpu / secs if secs else 0.0,
        server_cpu_cores=window.server_cores,
        machine_cpu_busy=window.machine_busy_share,
        machine_cpu_stolen=window.machine_stolen_share,
        idle_wait_s=idle_wait,
    )
