"""Telling citizens that their case moved.

The listener on ``cases.events.case_transitioned`` only queues ``case_notify`` (a task with
retries; deferred in the database if the broker is down), so a failure while notifying is
retried instead of logged and forgotten. Each recipient gets one outbox row per (event,
contact, channel) and the event is marked ``CaseEventNotified`` in the same transaction, so a
re-sent event or a retried task never notifies twice; ``case_notifications_sweep`` (beat)
notifies recent case events that have no mark, whatever happened to their task.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.labels import status_label
from cases.models import CaseEvent
from cases.workflows import workflow_for
from crm.models import Contact
from crm.services import contact_live

from .dispatch import task_dispatch
from .models import CaseEventNotified, OutboundMessage
from .outbound import message_send
from .registry import ChannelType, channel_types
from .status import suppression_reason
from .texts import DEFAULTS

logger = logging.getLogger(__name__)

# Case events that are not status changes for the citizen: opening a case (``case_created``)
# tells nobody outside the office.
SILENT_ACTIONS = ("create",)


def notification_route(contact: Contact) -> tuple[ChannelType, str] | None:
    """Where to tell ``contact``: their preferred channel, else any channel with an address.

    An address they opted out of is used only when there is no other: the outbox then
    records the notification as suppressed, so the timeline shows why nothing went out.
    """
    candidates: list[tuple[ChannelType, str]] = []
    preferred = contact.preferred_channel
    ordered = sorted(channel_types(), key=lambda t: t.slug != preferred)
    for channel_type in ordered:
        address = channel_type.address_for(contact)
        if address:
            candidates.append((channel_type, address))
    for channel_type, address in candidates:
        if not suppression_reason(
            contact=contact,
            scheme=channel_type.identity_scheme,
            address=address,
            purpose=OutboundMessage.Purpose.NOTIFICATION,
        ):
            return channel_type, address
    return candidates[0] if candidates else None


def case_event_notify(*, event_id: int) -> list[OutboundMessage]:
    """Tell a case event's beneficiary and applicant; safe to run any number of times."""
    event = (
        CaseEvent.objects.select_related("case__beneficiary", "case__applicant")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return []
    case = event.case
    recipients: list[Contact] = []
    for contact in (case.beneficiary, case.applicant):
        if contact is None:
            continue
        contact = contact_live(contact)
        if all(r.pk != contact.pk for r in recipients):
            recipients.append(contact)
    # The workflow's own text for this step first (an allowance is not a care-home stay).
    workflow = workflow_for(case.workflow)
    code = workflow.notification_template(case, event.to_status)
    code = code if code in DEFAULTS else f"case_status_{event.to_status}"
    if code not in DEFAULTS:
        code = "case_status_changed"
    sent = []
    with transaction.atomic():
        for contact in recipients:
            route = notification_route(contact)
            if route is None:
                logger.info("case %s: contact %s has no channel to notify", case.number, contact.pk)
                continue
            channel_type, address = route
            language = contact.language
            sent.append(
                message_send(
                    contact=contact,
                    channel=channel_type.slug,
                    address=address,
                    template_code=code,
                    context={
                        "number": case.number,
                        "status": status_label(event.to_status, language, case.workflow),
                        **workflow.notification_context(case, language),
                    },
                    language=language,
                    purpose=OutboundMessage.Purpose.NOTIFICATION,
                    dedupe_key=f"case-event:{event.pk}:contact:{contact.pk}:{channel_type.slug}",
                    case=case,
                )
            )
        CaseEventNotified.objects.get_or_create(event_id=event.pk, defaults={"messages": len(sent)})
    return sent


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=10,
    retry_backoff_max=600,
    max_retries=8,
)
def case_notify(event_id: int) -> int:
    """Notify one case event's citizens (retried with backoff; the sweep is the last resort)."""
    return len(case_event_notify(event_id=event_id))


def case_notifications_sweep() -> int:
    """Notify recent case events that have no notification mark; returns how many it did.

    Looks at events older than ``CASE_NOTIFY_SWEEP_AFTER_SECONDS`` (their task had its chance)
    and younger than ``CASE_NOTIFY_SWEEP_WINDOW_HOURS``, at most ``CASE_NOTIFY_SWEEP_LIMIT``
    a run. One event that fails is logged and skipped: it never stops the others.
    """
    now = timezone.now()
    pending = (
        CaseEvent.objects.filter(
            occurred_at__lt=now - dt.timedelta(seconds=settings.CASE_NOTIFY_SWEEP_AFTER_SECONDS),
            occurred_at__gte=now - dt.timedelta(hours=settings.CASE_NOTIFY_SWEEP_WINDOW_HOURS),
        )
        .exclude(action__in=SILENT_ACTIONS)
        .exclude(pk__in=CaseEventNotified.objects.values("event_id"))
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.CASE_NOTIFY_SWEEP_LIMIT]
    )
    done = 0
    for event_id in list(pending):
        try:
            case_event_notify(event_id=event_id)
        except Exception:
            logger.exception("sweep: notifying case event %s failed; next run retries", event_id)
            continue
        done += 1
    if done:
        logger.warning("sweep notified %s case events that had no notification", done)
    return done


@shared_task(name="channels_app.tasks.case_notifications_check")
def case_notifications_check() -> int:
    """Notify recent case events that produced no notification (a lost or failed task)."""
    return case_notifications_sweep()


def on_case_transitioned(sender: object, *, event_id: int, **kwargs: object) -> None:
    task_dispatch(case_notify, event_id)


def case_messages(*, case) -> QuerySet[OutboundMessage]:
    """Every message sent about ``case``, to whomever (the person, a relative who asked for
    them), newest first: the case page's list."""
    return (
        OutboundMessage.objects.filter(case=case)
        .select_related("contact")
        .order_by("-created_at", "-id")
    )
