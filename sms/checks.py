"""Start-up checks of the SMS adapter's settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from channels_app.delivery import SEND_WINDOW, sending_stale_after


@register()
def twilio_timeout_fits_the_outbox(app_configs=None, **kwargs) -> list[Error]:
    """A send that can outlast the outbox's stale limit could be reconciled mid-flight."""
    limit = (sending_stale_after() - SEND_WINDOW).total_seconds()
    if limit <= settings.TWILIO_HTTP_TIMEOUT:
        return [
            Error(
                f"TWILIO_HTTP_TIMEOUT is {settings.TWILIO_HTTP_TIMEOUT} s; it must be under "
                f"{int(limit)} s, or a message still waiting for Twilio's answer could be "
                "checked as lost and sent again.",
                hint="Set TWILIO_HTTP_TIMEOUT to 30 (the default) or less, or raise "
                "OUTBOX_SENDING_STALE_SECONDS.",
                id="sms.E001",
            )
        ]
    return []
