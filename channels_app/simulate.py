"""Where the operator's simulators (``sms_simulate`` and the like) find the local server."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import CommandError

from .models import InboundDelivery


def default_server_url() -> str:
    """The server ``./scripts/run.sh [--port N]`` last started, else PUBLIC_BASE_URL."""
    try:
        recorded = settings.LOCAL_SERVER_FILE.read_text().strip()
    except OSError:
        recorded = ""
    return (recorded or settings.PUBLIC_BASE_URL).rstrip("/")


def delivery_processed(
    *, channel: str, provider_id: str, wait: float, what: str
) -> InboundDelivery:
    """The stored delivery once a worker processed it; ``CommandError`` if none did in time.

    ``what`` names the delivery in the operator's words ("message SM...", "update 42").
    """
    waiting = (InboundDelivery.Status.RECEIVED, InboundDelivery.Status.RETRYING)
    deadline = time.monotonic() + wait
    while True:
        delivery = InboundDelivery.objects.filter(channel=channel, provider_id=provider_id).first()
        if delivery is not None and delivery.status not in waiting:
            break
        if time.monotonic() > deadline:
            raise CommandError(
                f"No worker processed {what} within {wait:g} s: is a Celery worker running "
                "against the server's database and broker?"
            )
        time.sleep(0.2)
    if delivery.status != InboundDelivery.Status.PROCESSED:
        raise CommandError(f"The {what} was {delivery.status}: {delivery.error}")
    return delivery
