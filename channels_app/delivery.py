"""Handing outbox rows to the providers, in batches, never twice.

A delivery runs in three steps:

1. **claim** (one short transaction): the rows to send move from ``pending`` to ``sending``
   with ``claimed_at`` and one more attempt. Rows another worker holds are skipped, so two
   workers never take the same row.
2. **send**, outside any transaction, a few at a time in threads: the provider's round trip
   (hundreds of milliseconds for Twilio) is waiting, not work, and holding a database
   transaction or row lock across it would serialise every worker behind the slowest answer.
3. **record** (one transaction): each row gets what the provider said, written in bulk.

A worker that dies between 1 and 3 leaves rows in ``sending``. ``outbox_reconcile_stale`` asks
the provider what became of them (``ChannelType.reconcile``) and sends again only what the
provider never got: a citizen is not texted twice because a worker was killed.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from crm.models import Identity, Interaction

from .models import OutboundMessage
from .registry import (
    AmbiguousSendError,
    DeferredSend,
    PermanentSendError,
    SendError,
    SendResult,
    TemporarySendError,
    channel_type_get,
)
from .status import (
    early_statuses_apply,
    outbound_status_apply,
    outbound_status_change,
    suppression_reasons,
)

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status

MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
# No send starts later than this after a batch's claim, so with TWILIO_HTTP_TIMEOUT (30 s) a
# batch is done well before ``sending_stale_after()``.
SEND_WINDOW = dt.timedelta(minutes=2)

# Written back after a send; the same list for every row so one bulk UPDATE covers a batch.
MESSAGE_FIELDS = [
    "status",
    "status_changed_at",
    "provider_message_id",
    "transport",
    "sent_at",
    "attempts",
    "next_attempt_at",
    "error_code",
    "error_message",
]


def sending_stale_after() -> dt.timedelta:
    """A row still ``sending`` this long after its claim has lost its worker.

    ``OUTBOX_SENDING_STALE_SECONDS``: longer than ``SEND_WINDOW`` plus the provider's timeout
    (the ``sms.E001`` check), so asking the provider never races a send still in flight.
    """
    return dt.timedelta(seconds=settings.OUTBOX_SENDING_STALE_SECONDS)


def retry_countdown(attempts: int) -> int:
    """30 s, 60 s, 2 min, 4 min... capped at an hour."""
    return min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)


@dataclass
class DeliveryReport:
    """What one delivery run did: final statuses, and the rows to try again later."""

    statuses: dict[int, str] = field(default_factory=dict)
    retry_in: dict[int, int] = field(default_factory=dict)  # message id -> seconds


def outbox_claim(*, first_id: int | None, limit: int) -> list[OutboundMessage]:
    """Take due rows to send: ``first_id`` first (if still pending), then the oldest others.

    Returns the claimed rows, already ``sending``. Rows another worker holds are skipped. With
    ``first_id`` given, an empty list means that row is gone, sent or held by another worker
    (which sends it), and nothing else is taken.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = OutboundMessage.objects.select_for_update(skip_locked=True, of=("self",))
        claimed: list[OutboundMessage] = []
        if first_id is not None:
            claimed = list(
                locked.select_related("contact").filter(pk=first_id, status=Status.PENDING)[:1]
            )
            if not claimed:
                return []
        if limit > len(claimed):
            # Rows whose own task is still queued behind this one: one round trip sends them
            # all, and their tasks then find nothing left to do.
            due = (
                locked.select_related("contact")
                .filter(status=Status.PENDING)
                .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            )
            if first_id is not None:
                due = due.exclude(pk=first_id)
            claimed += list(due.order_by("created_at")[: limit - len(claimed)])
        if claimed:
            OutboundMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
                status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
    for message in claimed:
        message.status = Status.SENDING
        message.claimed_at = now
        message.attempts += 1
    return claimed


def outbox_deliver(messages: list[OutboundMessage]) -> DeliveryReport:
    """Send claimed rows and record what each provider said (steps 2 and 3)."""
    report = DeliveryReport()
    if not messages:
        return report
    suppressed = suppression_reasons(messages)
    to_send = [m for m in messages if m.pk not in suppressed]
    outcomes = _send_all(to_send)
    with transaction.atomic():
        _record(messages, suppressed, outcomes, report)
    # After the commit: a delivery report that beat it to us is waiting for these ids.
    by_channel: dict[str, list[str]] = defaultdict(list)
    for message in messages:
        if message.provider_message_id:
            by_channel[message.channel].append(message.provider_message_id)
    for channel, sids in by_channel.items():
        for message in early_statuses_apply(channel=channel, provider_message_ids=sids).values():
            report.statuses[message.pk] = message.status
    return report


