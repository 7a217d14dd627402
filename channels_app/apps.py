from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsAppConfig(AppConfig):
    name = "channels_app"
    verbose_name = _("Channel hub")

    def ready(self) -> None:
        from cases.events import case_transitioned

        from .notifications import on_case_transitioned

        case_transitioned.connect(
            on_case_transitioned, dispatch_uid="channels_app.notify_case_transitioned"
        )

        from .personal_data import register_channel_holders

        register_channel_holders()
