"""An operator can open every case-core admin page; histories stay read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import (
    Case,
    CaseCounter,
    CaseDocument,
    CaseEvent,
    Facility,
    FacilityStaff,
    Service,
    Ward,
)

MODELS = [Case, CaseEvent, CaseDocument, Facility, Ward, FacilityStaff, Service, CaseCounter]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_pages_open(client, staff, submitted_case, carehome_staff, model):
    case = submitted_case()
    client.force_login(staff.admin)
    meta = model._meta
    response = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert response.status_code == 200
    obj = {Case: case, CaseEvent: case.events.first()}.get(model) or model.objects.first()
    response = client.get(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    )
    assert response.status_code == 200


def test_case_events_cannot_be_edited_or_deleted(client, staff, submitted_case):
    event = submitted_case().events.first()
    client.force_login(staff.admin)
    url = reverse("admin:cases_caseevent_delete", args=[event.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert CaseEvent.objects.filter(pk=event.pk).exists()
    with pytest.raises(Exception, match="append-only"):
        event.reason = "rewritten"
        event.save()


def test_operator_cannot_shrink_a_ward_below_its_residents(client, staff, carehome):
    ward = carehome.wards.get()
    ward.occupied, ward.reserved = 2, 1
    ward.save()
    client.force_login(staff.admin)
    url = reverse("admin:cases_ward_change", args=[ward.pk])
    response = client.post(url, {"facility": carehome.pk, "sex": "", "capacity": 2})
    assert response.status_code == 200  # the form again, with the error
    assert "At least 3" in response.content.decode()
    ward.refresh_from_db()
    assert ward.capacity == 5
