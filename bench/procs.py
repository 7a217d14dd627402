"""Starting and stopping the processes a run needs, always stopped again, never left behind.

Every child runs in its own process group, so stopping it stops its workers too (gunicorn's
and Celery's forks), and only what this run started is ever signalled.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path


class ProcessFailed(RuntimeError):
    pass


class Managed:
    def __init__(self, name: str, argv: list[str], *, env: dict[str, str], log_dir: Path):
        self.name = name
        self.argv = argv
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Managed:
        log = open(self.log_path, "ab")  # noqa: SIM115 (kept open for the child's lifetime)
        self.proc = subprocess.Popen(
            self.argv,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def check_alive(self) -> None:
        if not self.alive():
            raise ProcessFailed(f"{self.name} exited early; see {self.log_path}:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Freeze the whole process group (SIGSTOP) for the block, then let it go on."""
        pgid = self.pid
        os.killpg(pgid, signal.SIGSTOP)
        try:
            yield
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGCONT)

    def stop(self, *, grace: float = 10.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        pgid = self.proc.pid  # its own session: group id == its pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        # Forked workers that outlived their parent still carry the group id.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)


def wait_for_port(port: int, *, timeout: float, process: Managed | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None:
            process.check_alive()
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise ProcessFailed(f"nothing listening on 127.0.0.1:{port} after {timeout:.0f}s")


def wait_until(predicate, *, timeout: float, interval: float = 0.2, what: str = "") -> float:
    """Poll ``predicate`` until true; returns the seconds it took. Bounded by ``timeout``."""
    started = time.monotonic()
    while True:
        if predicate():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise ProcessFailed(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def _clock_ticks() -> int:
    return os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds used so far by the live processes of one process group (ours only)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        # fields[2] is pgrp, [11] utime, [12] stime (after the command name)
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / _clock_ticks()


def machine_busy() -> tuple[float, float, float]:
    """(busy, total, stolen) CPU jiffies of the whole machine, for shares between two reads.

    Busy counts the time the hypervisor gave another guest (steal) too: the cores were not
    ours then. Stolen alone shows how much of a figure's slowness is the host's.
    """
    parts = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = parts[3] + parts[4]
    total = sum(parts[:8])
    return total - idle, total, parts[7]


class CpuWindow:
    """CPU use of the server and of the whole machine over one measured stretch."""

    def __init__(self, pgid: int):
        self.pgid = pgid

    def __enter__(self) -> CpuWindow:
        self.t0 = time.monotonic()
        self.server0 = group_cpu_seconds(self.pgid)
        self.busy0, self.total0, self.stolen0 = machine_busy()
        self.load0 = os.getloadavg()[0]
        return self

    def __exit__(self, *exc) -> None:
        wall = time.monotonic() - self.t0
        busy, total, stolen = machine_busy()
        self.server_cores = (group_cpu_seconds(self.pgid) - self.server0) / wall if wall else 0
        self.machine_busy_share = (busy - self.busy0) / max(total - self.total0, 1)
        self.machine_stolen_share = (stolen - self.stolen0) / max(total - self.total0, 1)
        self.loadavg_1m = os.getloadavg()[0]

    def as_dict(self) -> dict:
        return {
            "server_cpu_cores": round(self.server_cores, 2),
            "machine_cpu_busy": round(self.machine_busy_share, 2),
            "machine_cpu_stolen": round(self.machine_stolen_share, 2),
            "loadavg_1m_after": round(self.loadavg_1m, 2),
        }


def wait_idle(pgid: int, *, timeout: float, below_cores: float = 0.1) -> float:
    """Wait until the server's workers stop burning CPU (a backlog from the previous figure
    must not be billed to the next one). Returns seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        before = group_cpu_seconds(pgid)
        time.sleep(1.0)
        if group_cpu_seconds(pgid) - before < below_cores:
            break
    return time.monotonic() - started
