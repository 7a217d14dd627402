from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelegramBotConfig(AppConfig):
    name = "telegram_bot"
    verbose_name = _("Telegram bot")

    def ready(self) -> None:
        from channels_app.registry import channel_type_register
        from channels_app.texts import DEFAULTS

        from . import checks  # noqa: F401  (registers the settings checks)
        from .channel import TelegramChannel
        from .texts import TEXTS

        # The bot's texts join the hub's catalogue: operators reword them in the same admin.
        DEFAULTS.update(TEXTS)
        channel_type_register(TelegramChannel())
