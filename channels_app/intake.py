"""Accept fast, process later: how a provider's webhook delivery enters the CRM.

How a channel plugs in (the SMS adapter is the worked example, ``sms/views.py`` and
``sms/channel.py``):

1. The webhook view checks the provider's signature and calls ``inbound_accept(channel=...,
   provider_id=..., sender=..., payload=...)`` (from an async view ``await
   inbound_accept_async(...)``, which under ASGI does its I/O on the event loop) with the
   provider's message or update id (or ``provider_id_of(payload)`` when the provider sent
   none), the sender as the provider names it, and the request's fields. That is one INSERT;
   the view answers at once (empty TwiML for Twilio, 200 for Telegram). A provider retrying
   the webhook hits the unique key and gets the same answer; nothing is stored twice.
2. The channel's ``ChannelType.inbound_process(delivery)`` (``channels_app.registry``) turns the
   stored delivery into the contact, conversation and interaction, usually by calling
   ``channels_app.inbound.inbound_handle``, which also runs the keyword and sends its answer
   through the outbox. It runs in a worker: the committed INSERT kicks its sender's drainer
   (``inbound_kick``, ``tasks.inbound_drain``), which holds a short lease in the cache, so a
   burst of webhooks costs one broker publish, not one each.
3. Nothing more: retries with backoff, parking as failed (visible and re-runnable in the admin,
   ``/admin/channels_app/inbounddelivery/``), the beat sweep for deliveries whose task never
   ran (broker down at the time), and per-sender arrival order are the hub's.

One sender's deliveries are processed in arrival order: a worker always takes the oldest
waiting delivery of that sender (holding its row lock), so a later message never overtakes an
earlier one, also while the earlier one waits for a retry. A delivery that failed for good
(``INBOUND_MAX_ATTEMPTS``) stops holding the line. Each sender belongs to one lane, and each
lane to one of ``INBOUND_DRAINERS`` drainers, so drainers work on different senders side by
side; the row lock keeps the order also when a retry's or the sweep's task joins in.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import json
import logging
import zlib
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Min, Q
from django.db.models.functions import Mod
from django.utils import timezone

from .leases import lease_async_ready, lease_kick, lease_kick_async
from .models import InboundDelivery
from .registry import InboundRejected, channel_type_get
from .webhooks import on_server_loop

logger = logging.getLogger(__name__)

Status = InboundDelivery.Status
WAITING = (Status.RECEIVED, Status.RETRYING)
# PostgreSQL text and jsonb cannot hold NUL; a visible replacement keeps the rest of the text.
NUL_REPLACEMENT = "\ufffd"
# Senders are spread over this many lanes; a drainer takes the lanes equal to its slot modulo
# INBOUND_DRAINERS, so changing that setting needs no change to stored rows.
LANES = 1024


@dataclass(frozen=True)
class Accepted:
    delivery_id: int
    duplicate: bool  # the provider retried a delivery we already hold


def provider_id_of(payload: dict) -> str:
    """A stable id for a delivery the provider sent without one: a hash of what it signed.

    A retry of the same request carries the same fields, so it hashes to the same id.
    """
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return "sha1:" + hashlib.sha1(canonical.encode("utf-8", "replace")).hexdigest()


def text_clean(value: object, *, limit: int) -> tuple[str, int | None]:
    """``value`` as storable text: NUL replaced, capped at ``limit`` characters.

    Returns the text and, when it was cut, the original length (for the note kept with it).
    """
    text = value if isinstance(value, str) else str(value)
    if "\x00" in text:
        text = text.replace("\x00", NUL_REPLACEMENT)
    if len(text) > limit:
        return text[:limit], len(text)
    return text, None


def payload_clean(data: dict) -> dict:
    """The provider's fields as storable JSON; cut values are noted under ``_truncated``."""
    limit = settings.INBOUND_FIELD_MAX_CHARS
    cleaned: dict[str, object] = {}
    truncated: dict[str, int] = {}
    for raw_key, raw_value in data.items():
        key, _cut = text_clean(raw_key, limit=200)
        if isinstance(raw_value, str):
            value, original_length = text_clean(raw_value, limit=limit)
            if original_length is not None:
                truncated[key] = original_length
            cleaned[key] = value
        else:
            cleaned[key] = raw_value
    if truncated:
        cleaned["_truncated"] = truncated
    return cleaned