def outbox_reconcile_stale(*, now: dt.datetime | None = None) -> dict[str, list[int]]:
    """Settle rows left in ``sending`` by a worker that died or never heard back.

    The provider is asked (``ChannelType.reconcile``): a message it has is recorded with its
    id and status; one it never got goes back to ``pending`` to be sent; a provider we cannot
    reach leaves the row for the next sweep. A row that cannot be settled (whatever the
    reason) is logged and left for the next sweep: it never stops the others. At most
    ``OUTBOX_RECONCILE_BATCH`` rows a run. Returns the message ids by outcome.
    """
    now = now or timezone.now()
    stale = list(
        OutboundMessage.objects.select_related("contact")
        .filter(status=Status.SENDING, claimed_at__lt=now - sending_stale_after())
        .order_by("claimed_at")[: settings.OUTBOX_RECONCILE_BATCH]
    )
    counts: dict[str, list[int]] = {"found": [], "resend": [], "unreachable": []}
    for message in stale:
        try:
            outcome = _reconcile_one(message)
        except Exception:
            logger.exception("could not reconcile outbound %s with its provider", message.pk)
            outcome = "unreachable"
        if outcome:
            counts[outcome].append(message.pk)
    if any(counts.values()):
        logger.warning(
            "reconciled stale outbound messages: %s", {k: len(v) for k, v in counts.items()}
        )
    return counts


def _reconcile_one(message: OutboundMessage) -> str | None:
    """Settle one stale row; "found", "resend", or None when its worker came back after all."""
    found = channel_type_get(message.channel).reconcile(message)
    with transaction.atomic():
        current = (
            OutboundMessage.objects.select_for_update()
            .filter(pk=message.pk, status=Status.SENDING, claimed_at=message.claimed_at)
            .first()
        )
        if current is None:
            return None
        if found is None:
            current.status = Status.PENDING
            current.next_attempt_at = None
            current.save(update_fields=["status", "next_attempt_at"])
            return "resend"
        current.transport = found.transport
        current.error_code = current.error_message = ""
        outbound_status_apply(
            current, status=found.status, provider_message_id=found.provider_message_id
        )
        if found.provider_message_id:
            transaction.on_commit(
                lambda: early_statuses_apply(
                    channel=current.channel, provider_message_ids=[current.provider_message_id]
                )
            )
    return "found"


def provider_ids_recorded(channel: str, provider_ids: Iterable[str]) -> set[str]:
    """Which of these provider ids another outbox row already holds (reconciliation skips them)."""
    return set(
        OutboundMessage.objects.filter(
            channel=channel, provider_message_id__in=list(provider_ids)
        ).values_list("provider_message_id", flat=True)
    )


# --- the steps ---------------------------------------------------------------------------


class NotTried(SendError):
    """The batch ran out of time before this row's turn: back to pending, nothing sent."""


def _send_one(message: OutboundMessage, deadline: float) -> SendResult | SendError:
    if time.monotonic() > deadline:
        return NotTried("", "not tried: the batch ran out of time")
    try:
        return channel_type_get(message.channel).send(message)
    except SendError as exc:
        return exc
    except Exception as exc:
        # A bug or an unparseable answer after the request went out: it may have been sent.
        logger.exception("sending outbound %s failed unexpectedly", message.pk)
        return AmbiguousSendError("error", f"{type(exc).__name__}: {exc}"[:255])


def _send_all(messages: list[OutboundMessage]) -> dict[int, SendResult | SendError]:
    # A slow provider must not keep claimed rows past SENDING_STALE_AFTER, when they would be
    # reconciled (and perhaps sent again) while still in this batch: start no send late.
    deadline = time.monotonic() + SEND_WINDOW.total_seconds()
    threads = min(settings.OUTBOX_SEND_THREADS, len(messages))
    if threads <= 1:
        return {m.pk: _send_one(m, deadline) for m in messages}
    # Sends only: no thread touches the database (Django connections are per thread).
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="outbox-send") as pool:
        outcomes = pool.map(_send_one, messages, [deadline] * len(messages))
        return dict(zip((m.pk for m in messages), outcomes, strict=True))


