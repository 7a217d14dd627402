"""Citizen texts: four languages, operator overrides, and what each costs in SMS segments."""

from __future__ import annotations

import string

import pytest

from channels_app.models import CallbackRequest, MessageTemplate, OutboundMessage
from channels_app.segments import sms_segments
from channels_app.texts import DEFAULTS, LANGUAGES, text_render
from tests.factories import ContactFactory


def placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", list(DEFAULTS))
def test_every_text_exists_in_four_languages_with_the_same_placeholders(code):
    _purpose, texts = DEFAULTS[code]
    assert set(texts) == set(LANGUAGES) == {"mn", "kk", "ru", "en"}
    assert all(text.strip() for text in texts.values())
    assert len({frozenset(placeholders(t)) for t in texts.values()}) == 1, texts


def test_every_case_status_has_its_own_notification():
    from types import SimpleNamespace

    from cases.workflows import WORKFLOWS

    for workflow in WORKFLOWS.values():
        for status in workflow.statuses:
            if status == workflow.initial_status:
                continue  # a case is born a draft; nobody is told about that
            for decision in ("assigned", "refused"):
                case = SimpleNamespace(decision=decision)
                code = workflow.notification_template(case, status) or f"case_status_{status}"
                assert code in DEFAULTS, (workflow.name, status)


@pytest.mark.django_db
def test_an_operators_wording_wins_and_falls_back_when_broken():
    assert text_render("status_one", "en", number="2026-1", status="Submitted") == (
        "Request 2026-1: Submitted."
    )
    MessageTemplate.objects.create(code="status_one", language="en", body="#{number} is {status}")
    assert text_render("status_one", "en", number="2026-1", status="Submitted") == (
        "#2026-1 is Submitted"
    )
    MessageTemplate.objects.filter(code="status_one").update(body="broken {number")
    assert text_render("status_one", "en", number="2026-1", status="x") == "Request 2026-1: x."
    # A placeholder the caller does not fill stays visible rather than failing.
    MessageTemplate.objects.filter(code="status_one").update(body="{number} {unknown}")
    assert text_render("status_one", "en", number="7") == "7 {unknown}"


@pytest.mark.django_db
def test_an_unknown_language_falls_back_to_english():
    assert text_render("ack", "de") == text_render("ack", "en")


def test_segments_gsm7_and_ucs2():
    assert str(sms_segments("a" * 160)) == "1 × GSM-7 (160)"
    assert sms_segments("a" * 161).segments == 2
    assert sms_segments("a" * 306).segments == 2
    assert sms_segments("a" * 307).segments == 3
    assert sms_segments("[]" * 40).units == 160  # extension characters cost two
    assert sms_segments("Сайн" + "а" * 66).segments == 1
    cyrillic = sms_segments("б" * 71)
    assert (cyrillic.encoding, cyrillic.segments) == ("UCS-2", 2)
    assert sms_segments("б" * 134).segments == 2
    assert sms_segments("б" * 135).segments == 3
    assert sms_segments("").segments == 0


@pytest.mark.django_db
def test_admin_shows_templates_with_their_segments(admin_client):
    MessageTemplate.objects.create(code="ack", language="mn", body="Баярлалаа! " * 8)
    page = admin_client.get("/admin/channels_app/messagetemplate/").content.decode()
    assert "2 × UCS-2 (88)" in page
    template = MessageTemplate.objects.get()
    change = admin_client.get(f"/admin/channels_app/messagetemplate/{template.pk}/change/")
    assert text_render("ack", "mn") in change.content.decode()  # the default, for comparison
    response = admin_client.post(
        "/admin/channels_app/messagetemplate/add/",
        {"code": "help", "language": "en", "body": "Send STATUS, QUEUE, CALL, STOP."},
    )
    assert response.status_code == 302
    assert text_render("help", "en") == "Send STATUS, QUEUE, CALL, STOP."


@pytest.mark.django_db
def test_admin_outbox_and_callbacks_pages(
    admin_client, settings, django_capture_on_commit_callbacks
):
    from channels_app.outbound import message_send
    from tests.factories import IdentityFactory

    settings.TWILIO_ACCOUNT_SID = settings.TWILIO_AUTH_TOKEN = ""
    contact = ContactFactory()
    IdentityFactory(contact=contact, value="+97699001122")
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(contact=contact, channel="sms", template_code="ack")
    CallbackRequest.objects.create(
        contact=contact, channel="sms", phone="+97699001122", due_at=message.created_at
    )
    outbox = admin_client.get("/admin/channels_app/outboundmessage/").content.decode()
    assert "+97699001122" in outbox and "Local outbox" in outbox
    detail = admin_client.get(f"/admin/channels_app/outboundmessage/{message.pk}/change/")
    assert detail.status_code == 200
    assert admin_client.get("/admin/channels_app/callbackrequest/").status_code == 200
    assert admin_client.get("/admin/channels_app/inboundreply/").status_code == 200
    assert OutboundMessage.objects.get().status == OutboundMessage.Status.DELIVERED
