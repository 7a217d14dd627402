"""Demo data of the channel hub: one callback waiting for an agent.

Message texts need no rows: the defaults live in channels_app/texts.py.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from crm.models import Identity

from .models import CallbackRequest


def seed(context) -> None:
    dolgor = context.contacts.get("dolgor")
    if dolgor is None:
        return
    phone = dolgor.identities.filter(scheme=Identity.Scheme.PHONE).first()
    if phone is not None and not CallbackRequest.objects.filter(contact=dolgor).exists():
        CallbackRequest.objects.create(
            contact=dolgor,
            channel="sms",
            phone=phone.value,
            due_at=timezone.now() + dt.timedelta(hours=1),
            note="Demo: asked by SMS (ЗАЛГА) to be called back.",
        )
    dorj = context.contacts.get("dorj")
    if dorj is not None:
        number = dorj.identities.filter(scheme=Identity.Scheme.PHONE).first()
        if number is not None:
            context.notes.append(
                "SMS without a phone: start the server with TWILIO_AUTH_TOKEN=dev-token, then "
                f"TWILIO_AUTH_TOKEN=dev-token python manage.py sms_simulate --from {number.value} "
                '"ТӨЛӨВ" (outbound SMS land in /admin/channels_app/outboundmessage/).'
            )
