"""A refusal reaches the person in their language: the guards' problems and the services'
errors are worded in the language of the request (the API's Accept-Language, the console's
language cookie), while the machine-readable codes stay the same in every language."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cases.labels import status_label
from cases.models import Case
from cases.services import case_update
from crm.errors import Conflict

from .conftest import complete_draft, local_worker_of

pytestmark = pytest.mark.django_db


def _submit(api, user, case: Case, language: str):
    return api.as_user(user).post(
        f"/api/v1/cases/{case.pk}/actions/submit/", {}, format="json", HTTP_ACCEPT_LANGUAGE=language
    )


def test_a_guard_refusal_through_the_api_reads_in_russian(api, staff, new_case):
    case = complete_draft(new_case())
    case.documents.filter(required_document__code="governor_certificate").delete()
    paper = case.service.documents.get(code="governor_certificate")

    response = _submit(api, staff.local7, case, "ru")

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == (
        f"Невозможно выполнить «Отправить» по делу {case.number}. "
        f"Не хватает: документ '{paper.name_ru}'."
    )
    # Codes, fields and document codes are the same whatever the language.
    assert body["code"] == "invalid"
    assert body["errors"] == [
        {
            "code": "missing_document",
            "message": f"документ '{paper.name_ru}'",
            "document": "governor_certificate",
        }
    ]
    case.refresh_from_db()
    assert case.status == "draft"


def test_the_same_refusal_reads_in_each_language_asked_for(api, staff, new_case):
    case = new_case()  # nothing filled in: the reason for care and the health status missing
    details = {}
    for language in ("en", "mn", "kk", "ru"):
        body = _submit(api, staff.local7, case, language).json()
        details[language] = body["detail"]
        assert "reason_for_care_missing" in [e["code"] for e in body["errors"]]
    assert details["en"].startswith(f"Cannot submit case {case.number}. Missing: the reason")
    assert details["mn"].startswith(f"{case.number} хэрэгт «Хүсэлт илгээх» хийх боломжгүй.")
    assert "асрамжийн шалтгаан" in details["mn"]
    assert details["kk"].startswith(f"{case.number} ісі бойынша «Жіберу» орындау мүмкін емес.")
    assert "күтім қажеттілігінің себебі" in details["kk"]
    assert "причина ухода" in details["ru"]


def test_a_service_error_in_the_console_reads_in_mongolian(staff, submitted_case):
    case = submitted_case(papers=False)
    worker = local_worker_of(staff, case.beneficiary)
    client = Client()
    client.force_login(worker)
    client.cookies["django_language"] = "mn"

    # Sent again from a stale page: case_apply_action refuses, the case is submitted already.
    page = client.post(f"/console/cases/{case.pk}/actions/submit/", follow=True)

    text = page.content.decode()
    submitted = status_label("submitted", "mn", case.workflow)
    assert f"{case.number} хэрэгт «Хүсэлт илгээх» хийх боломжгүй: төлөв нь «{submitted}»;" in text
    assert "is possible only from" not in text
    case.refresh_from_db()
    assert case.status == "submitted"


def test_the_service_error_is_in_english_by_default(staff, submitted_case):
    case = submitted_case(papers=False)
    with pytest.raises(Conflict) as refused:
        case_update(
            case=case,
            actor=local_worker_of(staff, case.beneficiary),
            data={"reason_for_care": "changed"},
        )
    assert str(refused.value) == (
        f"Case {case.number} is submitted; a request can be edited only while it is a draft "
        "or returned."
    )


def test_a_refused_upload_through_the_api_reads_in_kazakh(api, staff, new_case):
    case = new_case()
    response = api.as_user(staff.local7).post(
        f"/api/v1/cases/{case.pk}/documents/",
        {
            "file": SimpleUploadedFile("note.txt", b"not a scan"),
            "kind": "required",
            "required_document": "health_certificate",
        },
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="kk",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"].startswith("Тек PDF, JPEG немесе PNG файлдары қабылданады")
    assert not case.documents.exists()


def test_a_role_refusal_names_the_role_in_kazakh(api, staff, new_case):
    case = complete_draft(new_case())
    response = _submit(api, staff.district, case, "kk")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden"
    assert body["detail"].startswith("Сіздің рөліңіз іс бойынша «Жіберу» орындай алмайды;")
