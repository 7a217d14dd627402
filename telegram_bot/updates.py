"""Accept fast, handle after: each update is stored in one INSERT keyed by ``update_id``,
then handled by a worker after the commit. A repeated ``update_id`` is a no-op.

``update_accept`` is the webhook's only call; ``update_process`` the worker's.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from telegram import Update

from .models import TelegramUpdate

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A stored update whose task should have run by now (broker down at commit, worker killed).
STALE_AFTER = dt.timedelta(minutes=2)
SWEEP_BATCH = 200

# What the bot acts on; everything else is kept as received and marked ignored.
HANDLED = frozenset({"message", "callback_query", "my_chat_member"})
KINDS = (
    "message",
    "edited_message",
    "callback_query",
    "my_chat_member",
    "channel_post",
    "edited_channel_post",
    "inline_query",
    "chat_member",
    "poll",
    "poll_answer",
    "chat_join_request",
    "message_reaction",
)


def update_kind(payload: dict) -> str:
    return next((kind for kind in KINDS if kind in payload), "other")


def update_accept(payload: dict) -> tuple[TelegramUpdate | None, bool]:
    """Store the update; returns (row, created). (None, False) when it has no update_id."""
    update_id = payload.get("update_id")
    if not isinstance(update_id, int):
        return None, False
    try:
        with transaction.atomic():
            row = TelegramUpdate.objects.create(
                update_id=update_id, kind=update_kind(payload), payload=payload
            )
            transaction.on_commit(lambda: _schedule(update_id), robust=True)
    except IntegrityError:
        return TelegramUpdate.objects.filter(update_id=update_id).first(), False
    return row, True


def _schedule(update_id: int) -> None:
    from .tasks import telegram_update_process

    telegram_update_process.delay(update_id)


def update_process(update_id: int) -> str:
    """Handle a stored update once; returns its status. Safe to call twice."""
    from .dialogue import update_handle

    with transaction.atomic():
        row = (
            TelegramUpdate.objects.select_for_update()
            .filter(update_id=update_id, status=TelegramUpdate.Status.RECEIVED)
            .first()
        )
        if row is None:
            return (
                TelegramUpdate.objects.filter(update_id=update_id)
                .values_list("status", flat=True)
                .first()
                or "missing"
            )
        row.attempts += 1
        try:
            with transaction.atomic():
                what = (
                    update_handle(Update.de_json(row.payload, None), payload=row.payload)
                    if row.kind in HANDLED
                    else "ignored"
                )
        except Exception as exc:
            logger.exception("telegram update %s failed", update_id)
            row.error = f"{type(exc).__name__}: {exc}"[:2000]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = TelegramUpdate.Status.FAILED
            row.save(update_fields=["attempts", "error", "status"])
            return row.status
        row.status = (
            TelegramUpdate.Status.IGNORED if what == "ignored" else TelegramUpdate.Status.PROCESSED
        )
        row.processed_at = timezone.now()
        row.error = ""
        row.save(update_fields=["attempts", "status", "processed_at", "error"])
        return row.status


def updates_sweep(*, now: dt.datetime | None = None) -> list[int]:
    """The stored updates still waiting after ``STALE_AFTER``, oldest first (for re-queueing)."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    return list(
        TelegramUpdate.objects.filter(status=TelegramUpdate.Status.RECEIVED, received_at__lt=cutoff)
        .order_by("update_id")
        .values_list("update_id", flat=True)[:SWEEP_BATCH]
    )
