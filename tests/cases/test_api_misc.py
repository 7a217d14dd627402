"""Lists and filters, editing a request, the catalogue, care homes and the OpenAPI schema."""

from __future__ import annotations

import pytest
import yaml
from django.utils import timezone

from cases.models import Case, Status
from tests.factories import ContactFactory

from .factories import facility_staff


def test_case_list_filters(api, staff, tree, new_case, submitted_case, placement):
    draft = new_case(origin_channel="sms")
    submitted = submitted_case(ContactFactory(address_unit=tree.k12))
    allowance = new_case(service=placement.__class__.objects.get(code="caregiver-allowance-13-2-3"))
    client = api.as_user(staff.district)

    def ids(query: str) -> set[int]:
        body = client.get(f"/api/v1/cases/?{query}").json()
        assert set(body) >= {"count", "next", "previous", "results"}
        return {row["id"] for row in body["results"]}

    assert ids("") == {draft.pk, submitted.pk, allowance.pk}
    assert ids("status=submitted") == {submitted.pk}
    assert ids("status=draft&status=submitted") == {draft.pk, submitted.pk, allowance.pk}
    assert ids("service=care-home-placement") == {draft.pk, submitted.pk}
    assert ids(f"unit={tree.k12.pk}") == {submitted.pk}
    assert ids("unit=MN/UB/SKH/07/") == {draft.pk, allowance.pk}
    assert ids("channel=sms") == {draft.pk}
    today = timezone.localdate().isoformat()
    assert ids(f"created_from={today}&created_to={today}") == {draft.pk, submitted.pk, allowance.pk}
    assert ids("created_to=2000-01-01") == set()
    assert ids(f"number={draft.number}") == {draft.pk}
    assert ids("overdue=true") == set()
    assert client.get("/api/v1/cases/?status=lost").status_code == 400


