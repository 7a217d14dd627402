"""The console's part in deadlines: promised call backs as a deadline source, and telling
people about missed deadlines live (a toast on every console page they have open)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef

from cases.breaches import Breach
from cases.deadlines import BATCH, breach_record_callback, breach_resolve_callback
from channels_app.models import CallbackRequest

from . import live


def callbacks_overdue(now: dt.datetime) -> int:
    """Record each open call back past its due time (once per due time: a rescheduled call
    back that is missed again is a new breach)."""
    already = Breach.objects.filter(
        kind=Breach.Kind.CALLBACK, callback_id=OuterRef("pk"), due_at=OuterRef("due_at")
    )
    late = (
        CallbackRequest.objects.filter(status=CallbackRequest.Status.OPEN, due_at__lt=now)
        .exclude(Exists(already))
        .select_related("contact__address_unit", "assignee")
        .order_by("due_at", "id")[:BATCH]
    )
    recorded = 0
    for callback in late:
        recorded += breach_record_callback(
            callback_id=callback.pk,
            due_at=callback.due_at,
            created_at=callback.created_at,
            unit=callback.contact.address_unit,
            holder=callback.assignee,
            now=now,
        )
    done = Breach.objects.filter(kind=Breach.Kind.CALLBACK, resolved_at__isnull=True).exclude(
        callback_id__in=CallbackRequest.objects.filter(status="open").values("id")
    )
    for callback_id in done.values_list("callback_id", flat=True)[:BATCH]:
        breach_resolve_callback(callback_id=callback_id, at=now)
    return recorded


def breach_event(*, breach_id: int, recipient_ids: list[int], level: int) -> None:
    """Push a missed deadline to the people it concerns (already chosen by the core)."""
    breach = (
        Breach.objects.select_related("case", "conversation__contact").filter(pk=breach_id).first()
    )
    if breach is None:
        return
    if breach.case_id:
        label, target = breach.case.number, {"case": breach.case_id}
    elif breach.conversation_id:
        label = breach.conversation.contact.display_name
        target = {"conversation": breach.conversation_id}
    else:
        label, target = "", {"callback": breach.callback_id}
    live.push(
        recipient_ids,
        {
            "kind": "deadline",
            "breach": breach.pk,
            "breach_kind": breach.kind,
            "level": level,
            "due_at": breach.due_at.isoformat(),
            "label": label,
            **target,
        },
    )
