"""The call flow, step by step, with the form fields Twilio posts and valid signatures."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from channels_app.models import CallbackRequest
from crm.models import Interaction
from ivr.models import Call, CallStep, Prompt
from ivr.prompts import default_text
from tests.factories import ContactFactory, IdentityFactory
from tests.sms import twilio_transport as tt

from . import twilio_voice as tv

KNOWN = "+97699112233"
STRANGER = "+97695112233"
UNKNOWN = "+97688001122"

pytestmark = pytest.mark.django_db


def text(key: str, language: str) -> str:
    return default_text(key, language)


@pytest.fixture
def citizen(tree):
    contact = ContactFactory(preferred_language="ru", address_unit=tree.k7)
    IdentityFactory(contact=contact, value=KNOWN)
    return contact


def test_unsigned_or_wrongly_signed_calls_are_refused(client, twilio_webhooks):
    payload = tv.fixture("incoming_call")
    assert tt.post_signed(client, "/ivr/twilio/voice", payload, signature="").status_code == 403
    forged = tt.sign("/ivr/twilio/voice", payload, token="someone-elses-token")
    answer = tt.post_signed(client, "/ivr/twilio/voice", payload, signature=forged)
    assert answer.status_code == 403
    assert not Call.objects.exists()


def test_unknown_caller_chooses_among_four_languages(phone, office_open):
    answer = phone(UNKNOWN).dial()
    gather = answer.gather
    assert gather is not None and gather.get("numDigits") == "1"
    assert gather.get("actionOnEmptyResult") == "true"
    said = [el.text for el in gather.iter("Say")]
    # Russian and English spoken by Twilio; Mongolian and Kazakh fall back to Russian voice
    # until recorded, each still naming its own key.
    assert text("language_option", "ru") in said and text("language_option", "en") in said
    assert len(said) == 4
    assert "/ivr/twilio/step/language?n=1&a=1" in gather.get("action")
    assert answer.verbs == ["Say", "Gather", "Redirect"]  # greeting, question, safety net


@pytest.mark.parametrize(
    ("key", "language", "voice_language"),
    [("1", "mn", "ru-RU"), ("2", "kk", "ru-RU"), ("3", "ru", "ru-RU"), ("4", "en", "en-US")],
)
def test_the_menu_in_each_language(phone, office_open, key, language, voice_language):
    caller = phone(UNKNOWN)
    caller.dial()
    answer = caller.press(key)
    gather = answer.gather
    say = gather.find("Say")
    assert say.get("language") == voice_language
    spoken_in = language if language in ("ru", "en") else "ru"  # no recording yet: Russian
    assert say.text == text("main_menu", spoken_in)
    call = Call.objects.get(call_sid=caller.call_sid)
    assert call.language == language and call.menu_path == [f"language:{language}"]
    if language in ("ru", "en"):
        assert gather.get("input") == "dtmf speech" and gather.get("language") == voice_language
    else:
        assert gather.get("input") == "dtmf"  # Twilio does not recognise mn or kk speech


@pytest.mark.parametrize("language", ["mn", "kk"])
def test_a_recorded_prompt_is_played_and_served_publicly(client, phone, office_open, language):
    Prompt.objects.create(
        key="main_menu", language=language, audio=ContentFile(b"RIFF0000WAVE", name="menu.wav")
    )
    caller = phone(UNKNOWN)
    caller.dial()
    answer = caller.press({"mn": "1", "kk": "2"}[language])
    played = answer.gather.find("Play").text
    assert played.startswith(f"{tt.PUBLIC_BASE_URL}/ivr/prompts/{language}/main_menu.wav?v=")
    audio = client.get(tv.local(played))
    assert audio.status_code == 200 and audio["Content-Type"] == "audio/x-wav"
    assert b"".join(audio.streaming_content) == b"RIFF0000WAVE"
    assert client.get("/ivr/prompts/mn/goodbye.wav").status_code == 404


def test_a_known_caller_hears_the_menu_in_their_language_at_once(phone, citizen, office_open):
    answer = phone(KNOWN).dial()
    said = answer.said()
    assert said[0] == text("greeting_open", "ru")
    assert said[1] == text("main_menu", "ru")
    assert "/ivr/twilio/step/menu?" in answer.gather.get("action")
    call = Call.objects.get()
    assert call.caller_known and call.contact == citizen
    assert call.interaction.kind == Interaction.Kind.CALL
    assert call.interaction.channel == "voice" and call.interaction.direction == "in"


def test_speech_chooses_in_russian(phone, citizen, office_open):
    caller = phone(KNOWN)
    caller.dial()
    answer = caller.say("Соедините с оператором, пожалуйста")
    assert answer.find("Enqueue").text == "hotline-ru"
    assert Call.objects.get().menu_path == ["agent"]


def test_an_invalid_key_is_asked_once_more(phone, citizen, office_open):
    caller = phone(KNOWN)
    caller.dial()
    answer = caller.press("7")
    assert answer.said()[0] == text("invalid_choice", "ru")
    assert "a=2" in answer.gather.get("action")


def test_two_timeouts_go_to_an_agent_while_the_office_is_open(phone, citizen, office_open):
    caller = phone(KNOWN)
    caller.dial()
    first = caller.silence()
    assert first.said()[0] == text("no_input", "ru")
    assert "a=2" in first.gather.get("action")
    second = caller.silence()  # a new step: its own URL, not a replay of the first
    assert second.find("Enqueue") is not None
    assert Call.objects.get().menu_path == ["gave_up"]


def test_two_timeouts_end_politely_when_the_office_is_closed(phone, citizen, office_open):
    office_open(False)
    caller = phone(KNOWN)
    first = caller.dial()
    assert first.said()[0] == text("greeting_closed", "ru")
    caller.silence()
    answer = caller.silence()
    assert answer.said()[-1] == text("goodbye", "ru")
    assert answer.verbs[-1] == "Hangup"


def test_a_replayed_step_answers_the_same_and_does_nothing_twice(phone, citizen, office_open):
    caller = phone(KNOWN)
    caller.dial()
    first = caller.press("4")  # call me back
    again = caller.replay()
    assert again.raw == first.raw
    assert CallbackRequest.objects.filter(contact=citizen).count() == 1
    assert Call.objects.get().menu_path == ["callback"]
    assert CallStep.objects.filter(call_sid=caller.call_sid).count() == 2  # start + menu


def test_a_retried_first_request_is_one_call(phone, citizen, office_open):
    caller = phone(KNOWN)
    first = caller.dial()
    assert caller.dial().raw == first.raw
    assert Call.objects.count() == 1
    assert Interaction.objects.filter(kind=Interaction.Kind.CALL).count() == 1


def test_a_failing_step_apologises_and_offers_a_call_back(phone, citizen, office_open, monkeypatch):
    import ivr.flow

    def broken(ctx):
        raise RuntimeError("registry exploded")

    monkeypatch.setitem(ivr.flow.STEPS, "menu", broken)
    caller = phone(KNOWN)
    caller.dial()
    answer = caller.press("1")
    assert answer.gather.find("Say").text == text("error", "ru")
    assert "/ivr/twilio/step/error" in answer.gather.get("action")
    callback = caller.press("1")
    assert callback.said()[0] == text("callback_confirmed", "ru")
    assert CallbackRequest.objects.filter(contact=citizen).exists()


def test_the_fallback_url_apologises_without_the_database(phone, citizen, office_open):
    caller = phone(KNOWN)
    answer = caller.post("/ivr/twilio/fallback", caller.fields("incoming_call"))
    assert answer.gather.find("Say").text == text("error", "ru")
    assert answer.verbs == ["Gather", "Say", "Hangup"]


def test_call_status_completes_the_timeline_entry(phone, citizen, office_open, client):
    caller = phone(KNOWN)
    caller.dial()
    caller.press("9")
    response = tt.post_signed(client, "/ivr/twilio/status", caller.fields("call_status_completed"))
    assert response.status_code == 204
    call = Call.objects.get()
    assert call.state == Call.State.ENDED and call.duration_seconds == 187
    entry = call.interaction
    entry.refresh_from_db()
    assert "187" in entry.body and "repeat" in entry.body
    assert entry.payload["duration"] == 187 and entry.payload["menu_path"] == ["repeat"]


def test_a_hidden_number_is_served_and_its_message_kept(phone, office_open, client):
    caller = phone("anonymous")
    caller.dial()
    caller.press("3")  # Russian
    status = caller.press("1")
    assert status.said()[0] == text("unknown_caller", "ru")  # nothing told to nobody
    caller.press("")  # no agent, asked again...
    answer = caller.press("9")  # ...and a goodbye
    assert answer.verbs[-1] == "Hangup"

    other = phone("anonymous")
    other.dial()
    other.press("3")
    callback = other.press("4")
    assert callback.said()[0] == text("callback_no_number", "ru")
    assert callback.find("Record") is not None  # a voice message instead
    assert not CallbackRequest.objects.exists()
    recording = other.fields("recording_status")
    tt.post_signed(client, "/ivr/twilio/recording", recording)
    message = Interaction.objects.get(kind=Interaction.Kind.VOICEMAIL)
    assert message.contact.identities.count() == 0 and message.address == ""


def test_the_fallback_answer_leads_to_a_call_back_even_for_a_call_never_stored(
    phone, citizen, office_open
):
    caller = phone(KNOWN)  # the first request failed: Twilio went to the fallback URL
    caller.post("/ivr/twilio/fallback", caller.fields("incoming_call"))
    answer = caller.press("1")
    assert answer.said()[0] == text("callback_confirmed", "ru")
    assert CallbackRequest.objects.get(contact=citizen).channel == "voice"


def test_every_step_speaks_the_callers_language_recorded_or_spoken(phone, tree, office_open):
    """Mongolian with its recordings uploaded plays them; the other three as Twilio says them."""
    from ivr.prompts import prompt_keys

    for key in prompt_keys():
        Prompt.objects.create(key=key, language="mn", audio=ContentFile(b"RIFF", name=f"{key}.mp3"))
    expected_voice = {"mn": None, "kk": "ru-RU", "ru": "ru-RU", "en": "en-US"}
    for index, language in enumerate(["mn", "kk", "ru", "en"]):
        number = f"+9769911220{index}"
        contact = ContactFactory(preferred_language=language, address_unit=tree.k7)
        IdentityFactory(contact=contact, value=number)
        caller = phone(number)
        answers = [caller.dial(), caller.press("1"), caller.press("2"), caller.press("7")]
        answers.append(caller.press("5"))
        for answer in answers:
            says = list(answer.root.iter("Say"))
            plays = answer.played()
            if language == "mn":
                assert says == [] and plays, answer.raw
                assert all("/ivr/prompts/mn/" in url for url in plays)
            else:
                assert plays == [] and says, answer.raw
                assert {s.get("language") for s in says} == {expected_voice[language]}
        assert answers[-1].find("Record") is not None


def test_old_step_answers_are_pruned(phone, citizen, office_open):
    import datetime as dt

    from django.utils import timezone

    from ivr.tasks import call_steps_prune

    phone(KNOWN).dial()
    fresh = phone(KNOWN)
    fresh.dial()
    CallStep.objects.exclude(call_sid=fresh.call_sid).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    assert call_steps_prune() == 1
    assert list(CallStep.objects.values_list("call_sid", flat=True)) == [fresh.call_sid]


@pytest.mark.parametrize(
    "path",
    [
        "/ivr/twilio/step/menu?n=1&a=1",
        "/ivr/twilio/wait",
        "/ivr/twilio/status",
        "/ivr/twilio/recording",
        "/ivr/twilio/bridged",
        "/ivr/twilio/fallback",
        "/ivr/twilio/notify?message=1",
    ],
)
def test_every_twilio_url_refuses_an_unsigned_request(client, twilio_webhooks, path):
    payload = tv.fixture("gather_digits")
    assert tt.post_signed(client, path, payload, signature="").status_code == 403
    assert (
        tt.post_signed(client, path, payload, signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    )


def test_without_an_auth_token_the_hotline_refuses_everything(client, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    payload = tv.fixture("incoming_call")
    signature = tt.sign("/ivr/twilio/voice", payload)
    assert (
        tt.post_signed(client, "/ivr/twilio/voice", payload, signature=signature).status_code == 403
    )
