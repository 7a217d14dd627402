"""What callers learn about their requests, the line for an agent, and voice messages."""

from __future__ import annotations

import pytest

from channels_app.models import CallbackRequest
from crm.models import Conversation, Interaction, RegistryPerson
from ivr.models import Call
from ivr.prompts import default_text
from tests.channels_app.conftest import queue_up
from tests.factories import ContactFactory, IdentityFactory
from tests.sms import twilio_transport as tt

from . import twilio_voice as tv

MOTHER = "+97699112233"
STRANGER = "+97695112233"
UNKNOWN = "+97688001122"
KZ_UNKNOWN = "+77011234567"

pytestmark = pytest.mark.django_db


def text(key: str, language: str) -> str:
    return default_text(key, language)


@pytest.fixture
def family(tree):
    mother = ContactFactory(preferred_language="en", address_unit=tree.k7)
    IdentityFactory(contact=mother, value=MOTHER)
    stranger = ContactFactory(preferred_language="en", address_unit=tree.k7)
    IdentityFactory(contact=stranger, value=STRANGER)
    return mother, stranger


def test_the_beneficiary_hears_their_request_and_its_status(phone, family, open_case, office_open):
    case = open_case(family[0])
    caller = phone(MOTHER)
    caller.dial()
    answer = caller.press("1")
    said = answer.said()
    year, serial = case.number.split("-")
    assert said[:4] == [
        text("case_intro", "en"),
        f"{year} {serial.lstrip('0')}",
        text("case_status_intro", "en"),
        text("status_draft", "en"),
    ]
    assert said[4] == text("main_menu", "en")  # back to the menu: a new step of its own


def test_a_strangers_number_is_told_nothing_about_anyone_elses_request(
    phone, family, open_case, office_open
):
    case = open_case(family[0])
    caller = phone(STRANGER)
    caller.dial()
    answer = caller.press("1")
    assert answer.said()[0] == text("no_cases", "en")
    assert case.number not in answer.raw
    assert text("case_intro", "en") not in answer.said()
    # Keying in the mother's request number changes nothing: a stranger has no cases to pick.
    assert "pick" not in answer.gather.get("action")


def test_an_unknown_number_is_offered_an_agent(phone, family, open_case, office_open):
    open_case(family[0])
    caller = phone(UNKNOWN)
    caller.dial()
    caller.press("4")  # English
    answer = caller.press("1")
    assert [s for s in answer.said()] == [text("unknown_caller", "en"), text("offer_agent", "en")]
    assert caller.press("1").find("Enqueue").text == "hotline-en"


def test_a_caller_with_several_requests_keys_one_in(phone, family, open_case, office_open):
    mother = family[0]
    first, second = open_case(mother), open_case(mother)
    caller = phone(MOTHER)
    caller.dial()
    pick = caller.press("1")
    assert pick.said()[0] == text("pick_case", "en")
    assert pick.gather.get("finishOnKey") == "#"
    wrong = caller.press("999999")
    assert wrong.said()[0] == text("case_not_found", "en")
    answer = caller.press(second.number.split("-")[1])  # "000124", zeros and all
    assert answer.said()[1] == f"{second.number.split('-')[0]} {second.number[5:].lstrip('0')}"
    assert first.number[5:].lstrip("0") not in answer.said()[1]


def test_queue_place_is_spoken(phone, family, open_case, office_open):
    mother = family[0]
    case = queue_up(open_case(mother))
    caller = phone(MOTHER)
    caller.dial()
    answer = caller.press("2")
    said = answer.said()
    assert text("queue_place", "en") in said
    assert said[said.index(text("queue_place", "en")) + 1] == "1"
    assert case.number[5:].lstrip("0") in said[1]


def test_queue_without_a_waiting_request(phone, family, open_case, office_open):
    open_case(family[0])
    caller = phone(MOTHER)
    caller.dial()
    assert caller.press("2").said()[0] == text("queue_none", "en")


