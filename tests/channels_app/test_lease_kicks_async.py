"""On the event loop, kicks of the same lease that come in together share one Redis round trip,
and never one that was already sent: a later kick's work may be committed after that SET."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import pytest_asyncio
from django.conf import settings as django_settings
from redis.exceptions import ConnectionError as RedisConnectionError

from channels_app import leases

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.skipif(
        not django_settings.REDIS_URL,
        reason="the leases live in Django's cache, which is Redis only with REDIS_URL",
    ),
]


@pytest_asyncio.fixture
async def redis_sets(monkeypatch):
    """The loop's real Redis client, its SETs counted; ``gate`` holds back the SETs after
    the first ``gate_after`` until it is opened."""

    class Sets(list):
        gate = asyncio.Event()
        gate_after = 10**6
        fail: Exception | None = None

    sets = Sets()
    client = leases._async_client()
    real_set = client.set

    async def counted(*args, **kwargs):
        sets.append(args[0])
        if sets.fail is not None:
            raise sets.fail
        if len(sets) > sets.gate_after:
            await sets.gate.wait()
        return await real_set(*args, **kwargs)

    monkeypatch.setattr(client, "set", counted)
    yield sets
    await leases.lease_clients_close()


@pytest.fixture
def lease():
    """A lease key of the test's own, let go afterwards, and the drainers it published."""
    key = f"test-lease-{uuid.uuid4().hex}"
    published: list[str] = []

    async def kick() -> bool:
        return await leases.lease_kick_async(
            key, lease_seconds=30, publish=lambda: published.append(key)
        )

    kick.key = key  # type: ignore[attr-defined]
    kick.published = published  # type: ignore[attr-defined]
    yield kick
    leases._leases().delete(key)


async def _until(condition) -> None:
    for _ in range(10_000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never came true")


async def test_kicks_that_come_in_together_share_one_round_trip(redis_sets, lease):
    results = await asyncio.gather(*(lease() for _ in range(20)))
    assert results == [True] * 20  # the one SET took the lease, for all of them
    assert len(redis_sets) == 1
    assert lease.published == [lease.key]
    # The next burst finds the lease held: one more round trip, no publish.
    assert await asyncio.gather(lease(), lease()) == [False, False]
    assert len(redis_sets) == 2
    assert lease.published == [lease.key]


async def test_a_kick_after_the_set_went_out_makes_its_own(redis_sets, lease):
    redis_sets.gate_after = 1
    first = asyncio.create_task(lease())
    await _until(lambda: len(redis_sets) == 1)  # the first SET is on its way
    # This kick's work is committed now: the SET already sent cannot vouch for it.
    second = asyncio.create_task(lease())
    await _until(lambda: len(redis_sets) == 2)
    assert await first is True
    # The drainer the first kick started finishes and lets the lease go before the second
    # SET arrives: that SET takes the lease again and starts a drainer for the late work.
    leases._leases().delete(lease.key)
    redis_sets.gate.set()
    assert await second is True
    assert lease.published == [lease.key, lease.key]


async def test_a_caller_that_gives_up_does_not_cancel_the_others(redis_sets, lease):
    redis_sets.gate_after = 0
    leaving = asyncio.create_task(lease())
    staying = asyncio.create_task(lease())
    await _until(lambda: len(redis_sets) == 1)
    leaving.cancel()
    redis_sets.gate.set()
    assert await staying is True
    assert leaving.cancelled()
    assert lease.published == [lease.key]


async def test_an_unreachable_redis_fails_every_kick_of_the_round_trip(redis_sets, lease):
    redis_sets.fail = RedisConnectionError("Connection refused")
    results = await asyncio.gather(lease(), lease(), return_exceptions=True)
    assert [type(r) for r in results] == [RedisConnectionError, RedisConnectionError]
    assert lease.published == []
    # Nothing is left waiting on the failed round trip: the next kick makes a new one.
    redis_sets.fail = None
    assert await lease() is True
    assert lease.published == [lease.key]
