"""The Bot API's sending limits, kept on our side so Telegram rarely has to say 429.

Telegram asks bots to send at most about 30 messages a second overall and one a second to
one chat. ``SendScheduler`` hands each message a slot on a grid of 1/30 s: a grid point holds
one message, so any second holds at most 30, and a chat's next slot is at least a second after
its last. A 429's ``retry_after`` pauses the chat (or everything) until then.

The clock and the sleep are injected, so tests check the limits over thousands of messages
without waiting. One scheduler serves one process; with several sending processes the global
rate is divided between them (``TELEGRAM_SENDERS``).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class SendScheduler:
    def __init__(
        self,
        *,
        per_second: float = 30,
        per_chat_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.per_second = per_second
        self.per_chat_interval = per_chat_interval
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._taken: set[int] = set()  # grid points already given out
        self._chat_next: dict[str, float] = {}  # earliest time of each chat's next message
        self._paused_until = 0.0

    def reserve(self, chat: str, *, max_delay: float | None = None) -> float | None:
        """Reserve the earliest slot for a message to ``chat``; returns its time.

        With ``max_delay``, a slot later than now + ``max_delay`` is not reserved and None is
        returned: the caller sends later instead of holding a thread for that long.
        """
        with self._lock:
            now = self.clock()
            earliest = max(now, self._chat_next.get(chat, now), self._paused_until)
            point = math.ceil(earliest * self.per_second - 1e-9)
            while point in self._taken:
                point += 1
            at = point / self.per_second
            # (One grid step of slack: rounding up to the grid is not a wait.)
            if max_delay is not None and at - now > max_delay + 1 / self.per_second:
                return None
            self._taken.add(point)
            self._chat_next[chat] = at + self.per_chat_interval
            self._forget_before(now)
            return at

    def next_free(self, chat: str) -> float:
        """Seconds until ``chat`` could next be sent to (for a caller told to come back)."""
        with self._lock:
            now = self.clock()
            return max(0.0, self._chat_next.get(chat, now) - now, self._paused_until - now)

    def wait_for(self, chat: str, *, max_delay: float | None = None) -> bool:
        """Reserve a slot and sleep until it; False (nothing reserved) if it is too far."""
        at = self.reserve(chat, max_delay=max_delay)
        if at is None:
            return False
        delay = at - self.clock()
        if delay > 0:
            self.sleep(delay)
        return True

    def pause(self, seconds: float, chat: str | None = None) -> None:
        """Telegram said 429 with ``retry_after``: hold the chat (or every chat) that long."""
        with self._lock:
            until = self.clock() + seconds
            if chat is None:
                self._paused_until = max(self._paused_until, until)
            else:
                self._chat_next[chat] = max(self._chat_next.get(chat, 0.0), until)

    def _forget_before(self, now: float) -> None:
        # Keeps the bookkeeping bounded: slots and chats in the past can no longer clash.
        if len(self._taken) > 4 * self.per_second * 60:
            floor = math.floor(now * self.per_second)
            self._taken = {p for p in self._taken if p >= floor}
            self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}
