"""Start-up checks of the SMS adapter's settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


@register()
def twilio_timeout_fits_the_outbox(app_configs=None, **kwargs) -> list[Error]:
    """A send that can outlast the outbox's stale limit could be reconciled mid-flight."""
    from channels_app.delivery import SEND_WINDOW, SENDING_STALE_AFTER

    limit = (SENDING_STALE_AFTER - SEND_WINDOW).total_seconds()
    if limit <= settings.TWILIO_HTTP_TIMEOUT:
        return [
            Error(
                f"TWILIO_HTTP_TIMEOUT is {settings.TWILIO_HTTP_TIMEOUT} s; it must be under "
                f"{int(limit)} s, or a message still waiting for Twilio's answer could be "
                "checked as lost and sent again.",
                hint="Set TWILIO_HTTP_TIMEOUT to 30 (the default) or less.",
                id="sms.E001",
            )
        ]
    return []
