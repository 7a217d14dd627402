"""The one place a python-telegram-bot ``Bot`` is built and its calls are run.

The project's code is synchronous; the library's is asyncio. Each call runs on its own event
loop with its own HTTP client, opened and closed around it: the outbox sends from short-lived
worker threads, and a client left open on a thread that ends would leak its connections.

Tests replace the network at the library's own seam by setting ``request_factory`` (a callable
returning a ``telegram.request.BaseRequest``); everything above it, request building and
error parsing included, is the real library.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from django.conf import settings
from telegram import Bot
from telegram.request import BaseRequest, HTTPXRequest

T = TypeVar("T")

# None: the library's own HTTPX transport.
request_factory: Callable[[], BaseRequest] | None = None


def telegram_configured() -> bool:
    return bool(settings.TELEGRAM_BOT_TOKEN)


def _new_request() -> BaseRequest:
    if request_factory is not None:
        return request_factory()
    timeout = settings.TELEGRAM_HTTP_TIMEOUT
    return HTTPXRequest(connection_pool_size=2, read_timeout=timeout, connect_timeout=timeout)


def telegram_call(call: Callable[[Bot], Awaitable[T]]) -> T:
    """Run ``call(bot)`` to completion and return its result (Bot API errors propagate)."""

    async def run() -> T:
        request = _new_request()
        bot = Bot(settings.TELEGRAM_BOT_TOKEN, request=request, get_updates_request=request)
        await request.initialize()
        try:
            return await call(bot)
        finally:
            await request.shutdown()

    return asyncio.run(run())
