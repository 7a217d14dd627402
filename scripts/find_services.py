"""Print DATABASE_URL=... REDIS_URL=... for the PostgreSQL + Redis run, or nothing.

Uses the variables when they are set, else this machine's standard ports.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit


def reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


database = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/welfare_crm"
redis = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
if database.startswith("postgres") and reachable(database, 5432):
    words = [f"DATABASE_URL={database}"]
    if reachable(redis, 6379):
        words.append(f"REDIS_URL={redis}")
    print(" ".join(words))
