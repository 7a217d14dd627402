"""Opening a case from a conversation, and the social workers' and care home's pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case, CaseDocument
from cases.transitions import case_apply_action
from tests.cases.conftest import attach_placement_papers, complete_draft
from tests.cases.factories import PDF_BYTES
from tests.factories import ContactFactory

from .uploads import upload_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(placement, staff, citizen):
    from cases.services import case_create

    return case_create(
        beneficiary=citizen, service=placement, actor=staff.agent, origin_channel="sms"
    )


def test_an_agent_opens_a_draft_from_the_conversation_for_the_local_worker(
    staff, signed_in, citizen, sms_from, placement
):
    conversation = sms_from("+97699112233", "Ганцаараа амьдардаг, асрамж хэрэгтэй").conversation
    agent = signed_in(staff.agent)
    form = agent.get(f"/console/conversations/{conversation.pk}/case/")
    assert "Care-home placement" in form.content.decode() or placement.name_en in (
        form.content.decode()
    )
    response = agent.post(
        f"/console/conversations/{conversation.pk}/case/",
        {"for": "self", "service": placement.pk, "reason_for_care": "Ганцаараа амьдардаг"},
        follow=True,
    )
    case = Case.objects.get()
    assert (case.status, case.unit, case.origin_channel) == ("draft", citizen.address_unit, "sms")
    assert case.origin_interaction.conversation == conversation
    assert f"Case {case.number} opened as a draft" in response.content.decode()

    local7 = signed_in(staff.local7).get("/console/cases/?status=draft").content.decode()
    assert case.number in local7
    local12 = signed_in(staff.local12).get("/console/cases/?status=draft").content.decode()
    assert case.number not in local12


def test_a_caller_asking_for_someone_else_is_recorded_as_the_applicant(
    staff, signed_in, citizen, sms_from, placement
):
    mother = ContactFactory(
        first_name="Долгор", last_name="Гомбо", address_unit=citizen.address_unit
    )
    conversation = sms_from("+97699112233").conversation
    agent = signed_in(staff.agent)
    refused = agent.post(
        f"/console/conversations/{conversation.pk}/case/",
        {"for": "other", "service": placement.pk, "beneficiary": mother.pk},
    )
    assert refused.status_code == 400
    assert "Say how the caller is related" in refused.content.decode()
    agent.post(
        f"/console/conversations/{conversation.pk}/case/",
        {
            "for": "other",
            "service": placement.pk,
            "beneficiary": mother.pk,
            "relationship": "child",
        },
    )
    case = Case.objects.get()
    assert (case.beneficiary, case.applicant, case.applicant_relationship) == (
        mother,
        citizen,
        "child",
    )


def test_the_local_worker_completes_and_submits_with_errors_shown_at_the_button(
    staff, signed_in, draft
):
    worker = signed_in(staff.local7)
    page = worker.get(f"/console/cases/{draft.pk}/").content.decode()
    assert 'data-action="submit"' in page and 'data-action="allocate"' not in page

    refused = worker.post(f"/console/cases/{draft.pk}/actions/submit/", follow=True)
    # Post/redirect/get: the refusal is shown on the case's own address.
    assert refused.redirect_chain == [(f"/console/cases/{draft.pk}/#action-submit", 302)]
    text = refused.content.decode()
    assert f"Cannot submit case {draft.number}" in text and 'id="action-submit"' in text

    worker.post(
        f"/console/cases/{draft.pk}/edit/",
        {"reason_for_care": "Ганц бие", "has_disability": "yes", "disability_type": "Харааны"},
    )
    draft.refresh_from_db()
    assert (draft.reason_for_care, draft.has_disability) == ("Ганц бие", True)

    required = draft.service.documents.first()
    worker.post(
        f"/console/cases/{draft.pk}/upload/",
        upload_data(("passport.pdf", PDF_BYTES, required, timezone.localdate())),
    )
    document = CaseDocument.objects.get(case=draft)
    preview = worker.get(f"/console/cases/{draft.pk}/documents/{document.pk}/")
    assert preview.status_code == 200 and preview["Content-Disposition"] == "inline"
    assert (
        signed_in(staff.local12)
        .get(f"/console/cases/{draft.pk}/documents/{document.pk}/")
        .status_code
        == 404
    )

    complete_draft(draft)
    worker.post(f"/console/cases/{draft.pk}/actions/submit/")
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_a_bad_upload_is_refused_next_to_its_document(staff, signed_in, draft):
    required = draft.service.documents.first()
    response = signed_in(staff.local7).post(
        f"/console/cases/{draft.pk}/upload/",
        upload_data(("virus.exe", b"MZ\x90\x00", required, None)),
    )
    assert response.status_code == 400
    assert "virus.exe is not a PDF, JPEG or PNG file" in response.content.decode()
    assert not CaseDocument.objects.exists()


@pytest.fixture
def submitted(staff, draft):
    return case_apply_action(case=complete_draft(draft), action="submit", actor=staff.local7)


def test_the_district_decide_view_shows_papers_history_and_care_homes_with_free_beds(
    staff, signed_in, submitted, carehome
):
    district = signed_in(staff.district)
    incoming = district.get("/console/cases/?status=submitted").content.decode()
    assert submitted.number in incoming and f"/console/cases/{submitted.pk}/decide/" in incoming
    page = district.get(f"/console/cases/{submitted.pk}/decide/").content.decode()
    assert carehome.name in page and '<span class="badge ok">3</span>' in page
    assert "Event history" in page and "Health documents" in page

    refused = district.post(
        f"/console/cases/{submitted.pk}/actions/allocate/",
        {"facility": carehome.pk, "page": "decide"},
        follow=True,
    )
    assert refused.redirect_chain == [
        (f"/console/cases/{submitted.pk}/decide/#action-allocate", 302)
    ]
    assert "decree" in refused.content.decode().lower()
    attach_placement_papers(submitted)
    district.post(f"/console/cases/{submitted.pk}/actions/allocate/", {"facility": carehome.pk})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.facility) == ("allocated", carehome)
    assert signed_in(staff.district_sbd).get(f"/console/cases/{submitted.pk}/").status_code == 404


def test_returning_needs_a_coded_reason(staff, signed_in, submitted):
    district = signed_in(staff.district)
    refused = district.post(
        f"/console/cases/{submitted.pk}/actions/return/", {"reason": "x"}, follow=True
    )
    assert refused.redirect_chain[-1][0].endswith("#action-return")
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    district.post(
        f"/console/cases/{submitted.pk}/actions/return/",
        {"reason_code": "missing_document", "reason": "Эмнэлгийн магадлагаа дутуу"},
    )
    submitted.refresh_from_db()
    assert submitted.status == "returned"
    returned = signed_in(staff.local7).get("/console/cases/?status=returned").content.decode()
    assert submitted.number in returned


def test_the_care_home_accepts_and_admits_from_its_lists(
    staff, signed_in, submitted, carehome, carehome_staff
):
    attach_placement_papers(submitted)
    case_apply_action(
        case=submitted, action="allocate", actor=staff.district, payload={"facility": carehome.pk}
    )
    home = signed_in(carehome_staff)
    allocated = home.get("/console/cases/?status=allocated").content.decode()
    assert submitted.number in allocated
    page = home.get(f"/console/cases/{submitted.pk}/").content.decode()
    assert 'data-action="accept"' in page and 'data-action="decline"' in page
    assert 'data-action="admit"' not in page
    home.post(f"/console/cases/{submitted.pk}/actions/accept/", {"confirmed": "on"})
    home.post(
        f"/console/cases/{submitted.pk}/actions/admit/",
        {
            "admitted_on": timezone.localdate().isoformat(),
            "room": "12",
            "bed": "B",
            "confirmed": "on",
        },
    )
    submitted.refresh_from_db()
    assert submitted.status == "in_service"
    assert submitted.number in home.get("/console/cases/?status=in_service").content.decode()


def test_an_action_the_role_may_not_take_is_refused_with_a_readable_message(
    staff, signed_in, submitted
):
    worker = signed_in(staff.local7)
    response = worker.post(f"/console/cases/{submitted.pk}/actions/allocate/", follow=True)
    # No facility chosen: said by the form before the workflow is asked.
    assert "Choose the care home" in response.content.decode()
    response = worker.post(
        f"/console/cases/{submitted.pk}/actions/return/",
        {"reason_code": "other", "reason": "x"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/console/cases/{submitted.pk}/#actions", 302)]
    assert "Your role cannot return a case" in response.content.decode()


def test_health_documents_older_than_three_months_are_flagged(staff, signed_in, draft):
    from tests.cases.factories import CaseDocumentFactory

    health = draft.service.documents.filter(is_health_document=True).first()
    CaseDocumentFactory(
        case=draft,
        required_document=health,
        issue_date=timezone.localdate() - dt.timedelta(days=200),
    )
    page = signed_in(staff.local7).get(f"/console/cases/{draft.pk}/").content.decode()
    assert 'data-state="expired"' in page and "expired" in page


@pytest.mark.parametrize(
    ("who", "lists"),
    [
        ("local7", ["draft", "waitlisted", "returned", "submitted", "in_service"]),
        ("district", ["submitted", "allocated", "in_service", "waitlisted", "cancelled"]),
    ],
)
def test_each_role_gets_the_lists_of_seed_000(staff, signed_in, who, lists):
    page = signed_in(getattr(staff, who)).get("/console/cases/").content.decode()
    import re

    assert re.findall(r'data-status="(\w+)"', page) == lists


def test_care_home_staff_get_their_three_lists_and_what_each_is_for(signed_in, carehome_staff):
    import re

    page = signed_in(carehome_staff).get("/console/cases/").content.decode()
    assert re.findall(r'data-status="(\w+)"', page)[:3] == ["allocated", "waitlisted", "in_service"]
    assert "Allocated to your home: accept or decline." in page
