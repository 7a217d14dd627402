"""Celery tasks of the hub. Each may run twice (a redelivered message, an operator's retry,
the sweeper): outbox rows are claimed before they are sent, so a row is sent once, and an
inbound delivery is processed under its sender's row lock and only while still waiting."""

from __future__ import annotations

import datetime as dt
import logging
import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from .delivery import outbox_claim, outbox_deliver, outbox_reconcile_stale
from .intake import inbound_sender_drain, inbound_sweep
from .models import EarlyDeliveryStatus, OutboundMessage

logger = logging.getLogger(__name__)

# A drainer that died frees its slot after this; the sweeper below covers the gap.
KICK_TTL_SECONDS = 120
# One drain task hands over to a fresh one after this, so it never holds a worker forever.
DRAIN_SECONDS = 30
# A pending row whose task should have run by now (broker down at commit, worker crash).
STALE_AFTER = dt.timedelta(minutes=2)
REQUEUE_BATCH = 500
EARLY_STATUS_KEPT = dt.timedelta(days=2)

Status = OutboundMessage.Status


def _slot_key(slot: int) -> str:
    return f"channels:outbox-drainer:{slot}"


def outbox_kick() -> None:
    """A row was committed to the outbox: make sure a drainer is running.

    Under a burst (10,000 case notifications) one Celery task per row would cost more than the
    sending itself; instead at most ``OUTBOX_DRAINERS`` drain tasks run, each holding a slot
    in the cache. A kick that finds every slot taken does nothing: a running drainer re-checks
    for due rows after it frees its slot, so it sees this row (committed before the kick).
    """
    for slot in range(settings.OUTBOX_DRAINERS):
        if cache.add(_slot_key(slot), "1", timeout=KICK_TTL_SECONDS):
            outbound_drain.delay(slot)
            return


@shared_task(acks_late=True)
def outbound_drain(slot: int) -> int:
    """Send due outbox rows, batch after batch, until none is left; returns how many."""
    key = _slot_key(slot)
    handled = 0
    deadline = time.monotonic() + DRAIN_SECONDS
    try:
        while True:
            claimed = outbox_claim(first_id=None, limit=settings.OUTBOX_BATCH_SIZE)
            if not claimed:
                cache.delete(key)
                # A kick that came while the slot was still ours did nothing: look once more.
                claimed = outbox_claim(first_id=None, limit=settings.OUTBOX_BATCH_SIZE)
                if not claimed:
                    return handled
                if not cache.add(key, "1", timeout=KICK_TTL_SECONDS):
                    # Another kick took the slot and started a drainer: finish this batch only.
                    _deliver(claimed)
                    return handled + len(claimed)
            _deliver(claimed)
            handled += len(claimed)
            cache.touch(key, KICK_TTL_SECONDS)
            if time.monotonic() > deadline:
                outbound_drain.delay(slot)  # the slot stays held for the follow-up
                return handled
    except Exception:
        cache.delete(key)
        raise


def _deliver(claimed: list[OutboundMessage]) -> dict[int, str]:
    report = outbox_deliver(claimed)
    for retry_id, countdown in report.retry_in.items():
        outbound_deliver.apply_async((retry_id,), countdown=countdown)
    return report.statuses


@shared_task(acks_late=True)
def outbound_deliver(message_id: int) -> str:
    """Send outbox row ``message_id``, and with it other due rows waiting in the queue.

    Returns the row's status (for logs and eager tests). A temporary failure puts the row
    back to ``pending`` with its next attempt scheduled here, with backoff.
    """
    status = OutboundMessage.objects.filter(pk=message_id).values_list("status", flat=True)
    current = status.first()
    if current != Status.PENDING:
        # Already sent in an earlier task's batch (the common case under load), or gone:
        # one indexed read, no transaction.
        return current or "missing"
    claimed = outbox_claim(first_id=message_id, limit=settings.OUTBOX_BATCH_SIZE)
    statuses = _deliver(claimed)
    if message_id in statuses:
        return statuses[message_id]
    return status.first() or "missing"  # another worker claimed it meanwhile


@shared_task
def outbound_requeue_pending() -> int:
    """Re-queue outbox rows left pending: nothing decided is lost if a task never ran.

    Runs every minute from Celery beat. A row waiting for its backoff is left alone until its
    retry is overdue; a row queued twice is still sent once (see ``outbox_claim``).
    """
    cutoff = timezone.now() - STALE_AFTER
    stale = (
        OutboundMessage.objects.filter(status=Status.PENDING)
        .filter(
            Q(next_attempt_at__isnull=True, created_at__lt=cutoff) | Q(next_attempt_at__lt=cutoff)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    ids = list(stale)
    for message_id in ids:
        outbound_deliver.delay(message_id)
    if ids:
        logger.warning("re-queued %s stale outbound messages", len(ids))
    return len(ids)


@shared_task
def outbound_reconcile_sending() -> dict[str, int]:
    """Settle rows a dead worker left in ``sending`` by asking the provider (every minute)."""
    outcome = outbox_reconcile_stale()
    # Reports for ids we never recorded (another system's messages, a lost send) expire.
    EarlyDeliveryStatus.objects.filter(received_at__lt=timezone.now() - EARLY_STATUS_KEPT).delete()
    for message_id in outcome["resend"]:
        outbound_deliver.delay(message_id)
    return {key: len(ids) for key, ids in outcome.items()}


@shared_task(acks_late=True)
def inbound_process(delivery_id: int) -> int:
    """Process a stored webhook delivery, and its sender's other waiting ones, in order."""
    return inbound_sender_drain(delivery_id=delivery_id)


@shared_task
def inbound_sweep_waiting() -> int:
    """Queue deliveries whose task never ran (broker down at the time) or was lost."""
    return inbound_sweep()
