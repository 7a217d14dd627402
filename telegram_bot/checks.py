"""Start-up checks of the Telegram bot's settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register

from channels_app.delivery import SEND_WINDOW, sending_stale_after


@register()
def telegram_settings(app_configs=None, **kwargs) -> list:
    problems: list = []
    if settings.TELEGRAM_BOT_TOKEN and not settings.TELEGRAM_WEBHOOK_SECRET:
        problems.append(
            Warning(
                "TELEGRAM_BOT_TOKEN is set but TELEGRAM_WEBHOOK_SECRET is not: the webhook "
                "refuses every update.",
                hint="Set TELEGRAM_WEBHOOK_SECRET to a random string, then run "
                "manage.py telegram_webhook set.",
                id="telegram_bot.W001",
            )
        )
    # A send may wait for its rate-limit slot and then for the Bot API: together they must end
    # before the outbox would take the message as lost and send it again.
    limit = (sending_stale_after() - SEND_WINDOW).total_seconds()
    if limit <= settings.TELEGRAM_MAX_WAIT_SECONDS + settings.TELEGRAM_HTTP_TIMEOUT:
        problems.append(
            Error(
                "TELEGRAM_MAX_WAIT_SECONDS + TELEGRAM_HTTP_TIMEOUT must stay under "
                f"{int(limit)} s.",
                hint="Keep the defaults (10 and 30).",
                id="telegram_bot.E001",
            )
        )
    return problems
