from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IvrConfig(AppConfig):
    name = "ivr"
    verbose_name = _("Voice IVR (Twilio)")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from channels_app.registry import channel_type_register

        from . import checks  # noqa: F401  (registers the missing-recordings check)
        from .channel import VoiceChannel
        from .models import Prompt
        from .prompts import prompts_changed

        channel_type_register(VoiceChannel())

        from .personal_data import register_call_holders

        register_call_holders()
        for signal in (post_save, post_delete):
            signal.connect(
                lambda **kwargs: prompts_changed(),
                sender=Prompt,
                weak=False,
                dispatch_uid=f"ivr.prompts_changed.{signal is post_save}",
            )
