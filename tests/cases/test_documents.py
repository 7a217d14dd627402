"""Uploads: only real PDF/JPEG/PNG files up to 10 MB, stored through Django's storage."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.documents import MAX_DOCUMENT_BYTES
from cases.models import CaseDocument, Status
from tests.factories import ContactFactory

from .factories import JPEG_BYTES, PDF_BYTES, PNG_BYTES, ServiceFactory


def upload(api, user, case, name, content, **fields):
    fields.setdefault("kind", "required")
    if fields["kind"] == "required":
        fields.setdefault("required_document", "health_certificate")
    data = {"file": SimpleUploadedFile(name, content), **fields}
    return api.as_user(user).post(f"/api/v1/cases/{case.pk}/documents/", data, format="multipart")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("scan.pdf", PDF_BYTES, "application/pdf"),
        ("photo.JPG", JPEG_BYTES, "image/jpeg"),
        ("photo.jpeg", JPEG_BYTES, "image/jpeg"),
        ("scan.png", PNG_BYTES, "image/png"),
    ],
)
def test_accepted_files_are_stored_and_listed(api, staff, new_case, name, content, content_type):
    case = new_case()
    issued = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    response = upload(api, staff.local7, case, name, content, issue_date=issued)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["content_type"] == content_type
    assert body["required_document_code"] == "health_certificate"
    assert body["issue_date"] == issued
    document = CaseDocument.objects.get(pk=body["id"])
    assert default_storage.exists(document.file.name)
    assert name not in document.file.name  # stored under a random name
    detail = api.as_user(staff.district).get(f"/api/v1/cases/{case.pk}/").json()
    assert [d["id"] for d in detail["documents"]] == [document.pk]
    line = next(
        x for x in detail["checklist"] if x["required_document"]["code"] == "health_certificate"
    )
    assert line["present"] is True and line["latest_issue_date"] == issued
    download = api.as_user(staff.district).get(body["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", b"just text pretending to be a PDF"),
        ("virus.exe", b"MZ\x90\x00"),
        ("scan.pdf", PNG_BYTES),  # a PNG under a PDF's name
        ("scan.docx", PDF_BYTES),
        ("page.html", b"<html><script>alert(1)</script>"),
    ],
)
def test_other_files_are_refused(api, staff, new_case, name, content):
    case = new_case()
    response = upload(api, staff.local7, case, name, content)
    assert response.status_code == 400
    assert "PDF, JPEG or PNG" in response.json()["detail"]
    assert not case.documents.exists()


def test_files_over_ten_megabytes_are_refused(api, staff, new_case):
    case = new_case()
    big = PDF_BYTES + b"0" * (MAX_DOCUMENT_BYTES + 1 - len(PDF_BYTES))
    response = upload(api, staff.local7, case, "big.pdf", big)
    assert response.status_code == 400
    assert "limit is 10 MB" in response.json()["detail"]
    exact = PDF_BYTES + b"0" * (MAX_DOCUMENT_BYTES - len(PDF_BYTES))
    assert upload(api, staff.local7, case, "ok.pdf", exact).status_code == 201


def test_document_type_must_belong_to_the_service(api, staff, new_case):
    case = new_case()
    other = ServiceFactory(code="other-service")
    other.documents.create(code="alien", name_mn="x", name_kk="x", name_ru="x", name_en="Alien")
    response = upload(api, staff.local7, case, "a.pdf", PDF_BYTES, required_document="alien")
    assert response.status_code == 400
    response = upload(api, staff.local7, case, "a.pdf", PDF_BYTES, required_document="")
    assert response.status_code == 400
    assert "required_document" in response.json()["detail"]


def test_future_issue_date_is_refused(api, staff, new_case):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = upload(api, staff.local7, new_case(), "a.pdf", PDF_BYTES, issue_date=tomorrow)
    assert response.status_code == 400


def test_who_may_upload(api, staff, new_case, tree):
    case = new_case()
    assert upload(api, staff.supervisor, case, "a.pdf", PDF_BYTES).status_code == 403
    assert upload(api, staff.local12, case, "a.pdf", PDF_BYTES).status_code == 404
    decree = upload(api, staff.district, case, "d.pdf", PDF_BYTES, kind="governor_decree")
    assert decree.status_code == 201
    assert decree.json()["required_document"] is None


def test_closed_case_takes_no_documents(api, staff, new_case):
    case = new_case()
    api.as_user(staff.district).post(
        f"/api/v1/cases/{case.pk}/actions/cancel/", {"reason": "duplicate"}, format="json"
    )
    case.refresh_from_db()
    assert case.status == Status.CANCELLED
    assert upload(api, staff.local7, case, "a.pdf", PDF_BYTES).status_code == 409


def test_download_is_scoped_to_jurisdiction(api, staff, new_case):
    case = new_case(ContactFactory(address_unit=staff.local7.unit))
    body = upload(api, staff.local7, case, "a.pdf", PDF_BYTES).json()
    assert api.as_user(staff.local12).get(body["url"]).status_code == 404
    missing = f"/api/v1/cases/{case.pk}/documents/999999/"
    assert api.as_user(staff.local7).get(missing).status_code == 404
