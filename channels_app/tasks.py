"""Celery tasks of the hub. Each may run twice (a redelivered message, an operator's retry,
the sweeper): outbox rows are claimed before they are sent, so a row is sent once, and an
inbound delivery is processed under its sender's row lock and only while still waiting."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .delivery import outbox_claim, outbox_deliver, outbox_reconcile_stale
from .dispatch import deferred_tasks_run
from .intake import drain_slot_key, inbound_sender_drain, inbound_slot_drain, inbound_sweep
from .leases import lease_drain, lease_kick
from .models import EarlyDeliveryStatus, OutboundMessage
from .spool import spool_import

logger = logging.getLogger(__name__)

# One drain task hands over to a fresh one after this, so it never holds a worker forever.
DRAIN_SECONDS = 30
EARLY_STATUS_KEPT = dt.timedelta(days=2)

Status = OutboundMessage.Status


def _slot_key(slot: int) -> str:
    return f"channels:outbox-drainer:{slot}"


def outbox_kick() -> None:
    """A row was committed to the outbox: make sure a drainer is running.

    Under a burst (10,000 case notifications) one Celery task per row would cost more than the
    sending itself; instead at most ``OUTBOX_DRAINERS`` drain tasks run, each holding a slot
    (``channels_app.leases``). A kick that finds every slot taken does nothing: a running
    drainer re-checks for due rows after it frees its slot, so it sees this row.
    """
    lease = settings.OUTBOX_DRAIN_LEASE_SECONDS
    for slot in range(settings.OUTBOX_DRAINERS):
        if lease_kick(_slot_key(slot), lease_seconds=lease,
                      publish=lambda slot=slot: outbound_drain.delay(slot)):  # fmt: skip
            return


@shared_task(acks_late=True)
def outbound_drain(slot: int) -> int:
    """Send due outbox rows, batch after batch, until none is left; returns how many.

    The slot is a lease of ``OUTBOX_DRAIN_LEASE_SECONDS``, renewed after every batch: a drainer
    killed mid-batch frees its slot that soon, and the next kick starts a fresh one (a batch
    slower than the lease may let a second drainer share the slot; claims keep them apart).
    """

    def batch() -> int:
        claimed = outbox_claim(first_id=None, limit=settings.OUTBOX_BATCH_SIZE)
        _deliver(claimed)
        return len(claimed)

    return lease_drain(
        _slot_key(slot),
        lease_seconds=settings.OUTBOX_DRAIN_LEASE_SECONDS,
        batch=batch,
        follow_up=lambda: outbound_drain.delay(slot),
        seconds=DRAIN_SECONDS,
    )


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
    """Start drainers for outbox rows left pending: nothing decided is lost if a task never ran.

    Runs every minute from Celery beat. A row whose task should have run by now
    (``OUTBOX_REQUEUE_AFTER_SECONDS``: broker down at commit, worker crash) is due, so a
    drainer takes it with every other due row, batch after batch, instead of a task per row.
    Returns how many such rows there are (at most ``OUTBOX_REQUEUE_COUNT_LIMIT`` counted).
    """
    cutoff = timezone.now() - dt.timedelta(seconds=settings.OUTBOX_REQUEUE_AFTER_SECONDS)
    stale = (
        OutboundMessage.objects.filter(status=Status.PENDING)
        .filter(
            Q(next_attempt_at__isnull=True, created_at__lt=cutoff) | Q(next_attempt_at__lt=cutoff)
        )
        .values_list("pk", flat=True)[: settings.OUTBOX_REQUEUE_COUNT_LIMIT]
    )
    count = len(stale)
    if count:
        logger.warning("%s stale outbound messages: starting drainers", count)
        for _slot in range(settings.OUTBOX_DRAINERS):
            outbox_kick()
    return count


@shared_task
def outbound_reconcile_sending() -> dict[str, int]:
    """Settle rows a dead worker left in ``sending`` by asking the provider (every minute)."""
    outcome = outbox_reconcile_stale()
    # Reports for ids we never recorded (another system's messages, a lost send) expire.
    EarlyDeliveryStatus.objects.filter(received_at__lt=timezone.now() - EARLY_STATUS_KEPT).delete()
    if outcome["resend"]:
        outbox_kick()
    return {key: len(ids) for key, ids in outcome.items()}


@shared_task(acks_late=True)
def inbound_process(delivery_id: int) -> int:
    """Process a stored webhook delivery, and its sender's other waiting ones, in order."""
    return inbound_sender_drain(delivery_id=delivery_id)


@shared_task(acks_late=True)
def inbound_drain(slot: int) -> int:
    """Process stored deliveries of drainer ``slot``'s senders until none is due."""
    return lease_drain(
        drain_slot_key(slot),
        lease_seconds=settings.INBOUND_DRAIN_LEASE_SECONDS,
        batch=lambda: inbound_slot_drain(slot=slot),
        follow_up=lambda: inbound_drain.delay(slot),
        seconds=DRAIN_SECONDS,
    )


@shared_task
def inbound_sweep_waiting() -> int:
    """Queue deliveries whose task never ran (broker down at the time) or was lost."""
    return inbound_sweep()


@shared_task
def deferred_tasks_publish() -> int:
    """Queue the side effects kept while the broker was unreachable."""
    return deferred_tasks_run()


@shared_task
def inbound_spool_import() -> int:
    """Store webhook requests a fallback URL kept while the database was unreachable."""
    return spool_import()
