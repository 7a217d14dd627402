"""The operator's call simulator against a live server."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from channels_app.models import CallbackRequest
from ivr.models import Call
from ivr.prompts import default_text

live = pytest.mark.django_db(transaction=True)


def simulate(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("ivr_simulate", *args, stdout=out, stderr=err)
    return out.getvalue()


@live
def test_a_simulated_call_walks_the_menu(live_server, twilio_webhooks):
    heard = simulate("--server", live_server.url, "--from", "+97699112233", "--keys", "4,,4")
    assert default_text("language_option", "en") in heard
    assert default_text("no_input", "en") in heard  # the silence
    assert default_text("callback_confirmed", "en") in heard
    assert heard.rstrip().endswith("-- call ended")
    call = Call.objects.get()
    assert call.language == "en" and call.menu_path == ["language:en", "callback"]
    assert call.state == Call.State.ENDED
    assert CallbackRequest.objects.get().phone == "+97699112233"


@live
def test_a_server_with_another_token_refuses_the_simulation(live_server, twilio_webhooks):
    with pytest.raises(CommandError, match="403"):
        simulate(
            "--server", live_server.url, "--from", "+97699112233", "--token", "wrong", "--keys", ""
        )
