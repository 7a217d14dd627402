"""The outbox: every message the system sent or tried to send, with its delivery status.

On the embedded default no provider is configured and messages stop here ("local outbox"),
so this page is where an operator sees what a citizen would have received.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from crm.jurisdiction import contacts_visible_to

from .common import desk_required


@desk_required
def outbox(request: HttpRequest) -> HttpResponse:
    from channels_app.models import OutboundMessage

    status = request.GET.get("status", "")
    messages = OutboundMessage.objects.filter(
        contact__in=contacts_visible_to(request.user)
    ).select_related("contact", "author")
    if status in OutboundMessage.Status.values:
        messages = messages.filter(status=status)
    return render(
        request,
        "console/outbox.html",
        {
            "rows": list(messages.order_by("-created_at", "-id")[:200]),
            "status": status,
            "statuses": OutboundMessage.Status.choices,
        },
    )
