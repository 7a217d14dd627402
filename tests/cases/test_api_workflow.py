"""The contract's case API, walked as each role would use it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import Case, Facility, Status
from cases.transitions import case_apply_action
from crm.models import Role
from tests.factories import UserFactory

from .conftest import attach_placement_papers, complete_draft
from .factories import PDF_BYTES, PNG_BYTES, FacilityFactory, facility_staff


def act(api, user, case, action, **body):
    return api.as_user(user).post(f"/api/v1/cases/{case.pk}/actions/{action}/", body, format="json")


def upload(api, user, case, *, name="doc.pdf", content=PDF_BYTES, **fields):
    data = {"file": SimpleUploadedFile(name, content), **fields}
    return api.as_user(user).post(f"/api/v1/cases/{case.pk}/documents/", data, format="multipart")


def test_walk_through_every_status_by_the_api(api, staff, citizen, carehome, carehome_staff):
    # The local worker opens the request...
    response = api.as_user(staff.local7).post(
        "/api/v1/cases/",
        {"contact": citizen.pk, "service": "care-home-placement", "origin_channel": "walk_in"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    case_id = body["id"]
    assert body["status"] == "draft"
    assert body["number"].startswith(f"{timezone.localdate().year}-")
    assert body["contact"]["id"] == citizen.pk
    assert body["available_actions"] == ["submit"]
    case = Case.objects.get(pk=case_id)

    # ... fills in the parts in any order, saving as it goes ...
    response = api.as_user(staff.local7).patch(
        f"/api/v1/cases/{case_id}/",
        {"reason_for_care": "Ганц бие, асрах хүнгүй", "has_disability": False},
        format="json",
    )
    assert response.status_code == 200, response.json()
    for line in response.json()["checklist"]:
        if line["applies"]:
            code = line["required_document"]["code"]
            r = upload(
                api,
                staff.local7,
                case,
                kind="required",
                required_document=code,
                issue_date=timezone.localdate().isoformat(),
            )
            assert r.status_code == 201, r.json()

    # ... and sends it.
    response = act(api, staff.local7, case, "submit")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    assert response.json()["queue_position"] == 1

    # The district returns it with a coded reason; the local worker re-submits.
    response = act(
        api, staff.district, case, "return", reason_code="missing_document", reason="Unclear scan"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "returned"
    assert act(api, staff.local7, case, "submit").json()["status"] == "submitted"

    # The district attaches the decree and the letter, then allocates.
    for kind in ("governor_decree", "welfare_letter"):
        assert upload(api, staff.district, case, kind=kind, name="x.png", content=PNG_BYTES)
    response = act(api, staff.district, case, "allocate", facility=carehome.pk)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "allocated"
    assert response.json()["facility"]["id"] == carehome.pk

    # The care home declines; the district allocates again; the home accepts and admits.
    assert act(api, carehome_staff, case, "decline", reason="No bed on floor 1").json()[
        "status"
    ] == ("submitted")
    assert act(api, staff.district, case, "allocate", facility=carehome.pk).status_code == 200
    detail = api.as_user(carehome_staff).get(f"/api/v1/cases/{case_id}/").json()
    assert detail["available_actions"] == ["accept", "decline"]
    assert act(api, carehome_staff, case, "accept").json()["status"] == "waitlisted"
    refused = act(api, carehome_staff, case, "admit")
    assert refused.status_code == 400
    assert {e["code"] for e in refused.json()["errors"]} == {
        "admission_date_missing",
        "bed_missing",
    }
    admitted = act(
        api, carehome_staff, case, "admit", admitted_on=timezone.localdate().isoformat(), bed="7"
    ).json()
    assert admitted["status"] == "in_service"
    assert (admitted["admitted_on"], admitted["room"], admitted["bed"]) == (
        timezone.localdate().isoformat(),
        "",
        "7",
    )
    final = act(api, carehome_staff, case, "discharge").json()
    assert final["status"] == "discharged"
    assert [e["to_status"] for e in final["events"]] == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "allocated",
        "submitted",
        "allocated",
        "waitlisted",
        "in_service",
        "discharged",
    ]
    returned = final["events"][2]
    assert returned["reason_code"] == "missing_document"
    assert returned["reason"] == "Unclear scan"
    assert returned["actor"] == "district"

    # And a second request is cancelled by the district worker.
    other = api.as_user(staff.agent).post(
        "/api/v1/cases/",
        {"contact": citizen.pk, "service": "care-home-placement", "origin_channel": "voice"},
        format="json",
    )
    assert other.status_code == 201
    cancelled = api.as_user(staff.district).post(
        f"/api/v1/cases/{other.json()['id']}/actions/cancel/",
        {"reason": "Duplicate of the first request"},
        format="json",
    )
    assert cancelled.json()["status"] == "cancelled"


# --- wrong role: 403 ------------------------------------------------------------------


def _case_in(status, *, new_case, submitted_case, staff, carehome, carehome_staff):
    if status == Status.DRAFT:
        return new_case()
    case = submitted_case()
    if status == Status.SUBMITTED:
        return case
    case = case_apply_action(
        case=case, action="allocate", actor=staff.district, payload={"facility": carehome.pk}
    )
    if status == Status.ALLOCATED:
        return case
    case = case_apply_action(case=case, action="accept", actor=carehome_staff)
    if status == Status.WAITLISTED:
        return case
    case = case_apply_action(
        case=case,
        action="admit",
        actor=carehome_staff,
        payload={"admitted_on": timezone.localdate(), "bed": f"{case.pk}"},
    )
    if status == Status.IN_SERVICE:
        return case
    raise AssertionError(status)


@pytest.fixture
def case_in(new_case, submitted_case, staff, carehome, carehome_staff):
    def make(status):
        return _case_in(
            status,
            new_case=new_case,
            submitted_case=submitted_case,
            staff=staff,
            carehome=carehome,
            carehome_staff=carehome_staff,
        )

    return make


def _user(name, staff, carehome_staff):
    return carehome_staff if name == "facility" else getattr(staff, name)


@pytest.mark.parametrize(
    ("action", "status", "wrong_roles"),
    [
        ("submit", Status.DRAFT, ["district", "agent", "supervisor", "admin"]),
        ("return", Status.SUBMITTED, ["local7", "agent", "supervisor"]),
        ("allocate", Status.SUBMITTED, ["local7", "agent", "supervisor"]),
        ("cancel", Status.SUBMITTED, ["local7", "agent", "supervisor"]),
        ("accept", Status.ALLOCATED, ["district", "local7", "supervisor"]),
        ("decline", Status.ALLOCATED, ["district", "local7", "agent"]),
        ("admit", Status.WAITLISTED, ["district", "local7", "supervisor"]),
        ("discharge", Status.IN_SERVICE, ["district", "local7", "agent"]),
    ],
)
def test_wrong_role_is_403_and_changes_nothing(
    api, staff, carehome, carehome_staff, case_in, action, status, wrong_roles
):
    case = case_in(status)
    body = {"reason": "x", "reason_code": "other", "facility": carehome.pk}
    for name in wrong_roles:
        response = act(api, _user(name, staff, carehome_staff), case, action, **body)
        assert response.status_code == 403, (name, response.json())
        assert response.json()["code"] == "forbidden"
    case.refresh_from_db()
    assert case.status == status


def test_facility_staff_cannot_cancel_an_allocated_case(api, staff, case_in, carehome_staff):
    case = case_in(Status.ALLOCATED)
    assert act(api, carehome_staff, case, "cancel", reason="x").status_code == 403


# --- wrong status: 409 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status", "role"),
    [
        ("submit", Status.SUBMITTED, "local7"),
        ("submit", Status.ALLOCATED, "local7"),
        ("return", Status.DRAFT, "district"),
        ("return", Status.ALLOCATED, "district"),
        ("allocate", Status.DRAFT, "district"),
        ("allocate", Status.WAITLISTED, "district"),
        ("accept", Status.WAITLISTED, "facility"),
        ("decline", Status.IN_SERVICE, "facility"),
        ("admit", Status.ALLOCATED, "facility"),
        ("discharge", Status.WAITLISTED, "facility"),
        ("cancel", Status.IN_SERVICE, "district"),
    ],
)
def test_wrong_status_is_409(api, staff, carehome, carehome_staff, case_in, action, status, role):
    case = case_in(status)
    body = {"reason": "x", "reason_code": "other", "facility": carehome.pk}
    response = act(api, _user(role, staff, carehome_staff), case, action, **body)
    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "conflict"
    assert status in response.json()["detail"]


def test_closed_cases_accept_nothing(api, staff, case_in):
    case = case_in(Status.DRAFT)
    act(api, staff.district, case, "cancel", reason="Asked twice")
    for action, user in (("submit", staff.local7), ("cancel", staff.district)):
        assert act(api, user, case, action, reason="x").status_code == 409


# --- failed guards: 400 naming what is missing -------------------------------------------


def test_submit_without_a_mandatory_document(api, staff, new_case):
    case = complete_draft(new_case())
    case.documents.filter(required_document__code="governor_certificate").delete()
    response = act(api, staff.local7, case, "submit")
    assert response.status_code == 400
    body = response.json()
    assert "Certificate from the soum/khoroo governor" in body["detail"]
    assert body["errors"] == [
        {
            "code": "missing_document",
            "message": "document 'Certificate from the soum/khoroo governor'",
            "document": "governor_certificate",
        }
    ]


def test_submit_with_a_stale_health_document(api, staff, new_case):
    case = complete_draft(new_case())
    old = timezone.localdate() - dt.timedelta(days=100)
    case.documents.filter(required_document__code="health_certificate").update(issue_date=old)
    response = act(api, staff.local7, case, "submit")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "expired_health_certificate"
    assert "within the last 3 months" in response.json()["detail"]


def test_submit_with_incomplete_health_status(api, staff, new_case):
    case = complete_draft(new_case(), disability=True)
    case.disability_percent = None
    case.save()
    response = act(api, staff.local7, case, "submit")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "health_status_incomplete",
            "message": "the percentage of lost working capacity",
            "field": "disability_percent",
        }
    ]
    case.has_disability = None
    case.save()
    response = act(api, staff.local7, case, "submit")
    assert "whether the person has a disability" in response.json()["detail"]


def test_allocate_guards(api, staff, tree, submitted_case, carehome):
    case = submitted_case(papers=False)

    response = act(api, staff.district, case, "allocate")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "facility"

    response = act(api, staff.district, case, "allocate", facility=carehome.pk)
    assert response.status_code == 400
    assert [e["code"] for e in response.json()["errors"]] == ["missing_decree", "missing_letter"]
    assert "governor's decree" in response.json()["detail"]
    assert "welfare office's letter" in response.json()["detail"]

    attach_placement_papers(case)
    full = FacilityFactory(unit=tree.skh, beds=1)
    full.wards.update(occupied=1)
    response = act(api, staff.district, case, "allocate", facility=full.pk)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "no_free_bed"

    unaccredited = FacilityFactory(unit=tree.skh, accreditation=Facility.Accreditation.NONE)
    response = act(api, staff.district, case, "allocate", facility=unaccredited.pk)
    assert response.json()["errors"][0]["code"] == "facility_not_accredited"

    expired = FacilityFactory(
        unit=tree.skh, accreditation_valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    response = act(api, staff.district, case, "allocate", facility=expired.pk)
    assert response.status_code == 400
    assert "expired on" in response.json()["detail"]

    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    assert carehome.bed_totals()["reserved"] == 0


def test_return_needs_a_coded_reason_and_text(api, staff, submitted_case):
    case = submitted_case()
    response = act(api, staff.district, case, "return")
    assert response.status_code == 400
    codes = {e["code"] for e in response.json()["errors"]}
    assert codes == {"reason_code_required", "reason_required"}
    response = act(api, staff.district, case, "return", reason_code="lost", reason="x")
    assert response.status_code == 400  # not one of the codes
    for code in ("missing_document", "expired_health_certificate", "not_eligible", "duplicate"):
        assert code in str(response.json())
    response = act(api, staff.district, case, "cancel")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "reason_required"


# --- jurisdiction: 404 ----------------------------------------------------------------


def test_foreign_jurisdiction_reads_and_acts_are_404(
    api, staff, tree, new_case, submitted_case, carehome
):
    case = new_case()
    other_home = FacilityFactory(unit=tree.sbd)
    other_staff = facility_staff(other_home, "carehome.sbd")
    for user in (staff.local12, staff.local_s1, staff.district_sbd, other_staff):
        response = api.as_user(user).get(f"/api/v1/cases/{case.pk}/")
        assert response.status_code == 404, user
        assert response.json()["code"] == "not_found"
        assert act(api, user, case, "submit").status_code == 404
        assert api.as_user(user).get("/api/v1/cases/").json()["count"] == 0
    for user in (staff.local7, staff.district, staff.agent, staff.supervisor, staff.admin):
        assert api.as_user(user).get(f"/api/v1/cases/{case.pk}/").status_code == 200


def test_unknown_action_is_404(api, staff, new_case):
    assert act(api, staff.local7, new_case(), "teleport").status_code == 404


def test_supervisor_reads_but_cannot_open_cases(api, staff, citizen):
    response = api.as_user(staff.supervisor).post(
        "/api/v1/cases/", {"contact": citizen.pk, "service": "care-home-placement"}, format="json"
    )
    assert response.status_code == 403


def test_local_worker_cannot_open_a_case_for_a_citizen_elsewhere(api, staff, citizen):
    client = api.as_user(staff.local12)
    response = client.post(
        "/api/v1/cases/", {"contact": citizen.pk, "service": "care-home-placement"}, format="json"
    )
    missing = client.post(
        "/api/v1/cases/", {"contact": 10**9, "service": "care-home-placement"}, format="json"
    )
    # A citizen elsewhere reads exactly like one that does not exist: no existence oracle.
    assert response.status_code == missing.status_code == 400
    assert response.json()["code"] == missing.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == list(missing.json()["errors"]) == ["contact"]


def test_facility_staff_see_their_residents_as_contacts(
    api, staff, case_in, carehome_staff, citizen
):
    assert api.as_user(carehome_staff).get(f"/api/v1/contacts/{citizen.pk}/").status_code == 404
    case = case_in(Status.ALLOCATED)
    response = api.as_user(carehome_staff).get(f"/api/v1/contacts/{case.beneficiary_id}/")
    assert response.status_code == 200


def test_facility_staff_without_a_home_see_nothing(api, case_in):
    loose = UserFactory(username="loose", role=Role.FACILITY_STAFF)
    case_in(Status.ALLOCATED)
    assert api.as_user(loose).get("/api/v1/cases/").json()["count"] == 0
