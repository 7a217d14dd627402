"""POST /sms/twilio/status: Twilio telling us how far a message got."""

from __future__ import annotations

import logging

import pytest

from channels_app.models import OutboundMessage
from channels_app.outbound import message_send
from crm.models import Interaction
from tests.factories import ContactFactory, IdentityFactory

from . import twilio_transport as tt

STATUS = "/sms/twilio/status"
PHONE = "+97699112233"

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(twilio_api, django_capture_on_commit_callbacks) -> OutboundMessage:
    contact = ContactFactory(preferred_language="en")
    IdentityFactory(contact=contact, value=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(contact=contact, channel="sms", template_code="help")
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.QUEUED
    return message


def callback(name: str, sid: str) -> dict:
    payload = tt.fixture(name)
    payload.update(MessageSid=sid, SmsSid=sid)
    return payload


def test_delivered(client, sent):
    response = tt.post_signed(
        client, STATUS, callback("status_delivered", sent.provider_message_id)
    )
    assert response.status_code == 204
    sent.refresh_from_db()
    assert sent.status == OutboundMessage.Status.DELIVERED
    assert sent.interaction.status == Interaction.Status.DELIVERED


def test_undelivered_with_an_error_code_shows_the_reason_on_the_timeline(client, sent):
    payload = callback("status_undelivered", sent.provider_message_id)
    assert tt.post_signed(client, STATUS, payload).status_code == 204
    sent.refresh_from_db()
    assert (sent.status, sent.error_code) == (OutboundMessage.Status.UNDELIVERED, "30003")
    assert sent.interaction.status == Interaction.Status.UNDELIVERED
    assert sent.interaction.error_code == "30003"
    assert "Unreachable handset" in sent.interaction.error_message


def test_a_late_sent_after_delivered_does_not_move_the_message_back(client, sent):
    sid = sent.provider_message_id
    tt.post_signed(client, STATUS, callback("status_delivered", sid))
    late = callback("status_delivered", sid)
    late.update(MessageStatus="sent", SmsStatus="sent")
    assert tt.post_signed(client, STATUS, late).status_code == 204
    sent.refresh_from_db()
    assert sent.status == OutboundMessage.Status.DELIVERED


def test_an_unknown_message_sid_is_logged_and_acknowledged(client, twilio_webhooks, caplog):
    with caplog.at_level(logging.WARNING, logger="sms.views"):
        response = tt.post_signed(client, STATUS, callback("status_delivered", tt.new_sid()))
    assert response.status_code == 204
    assert "unknown message" in caplog.text


def test_an_unsigned_status_callback_is_refused(client, sent):
    payload = callback("status_delivered", sent.provider_message_id)
    assert tt.post_signed(client, STATUS, payload, signature="").status_code == 403
    sent.refresh_from_db()
    assert sent.status == OutboundMessage.Status.QUEUED


def test_a_status_callback_faster_than_our_own_commit_is_applied_when_the_send_is_recorded(
    client, twilio_api, django_capture_on_commit_callbacks
):
    from channels_app.models import EarlyDeliveryStatus

    contact = ContactFactory(preferred_language="en")
    IdentityFactory(contact=contact, value=PHONE)
    early: list[int] = []

    def twilio_calls_back_at_once(resource):
        # Twilio reports "delivered" while our worker is still waiting for its answer.
        response = tt.post_signed(client, STATUS, callback("status_delivered", resource["sid"]))
        early.append(response.status_code)
        assert EarlyDeliveryStatus.objects.filter(provider_message_id=resource["sid"]).exists()

    twilio_api.on_created = twilio_calls_back_at_once
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(contact=contact, channel="sms", template_code="help")
    assert early == [204]
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.DELIVERED
    assert message.interaction.status == Interaction.Status.DELIVERED
    assert EarlyDeliveryStatus.objects.count() == 0


def test_an_early_report_for_a_message_recorded_meanwhile_is_applied_at_once(client, sent):
    from channels_app.models import EarlyDeliveryStatus
    from channels_app.status import early_statuses_apply

    # The report was kept while the sender committed the id (the race's other order).
    EarlyDeliveryStatus.objects.create(
        channel="sms", provider_message_id=sent.provider_message_id, status="delivered"
    )
    applied = early_statuses_apply(channel="sms", provider_message_ids=[sent.provider_message_id])
    assert applied[sent.provider_message_id].pk == sent.pk
    sent.refresh_from_db()
    assert sent.status == OutboundMessage.Status.DELIVERED
    assert EarlyDeliveryStatus.objects.count() == 0


def test_reports_for_ids_never_recorded_expire(twilio_webhooks):
    from datetime import timedelta

    from django.utils import timezone

    from channels_app.models import EarlyDeliveryStatus
    from channels_app.tasks import outbound_reconcile_sending

    old = EarlyDeliveryStatus.objects.create(
        channel="sms", provider_message_id=tt.new_sid(), status="delivered"
    )
    EarlyDeliveryStatus.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - timedelta(days=3)
    )
    fresh = EarlyDeliveryStatus.objects.create(
        channel="sms", provider_message_id=tt.new_sid(), status="sent"
    )
    outbound_reconcile_sending()
    assert list(EarlyDeliveryStatus.objects.values_list("pk", flat=True)) == [fresh.pk]
