from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsAppConfig(AppConfig):
    name = "channels_app"
    verbose_name = _("Channel hub")

    def ready(self) -> None:
        from cases.events import case_transitioned
        from crm.events import contacts_merging

        from .merging import settle_open_callbacks
        from .notifications import on_case_transitioned

        case_transitioned.connect(
            on_case_transitioned, dispatch_uid="channels_app.notify_case_transitioned"
        )
        contacts_merging.connect(
            settle_open_callbacks, dispatch_uid="channels_app.settle_open_callbacks"
        )

        from .personal_data import register_channel_holders

        register_channel_holders()