def test_an_unknown_caller_in_kazakhstan_keys_in_an_iin(phone, office_open, db):
    from crm.national_ids import iin_check_digit

    valid = "90010130000"
    valid += str(iin_check_digit(valid))
    RegistryPerson.objects.create(
        national_id=valid,
        first_name="Айгүл",
        last_name="Серікова",
        birth_date="1990-01-01",
        sex="F",
    )
    caller = phone(KZ_UNKNOWN)
    caller.dial()
    caller.press("2")  # Kazakh
    ask = caller.press("1")
    assert ask.said() == [text("unknown_caller", "ru"), text("enter_iin", "ru")]  # kk: no voice
    invalid = caller.press("900101300001" if valid[-1] != "1" else "900101300002")
    assert invalid.said()[0] == text("iin_invalid", "ru")
    assert "a=2" in invalid.gather.get("action")
    found = caller.press(valid)
    assert found.said() == [text("iin_found", "ru"), text("offer_agent", "ru")]
    call = Call.objects.get()
    assert call.menu_path[-1] == "iin:found"
    assert call.interaction.payload["iin"] == valid


def test_waiting_callers_hear_their_place_and_wait_then_may_leave_for_a_call_back(
    phone, family, office_open, client, settings
):
    settings.IVR_QUEUE_CALLBACK_OFFER_SECONDS = 120
    caller = phone(MOTHER)
    caller.dial()
    enqueue = caller.press("3")
    dequeued_url = caller.enqueue_action()
    assert enqueue.find("Enqueue").get("waitUrl") == f"{tt.PUBLIC_BASE_URL}/ivr/twilio/wait"
    call = Call.objects.get()
    assert call.state == Call.State.QUEUED
    # The conversation is in the agents' inbox.
    conversation = Conversation.objects.get(contact=family[0], channel="voice")
    assert conversation.status == "open" and call.conversation == conversation

    early = caller.post("/ivr/twilio/wait", caller.fields("queue_wait"))
    assert early.said() == [text("line_place", "en"), "3", text("line_minutes", "en"), "2"]
    assert early.gather is None and early.verbs[-1] == "Pause"
    late = caller.post("/ivr/twilio/wait", caller.fields("queue_wait", QueueTime="150"))
    assert late.gather.find("Say").text == text("line_offer_callback", "en")
    leave = caller.press("1")
    assert leave.verbs == ["Leave"]
    after = caller.post(dequeued_url, caller.fields("enqueue_action"))
    assert after.said()[0] == text("callback_confirmed", "en")
    assert after.verbs[-1] == "Hangup"
    assert CallbackRequest.objects.get(contact=family[0]).channel == "voice"


def test_a_voice_message_lands_on_the_timeline_and_in_the_inbox(phone, family, office_open, client):
    caller = phone(MOTHER)
    caller.dial()
    record = caller.press("5")
    element = record.find("Record")
    assert element.get("recordingStatusCallback") == f"{tt.PUBLIC_BASE_URL}/ivr/twilio/recording"
    assert element.get("finishOnKey") == "#" and element.get("maxLength") == "120"
    thanks = caller.post(tv.local(element.get("action")), caller.fields("record_action"))
    assert thanks.said()[0] == text("voicemail_thanks", "en")
    status = caller.fields("recording_status")
    status.pop("From"), status.pop("Caller")
    response = tt.post_signed(client, "/ivr/twilio/recording", status)
    assert response.status_code == 204
    assert tt.post_signed(client, "/ivr/twilio/recording", status).status_code == 204  # retry
    message = Interaction.objects.get(kind=Interaction.Kind.VOICEMAIL)
    assert message.contact == family[0] and message.channel == "voice"
    assert message.payload["recording_sid"] == status["RecordingSid"]
    assert message.conversation.status == "open"
    assert "14" in message.body