def _delivery_fields(*, channel: str, provider_id: str, sender: str, payload: dict) -> dict:
    """The row to INSERT for one delivery.

    ``provider_id`` longer than the column, or not plain text, is replaced by its hash, so a
    forged or broken id still stores the delivery (and its retries match).
    """
    if len(provider_id) > 64 or "\x00" in provider_id or not provider_id.isprintable():
        provider_id = provider_id_of({"provider_id": provider_id})
    sender, _cut = text_clean(sender.strip(), limit=128)
    return {
        "channel": channel,
        "provider_id": provider_id,
        "sender": sender,
        "payload": payload,
        "lane": lane_of(channel, sender),
        "status": Status.RECEIVED,
        "attempts": 0,
        "error": "",
        "received_at": timezone.now(),
    }


def _statement(fields: dict, connection) -> tuple[str, list]:
    return (
        _insert_sql(connection.vendor, tuple(fields)),
        [_FIELDS[name].get_db_prep_save(value, connection) for name, value in fields.items()],
    )


def inbound_accept(*, channel: str, provider_id: str, sender: str, payload: dict) -> Accepted:
    """Store one webhook delivery (one INSERT) and queue its processing after commit."""
    fields = _delivery_fields(
        channel=channel, provider_id=provider_id, sender=sender, payload=payload
    )
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        cursor.execute(*_statement(fields, connection))
        inserted = cursor.fetchone()
        if inserted is None:
            # The provider retried: the row it delivered first answers (nothing happens twice).
            cursor.execute(_existing_sql(), [fields["channel"], fields["provider_id"]])
            existing = cursor.fetchone()
            return Accepted(existing and existing[0], duplicate=True)
    delivery_id, lane = inserted[0], fields["lane"]
    transaction.on_commit(lambda: inbound_kick(delivery_id=delivery_id, lane=lane))
    return Accepted(delivery_id, duplicate=False)


async def inbound_accept_async(
    *, channel: str, provider_id: str, sender: str, payload: dict
) -> Accepted:
    """``inbound_accept`` for an async webhook view: the same row, answer and kick.

    On the ASGI server's loop with PostgreSQL and Redis, the INSERT goes through the loop's
    psycopg pool and the kick through ``redis.asyncio``, so the request never waits for the
    one thread Django runs synchronous code in. Anywhere else (SQLite, no Redis, WSGI and the
    test client) it is ``inbound_accept`` itself, in the request's thread.
    """
    if not (on_server_loop() and _async_database_ready() and lease_async_ready()):
        return await sync_to_async(inbound_accept)(
            channel=channel, provider_id=provider_id, sender=sender, payload=payload
        )
    fields = _delivery_fields(
        channel=channel, provider_id=provider_id, sender=sender, payload=payload
    )
    # A provider that hangs up mid-request (Django then cancels the view) must not cut the
    # statement or the kick short: shielded, they finish and the connection goes back clean.
    return await asyncio.shield(_accept_on_loop(fields))


@functools.cache
def _async_database():
    """A database wrapper of this process's own for the loop path: it adapts the values and
    translates errors, and opens the loop's pool; it never connects synchronously.

    ``connections[...]`` would build a new wrapper for every ASGI request's context.
    """
    return connections.create_connection(DEFAULT_DB_ALIAS)


def _async_database_ready() -> bool:
    return hasattr(_async_database(), "async_connection")


async def _accept_on_loop(fields: dict) -> Accepted:
    database = _async_database()
    # psycopg's errors become Django's, so an unreachable server answers 503 as on the sync path.
    with database.wrap_database_errors:
        async with database.async_connection() as connection:
            cursor = await connection.execute(*_statement(fields, database))
            inserted = await cursor.fetchone()
            if inserted is None:
                cursor = await connection.execute(
                    _existing_sql(), [fields["channel"], fields["provider_id"]]
                )
                existing = await cursor.fetchone()
                return Accepted(existing and existing[0], duplicate=True)
    # Autocommit: the row is committed, as after on_commit on the sync path.
    await inbound_kick_async(delivery_id=inserted[0], lane=fields["lane"])
    return Accepted(inserted[0], duplicate=False)


_FIELDS = {f.name: f for f in InboundDelivery._meta.concrete_fields}


