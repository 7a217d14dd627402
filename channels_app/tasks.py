"""Delivering outbox rows. A task may run twice (a redelivered Celery message, an operator's
retry); it sends only a row that is still ``pending``, under a row lock."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from crm.models import Identity

from .models import OutboundMessage
from .outbound import outbound_status_apply, suppression_reason
from .registry import PermanentSendError, TemporarySendError, channel_type_get

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# A pending row whose task should have run by now (broker down at commit, worker crash).
STALE_AFTER = dt.timedelta(minutes=2)
REQUEUE_BATCH = 500
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600

Status = OutboundMessage.Status


def retry_countdown(attempts: int) -> int:
    """30 s, 60 s, 2 min, 4 min... capped at an hour."""
    return min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)


@shared_task(bind=True, max_retries=MAX_ATTEMPTS - 1, acks_late=True)
def outbound_deliver(self, message_id: int) -> str:
    """Send one outbox row; returns the row's status for logs and eager tests."""
    temporary: TemporarySendError | None = None
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update()
            .select_related("contact")
            .filter(pk=message_id)
            .first()
        )
        if message is None:
            logger.warning("outbound message %s vanished before delivery", message_id)
            return "missing"
        if message.status != Status.PENDING:
            return message.status
        channel_type = channel_type_get(message.channel)
        # The citizen may have sent STOP between the decision and now.
        suppressed = suppression_reason(
            contact=message.contact,
            scheme=channel_type.identity_scheme,
            address=message.address,
            purpose=message.purpose,
        )
        if suppressed:
            outbound_status_apply(
                message,
                status=Status.SUPPRESSED,
                error_code=suppressed[0],
                error_message=suppressed[1],
            )
            return message.status
        message.attempts += 1
        try:
            result = channel_type.send(message)
        except PermanentSendError as exc:
            outbound_status_apply(
                message, status=Status.FAILED, error_code=exc.code, error_message=exc.message
            )
            if exc.opted_out:
                Identity.objects.filter(
                    scheme=channel_type.identity_scheme,
                    value=message.address,
                    opted_out_at__isnull=True,
                ).update(opted_out_at=timezone.now())
            logger.info("outbound %s failed permanently: %s", message.pk, exc)
            return message.status
        except TemporarySendError as exc:
            temporary = exc
            message.error_code = str(exc.code)[:20]
            message.error_message = exc.message[:255]
            if message.attempts >= MAX_ATTEMPTS:
                outbound_status_apply(
                    message, status=Status.FAILED, error_code=exc.code, error_message=exc.message
                )
                logger.warning("outbound %s gave up after %s attempts", message.pk, MAX_ATTEMPTS)
                return message.status
            message.next_attempt_at = timezone.now() + dt.timedelta(
                seconds=retry_countdown(message.attempts)
            )
            message.save(
                update_fields=["attempts", "error_code", "error_message", "next_attempt_at"]
            )
        else:
            message.transport = result.transport
            # An earlier attempt's temporary error is history now.
            message.error_code = message.error_message = ""
            message.next_attempt_at = None
            outbound_status_apply(
                message, status=result.status, provider_message_id=result.provider_message_id
            )
            return message.status
    # Outside the transaction, so the attempt count is committed before the retry is queued.
    logger.info("outbound %s temporary failure, retrying: %s", message_id, temporary)
    raise self.retry(exc=temporary, countdown=retry_countdown(message.attempts))


@shared_task
def outbound_requeue_pending() -> int:
    """Re-queue outbox rows left pending: nothing decided is lost if a task never ran.

    Runs every minute from Celery beat. A row waiting for its backoff is left alone until its
    retry is overdue; a row queued twice is still sent once (see ``outbound_deliver``).
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
