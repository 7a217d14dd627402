from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from crm.personal_data import register_holder

        from . import receivers
        from .personal_data import audit_holder

        receivers.connect()
        register_holder(audit_holder)