@functools.cache
def _insert_sql(vendor: str, names: tuple[str, ...]) -> str:
    """The webhook's one statement, written out once per process and database vendor.

    The ORM's ``save()`` built the same INSERT anew for every request (about a third of the
    webhook's own time); ``ON CONFLICT DO NOTHING`` (PostgreSQL and SQLite) answers a provider's
    retry without an error, so no savepoint is needed inside a caller's transaction either.
    """
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    columns = ", ".join(quote(_FIELDS[name].column) for name in names)
    values = ", ".join(["%s"] * len(names))
    unique = ", ".join(quote(_FIELDS[name].column) for name in ("channel", "provider_id"))
    return (
        f"INSERT INTO {quote(InboundDelivery._meta.db_table)} ({columns}) VALUES ({values}) "
        f"ON CONFLICT ({unique}) DO NOTHING RETURNING {quote(_FIELDS['id'].column)}"
    )


@functools.cache
def _existing_sql() -> str:
    """A retry's answer: the id of the delivery stored first (channel, provider_id)."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    return (
        f"SELECT {quote(_FIELDS['id'].column)} FROM {quote(InboundDelivery._meta.db_table)} "
        f"WHERE {quote(_FIELDS['channel'].column)} = %s "
        f"AND {quote(_FIELDS['provider_id'].column)} = %s"
    )


def lane_of(channel: str, sender: str) -> int:
    """The sender's lane: the same in every process (not Python's salted ``hash``)."""
    return zlib.crc32(f"{channel}:{sender}".encode("utf-8", "replace")) % LANES


def drain_slot_key(slot: int) -> str:
    return f"channels:inbound-drainer:{slot}"


def inbound_kick(*, delivery_id: int, lane: int) -> None:
    """A delivery was stored: make sure the drainer of its lane runs (one cache round trip).

    A drainer already holding the lease finds the delivery without a publish. If the cache or
    the broker is unreachable the delivery is stored all the same, and ``inbound_sweep``
    queues it once it has waited ``INBOUND_SWEEP_AFTER_SECONDS``.
    """
    try:
        lease_kick(**_drainer_lease(lane))
    except Exception as exc:
        _kick_failed(delivery_id, exc)


async def inbound_kick_async(*, delivery_id: int, lane: int) -> None:
    """``inbound_kick`` on the event loop; a failure is logged and left to the sweep alike."""
    try:
        await lease_kick_async(**_drainer_lease(lane))
    except Exception as exc:
        _kick_failed(delivery_id, exc)


def _drainer_lease(lane: int) -> dict:
    """The lease of the lane's drainer slot, and how to start a drainer for it."""
    from .tasks import inbound_drain  # tasks imports this module

    slot = lane % settings.INBOUND_DRAINERS
    return {
        "key": drain_slot_key(slot),
        "lease_seconds": settings.INBOUND_DRAIN_LEASE_SECONDS,
        "publish": lambda: inbound_drain.apply_async((slot,), retry=False),
    }


def _kick_failed(delivery_id: int, exc: Exception) -> None:
    logger.warning("could not start a drainer for delivery %s (%r); the sweep will",
                   delivery_id, exc)  # fmt: skip


def inbound_schedule(delivery_id: int, *, countdown: float | None = None) -> None:
    """Hand a delivery to a worker; if the broker is unreachable, the sweep does it later."""
    from .tasks import inbound_process

    try:
        inbound_process.apply_async((delivery_id,), countdown=countdown, retry=False)
    except Exception as exc:
        # Stored is what matters: ``inbound_sweep`` queues deliveries whose task never ran.
        logger.warning("could not queue inbound delivery %s (%r); the sweep will", delivery_id, exc)


def inbound_retry_delay(attempts: int) -> dt.timedelta:
    """Backoff after the ``attempts``-th failure: base, 3x base, 9x base..."""
    return dt.timedelta(seconds=settings.INBOUND_RETRY_BASE_SECONDS * 3 ** (attempts - 1))


def inbound_sender_drain(*, delivery_id: int) -> int:
    """Process the waiting deliveries of ``delivery_id``'s sender, oldest first.

    Returns how many were settled (processed, rejected or failed for good). Stops at a
    delivery waiting for its retry: the sender's later deliveries wait behind it.
    """
    head = InboundDelivery.objects.filter(pk=delivery_id).values("channel", "sender").first()
    if head is None:
        return 0
    settled, more = _sender_drain(channel=head["channel"], sender=head["sender"])
    if more:
        # A long backlog for one sender: hand the rest to a fresh task.
        inbound_schedule(delivery_id)
    return settled


