"""The one place a python-telegram-bot ``Bot`` is built and its calls are run.

The project's code is synchronous; the library's is asyncio. Each thread keeps one event loop
and one ``Bot`` on it, so HTTP keep-alive connections to the Bot API are reused (an
``httpx`` client belongs to the loop it was made on).

Tests replace the network at the library's own seam by setting ``request_factory`` (a callable
returning a ``telegram.request.BaseRequest``); everything above it, request building and
error parsing included, is the real library.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

from django.conf import settings
from telegram import Bot
from telegram.request import BaseRequest, HTTPXRequest

T = TypeVar("T")

# None: the library's own HTTPX transport.
request_factory: Callable[[], BaseRequest] | None = None

_local = threading.local()


def telegram_configured() -> bool:
    return bool(settings.TELEGRAM_BOT_TOKEN)


def _new_request() -> BaseRequest:
    if request_factory is not None:
        return request_factory()
    timeout = settings.TELEGRAM_HTTP_TIMEOUT
    return HTTPXRequest(connection_pool_size=4, read_timeout=timeout, connect_timeout=timeout)


def _thread_state() -> tuple[asyncio.AbstractEventLoop, dict]:
    loop = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = _local.loop = asyncio.new_event_loop()
        _local.bots = {}
    return loop, _local.bots


def telegram_call(call: Callable[[Bot], Awaitable[T]]) -> T:
    """Run ``call(bot)`` to completion on this thread's loop and return its result."""
    loop, bots = _thread_state()
    key = (settings.TELEGRAM_BOT_TOKEN, request_factory)
    bot = bots.get(key)
    if bot is None:
        bot = bots[key] = Bot(settings.TELEGRAM_BOT_TOKEN, request=_new_request())
    return loop.run_until_complete(call(bot))
