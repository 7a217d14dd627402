"""From domain events to the consoles that may see them.

Each signed-in console joins one group per user (``console.user.<id>``). When something
happens, the audience is computed with the same jurisdiction selectors the pages use, and
only those users' groups get the event: nobody's browser is sent what they could not open.
Events carry ids and a short label only; the page fetches the fragment it needs over HTTP,
where the usual permission checks apply again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from crm.models import Contact, Conversation

from .selectors import staff_candidates, users_who_see_contact

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"console.user.{user_id}"


def push(user_ids: Iterable[int], event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    # One event loop for the whole audience: ``async_to_sync`` per user started a loop (and,
    # in channels-redis, a Redis connection) for every console, tens of them per event.
    async_to_sync(_send_each)(layer, sorted(set(user_ids)), event)


async def _send_each(layer, user_ids: list[int], event: dict) -> None:
    message = {"type": "console.event", "event": event}
    for user_id in user_ids:
        try:
            await layer.group_send(user_group(user_id), message)
        except Exception:  # a dead Redis must not break the request that caused the event
            logger.exception("console push to user %s failed", user_id)


def conversation_event(conversation_id: int, kind: str) -> None:
    conversation = (
        Conversation.objects.select_related("contact__address_unit", "assignee")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        return
    audience = users_who_see_contact(conversation.contact)
    push(
        [u.pk for u in audience],
        {
            "kind": kind,
            "conversation": conversation.pk,
            "contact": conversation.contact_id,
            "status": conversation.status,
            "assignee": conversation.assignee_id,
            "unread": conversation.unread_count,
            "label": conversation.contact.display_name,
        },
    )


def contact_event(contact_id: int, kind: str) -> None:
    contact = Contact.objects.select_related("address_unit").filter(pk=contact_id).first()
    if contact is None:
        return
    push(
        [u.pk for u in users_who_see_contact(contact)],
        {"kind": kind, "contact": contact.pk, "label": contact.display_name},
    )


def case_event(case_id: int, kind: str) -> None:
    from cases.models import Case
    from cases.selectors import cases_visible_to

    case = Case.objects.filter(pk=case_id).select_related("unit").first()
    if case is None:
        return
    audience = [
        u.pk
        for u in staff_candidates(case.unit)
        if cases_visible_to(user=u).filter(pk=case.pk).exists()
    ]
    push(
        audience,
        {
            "kind": kind,
            "case": case.pk,
            "contact": case.beneficiary_id,
            "status": case.status,
            "label": case.number,
        },
    )


def assigned_event(*, conversation_id: int, assignee_id: int) -> None:
    """Only to the agent a conversation was just given to (their sound and desktop notice)."""
    conversation = (
        Conversation.objects.select_related("contact")
        .filter(pk=conversation_id, assignee_id=assignee_id)
        .first()
    )
    if conversation is None:  # handed on again meanwhile: nothing to announce
        return
    push(
        [assignee_id],
        {
            "kind": "assigned",
            "conversation": conversation.pk,
            "contact": conversation.contact_id,
            "assignee": assignee_id,
            "label": conversation.contact.display_name,
        },
    )
