from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "sms"
    verbose_name = _("SMS (Twilio)")

    def ready(self) -> None:
        from channels_app.registry import channel_type_register

        from . import checks  # noqa: F401  (registers the settings check)
        from .channel import SmsChannel

        channel_type_register(SmsChannel())

        from .personal_data import register_twilio_holder

        register_twilio_holder()
