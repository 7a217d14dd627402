"""What care-home staff may see of the CRM: the people placed in (or living in) their home."""

from __future__ import annotations

from django.db.models import Q

from crm.models import Interaction, Role, User

from .models import Case, FacilityStaff


def facility_staff_contacts(user: User) -> Q:
    """Beneficiaries and applicants of cases allocated to, waiting for or living in the home."""
    if user.role != Role.FACILITY_STAFF:
        return Q(pk__in=[])
    facility_ids = FacilityStaff.objects.filter(user_id=user.pk).values("facility_id")
    cases = Case.objects.filter(facility_id__in=facility_ids)
    return Q(pk__in=cases.values("beneficiary_id")) | Q(
        pk__in=cases.filter(applicant__isnull=False).values("applicant_id")
    )


def facility_staff_timeline(user: User) -> Q | None:
    """Care-home staff read a resident's timeline only as far as it is their home's placement."""
    if user.role != Role.FACILITY_STAFF:
        return None
    facility_ids = FacilityStaff.objects.filter(user_id=user.pk).values("facility_id")
    case_ids = list(Case.objects.filter(facility_id__in=facility_ids).values_list("pk", flat=True))
    if not case_ids:
        return Q(pk__in=[])
    return Q(kind=Interaction.Kind.CASE_EVENT, payload__case_id__in=case_ids)
