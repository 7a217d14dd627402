"""A live event reaches each console in its audience once, in one pass over the channel layer."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers, get_channel_layer

from console.live import push, user_group


@pytest.fixture
def layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    yield get_channel_layer()
    channel_layers.backends.clear()


def listen(layer, user_id: int) -> str:
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_group(user_id), channel)
    return channel


def received(layer, channel: str) -> list[dict]:
    async def drain() -> list[dict]:
        out = []
        while True:
            try:
                message = await asyncio.wait_for(layer.receive(channel), 0.1)
            except TimeoutError:
                return out
            out.append(message["event"])

    return async_to_sync(drain)()


def test_every_user_in_the_audience_gets_the_event_once(layer):
    channels = {user_id: listen(layer, user_id) for user_id in (1, 2, 3)}
    outsider = listen(layer, 4)
    push([3, 1, 2, 1], {"kind": "message", "conversation": 7})
    for channel in channels.values():
        assert received(layer, channel) == [{"kind": "message", "conversation": 7}]
    assert received(layer, outsider) == []


def test_a_failing_console_does_not_keep_the_event_from_the_others(layer, monkeypatch, caplog):
    first, third = listen(layer, 1), listen(layer, 3)
    send = layer.group_send

    async def flaky(group, message):
        if group == user_group(2):
            raise ConnectionError("channel layer unreachable for this group")
        await send(group, message)

    monkeypatch.setattr(layer, "group_send", flaky)
    push([1, 2, 3], {"kind": "timeline", "contact": 9})
    assert received(layer, first) == [{"kind": "timeline", "contact": 9}]
    assert received(layer, third) == [{"kind": "timeline", "contact": 9}]
    assert "console push to user 2 failed" in caplog.text
