"""A case's papers on the console and in the API: one answer for "is this paper valid" and
"which homes may be chosen", several files uploaded at once, health papers closed to agents."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cases.documents import MAX_DOCUMENT_BYTES
from cases.models import CaseDocument
from cases.services import case_create
from cases.transitions import case_apply_action
from tests.cases.conftest import attach_placement_papers, complete_draft
from tests.cases.factories import (
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    CaseDocumentFactory,
    FacilityFactory,
)
from tests.factories import ContactFactory

from .uploads import upload_data

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def draft(placement, staff, citizen):
    return case_create(
        beneficiary=citizen, service=placement, actor=staff.local7, origin_channel="walk_in"
    )


def _row_state(page: str, code: str) -> str:
    found = re.search(rf'data-document="{code}" data-state="(\w+)"', page)
    assert found, f"no row for {code}"
    return found.group(1)


@pytest.mark.parametrize(
    ("today", "issued", "valid"),
    [
        (D(2026, 6, 15), D(2026, 3, 15), True),  # exactly three months ago
        (D(2026, 6, 15), D(2026, 3, 14), False),  # and one day more
        (D(2026, 5, 31), D(2026, 2, 28), True),  # month end: back to the end of February
        (D(2026, 3, 1), D(2025, 11, 30), False),
        (D(2028, 5, 31), D(2028, 2, 29), True),  # leap year
    ],
)
def test_the_console_and_the_api_agree_whether_a_certificate_is_valid(
    draft, staff, signed_in, api, monkeypatch, today, issued, valid
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)
    health = draft.service.documents.get(code="health_certificate")
    document = CaseDocumentFactory(case=draft, required_document=health, issue_date=issued)

    page = signed_in(staff.local7).get(f"/console/cases/{draft.pk}/").content.decode()
    assert _row_state(page, "health_certificate") == ("attached" if valid else "expired")

    body = api.as_user(staff.local7).get(f"/api/v1/cases/{draft.pk}/").json()
    line = next(
        x for x in body["checklist"] if x["required_document"]["code"] == "health_certificate"
    )
    listed = next(d for d in body["documents"] if d["id"] == document.pk)
    assert line["valid"] is valid and listed["valid"] is valid
    assert listed["is_health_document"] is True
    if valid:
        assert f"valid until {line['valid_until']}" in page
        assert D.fromisoformat(line["valid_until"]) >= today


@pytest.fixture
def homes(tree):
    return {
        "women": FacilityFactory(name="Home for women", unit=tree.skh, beds={"F": 2, "M": 0}),
        "mixed": FacilityFactory(name="Mixed home", unit=tree.skh, beds=1),
        "full": FacilityFactory(name="Full home", unit=tree.sbd, beds={"F": 0, "M": 0}),
    }


@pytest.mark.parametrize(("sex", "offered"), [("M", {"mixed"}), ("F", {"women", "mixed"})])
def test_the_allocate_form_and_the_api_offer_the_same_homes(
    placement, staff, signed_in, api, tree, homes, sex, offered
):
    person = ContactFactory(address_unit=tree.k7, sex=sex)
    case = case_create(
        beneficiary=person, service=placement, actor=staff.local7, origin_channel="walk_in"
    )
    case = case_apply_action(case=complete_draft(case), action="submit", actor=staff.local7)
    attach_placement_papers(case)
    expected = {homes[name].pk for name in offered}

    page = signed_in(staff.district).get(f"/console/cases/{case.pk}/decide/").content.decode()
    radios = re.findall(r'<input type="radio" name="facility" value="(\d+)"[^>]*>', page)
    enabled = {
        int(pk)
        for pk, tag in zip(
            radios,
            re.findall(r'<input type="radio" name="facility"[^>]*>', page),
            strict=True,
        )
        if "disabled" not in tag
    }
    assert {int(pk) for pk in radios} >= {h.pk for h in homes.values()}

    listed = api.as_user(staff.district).get(f"/api/v1/cases/{case.pk}/facilities/").json()
    from_api = {row["facility"]["id"] for row in listed if row["selectable"]}
    only = api.get(f"/api/v1/cases/{case.pk}/facilities/?selectable=true").json()
    assert enabled == from_api == {row["facility"]["id"] for row in only} == expected
    women = next(row for row in listed if row["facility"]["id"] == homes["women"].pk)
    assert women["ward"]["sex"] == sex
    assert women["free_beds"] == (2 if sex == "F" else 0)
    assert women["problem"] == ("" if sex == "F" else "no_free_bed")


# --- uploading several files at once ----------------------------------------------------------


def test_several_files_are_uploaded_in_one_post_each_with_its_type(draft, staff, signed_in):
    papers = {d.code: d for d in draft.service.documents.all()}
    today = dt.date.today()
    response = signed_in(staff.local7).post(
        f"/console/cases/{draft.pk}/upload/",
        upload_data(
            ("doctor.pdf", PDF_BYTES, papers["health_certificate"], today),
            ("id-front.jpg", JPEG_BYTES, papers["id_card"], None),
            ("decree.png", PNG_BYTES, "governor_decree", None),
        ),
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(f"/console/cases/{draft.pk}/#documents")
    page = response.content.decode()
    assert "Uploaded 3 files: doctor.pdf, id-front.jpg, decree.png." in page
    stored = {d.original_name: d for d in draft.documents.all()}
    assert stored["doctor.pdf"].required_document == papers["health_certificate"]
    assert stored["doctor.pdf"].issue_date == today
    assert stored["id-front.jpg"].content_type == "image/jpeg"
    assert stored["decree.png"].kind == CaseDocument.Kind.GOVERNOR_DECREE
    assert _row_state(page, "health_certificate") == "attached"
    assert _row_state(page, "id_card") == "attached"


def test_refused_files_are_named_with_the_reason_and_nothing_of_them_is_stored(
    draft, staff, signed_in
):
    papers = {d.code: d for d in draft.service.documents.all()}
    big = PDF_BYTES + b"0" * (MAX_DOCUMENT_BYTES + 1 - len(PDF_BYTES))
    response = signed_in(staff.local7).post(
        f"/console/cases/{draft.pk}/upload/",
        upload_data(
            ("good.pdf", PDF_BYTES, papers["application"], None),
            ("virus.pdf", b"MZ\x90\x00 not a pdf", papers["id_card"], None),
            ("huge.pdf", big, papers["id_card"], None),
            ("undated.pdf", PDF_BYTES, papers["health_certificate"], None),
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The files marked below were not stored; the others were." in page
    assert "virus.pdf is not a PDF, JPEG or PNG file" in page
    assert "huge.pdf is 10.0 MB; files may be at most 10 MB." in page
    assert "Give the issue date: this paper is valid for 3 months." in page
    assert [d.original_name for d in draft.documents.all()] == ["good.pdf"]


def test_errors_come_in_the_workers_language(draft, staff, signed_in):
    worker = signed_in(staff.local7)
    worker.cookies["django_language"] = "ru"
    papers = {d.code: d for d in draft.service.documents.all()}
    response = worker.post(
        f"/console/cases/{draft.pk}/upload/",
        upload_data(("scan.docx", PDF_BYTES, papers["application"], None)),
    )
    assert response.status_code == 400
    assert "scan.docx — не файл PDF, JPEG или PNG" in response.content.decode()
    assert not draft.documents.exists()


def test_a_future_issue_date_and_an_empty_post_are_refused(draft, staff, signed_in):
    worker = signed_in(staff.local7)
    papers = {d.code: d for d in draft.service.documents.all()}
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    refused = worker.post(
        f"/console/cases/{draft.pk}/upload/",
        upload_data(("a.pdf", PDF_BYTES, papers["health_certificate"], tomorrow)),
    )
    assert refused.status_code == 400
    assert "The issue date is in the future." in refused.content.decode()
    empty = worker.post(f"/console/cases/{draft.pk}/upload/", upload_data())
    assert empty.status_code == 400
    assert "Choose or drop at least one file" in empty.content.decode()
    assert not draft.documents.exists()


def test_the_upload_form_has_date_inputs_and_the_drop_zone(draft, staff, signed_in):
    page = signed_in(staff.local7).get(f"/console/cases/{draft.pk}/").content.decode()
    assert 'id="doc-drop"' in page and 'id="doc-picker"' in page and "multiple" in page
    assert 'type="date" name="doc-0-issue_date"' in page
    assert 'type="date" name="doc-__prefix__-issue_date"' in page
    assert "console/case_documents.js" in page and "<script>" not in page


# --- health papers ------------------------------------------------------------------------------


@pytest.fixture
def papers_on_file(draft):
    health = draft.service.documents.get(code="health_certificate")
    application = draft.service.documents.get(code="application")
    return {
        "health": CaseDocumentFactory(
            case=draft, required_document=health, original_name="dorj-clinic.pdf"
        ),
        "application": CaseDocumentFactory(
            case=draft, required_document=application, original_name="application.pdf"
        ),
    }


def test_an_agent_sees_that_health_papers_exist_but_cannot_open_them(
    draft, staff, signed_in, api, papers_on_file
):
    health, application = papers_on_file["health"], papers_on_file["application"]
    agent = signed_in(staff.agent)
    page = agent.get(f"/console/cases/{draft.pk}/").content.decode()
    assert _row_state(page, "health_certificate") == "attached"  # it is there, and valid
    assert 'id="health-closed"' in page
    assert f"/console/cases/{draft.pk}/documents/{health.pk}/" not in page
    assert "dorj-clinic.pdf" not in page  # a file name can say too much
    assert f"/console/cases/{draft.pk}/documents/{application.pk}/" in page
    closed = agent.get(f"/console/cases/{draft.pk}/documents/{health.pk}/")
    assert closed.status_code == 403
    assert "This health document is closed to you" in closed.content.decode()
    agent.cookies["django_language"] = "mn"
    closed = agent.get(f"/console/cases/{draft.pk}/documents/{health.pk}/")
    assert "Энэ эрүүл мэндийн бичиг танд хаалттай" in closed.content.decode()
    agent.cookies["django_language"] = "en"
    assert agent.get(f"/console/cases/{draft.pk}/documents/{application.pk}/").status_code == 200

    client = api.as_user(staff.agent)
    body = client.get(f"/api/v1/cases/{draft.pk}/").json()
    listed = {d["id"]: d for d in body["documents"]}
    assert listed[health.pk]["may_open"] is False and listed[health.pk]["url"] is None
    assert listed[health.pk]["valid"] is True and listed[health.pk]["is_health_document"]
    assert listed[application.pk]["url"].endswith(f"/documents/{application.pk}/")
    refused = client.get(f"/api/v1/cases/{draft.pk}/documents/{health.pk}/")
    assert refused.status_code == 403
    assert client.get(f"/api/v1/cases/{draft.pk}/documents/{application.pk}/").status_code == 200


def test_the_case_worker_opens_health_papers(draft, staff, signed_in, api, papers_on_file):
    health = papers_on_file["health"]
    worker = signed_in(staff.local7)
    page = worker.get(f"/console/cases/{draft.pk}/").content.decode()
    assert f"/console/cases/{draft.pk}/documents/{health.pk}/" in page
    assert 'id="health-closed"' not in page
    opened = worker.get(f"/console/cases/{draft.pk}/documents/{health.pk}/")
    assert opened.status_code == 200 and opened["Content-Type"] == "application/pdf"
    assert opened["Content-Disposition"] == "inline"
    body = api.as_user(staff.local7).get(f"/api/v1/cases/{draft.pk}/").json()
    listed = {d["id"]: d for d in body["documents"]}
    assert listed[health.pk]["may_open"] is True
    assert api.get(listed[health.pk]["url"]).status_code == 200
