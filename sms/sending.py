"""What sending through Twilio needs first, for text (SMS) and voice (IVR) alike."""

from __future__ import annotations

from django.conf import settings

from channels_app.models import OutboundMessage
from channels_app.registry import PermanentSendError, SendResult

from .client import twilio_configured

# Without Twilio credentials (the embedded default) the outbox row is the message: nothing
# leaves the machine.
LOCAL_DELIVERY = SendResult(
    status=OutboundMessage.Status.DELIVERED, transport=OutboundMessage.Transport.LOCAL
)


def twilio_sender() -> str | None:
    """The number Twilio sends and calls from; None without credentials (``LOCAL_DELIVERY``).

    Credentials without a number can send nothing: every message fails for good, visibly.
    """
    if not twilio_configured():
        return None
    if not settings.TWILIO_FROM_NUMBER:
        raise PermanentSendError("config", "TWILIO_FROM_NUMBER is not set.")
    return settings.TWILIO_FROM_NUMBER