def inbound_slot_drain(*, slot: int) -> int:
    """One batch of drainer ``slot``: the senders of its lanes with a delivery due, in turn.

    Returns how many deliveries were settled; 0 when its lanes hold nothing due. Senders
    whose oldest delivery waits for its retry are left to that retry's own task.
    """
    now = timezone.now()
    mine = InboundDelivery.objects.alias(slot=Mod("lane", settings.INBOUND_DRAINERS)).filter(
        slot=slot
    )
    blocked = set(
        mine.filter(status=Status.RETRYING, next_attempt_at__gt=now).values_list(
            "channel", "sender"
        )
    )
    heads = (
        mine.filter(status__in=WAITING)
        .values("channel", "sender")
        .annotate(first=Min("pk"))
        .order_by("first")
        .values_list("channel", "sender")[: settings.INBOUND_DRAIN_SENDERS + len(blocked)]
    )
    settled = 0
    for channel, sender in heads:
        if (channel, sender) not in blocked:
            settled += _sender_drain(channel=channel, sender=sender)[0]
    return settled


def _sender_drain(*, channel: str, sender: str) -> tuple[int, bool]:
    """Settle up to ``INBOUND_DRAIN_LIMIT`` of one sender's deliveries: (how many, more left)."""
    settled = 0
    for _ in range(settings.INBOUND_DRAIN_LIMIT):
        if _process_head(channel=channel, sender=sender) is None:
            return settled, False
        settled += 1
    return settled, True


def _process_head(*, channel: str, sender: str) -> str | None:
    """Process the oldest waiting delivery of one sender; its new status, or None to stop."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            InboundDelivery.objects.select_for_update()
            .filter(channel=channel, sender=sender, status__in=WAITING)
            .order_by("pk")
            .first()
        )
        if delivery is None:
            return None
        if delivery.status == Status.RETRYING and delivery.next_attempt_at > now:
            return None
        try:
            with transaction.atomic():
                channel_type_get(channel).inbound_process(delivery)
        except InboundRejected as exc:
            delivery.interaction = None  # rolled back with the rest of what the hook did
            delivery.status = Status.REJECTED
            delivery.error = str(exc)
        except Exception as exc:
            logger.exception("processing inbound delivery %s failed", delivery.pk)
            delivery.interaction = None
            delivery.attempts += 1
            delivery.error = f"{type(exc).__name__}: {exc}"
            if delivery.attempts >= settings.INBOUND_MAX_ATTEMPTS:
                delivery.status = Status.FAILED
            else:
                delay = inbound_retry_delay(delivery.attempts)
                delivery.status = Status.RETRYING
                delivery.next_attempt_at = now + delay
                pk = delivery.pk
                transaction.on_commit(lambda: inbound_schedule(pk, countdown=delay.total_seconds()))
        else:
            delivery.status = Status.PROCESSED
            delivery.error = ""
        delivery.processed_at = now
        delivery.save(
            update_fields=[
                "status",
                "attempts",
                "next_attempt_at",
                "error",
                "interaction",
                "processed_at",
            ]
        )
    return None if delivery.status == Status.RETRYING else delivery.status


def inbound_rerun(*, delivery_ids: list[int]) -> int:
    """An operator re-runs failed deliveries (the cause is fixed): a fresh run of attempts."""
    updated = InboundDelivery.objects.filter(pk__in=delivery_ids, status=Status.FAILED).update(
        status=Status.RECEIVED, attempts=0, next_attempt_at=None
    )
    for delivery_id in delivery_ids:
        transaction.on_commit(lambda pk=delivery_id: inbound_schedule(pk))
    return updated


def inbound_sweep() -> int:
    """Queue a worker for each sender with a delivery whose task never ran or was lost.

    Received longer ago than ``INBOUND_SWEEP_AFTER_SECONDS``, or a retry overdue by as much;
    at most ``INBOUND_SWEEP_LIMIT`` senders a run. Returns how many were queued.
    """
    cutoff = timezone.now() - dt.timedelta(seconds=settings.INBOUND_SWEEP_AFTER_SECONDS)
    heads = (
        InboundDelivery.objects.filter(
            Q(status=Status.RECEIVED, received_at__lt=cutoff)
            | Q(status=Status.RETRYING, next_attempt_at__lt=cutoff)
        )
        .values("channel", "sender")
        .annotate(first=Min("pk"))
        .order_by("first")
        .values_list("first", flat=True)[: settings.INBOUND_SWEEP_LIMIT]
    )
    queued = list(heads)
    for delivery_id in queued:
        inbound_schedule(delivery_id)
    if queued:
        logger.warning("re-queued %s senders' inbound deliveries", len(queued))
    return len(queued)
