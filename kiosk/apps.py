from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KioskConfig(AppConfig):
    name = "kiosk"
    verbose_name = _("Self-service kiosks")

    def ready(self) -> None:
        from .personal_data import register_kiosk_holders

        register_kiosk_holders()
