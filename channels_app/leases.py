"""Drainers behind a lease: one broker publish per burst of work instead of one per item.

A producer (a committed outbox row, a stored webhook delivery) calls ``lease_kick``: if no
drainer holds the slot's lease (a cache key), it takes the lease and publishes one drain task;
otherwise it does nothing, because the running drainer looks for work again after it lets the
lease go (``lease_drain``), so it sees anything committed before the kick. The lease expires
``lease_seconds`` after the drainer's last batch, so a killed worker's slot frees that soon.
"""

from __future__ import annotations

import asyncio
import functools
import time
import weakref
from collections.abc import Callable

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.redis import RedisCache

# Stored as a plain integer, so Django's cache and a bare Redis client write the same value.
HELD = 1


@functools.cache
def _leases() -> BaseCache:
    """One cache client per process for the leases.

    Django's ``caches`` hands each request context (each ASGI request) its own client, and
    with it a fresh Redis connection: most of a webhook's kick was the TCP connect. One client
    per process keeps its connections in its pool (redis-py starts a new pool after a fork).
    """
    return caches.create_connection("default")


def lease_kick(key: str, *, lease_seconds: int, publish: Callable[[], object]) -> bool:
    """Take the lease ``key`` and ``publish`` a drainer; False if one already holds it.

    A failed publish gives the lease back (so the next kick tries again) and raises.
    """
    cache = _leases()
    if not cache.add(key, HELD, timeout=lease_seconds):
        return False
    try:
        publish()
    except Exception:
        cache.delete(key)
        raise
    return True


_async_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def lease_async_ready() -> bool:
    """True when the leases live in Redis, which ``lease_kick_async`` can reach without a thread."""
    return isinstance(_leases(), RedisCache)


def _async_client():
    """The running loop's ``redis.asyncio`` client for the cache's server (clients are per loop)."""
    import redis.asyncio

    loop = asyncio.get_running_loop()
    client = _async_clients.get(loop)
    if client is None:
        config = settings.CACHES["default"]
        options = config.get("OPTIONS", {})
        client = redis.asyncio.Redis.from_url(
            config["LOCATION"],
            socket_connect_timeout=options.get("socket_connect_timeout"),
            socket_timeout=options.get("socket_timeout"),
        )
        _async_clients[loop] = client
    return client


# Per event loop: the kicks per lease key that wait for the same round trip, and the tasks
# sending them (the loop keeps only weak references to tasks).
_waiting: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_sending: set[asyncio.Task] = set()


async def lease_kick_async(key: str, *, lease_seconds: int, publish: Callable[[], object]) -> bool:
    """``lease_kick`` on the event loop: the same key and value, one Redis round trip.

    Kicks of the same key that come in before that round trip is sent share it: each came
    after its own work was committed, and the SET goes out after all of them joined, so the
    drainer that holds or takes the lease sees the work of every one. Under load a webhook's
    requests then make a fraction of the round trips. Only when the lease is taken (once per
    burst) does the broker publish, which is synchronous, go to a thread.
    """
    loop = asyncio.get_running_loop()
    waiting = _waiting.setdefault(loop, {})
    shared = waiting.get(key)
    if shared is None:
        shared = waiting[key] = loop.create_future()
        task = loop.create_task(_kick_shared(waiting, key, shared, lease_seconds, publish))
        _sending.add(task)
        task.add_done_callback(_sending.discard)
    # Shielded: a caller cancelled while waiting must not cancel the others' answer.
    return await asyncio.shield(shared)


async def _kick_shared(
    waiting: dict, key: str, shared: asyncio.Future, lease_seconds: int,
    publish: Callable[[], object],
) -> None:  # fmt: skip
    # From here on, a kick starts the next round trip: its work may be committed after this
    # one's SET is sent. (Only this task takes ``shared`` out, so the key still holds it.)
    del waiting[key]
    try:
        taken = await _kick_once(key, lease_seconds=lease_seconds, publish=publish)
    except Exception as exc:
        shared.set_exception(exc)
    else:
        shared.set_result(taken)


async def _kick_once(key: str, *, lease_seconds: int, publish: Callable[[], object]) -> bool:
    client = _async_client()
    full_key = _leases().make_and_validate_key(key)
    if not await client.set(full_key, HELD, ex=lease_seconds, nx=True):
        return False
    try:
        await sync_to_async(publish, thread_sensitive=False)()
    except Exception:
        await client.delete(full_key)
        raise
    return True


async def lease_clients_close() -> None:
    """Close the running loop's Redis client (tests, and a server's orderly shutdown)."""
    client = _async_clients.pop(asyncio.get_running_loop(), None)
    if client is not None:
        await client.aclose()


def lease_drain(
    key: str,
    *,
    lease_seconds: int,
    batch: Callable[[], int],
    follow_up: Callable[[], object],
    seconds: float,
) -> int:
    """Run ``batch`` until it finds nothing to do; returns how many items it handled.

    The lease is renewed after every batch and let go when the work is done; a kick that came
    while it was still held did nothing, so the work is looked for once more after letting go.
    After ``seconds`` the drainer hands over to ``follow_up`` (a fresh task, the lease kept
    for it), so it never holds a worker forever.
    """
    cache = _leases()
    handled = 0
    deadline = time.monotonic() + seconds
    try:
        while True:
            done = batch()
            if not done:
                cache.delete(key)
                done = batch()
                if not done:
                    return handled
                handled += done
                if not cache.add(key, HELD, timeout=lease_seconds):
                    # Another kick took the lease and started a drainer: it carries on.
                    return handled
                continue
            handled += done
            cache.touch(key, lease_seconds)
            if time.monotonic() > deadline:
                follow_up()
                return handled
    except Exception:
        cache.delete(key)
        raise
