"""A citizen's consent in the console: shown where the citizen is (their page, their case, the
agent's conversation), recorded aloud by an agent, withdrawn after a confirmation, and a
withdrawn consent to messages stops the notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from audit import rights
from audit.models import AuditEntry
from cases.intake import intake_walk_in_submit
from channels_app.models import OutboundMessage
from channels_app.outbound import message_send
from crm.models import Consent, Contact, Conversation, RegistryPerson
from crm.services import contact_from_registry


@pytest.fixture
def son_in_registry(tree):
    return RegistryPerson.objects.create(
        national_id="УБ75091412",
        first_name="Ганбаатар",
        last_name="Батцэцэг",
        birth_date=dt.date(1975, 9, 14),
        sex="M",
        address_unit_path=tree.k7.path,
        address_text="7-р хороо, 15-р байр",
    )


@pytest.fixture
def walk_in(registry_person, son_in_registry, placement, staff):
    """A son applied at the office for his mother, with her consent to data and messages."""
    mother, _ = contact_from_registry(national_id="УБ47051821")
    return intake_walk_in_submit(
        beneficiary=mother,
        service=placement,
        actor=staff.local7,
        consent_method=Consent.Method.SIGNED_FORM,
        notifications=True,
        reason="Needs daily care",
        applicant_national_id="УБ75091412",
        applicant_phone="+97699001122",
        relationship="child",
    )


def test_the_citizens_page_and_the_case_page_show_who_gave_consent_how_and_when(
    signed_in, staff, walk_in
):
    worker = signed_in(staff.local7)
    for url in (
        reverse("console:contact", args=[walk_in.beneficiary.pk]),
        reverse("console:case", args=[walk_in.case.pk]),
    ):
        page = worker.get(url).content.decode()
        assert 'id="consent-panel"' in page
        assert "Processing personal data" in page and "Being messaged" in page
        assert "Given by Батцэцэг Ганбаатар (Child) for the person" in page
        assert "Signed paper form" in page and "Office visit" in page
        assert "recorded by" in page and walk_in.case.number in page


def test_withdrawing_asks_first_then_records_who_how_and_stops_notifications(
    signed_in, staff, walk_in, django_capture_on_commit_callbacks
):
    worker = signed_in(staff.local7)
    consent = Consent.objects.get(purpose=Consent.Purpose.NOTIFICATIONS)
    case_url = reverse("console:case", args=[walk_in.case.pk])
    confirm_url = reverse("console:consent_withdraw", args=[consent.pk]) + f"?next={case_url}"
    page = worker.get(confirm_url).content.decode()
    assert "no case notifications are sent" in page and "No, keep it" in page
    consent.refresh_from_db()
    assert consent.withdrawn_at is None  # asking changed nothing
    response = worker.post(
        confirm_url, {"channel": "walk_in", "reason": "Does not want SMS", "next": case_url}
    )
    assert response.status_code == 302 and response.url == case_url
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert (consent.withdrawal_channel, consent.withdrawal_recorded_by) == ("walk_in", staff.local7)
    assert consent.withdrawal_reason == "Does not want SMS"
    # The consent to the application itself stays.
    assert Consent.objects.get(purpose=Consent.Purpose.APPLICATION).withdrawn_at is None
    mother = Contact.objects.get(pk=walk_in.beneficiary.pk)
    assert mother.consent_messages is False
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(
            contact=mother, channel="sms", address="+97699001122", body="Your request moved on"
        )
    message.refresh_from_db()
    assert (message.status, message.error_code) == (OutboundMessage.Status.SUPPRESSED, "no_consent")
    assert AuditEntry.objects.filter(
        action="consent_withdraw", contact_id=mother.pk, actor=staff.local7
    ).exists()
    page = worker.get(case_url).content.decode()
    assert "Withdrawn (1)" in page and "Does not want SMS" in page


def test_a_supervisor_reads_the_panel_but_cannot_withdraw(signed_in, staff, walk_in):
    consent = Consent.objects.get(purpose=Consent.Purpose.NOTIFICATIONS)
    supervisor = signed_in(staff.supervisor)
    page = supervisor.get(reverse("console:contact", args=[walk_in.beneficiary.pk]))
    assert "Withdraw" not in page.content.decode().split('id="consent-panel"')[1].split("</div>")[0]
    supervisor.post(reverse("console:consent_withdraw", args=[consent.pk]), {"channel": "voice"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_an_agent_records_consent_said_on_the_call(signed_in, staff, citizen, sms_from):
    sms_from("+97699112233", "Сайн байна уу")
    conversation = Conversation.objects.get(contact=citizen)
    agent = signed_in(staff.agent)
    conversation_url = reverse("console:conversation", args=[conversation.pk])
    assert 'id="consent-panel"' in agent.get(conversation_url).content.decode()
    response = agent.post(
        reverse("console:consent_add", args=[citizen.pk]),
        {
            "purpose": Consent.Purpose.DATA_PROCESSING,
            "method": Consent.Method.VERBAL,
            "channel": "voice",
            "conversation": conversation.pk,
            "next": conversation_url,
        },
    )
    assert response.status_code == 302 and response.url == conversation_url
    consent = Consent.objects.get(subject=citizen)
    assert (consent.given_by, consent.method, consent.channel) == (
        citizen,
        Consent.Method.VERBAL,
        "voice",
    )
    assert consent.recorded_by == staff.agent
    assert consent.evidence == {"conversation": conversation.pk}
    citizen.refresh_from_db()
    assert citizen.consent_data_processing is True


def test_no_messages_wanted_without_any_consent_given(signed_in, staff, citizen):
    agent = signed_in(staff.agent)
    agent.post(reverse("console:consent_messages_stop", args=[citizen.pk]))
    citizen.refresh_from_db()
    assert citizen.consent_messages is False
    page = agent.get(reverse("console:contact", args=[citizen.pk])).content.decode()
    assert "Refused or withdrawn: no case notifications are sent." in page


def test_the_data_rights_withdrawal_goes_through_the_same_service(staff, walk_in):
    withdrawn = rights.contact_consent_withdraw(
        contact=walk_in.beneficiary, actor=staff.agent, reason="Written request"
    )
    assert withdrawn == 2
    for consent in Consent.objects.all():
        assert consent.withdrawn_at is not None
        assert consent.withdrawal_recorded_by == staff.agent
        assert consent.withdrawal_reason == "Written request"
