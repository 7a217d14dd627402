"""Django's PostgreSQL backend, failing at once while the server is known to be unreachable.

A connect that fails (refused, or no pooled connection within DATABASE_POOL_TIMEOUT) opens a
short window (DATABASE_RETRY_SECONDS) in which every further connect in this process fails
immediately instead of waiting again. Without it one request that touches the database four
times (authentication, the view, the error handler...) waits four timeouts; with it, a webhook
fails within one, well inside Twilio's 15 s, and the load balancer's /ready/ answers at once.
After the window the next connect tries the server again.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.db.backends.postgresql import base

_lock = threading.Lock()
_unreachable_until = 0.0


def _window_seconds() -> float:
    return float(getattr(settings, "DATABASE_RETRY_SECONDS", 2))


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        global _unreachable_until
        if time.monotonic() < _unreachable_until:
            raise self.Database.OperationalError(
                "the database was unreachable moments ago; not retrying yet"
            )
        try:
            return super().get_new_connection(conn_params)
        except Exception as exc:
            if isinstance(exc, self.Database.OperationalError) or _is_pool_timeout(exc):
                with _lock:
                    _unreachable_until = time.monotonic() + _window_seconds()
            raise


def _is_pool_timeout(exc: Exception) -> bool:
    try:
        from psycopg_pool import PoolTimeout
    except ImportError:  # no pool installed
        return False
    return isinstance(exc, PoolTimeout)
