from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = _("Citizens and conversations")

    def ready(self) -> None:
        from .personal_data import register_crm_holders

        register_crm_holders()
