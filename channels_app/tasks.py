"""Celery tasks of the outbox. Each may run twice (a redelivered message, an operator's
retry, the sweeper): rows are claimed before they are sent, so a row is sent once."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .delivery import (
    MAX_ATTEMPTS,
    outbox_claim,
    outbox_deliver,
    outbox_reconcile_stale,
    retry_countdown,
)
from .models import OutboundMessage

logger = logging.getLogger(__name__)

__all__ = ["MAX_ATTEMPTS", "outbound_deliver", "outbound_requeue_pending", "retry_countdown"]

# A pending row whose task should have run by now (broker down at commit, worker crash).
STALE_AFTER = dt.timedelta(minutes=2)
REQUEUE_BATCH = 500

Status = OutboundMessage.Status


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
    report = outbox_deliver(claimed)
    for retry_id, countdown in report.retry_in.items():
        outbound_deliver.apply_async((retry_id,), countdown=countdown)
    if message_id in report.statuses:
        return report.statuses[message_id]
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
    for message_id in outcome["resend"]:
        outbound_deliver.delay(message_id)
    return {key: len(ids) for key, ids in outcome.items()}
