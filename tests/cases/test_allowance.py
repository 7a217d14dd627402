"""A caregiver allowance (seed 001) follows its own workflow: approve and pay, no care home."""

from __future__ import annotations

from cases.models import Service, Status

from .conftest import attach_required


def test_allowance_submit_approve_stop(api, staff, new_case):
    service = Service.objects.get(code="caregiver-allowance-13-2-3")
    case = new_case(service=service)
    client = api.as_user(staff.local7)
    response = client.post(f"/api/v1/cases/{case.pk}/actions/submit/", {}, format="json")
    assert response.status_code == 400
    missing = {e["document"] for e in response.json()["errors"]}
    assert missing == {
        "application",
        "governor_certificate",
        "photos",
        "cared_person_id",
        "carer_id",
        "council_decision",
    }
    attach_required(case)
    assert client.post(f"/api/v1/cases/{case.pk}/actions/submit/").json()["status"] == "submitted"

    district = api.as_user(staff.district)
    detail = district.get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["available_actions"] == ["return", "approve", "cancel"]
    assert detail["queue_position"] is None  # nobody waits for a bed for an allowance
    # allocate is not an action of this workflow
    assert district.post(f"/api/v1/cases/{case.pk}/actions/allocate/").status_code == 404
    approved = district.post(f"/api/v1/cases/{case.pk}/actions/approve/").json()
    assert approved["status"] == Status.IN_SERVICE
    stop = district.post(f"/api/v1/cases/{case.pk}/actions/discharge/", {}, format="json")
    assert stop.status_code == 400  # a reason is needed to stop paying
    stop = district.post(
        f"/api/v1/cases/{case.pk}/actions/discharge/", {"reason": "Moved away"}, format="json"
    )
    assert stop.json()["status"] == Status.DISCHARGED
