"""One psycopg ``AsyncConnectionPool`` per event loop, for the few writes done without a thread.

Django's async ORM still runs every query in a worker thread; a provider's webhook, which does
one INSERT, waits less on an async connection of its own. The pool is built from the same
``DATABASES`` entry as Django's (server, credentials, connect and statement timeouts, pool size
and timeout) and shares this process's fail-fast window (``base.py``): a server found
unreachable by either path fails the other at once too.

Pools belong to the event loop that opened them (an ASGI server runs one per process), so they
are kept per loop and never shared across loops.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator
from typing import Any

from django.conf import settings
from psycopg import AsyncConnection, OperationalError
from psycopg_pool import AsyncConnectionPool

from . import base


class _Connection(AsyncConnection):
    """Opens the fail-fast window when the server refuses a connect, as ``base.py`` does.

    Only a failed connect does: a pool timeout may just be a burst (or connections being
    replaced), and failing every request for the window then would turn it into an outage.
    """

    @classmethod
    async def connect(cls, *args: Any, **kwargs: Any) -> _Connection:  # type: ignore[override]
        try:
            return await super().connect(*args, **kwargs)
        except OperationalError:
            base.unreachable_mark()
            raise


_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncConnectionPool] = (
    weakref.WeakKeyDictionary()
)


def pool_for_loop(wrapper: Any) -> AsyncConnectionPool:
    """The running loop's pool for ``wrapper``'s database (created closed; opened on first use)."""
    loop = asyncio.get_running_loop()
    pool = _pools.get(loop)
    if pool is None:
        params = wrapper.get_connection_params()
        # Django's cursor classes are synchronous; the pool's connections use psycopg's own.
        params.pop("cursor_factory", None)
        options = wrapper.settings_dict["OPTIONS"].get("pool")
        options = options if isinstance(options, dict) else {}
        # Django turns server-side prepared statements off (``prepare_threshold`` None); these
        # connections run the same statement or two, so they prepare each on first use.
        if settings.DATABASE_PREPARED_STATEMENTS:
            params["prepare_threshold"] = 0
        pool = AsyncConnectionPool(
            connection_class=_Connection,
            # One statement per use: each commits on its own, nothing is left open.
            kwargs={**params, "autocommit": True},
            min_size=options.get("min_size", 1),
            max_size=options.get("max_size", 8),
            timeout=options.get("timeout", 3),
            open=False,
            name=f"{wrapper.alias}-async",
        )
        _pools[loop] = pool
    return pool


@contextlib.asynccontextmanager
async def pooled_connection(wrapper: Any) -> AsyncIterator[AsyncConnection]:
    """A connection from this loop's pool; psycopg's errors, for Django's wrapper to translate."""
    if base.unreachable_recently():
        raise OperationalError("the database was unreachable moments ago; not retrying yet")
    pool = pool_for_loop(wrapper)
    if pool.closed:
        await pool.open(wait=False)
    connection = await pool.getconn()
    try:
        yield connection
    finally:
        await pool.putconn(connection)


async def pools_close() -> None:
    """Close the running loop's pool (tests, and a server's orderly shutdown)."""
    pool = _pools.pop(asyncio.get_running_loop(), None)
    if pool is not None:
        await pool.close()