def _record(
    messages: Iterable[OutboundMessage],
    suppressed: dict[int, tuple[str, str]],
    outcomes: dict[int, SendResult | SendError],
    report: DeliveryReport,
) -> None:
    now = timezone.now()
    changed: list[OutboundMessage] = []
    timeline: dict[int, dict] = {}
    opted_out_at_provider: list[tuple[str, str]] = []
    for message in messages:
        fields: dict | None = None
        if message.pk in suppressed:
            code, text = suppressed[message.pk]
            message.attempts -= 1  # nothing was tried
            fields = outbound_status_change(
                message, status=Status.SUPPRESSED, error_code=code, error_message=text, now=now
            )
        else:
            outcome = outcomes[message.pk]
            if isinstance(outcome, SendResult):
                message.transport = outcome.transport
                # An earlier attempt's temporary error is history now.
                message.error_code = message.error_message = ""
                message.next_attempt_at = None
                fields = outbound_status_change(
                    message,
                    status=outcome.status,
                    provider_message_id=outcome.provider_message_id,
                    now=now,
                )
            elif isinstance(outcome, PermanentSendError):
                fields = outbound_status_change(
                    message,
                    status=Status.FAILED,
                    error_code=outcome.code,
                    error_message=outcome.message,
                    now=now,
                )
                if outcome.opted_out:
                    scheme = channel_type_get(message.channel).identity_scheme
                    opted_out_at_provider.append((scheme, message.address))
                logger.info("outbound %s failed permanently: %s", message.pk, outcome)
            elif isinstance(outcome, NotTried):
                message.status = Status.PENDING
                message.attempts -= 1
                report.retry_in[message.pk] = 0
            elif isinstance(outcome, TemporarySendError):
                fields = _temporary_failure(message, outcome, report, now)
            else:
                # Ambiguous: stays "sending" with the reason until reconciled.
                message.error_code = str(outcome.code)[:20]
                message.error_message = outcome.message[:255]
                logger.warning("outbound %s: provider answer unknown: %s", message.pk, outcome)
        changed.append(message)
        report.statuses[message.pk] = message.status
        if fields is not None and message.interaction_id:
            timeline[message.interaction_id] = fields
    _write_grouped(
        OutboundMessage,
        {m.pk: {name: getattr(m, name) for name in MESSAGE_FIELDS} for m in changed},
    )
    _write_grouped(Interaction, timeline)
    for scheme, address in opted_out_at_provider:
        # The provider says the citizen unsubscribed there: honour it here too.
        Identity.objects.filter(scheme=scheme, value=address, opted_out_at__isnull=True).update(
            opted_out_at=now
        )


def _write_grouped(model: type[OutboundMessage] | type[Interaction], rows: dict[int, dict]) -> None:
    """Write each row's fields with as few statements as the batch allows.

    Rows of a batch mostly share every value but the provider's message id (same status, same
    clock reading): one ``UPDATE ... WHERE id IN`` per distinct set of values, then one
    ``bulk_update`` of the ids alone. ``bulk_update`` over every field builds a CASE per field
    per row, which profiled as a quarter of a delivery's time.
    """
    groups: dict[tuple, list[int]] = defaultdict(list)
    provider_ids: list = []
    for pk, fields in rows.items():
        values = dict(fields)
        provider_id = values.pop("provider_message_id", None)
        if provider_id:
            provider_ids.append(model(pk=pk, provider_message_id=provider_id))
        groups[tuple(sorted(values.items()))].append(pk)
    for values, pks in groups.items():
        model.objects.filter(pk__in=pks).update(**dict(values))
    if provider_ids:
        model.objects.bulk_update(provider_ids, ["provider_message_id"])


def _temporary_failure(
    message: OutboundMessage, exc: TemporarySendError, report: DeliveryReport, now: dt.datetime
) -> dict | None:
    if isinstance(exc, DeferredSend):
        # Held back by the channel's own rate limit: nothing was tried, no error to show.
        message.attempts -= 1
        message.status = Status.PENDING
        countdown = max(1, math.ceil(exc.retry_after or 1))
        message.next_attempt_at = now + dt.timedelta(seconds=countdown)
        report.retry_in[message.pk] = countdown
        return None
    message.error_code = str(exc.code)[:20]
    message.error_message = exc.message[:255]
    if message.attempts >= MAX_ATTEMPTS:
        logger.warning("outbound %s gave up after %s attempts", message.pk, MAX_ATTEMPTS)
        return outbound_status_change(
            message, status=Status.FAILED, error_code=exc.code, error_message=exc.message, now=now
        )
    countdown = retry_countdown(message.attempts)
    if exc.retry_after:
        # The provider said how long to wait (Telegram's 429 ``retry_after``).
        countdown = max(1, math.ceil(exc.retry_after))
    # Straight back to pending (not a forward move, so not through outbound_status_change).
    message.status = Status.PENDING
    message.next_attempt_at = now + dt.timedelta(seconds=countdown)
    report.retry_in[message.pk] = countdown
    logger.info("outbound %s temporary failure, retry in %s s: %s", message.pk, countdown, exc)
    return None
