"""Drainers behind a lease: one broker publish per burst of work instead of one per item.

A producer (a committed outbox row, a stored webhook delivery) calls ``lease_kick``: if no
drainer holds the slot's lease (a cache key), it takes the lease and publishes one drain task;
otherwise it does nothing, because the running drainer looks for work again after it lets the
lease go (``lease_drain``), so it sees anything committed before the kick. The lease expires
``lease_seconds`` after the drainer's last batch, so a killed worker's slot frees that soon.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

from django.core.cache import BaseCache, caches


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
    if not cache.add(key, "1", timeout=lease_seconds):
        return False
    try:
        publish()
    except Exception:
        cache.delete(key)
        raise
    return True


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
                if not cache.add(key, "1", timeout=lease_seconds):
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