def test_editing_a_draft_and_the_urgency(api, staff, new_case, submitted_case):
    case = new_case()
    url = f"/api/v1/cases/{case.pk}/"
    response = api.as_user(staff.local7).patch(
        url,
        {"has_disability": True, "disability_type": "Сонсголын", "disability_percent": 120},
        format="json",
    )
    assert response.status_code == 400  # over 100 %
    response = api.as_user(staff.local7).patch(
        url,
        {"has_disability": True, "disability_type": "Сонсголын", "disability_percent": 60},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["disability_percent"] == 60
    # The district worker sets urgency; the local worker may not.
    assert api.as_user(staff.local7).patch(url, {"urgency": 2}, format="json").status_code == 403
    assert api.as_user(staff.supervisor).patch(url, {"reason_for_care": "x"}).status_code == 403
    waiting = submitted_case()
    response = api.as_user(staff.local7).patch(
        f"/api/v1/cases/{waiting.pk}/", {"reason_for_care": "late change"}, format="json"
    )
    assert response.status_code == 409
    response = api.as_user(staff.district).patch(
        f"/api/v1/cases/{waiting.pk}/", {"urgency": 3}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["urgency"] == 3
    assert response.json()["priority_score"] >= 75


def test_worklists_endpoint(api, staff, new_case):
    new_case()
    rows = api.as_user(staff.local7).get("/api/v1/cases/worklists/").json()
    assert [r["status"] for r in rows] == [
        "draft",
        "waitlisted",
        "returned",
        "submitted",
        "in_service",
    ]
    assert rows[0]["count"] == 1


def test_service_catalogue(api, staff):
    rows = api.as_user(staff.agent).get("/api/v1/services/").json()["results"]
    by_code = {r["code"]: r for r in rows}
    allowances = [by_code[f"caregiver-allowance-13-2-{n}"] for n in (1, 2, 3, 4)]
    for n, row in enumerate(allowances, start=1):
        assert f"13.2.{n}" in row["legal_basis"]
        assert row["amount"] == "70000.00" and row["currency"] == "MNT"
        assert row["payment_frequency"] == "monthly"
        assert all(row[f"name_{lang}"] for lang in ("mn", "kk", "ru", "en"))
        assert "council_decision" in [d["code"] for d in row["documents"]]
    docs = {d["code"]: d for d in by_code["caregiver-allowance-13-2-2"]["documents"]}
    assert docs["police_certificate"]["requirement"] == "conditional"
    assert docs["application"]["name_mn"] == "Өргөдөл /маягтын дагуу/"
    placement = by_code["care-home-placement"]
    health = next(d for d in placement["documents"] if d["code"] == "health_certificate")
    assert health["valid_months"] == 3 and health["is_health_document"]


def test_facility_list_shows_beds(api, staff, carehome, case_in_allocated):
    rows = api.as_user(staff.agent).get("/api/v1/facilities/").json()["results"]
    row = next(r for r in rows if r["id"] == carehome.pk)
    assert row["accredited"] is True
    assert (row["capacity"], row["occupied"], row["reserved"], row["free_beds"]) == (5, 0, 1, 4)


@pytest.fixture
def case_in_allocated(submitted_case, staff, carehome):
    from cases.transitions import case_apply_action

    return case_apply_action(
        case=submitted_case(),
        action="allocate",
        actor=staff.district,
        payload={"facility": carehome.pk},
    )


def test_facility_staff_list_only_their_home(api, case_in_allocated, carehome_staff, tree):
    from .factories import FacilityFactory

    other = facility_staff(FacilityFactory(unit=tree.sbd), "other.home")
    assert api.as_user(carehome_staff).get("/api/v1/cases/").json()["count"] == 1
    assert api.as_user(other).get("/api/v1/cases/").json()["count"] == 0
    assert case_in_allocated.status == Status.ALLOCATED


def test_openapi_schema_documents_every_case_endpoint(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    paths = schema["paths"]
    expected = {
        ("/api/v1/cases/", "get"): {"200"},
        ("/api/v1/cases/", "post"): {"201", "400", "403", "404"},
        ("/api/v1/cases/{id}/", "get"): {"200", "404"},
        ("/api/v1/cases/{id}/", "patch"): {"200", "400", "403", "404", "409"},
        ("/api/v1/cases/{id}/actions/{action_name}/", "post"): {"200", "400", "403", "404", "409"},
        ("/api/v1/cases/{id}/documents/", "post"): {"201", "400", "403", "404", "409"},
        ("/api/v1/cases/{id}/documents/{document_id}/", "get"): {"200", "404"},
        ("/api/v1/cases/worklists/", "get"): {"200"},
        ("/api/v1/facilities/", "get"): {"200"},
        ("/api/v1/facilities/{id}/", "get"): {"200", "404"},
        ("/api/v1/services/", "get"): {"200"},
        ("/api/v1/services/{code}/", "get"): {"200", "404"},
    }
    for (path, method), codes in expected.items():
        operation = paths[path][method]
        assert codes <= set(operation["responses"]), (path, method)
        for code in codes & {"400", "403", "404", "409"}:
            ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/Error")
    action = paths["/api/v1/cases/{id}/actions/{action_name}/"]["post"]
    assert "CaseActionRequest" in str(action["requestBody"])
    enum = next(p for p in action["parameters"] if p["name"] == "action_name")["schema"]["enum"]
    assert {"submit", "return", "allocate", "accept", "decline", "admit", "discharge"} <= set(enum)
    upload = paths["/api/v1/cases/{id}/documents/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload
    assert "CaseStatusEnum" in schema["components"]["schemas"]


def test_facility_filters_and_case_ordering(api, staff, tree, carehome, submitted_case):
    from .factories import FacilityFactory

    expired = FacilityFactory(
        unit=tree.sbd,
        accreditation_valid_until=timezone.localdate() - timezone.timedelta(days=1),
    )
    client = api.as_user(staff.district)

    def ids(query: str) -> list[int]:
        return [r["id"] for r in client.get(f"/api/v1/facilities/?{query}").json()["results"]]

    assert ids("accredited=true") == [carehome.pk]
    assert ids("accredited=false") == [expired.pk]
    assert ids("unit=MN/UB/SBD/") == [expired.pk]
    assert ids(f"unit={tree.skh.pk}") == [carehome.pk]

    born = timezone.localdate().replace(year=timezone.localdate().year - 80, day=1)
    low = submitted_case(ContactFactory(address_unit=tree.k7, birth_date=born, lives_alone=False))
    high = submitted_case(ContactFactory(address_unit=tree.k7, birth_date=born, lives_alone=True))
    assert Case.objects.get(pk=high.pk).priority_score > Case.objects.get(pk=low.pk).priority_score
    rows = client.get("/api/v1/cases/?ordering=-priority_score").json()["results"]
    scores = [r["priority_score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
