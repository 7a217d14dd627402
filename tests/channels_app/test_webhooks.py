"""Provider webhooks are answered without the browser's middleware, their signature checks kept."""

from __future__ import annotations

import json

import pytest

from channels_app.models import InboundDelivery
from tests.sms import twilio_transport as tt

pytestmark = pytest.mark.django_db

BROWSER_HEADERS = ("Content-Language", "Content-Security-Policy", "X-Frame-Options")


def test_an_inbound_sms_skips_session_locale_and_page_policies(client, twilio_webhooks):
    response = tt.sms(client, "HELP")
    assert response.status_code == 200
    assert InboundDelivery.objects.count() == 1
    for header in BROWSER_HEADERS:
        assert header not in response.headers, header
    assert "sessionid" not in response.cookies
    # Django's SecurityMiddleware, before it, still answers for the transport.
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_wrongly_signed_webhook_is_still_refused(client, twilio_webhooks):
    response = tt.post_signed(client, "/sms/twilio/inbound", tt.inbound_payload("HELP"),
                              signature="bm90IGEgc2lnbmF0dXJl")  # fmt: skip
    assert response.status_code == 403
    assert not InboundDelivery.objects.exists()


def test_a_telegram_update_without_the_secret_is_refused(client, settings):
    settings.TELEGRAM_WEBHOOK_SECRET = "s3cret-token"
    update = {"update_id": 7, "message": {"message_id": 1, "text": "hi"}}
    refused = client.post("/telegram/webhook", json.dumps(update), content_type="application/json")
    assert refused.status_code == 403
    assert not InboundDelivery.objects.exists()


def test_a_get_and_every_other_page_still_go_through_the_whole_stack(client, twilio_webhooks):
    wrong_method = client.get("/sms/twilio/inbound")
    assert wrong_method.status_code == 405
    assert "Content-Security-Policy" in wrong_method.headers
    login = client.post("/console/login/", {"username": "nobody", "password": "x"})
    assert "Content-Security-Policy" in login.headers
