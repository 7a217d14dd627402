"""Telling citizens that their case moved: a listener on ``cases.events.case_transitioned``.

The event is sent after the transition commits; each recipient gets one outbox row per
(event, contact, channel), so a re-sent event or a retried listener never notifies twice.
"""

from __future__ import annotations

import logging

from crm.models import Contact

from .models import OutboundMessage
from .outbound import message_send, suppression_reason
from .registry import ChannelType, channel_types
from .texts import DEFAULTS

logger = logging.getLogger(__name__)


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


def case_status_notify(
    *, case_id: int, event_id: int, to_status: str, **_ignored: object
) -> list[OutboundMessage]:
    from cases.labels import status_label
    from cases.models import Case
    from cases.workflows import workflow_for

    case = Case.objects.select_related("beneficiary", "applicant", "service").get(pk=case_id)
    recipients: list[Contact] = []
    for contact in (case.beneficiary, case.applicant):
        if contact is None:
            continue
        while contact.merged_into_id:
            contact = contact.merged_into
        if all(r.pk != contact.pk for r in recipients):
            recipients.append(contact)
    # The workflow's own text for this step first (an allowance is not a care-home stay).
    code = workflow_for(case.workflow).notification_template(case, to_status)
    code = code if code in DEFAULTS else f"case_status_{to_status}"
    if code not in DEFAULTS:
        code = "case_status_changed"
    sent = []
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
                    "status": status_label(to_status, language, case.workflow),
                    **workflow_for(case.workflow).notification_context(case, language),
                },
                language=language,
                purpose=OutboundMessage.Purpose.NOTIFICATION,
                dedupe_key=f"case-event:{event_id}:contact:{contact.pk}:{channel_type.slug}",
            )
        )
    return sent


def on_case_transitioned(sender: object, **kwargs: object) -> None:
    case_status_notify(**kwargs)  # type: ignore[arg-type]
