"""Django's PostgreSQL backend, failing at once while the server is known to be unreachable.

A connect that fails (refused, or no pooled connection within DATABASE_POOL_TIMEOUT) opens a
short window (DATABASE_RETRY_SECONDS) in which every further connect in this process fails
immediately instead of waiting again. Without it one request that touches the database four
times (authentication, the view, the error handler...) waits four timeouts; with it, a webhook
fails within one, well inside Twilio's 15 s, and the load balancer's /ready/ answers at once.
After the window the next connect tries the server again.

A pool timeout while the pool holds open connections is a burst, not an outage: every
connection is busy (a hundred requests queueing on one row lock, say). It fails that request
only and opens no window, so the requests behind it still get a connection as one frees up.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.db.backends.postgresql import base

_lock = threading.Lock()
_unreachable_until = 0.0
# Pooled connections this process has lent out and not yet given back.
_lent = 0


def _window_seconds() -> float:
    return float(getattr(settings, "DATABASE_RETRY_SECONDS", 2))


def unreachable_recently() -> bool:
    """True inside the window opened by a failed connect (sync or async, same process)."""
    return time.monotonic() < _unreachable_until


def unreachable_mark() -> None:
    """A connect failed for want of a server: fail fast for the next few seconds."""
    global _unreachable_until
    with _lock:
        _unreachable_until = time.monotonic() + _window_seconds()


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if unreachable_recently():
            raise self.Database.OperationalError(
                "the database was unreachable moments ago; not retrying yet"
            )
        try:
            connection = super().get_new_connection(conn_params)
        except Exception as exc:
            # PoolTimeout is an OperationalError too: ask what is lent out first.
            if _is_pool_timeout(exc):
                unreachable = not pool_busy()
            else:
                unreachable = isinstance(exc, self.Database.OperationalError)
            if unreachable:
                unreachable_mark()
            raise
        if self.pool:
            _lend(+1)
        return connection

    def async_connection(self):
        """A connection from this event loop's psycopg pool (``async_pool.py``), as
        ``async with``; errors come out as psycopg's, for ``wrap_database_errors``."""
        from .async_pool import pooled_connection

        return pooled_connection(self)

    def _close(self):
        lent = self.pool and self.connection is not None
        try:
            return super()._close()
        finally:
            if lent:
                _lend(-1)


def _lend(step: int) -> None:
    global _lent
    with _lock:
        _lent = max(0, _lent + step)


def pool_busy() -> bool:
    """True while this process holds pooled connections: a timeout is congestion, not an outage.

    (The pool's own size counts connection attempts in flight, so it cannot tell the two apart.)
    """
    return _lent > 0


def _is_pool_timeout(exc: Exception) -> bool:
    try:
        from psycopg_pool import PoolTimeout
    except ImportError:  # no pool installed
        return False
    return isinstance(exc, PoolTimeout)
