"""The desk console for the social-assistance offices: lists, step forms and printouts."""

from __future__ import annotations

import pytest

from cases.models import Service
from cases.transitions import case_apply_action
from tests.factories import ContactFactory

from .factories import CaseDocumentFactory
from .kz import kz_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def kz(db):
    return kz_office()


@pytest.fixture
def registered(kz):
    from cases.services import case_create

    service = Service.objects.get(code="kz-social-assistance")
    citizen = ContactFactory(address_unit=kz.okrug, preferred_language="kk")
    case = case_create(
        beneficiary=citizen, service=service, actor=kz.akim, origin_channel="walk_in"
    )
    for required in service.documents.all():
        CaseDocumentFactory(case=case, required_document=required)
    return case_apply_action(case=case, action="register", actor=kz.akim)


def test_the_heads_worklist_tabs_come_from_the_workflow(client, kz):
    client.force_login(kz.head)

    page = client.get("/console/cases/", HTTP_ACCEPT_LANGUAGE="kk")

    html = page.content.decode()
    tabs = [t.split('"')[0] for t in html.split('data-status="')[1:]]
    assert tabs == ["registered", "prepared", "suspended", "cancelled"]
    assert "Тіркелді" in html  # the status word in Kazakh
    assert "Queue place" not in html


def test_the_akim_registers_prints_the_receipt_and_sends_to_survey(client, kz, registered):
    client.force_login(kz.akim)

    page = client.get(f"/console/cases/{registered.pk}/").content.decode()
    assert 'data-paper="receipt"' in page
    assert 'id="action-send_to_survey"' in page
    pdf = client.get(f"/console/cases/{registered.pk}/papers/receipt.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get(f"/console/cases/{registered.pk}/papers/notice.pdf").status_code == 404

    answer = client.post(f"/console/cases/{registered.pk}/actions/send_to_survey/")
    assert answer.status_code == 302
    registered.refresh_from_db()
    assert registered.status == "in_survey"


def test_the_local_commission_records_its_survey_with_the_form(client, kz, registered):
    case = case_apply_action(case=registered, action="send_to_survey", actor=kz.akim)
    client.force_login(kz.local_commission)

    page = client.get(f"/console/cases/{case.pk}/").content.decode()
    assert 'name="act_number"' in page and 'name="need"' in page
    missing = client.post(
        f"/console/cases/{case.pk}/actions/record_survey/", {"need": "yes"}, follow=True
    )
    assert missing.redirect_chain == [(f"/console/cases/{case.pk}/#action-record_survey", 302)]
    assert "act" in missing.content.decode()
    case.refresh_from_db()
    assert case.status == "in_survey"

    done = client.post(
        f"/console/cases/{case.pk}/actions/record_survey/", {"need": "yes", "act_number": "12"}
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == "surveyed"
    assert case.events.get(action="record_survey").payload["need"] is True
