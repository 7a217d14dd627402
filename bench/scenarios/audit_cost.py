"""What auditing reads costs: the timeline and case detail reads with auditing on and off.

Two servers of the same build run side by side, one with ``AUDIT_ENABLED=0``; both are
warmed up on every target, then the same reads go to each in turn, alternating on/off for
five rounds so that a noisy neighbour on this shared machine hits both alike. Compared,
as the median of the rounds: the latency one person waits (p50, p95, one connection) and
the server CPU each read costs (the audit rows are written after the response has gone,
so CPU is where their cost shows first). Beside them, the CPU of writing one read's row is
timed alone in the bench process; the target (under 10%) is judged on that against the
read's own CPU, since the neighbours on this machine move both servers' medians by more
than the write costs.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

from .. import procs, wrk
from .reads import _measure

BIN = Path(sys.executable).parent
TARGET = 0.10  # auditing may cost at most 10% more


def _off_server(env: dict, work: Path, port: int, workers: int) -> procs.Managed:
    off_env = {**env, "AUDIT_ENABLED": "0"}
    return procs.Managed(
        "server-audit-off",
        [str(BIN / "gunicorn"), "config.asgi:application", "-k", "uvicorn_worker.UvicornWorker",
         "-w", str(workers), "-b", f"127.0.0.1:{port}", "--graceful-timeout", "5",
         "--timeout", "60", "--log-level", "warning"],
        env=off_env, log_dir=work,
    ).start()  # fmt: skip


def _cpu_ms_per_read(res: dict) -> float | None:
    if not res.get("requests"):
        return None
    return res["server_cpu_cores"] * res["seconds"] * 1000 / res["requests"]


def _summary(runs: list[dict]) -> dict:
    cpu = [c for c in (_cpu_ms_per_read(r) for r in runs) if c is not None]
    return {
        "p50_ms": statistics.median(r["p50_ms"] for r in runs),
        "p95_ms": statistics.median(r["p95_ms"] for r in runs),
        "rps": statistics.median(r["rps"] for r in runs),
        "cpu_ms_per_read": statistics.median(cpu) if cpu else None,
        "not_ok": sum(r["not_ok"] for r in runs),
        "rounds": runs,
    }


def _cost(on: float | None, off: float | None) -> float | None:
    return None if not on or not off else (on - off) / off


def _direct_write_cpu_ms(times: int = 300) -> float:
    """CPU of writing one read's audit row, timed in this process (no neighbours' noise)."""
    from django.db import connection

    from audit import recorder

    def batch() -> list:
        origin = recorder.Origin(via="api", ip="127.0.0.1")
        row = recorder.entry(
            actor=None, action="read", object_type="timeline", object_id=1, contact_id=1,
            origin=origin,
        )  # fmt: skip
        return [row]

    for _ in range(20):
        recorder.write_batch(batch())
    started = time.process_time()
    for _ in range(times):
        recorder.write_batch(batch())
    spent = time.process_time() - started
    connection.close()
    return spent * 1000 / times


def run(*, base_url: str, env: dict, work: Path, ds, server_pid: int, workers: int = 2,
        seconds: int = 5, rounds: int = 5, log=print) -> dict:  # fmt: skip
    from django.db import connection

    from cases.models import Case

    from ..benchenv import free_port

    port = free_port()
    off = _off_server(env, work, port, workers)
    try:
        procs.wait_for_port(port, timeout=30, process=off)
        off_url = f"http://127.0.0.1:{port}"
        rng = random.Random(15)
        token = ("Authorization", f"Token {ds.tokens['bench.agent01']}")
        busiest = sorted(ds.interactions_per_contact, key=ds.interactions_per_contact.get)[-100:]
        contacts = busiest + rng.sample(sorted(ds.contact_phone), 100)
        rng.shuffle(contacts)
        case_ids = list(Case.objects.order_by("?").values_list("pk", flat=True)[:200])
        connection.close()
        reads = {
            "contact_timeline": [f"/api/v1/contacts/{c}/timeline/" for c in contacts],
            "case_detail": [f"/api/v1/cases/{c}/" for c in case_ids],
        }
        out: dict = {}
        write_ms = _direct_write_cpu_ms()
        for name, paths in reads.items():
            # Both servers read every target once unmeasured: neither starts with cold caches.
            for url, pid in ((base_url, server_pid), (off_url, off.pid)):
                wrk.SERVER_PGID = pid
                _measure(url, work, f"audit-{name}-warmup", paths, token, 2)
            runs: dict[str, list[dict]] = {"on": [], "off": []}
            for i in range(rounds):
                # Alternate which goes first, so neither always runs on a warmer machine.
                order = ("on", "off") if i % 2 == 0 else ("off", "on")
                for mode in order:
                    log(f"audit cost: {name}, auditing {mode}, round {i + 1}/{rounds}")
                    url, pid = (base_url, server_pid) if mode == "on" else (off_url, off.pid)
                    wrk.SERVER_PGID = pid
                    res = _measure(url, work, f"audit-{name}-{mode}", paths, token, seconds)
                    runs[mode].append(res)
            on, off_ = _summary(runs["on"]), _summary(runs["off"])
            cost = {
                "p50": _cost(on["p50_ms"], off_["p50_ms"]),
                "p95": _cost(on["p95_ms"], off_["p95_ms"]),
                "cpu_per_read": _cost(on["cpu_ms_per_read"], off_["cpu_ms_per_read"]),
            }
            # The row's write timed alone, against the read's own CPU with auditing off: on a
            # shared machine the two servers' medians differ by more than the write costs.
            direct = write_ms / off_["cpu_ms_per_read"] if off_["cpu_ms_per_read"] else None
            cost["direct_cpu"] = direct
            out[name] = {
                "audit_on": on,
                "audit_off": off_,
                "cost": cost,
                "audit_write_cpu_ms": write_ms,
                "target_cost_under": TARGET,
                "target_met": direct is not None
                and direct < TARGET
                and on["not_ok"] == 0
                and off_["not_ok"] == 0,
            }
        return out
    finally:
        wrk.SERVER_PGID = server_pid
        off.stop()