def test_a_call_back_is_due_within_office_hours_and_the_caller_hears_when(phone, family):
    """Default office hours (08:30-17:30, lunch 12:30-13:30 in Ulaanbaatar), whatever the hour."""
    import datetime as dt

    from cases.sla import schedule_for

    caller = phone(MOTHER)
    caller.dial()
    answer = caller.press("4")
    callback = CallbackRequest.objects.get(contact=family[0])
    schedule = schedule_for("MN")
    assert schedule.is_open(callback.due_at - dt.timedelta(seconds=1))
    local = schedule.local(callback.due_at)
    said = answer.said()
    assert said[said.index(text("callback_confirmed", "en")) + 1] == f"{local:%-H:%M}"


def test_a_call_back_asked_at_dawn_is_due_two_office_hours_after_opening(db):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from channels_app.commands import callback_due_at

    ulaanbaatar = ZoneInfo("Asia/Ulaanbaatar")
    tuesday_dawn = dt.datetime(2026, 12, 1, 5, 12, tzinfo=ulaanbaatar)
    assert callback_due_at(country="MN", at=tuesday_dawn) == dt.datetime(
        2026, 12, 1, 10, 30, tzinfo=ulaanbaatar
    )
    friday_evening = dt.datetime(2026, 12, 4, 16, 50, tzinfo=ulaanbaatar)
    assert callback_due_at(country="MN", at=friday_evening) == dt.datetime(
        2026, 12, 7, 9, 50, tzinfo=ulaanbaatar
    )


@pytest.mark.parametrize("result", ["queue-full", "error", "system-error"])
def test_a_queue_that_fails_apologises_and_offers_a_call_back(phone, family, office_open, result):
    caller = phone(MOTHER)
    caller.dial()
    caller.press("3")
    dequeued = caller.enqueue_action()
    answer = caller.post(dequeued, caller.fields("enqueue_action", QueueResult=result))
    assert answer.gather.find("Say").text == text("error", "en")
    assert caller.press("1").said()[0] == text("callback_confirmed", "en")


def test_a_caller_who_hangs_up_while_waiting_leaves_the_inbox(phone, family, office_open, client):
    caller = phone(MOTHER)
    caller.dial()
    caller.press("3")
    dequeued = caller.enqueue_action()
    gone = caller.post(dequeued, caller.fields("enqueue_action", QueueResult="hangup"))
    assert gone.verbs == []
    tt.post_signed(client, "/ivr/twilio/status", caller.fields("call_status_completed"))
    call = Call.objects.get()
    assert call.state == Call.State.ENDED
    from ivr.services import waiting_calls

    assert waiting_calls(conversation_ids=[call.conversation_id]) == {}


def test_a_kazakh_number_is_greeted_in_kazakh_before_choosing(phone, office_open, db):
    from django.core.files.base import ContentFile

    from ivr.models import Prompt

    Prompt.objects.create(
        key="greeting_open", language="kk", audio=ContentFile(b"RIFF", name="g.wav")
    )
    answer = phone(KZ_UNKNOWN).dial()
    assert "/ivr/prompts/kk/greeting_open.wav" in answer.played()[0]
    assert Call.objects.get().country == "KZ"


def test_a_voice_message_of_a_call_we_never_stored_still_reaches_the_timeline(
    client, family, voice_api
):
    status = tv.fixture("recording_status") | {"CallSid": tv.new_call_sid()}
    voice_api.caller_of[status["CallSid"]] = MOTHER
    assert tt.post_signed(client, "/ivr/twilio/recording", status).status_code == 204
    message = Interaction.objects.get(kind=Interaction.Kind.VOICEMAIL)
    assert message.contact == family[0]
    fetched = [r["uri"] for r in voice_api.requests if r["method"] == "GET"]
    assert fetched == [
        f"https://api.twilio.com/2010-04-01/Accounts/{tt.ACCOUNT_SID}/Calls/{status['CallSid']}.json"
    ]
