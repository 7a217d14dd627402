"""Every read and change through the API leaves exactly one row naming actor and object."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_reading_a_citizen_writes_one_row(api, staff, citizen, rows):
    response = api.as_user(staff.local7).get(f"/api/v1/contacts/{citizen.pk}/")
    assert response.status_code == 200
    [row] = rows()
    assert (row.actor_id, row.actor_username, row.action) == (staff.local7.pk, "local7", "read")
    assert (row.object_type, row.object_id, row.contact_id) == (
        "contact",
        str(citizen.pk),
        citizen.pk,
    )
    assert row.via == "api"
    assert row.ip == "127.0.0.1"


def test_reading_a_timeline_writes_one_row(api, staff, citizen, conversation, rows):
    response = api.as_user(staff.agent).get(f"/api/v1/contacts/{citizen.pk}/timeline/")
    assert response.status_code == 200
    [row] = rows()
    assert (row.action, row.object_type, row.object_id) == ("read", "timeline", str(citizen.pk))
    assert row.contact_id == citizen.pk and row.actor_username == "agent"


def test_a_list_read_is_one_row_naming_what_was_shown(api, staff, tree, rows):
    from tests.factories import ContactFactory

    shown = [ContactFactory(last_name="Дорж", address_unit=tree.k7) for _ in range(5)]
    response = api.as_user(staff.agent).get("/api/v1/contacts/?q=Дорж")
    assert response.json()["count"] == 5
    [row] = rows()
    assert (row.action, row.object_type, row.object_id) == ("list", "contact", "")
    assert sorted(row.object_ids) == sorted(c.pk for c in shown)
    assert row.contact_id is None


def test_reading_a_case_and_its_document(api, staff, case, document, rows):
    client = api.as_user(staff.local7)
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    download = client.get(f"/api/v1/cases/{case.pk}/documents/{document.pk}/")
    assert download.status_code == 200
    # A file is streamed: its row is written once the server has sent it and closes it.
    assert download.getvalue().startswith(b"%PDF")
    case_row, document_row = rows()
    assert (case_row.action, case_row.object_type, case_row.object_id) == (
        "read",
        "case",
        str(case.pk),
    )
    assert case_row.contact_id == case.beneficiary_id
    assert (document_row.object_type, document_row.object_id) == ("document", str(document.pk))
    assert document_row.contact_id == case.beneficiary_id


def test_case_list_is_one_row(api, staff, case, rows):
    api.as_user(staff.local7).get("/api/v1/cases/")
    [row] = rows()
    assert (row.action, row.object_type, row.object_ids) == ("list", "case", [case.pk])


def test_changes_write_one_row_each(api, staff, case, rows):
    from tests.cases.conftest import complete_draft

    complete_draft(case)
    start = AuditEntry.objects.count()
    client = api.as_user(staff.local7)
    response = client.patch(
        f"/api/v1/cases/{case.pk}/", {"reason_for_care": "Хүүхэдгүй"}, format="json"
    )
    assert response.status_code == 200
    response = client.post(f"/api/v1/cases/{case.pk}/actions/submit/", {}, format="json")
    update, action = AuditEntry.objects.order_by("id")[start:]
    assert (update.action, update.object_type, update.object_id) == ("update", "case", str(case.pk))
    assert update.contact_id == case.beneficiary_id
    assert response.status_code == 200, response.json()
    assert (action.action, action.object_type, action.detail) == ("update", "case", "submit")


def test_a_refused_change_writes_nothing(api, staff, case, rows):
    response = api.as_user(staff.local7).post(
        f"/api/v1/cases/{case.pk}/actions/allocate/", {}, format="json"
    )
    assert response.status_code in (400, 403, 409)
    assert rows() == []


def test_creating_a_case_names_the_new_case(api, staff, citizen, rows):
    from tests.cases.factories import placement_service

    response = api.as_user(staff.local7).post(
        "/api/v1/cases/",
        {"contact": citizen.pk, "service": placement_service().code, "origin_channel": "walk_in"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    [row] = rows()
    assert (row.action, row.object_type, row.object_id) == (
        "create",
        "case",
        str(response.json()["id"]),
    )
    assert row.contact_id == citizen.pk


def test_a_404_read_writes_nothing(api, staff, other_citizen, rows):
    response = api.as_user(staff.local7).get(f"/api/v1/contacts/{other_citizen.pk}/")
    assert response.status_code == 404
    assert rows() == []


def test_auditing_off_writes_nothing(api, staff, citizen, rows, settings):
    settings.AUDIT_ENABLED = False
    api.as_user(staff.local7).get(f"/api/v1/contacts/{citizen.pk}/")
    assert rows() == []
    assert AuditEntry.objects.count() == 0


def test_uploading_a_document_and_merging_citizens(api, staff, case, tree, rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.cases.factories import PDF_BYTES
    from tests.factories import ContactFactory

    client = api.as_user(staff.local7)
    upload = client.post(
        f"/api/v1/cases/{case.pk}/documents/",
        {"file": SimpleUploadedFile("scan.pdf", PDF_BYTES), "kind": "other"},
        format="multipart",
    )
    assert upload.status_code == 201, upload.json()
    duplicate = ContactFactory(last_name="Дорж", address_unit=tree.k7)
    merged = api.as_user(staff.district).post(
        f"/api/v1/contacts/{case.beneficiary_id}/merge/", {"duplicate": duplicate.pk}, format="json"
    )
    assert merged.status_code == 200
    document, merge = rows()
    assert (document.action, document.object_type, document.object_id) == (
        "create",
        "document",
        str(upload.json()["id"]),
    )
    assert document.contact_id == case.beneficiary_id
    assert (merge.actor_username, merge.action, merge.detail, merge.contact_id) == (
        "district",
        "update",
        "merge",
        case.beneficiary_id,
    )
