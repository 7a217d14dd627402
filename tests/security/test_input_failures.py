"""What the probe's fuzzer and bad input broke: each answers 4xx with a reason now."""

from __future__ import annotations

import pytest

from crm.models import Identity, RegistryPerson
from tests.factories import ContactFactory, IdentityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "contact=99999999999999999999999999",
        "facility=99999999999999999999999999",
        "contact=1e400",
        "facility=-5",
        "page=99999999999999999999",
        "page=1e9",
        "unit=¹",
        "unit=99999999999999999999999999",
        "number=%00",
        "service=%00",
        "created_from=0000-00-00",
        "ordering=%00",
    ],
)
def test_case_list_filters_never_answer_500(api, staff, query):
    response = api.as_user(staff.admin).get(f"/api/v1/cases/?{query}")
    assert response.status_code in (200, 400, 404), response.content
    body = response.json()
    if response.status_code != 200:
        assert body["code"] and body["detail"]


@pytest.mark.parametrize("query", ["q=%00", "q=" + "9" * 300, "q=¹²³", "q=%EF%BC%91%EF%BC%92"])
def test_contact_search_never_answers_500(api, staff, query):
    response = api.as_user(staff.admin).get(f"/api/v1/contacts/?{query}")
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()["code"] == "invalid"


@pytest.mark.parametrize("ref", ["²", "99999999999999999999999", "\x00", "x" * 500])
def test_document_upload_with_an_odd_required_document_is_a_400(api, staff, new_case, citizen, ref):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = new_case(citizen)
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = api.as_user(staff.local7).post(
        f"/api/v1/cases/{case.pk}/documents/",
        {"file": pdf, "kind": "required", "required_document": ref},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"


def test_worklists_are_a_list_as_the_schema_says(api, staff, client):
    response = api.as_user(staff.local7).get("/api/v1/cases/worklists/")
    assert response.status_code == 200
    assert isinstance(response.json(), list)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    answer = schema["paths"]["/api/v1/cases/worklists/"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"]["type"] == "array"


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here/", "/api/v1/cases/abc/", "/api/v2/", "/api/v1/contacts/1/x/"]
)
def test_unmatched_api_urls_answer_json_404(api, staff, path):
    response = api.as_user(staff.agent).get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/cases/", 403),
        ("delete", "/api/v1/cases/", 405),
        ("get", "/api/v1/cases/999999/", 404),
    ],
)
def test_every_error_body_has_a_code(api, staff, method, path, status):
    client = api if status == 403 else api.as_user(staff.agent)
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert set(response.json()) >= {"detail", "code"}


# --- Kazakh national IDs in a deployment whose default country is Mongolia ---------------


def test_iin_search_and_lookup_work_whatever_the_default_country(api, staff, kz, settings):
    settings.CRM_COUNTRY = "MN"
    RegistryPerson.objects.create(
        national_id="871008401427",
        first_name="Айгүл",
        last_name="Нұрланова",
        birth_date="1987-10-08",
        sex="F",
        address_unit_path=kz.okrug.path,
    )
    lookup = api.as_user(kz.local).post(
        "/api/v1/contacts/lookup/", {"national_id": "8710 0840 1427"}, format="json"
    )
    assert lookup.status_code == 201, lookup.content
    found = api.as_user(kz.local).get("/api/v1/contacts/?q=871008401427").json()
    assert [row["id"] for row in found["results"]] == [lookup.json()["id"]]
    # A Mongolian registration number is still read as one in the same deployment.
    citizen = ContactFactory(address_unit=staff.local7.unit)
    IdentityFactory(contact=citizen, scheme=Identity.Scheme.NATIONAL_ID, value="УБ65031512")
    found = api.as_user(staff.local7).get("/api/v1/contacts/?q=уб65031512").json()
    assert [row["id"] for row in found["results"]] == [citizen.pk]


@pytest.mark.parametrize(
    "body",
    [
        {"contact": 1, "service": "\x00"},
        {"contact": 15799998795851511808, "service": "care-home-placement"},
        {"contact": "1\x00", "service": "care-home-placement"},
    ],
)
def test_case_creation_with_unstorable_values_is_a_400(api, staff, placement, body):
    response = api.as_user(staff.agent).post("/api/v1/cases/", body, format="multipart")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
