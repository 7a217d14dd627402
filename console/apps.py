from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    name = "console"
    verbose_name = _("Desk console")

    def ready(self) -> None:
        from cases.deadlines import register_deadline_source

        from . import receivers  # noqa: F401  (connects the domain-event listeners)
        from .deadlines import callbacks_overdue

        register_deadline_source(callbacks_overdue)
