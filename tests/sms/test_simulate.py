"""The operator's simulator against a live server: signed like Twilio, answered by a worker."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from channels_app.models import CallbackRequest
from channels_app.texts import text_render
from crm.models import Interaction

from . import twilio_transport as tt

# A live server reads what the test wrote, so the data must be committed (no wrapping
# transaction); these tests need nothing the migrations seed.
live = pytest.mark.django_db(transaction=True)


def simulate(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("sms_simulate", *args, stdout=out, stderr=err)
    return out.getvalue()


@live
def test_simulated_sms_reaches_a_running_server(live_server, twilio_webhooks):
    answer = simulate("--server", live_server.url, "--from", "+97699112233", "ТУСЛАМЖ")
    assert answer.strip() == text_render("help", "mn")
    inbound = Interaction.objects.get(direction=Interaction.Direction.INBOUND)
    assert (inbound.address, inbound.body) == ("+97699112233", "ТУСЛАМЖ")
    assert set(inbound.payload) >= {"MessageSid", "SmsSid", "AccountSid", "NumSegments", "To"}

    simulate("--server", live_server.url, "--from", "+97699112233", "CALL")
    assert CallbackRequest.objects.get().phone == "+97699112233"


@live
def test_a_repeated_message_sid_gets_the_same_answer(live_server, twilio_webhooks):
    args = ("--server", live_server.url, "--from", "+97699112233", "--message-sid", "SM" + "1" * 32)
    first = simulate(*args, "Hello, I need help with my pension")
    second = simulate(*args, "Hello, I need help with my pension")
    assert first == second
    assert Interaction.objects.filter(direction=Interaction.Direction.INBOUND).count() == 1


@live
def test_a_server_with_another_token_refuses_the_simulation(live_server, twilio_webhooks):
    with pytest.raises(CommandError, match="403"):
        simulate("--server", live_server.url, "--from", "+97699112233", "--token", "x", "HELP")
    assert not Interaction.objects.exists()


def test_without_a_token_the_command_says_what_to_set(settings):
    settings.TWILIO_AUTH_TOKEN = ""
    with pytest.raises(CommandError, match="TWILIO_AUTH_TOKEN"):
        simulate("--from", "+97699112233", "HELP")


def test_the_payload_has_every_field_twilio_posts():
    from sms.management.commands.sms_simulate import inbound_payload

    payload = inbound_payload(
        sender="+97699112233", to=tt.FROM_NUMBER, body="hi", account_sid="AC1"
    )
    assert set(payload) == set(tt.fixture("inbound_sms"))
