from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases and placement")

    def ready(self) -> None:
        from crm.jurisdiction import register_contact_visibility, register_timeline_scope

        from .jurisdiction import facility_staff_contacts, facility_staff_timeline

        register_contact_visibility(facility_staff_contacts)
        register_timeline_scope(facility_staff_timeline)

        from .personal_data import register_case_holders

        register_case_holders()
