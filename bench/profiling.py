"""Sampling profiles of the server and the Celery worker while a figure is measured (py-spy).

py-spy reads the processes' stacks from outside (no code change, negligible overhead) and
writes collapsed stacks; ``summarize`` turns them into the few lines a report needs: where
the time goes, by project function (cumulative) and by leaf frame (self).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

PROJECT = ("crm/", "cases/", "channels_app/", "sms/", "console/", "config/")
LIBS = ("twilio/", "psycopg/", "channels_redis/", "asgiref/", "django/", "rest_framework/",
        "requests/", "urllib3/", "celery/", "kombu/", "redis/", "phonenumbers/")  # fmt: skip


def py_spy() -> str | None:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    return found if Path(found).exists() else None


def start(pid: int, seconds: int, out: Path) -> subprocess.Popen | None:
    exe = py_spy()
    if exe is None:
        return None
    return subprocess.Popen(
        [exe, "record", "--pid", str(pid), "--subprocesses", "--duration", str(seconds),
         "--rate", "200", "--format", "raw", "--output", str(out), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip


def finish(proc: subprocess.Popen | None, out: Path, *, timeout: float = 60) -> dict:
    if proc is None:
        return {"skipped": "py-spy not installed (pip install -e .[bench])"}
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
    if not out.exists():
        return {"skipped": "py-spy wrote nothing (ptrace not permitted?)"}
    return summarize(out)


def _where(frame: str) -> str:
    # "function (path/to/file.py:123)" -> "path-from-package/file.py:function"
    name, _, loc = frame.rpartition(" (")
    path = loc.rstrip(")").rsplit(":", 1)[0]
    for marker in (*PROJECT, *LIBS):
        i = path.find(marker)
        if i >= 0:
            return f"{path[i:]}:{name}"
    return f"{Path(path).name}:{name}"


def summarize(raw: Path, top: int = 12) -> dict:
    cumulative: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    libs: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = [_where(f) for f in stack.split(";") if f]
        if not frames:
            continue
        total += n
        leaf[frames[-1]] += n
        for f in set(frames):
            if f.startswith(PROJECT):
                cumulative[f] += n
        for lib in LIBS:
            if any(f.startswith(lib) for f in frames[-3:]):
                libs[lib.rstrip("/")] += n
                break

    def share(counter: Counter[str]) -> list[str]:
        return [f"{100 * n / total:.0f}% {name}" for name, n in counter.most_common(top)]

    return {
        "samples": total,
        "project_functions_cumulative": share(cumulative),
        "leaf_frames": share(leaf),
        "time_near_leaf_by_library": share(libs),
    }
