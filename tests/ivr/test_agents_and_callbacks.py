"""Agents take waiting callers, hear voice messages and call citizens back; voice notices."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from cases.transitions import case_apply_action
from channels_app.models import CallbackRequest, OutboundMessage
from channels_app.tasks import outbound_deliver
from crm.models import Conversation, Interaction
from ivr.models import Call
from ivr.prompts import default_text
from tests.factories import ContactFactory, IdentityFactory
from tests.sms import twilio_transport as tt

from . import twilio_voice as tv

CITIZEN = "+97699112233"
AGENT_PHONE = "+97688997766"

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(tree):
    contact = ContactFactory(preferred_language="en", address_unit=tree.k7)
    IdentityFactory(contact=contact, value=CITIZEN)
    return contact


@pytest.fixture
def agent(staff):
    staff.agent.phone = AGENT_PHONE
    staff.agent.language = "ru"
    staff.agent.save()
    return staff.agent


def waiting_caller(phone) -> tv.Phone:
    caller = phone(CITIZEN)
    caller.dial()
    caller.press("3")
    return caller


def test_an_agent_takes_a_waiting_call_on_their_own_phone(
    client, phone, citizen, agent, voice_api, office_open
):
    caller = waiting_caller(phone)
    call = Call.objects.get(call_sid=caller.call_sid)
    client.force_login(agent)
    inbox = client.get("/console/inbox/list/")
    assert f'data-waiting-call="{call.pk}"'.encode() in inbox.content

    response = client.post(f"/console/calls/{call.pk}/take/")
    assert response.status_code == 302
    (placed,) = voice_api.calls
    assert placed["To"] == AGENT_PHONE and placed["From"] == tt.FROM_NUMBER
    assert placed["StatusCallback"] == f"{tt.PUBLIC_BASE_URL}/ivr/twilio/status"
    twiml = ET.fromstring(placed["Twiml"])
    assert twiml.find("Say").text == default_text("agent_take", "ru")  # the agent's language
    queue = twiml.find("Dial/Queue")
    assert queue.text == "hotline-en"
    assert queue.get("url") == f"{tt.PUBLIC_BASE_URL}/ivr/twilio/bridged"

    # Twilio dequeues the caller for the agent's leg and asks what the caller hears first.
    bridged = caller.post(
        "/ivr/twilio/bridged", caller.fields("queue_dequeue", DequeingCallSid=placed["Sid"])
    )
    assert bridged.said() == [default_text("connecting", "en")]
    call.refresh_from_db()
    assert call.state == Call.State.WITH_AGENT and call.answered_by == agent
    assert Conversation.objects.get(pk=call.conversation_id).assignee == agent

    tt.post_signed(client, "/ivr/twilio/status", caller.fields("call_status_completed"))
    entry = Interaction.objects.get(pk=call.interaction_id)
    assert "agent" in entry.body and entry.payload["answered_by"] == agent.username
    assert entry.payload["menu_path"] == ["agent"] and entry.payload["duration"] == 187


def test_taking_a_call_needs_the_agents_phone_number(
    client, phone, citizen, staff, voice_api, office_open
):
    caller = waiting_caller(phone)
    call = Call.objects.get(call_sid=caller.call_sid)
    client.force_login(staff.agent)
    response = client.post(f"/console/calls/{call.pk}/take/", follow=True)
    assert b"Add your phone number to your staff account" in response.content
    assert voice_api.calls == []


def test_an_agent_opens_a_case_from_a_call_as_from_an_sms(
    client, phone, citizen, agent, voice_api, office_open, placement
):
    caller = waiting_caller(phone)
    call = Call.objects.get(call_sid=caller.call_sid)
    client.force_login(agent)
    page = client.get(f"/console/conversations/{call.conversation_id}/")
    assert page.status_code == 200
    assert f"/console/conversations/{call.conversation_id}/case/".encode() in page.content
    # A caller is answered by phone, not by a typed reply read out by a machine.
    assert b'id="voice-reply"' in page.content and b'id="reply-form"' not in page.content
    created = client.post(
        f"/console/conversations/{call.conversation_id}/case/",
        {"service": placement.pk, "for": "self", "reason_for_care": "Ганцаараа амьдардаг"},
    )
    assert created.status_code == 302
    from cases.models import Case

    case = Case.objects.get(beneficiary=citizen)
    assert case.origin_channel == "voice"


def test_voice_messages_are_played_only_to_staff_who_may_see_the_citizen(
    client, phone, citizen, agent, staff, voice_api, office_open
):
    caller = phone(CITIZEN)
    caller.dial()
    caller.press("5")
    status = caller.fields("recording_status")
    tt.post_signed(client, "/ivr/twilio/recording", status)
    message = Interaction.objects.get(kind=Interaction.Kind.VOICEMAIL)

    client.force_login(agent)
    timeline = client.get(f"/console/citizens/{citizen.pk}/")
    assert f"/console/voicemail/{message.pk}/".encode() in timeline.content
    audio = client.get(f"/console/voicemail/{message.pk}/")
    assert audio.status_code == 200 and audio["Content-Type"] == "audio/mpeg"
    assert audio.content == tv.VoiceHttpClient.AUDIO
    fetched = [r for r in voice_api.requests if r["method"] == "GET"][-1]
    assert fetched["uri"] == status["RecordingUrl"] + ".mp3"
    assert fetched["auth"] == (tt.ACCOUNT_SID, tt.AUTH_TOKEN)  # our credentials, never public

    client.force_login(staff.local_s1)  # another district's worker
    assert client.get(f"/console/voicemail/{message.pk}/").status_code in (302, 404)


@pytest.fixture
def callback(citizen, phone, office_open):
    caller = phone(CITIZEN)
    caller.dial()
    caller.press("4")
    return CallbackRequest.objects.get(contact=citizen)


def test_click_to_call_rings_the_agent_then_the_citizen(client, agent, callback, voice_api):
    client.force_login(agent)
    page = client.get("/console/callbacks/")
    assert f"/console/callbacks/{callback.pk}/dial/".encode() in page.content
    client.post(f"/console/callbacks/{callback.pk}/dial/")
    (placed,) = voice_api.calls
    assert placed["To"] == AGENT_PHONE
    twiml = ET.fromstring(placed["Twiml"])
    assert twiml.find("Dial").get("callerId") == tt.FROM_NUMBER
    assert twiml.find("Dial/Number").text == CITIZEN
    call = Call.objects.get(purpose=Call.Purpose.CLICK_TO_CALL)
    assert call.callback == callback and call.answered_by == agent
    callback.refresh_from_db()
    assert callback.assignee == agent


@pytest.mark.parametrize(
    ("outcome", "status"),
    [("reached", "done"), ("no_answer", "open"), ("wrong_number", "cancelled")],
)
def test_each_outcome_of_a_call_back(client, agent, callback, voice_api, outcome, status):
    client.force_login(agent)
    client.post(f"/console/callbacks/{callback.pk}/dial/")
    before = callback.due_at
    response = client.post(
        f"/console/callbacks/{callback.pk}/outcome/", {"outcome": outcome, "call_note": "Ярьсан"}
    )
    assert response.status_code == 302
    callback.refresh_from_db()
    assert callback.status == status
    entry = Interaction.objects.filter(payload__outcome=outcome).get()
    assert entry.kind == Interaction.Kind.CALL and entry.author == agent
    assert "Ярьсан" in entry.body
    if outcome == "no_answer":
        assert callback.assignee is None and callback.due_at > before  # tried again later
    else:
        assert callback.done_at is not None


def test_an_unknown_outcome_changes_nothing(client, agent, callback):
    client.force_login(agent)
    client.post(f"/console/callbacks/{callback.pk}/outcome/", {"outcome": "maybe"})
    callback.refresh_from_db()
    assert callback.status == "open"


# --- voice notifications ------------------------------------------------------------------


@pytest.fixture
def landline_citizen(tree):
    contact = ContactFactory(
        preferred_language="kk",
        preferred_channel="voice",
        consent_messages=True,
        address_unit=tree.k7,
    )
    IdentityFactory(contact=contact, value="+97670001234")
    return contact


def test_a_voice_notification_unanswered_is_called_again(
    client, landline_citizen, open_case, staff, voice_api, django_capture_on_commit_callbacks,
    settings,
):  # fmt: skip
    settings.IVR_NOTIFY_CALL_ATTEMPTS = 2
    case = open_case(landline_citizen)
    with django_capture_on_commit_callbacks(execute=True):
        case_apply_action(case=case, action="cancel", actor=staff.district, payload={"reason": "x"})
    message = OutboundMessage.objects.get(channel="voice")
    (first,) = voice_api.calls
    assert first["To"] == "+97670001234"
    assert first["Url"] == f"{tt.PUBLIC_BASE_URL}/ivr/twilio/notify?message={message.pk}"
    assert not any(r["uri"].endswith("/Messages.json") for r in voice_api.requests)  # no SMS

    # What the citizen hears on answering: in Kazakh (Russian voice until recorded).
    heard = tv.Answer(
        tt.post_signed(
            client, f"/ivr/twilio/notify?message={message.pk}", tv.fixture("gather_timeout")
        )
    )
    assert heard.said()[0] == default_text("notify_intro", "ru")
    assert default_text("status_cancelled", "ru") in heard.said()

    no_answer = tv.fixture("call_status_no_answer") | {"CallSid": first["Sid"]}
    with django_capture_on_commit_callbacks(execute=True):
        assert tt.post_signed(client, "/ivr/twilio/status", no_answer).status_code == 204
    message.refresh_from_db()
    assert message.status == "pending" and message.error_code == "no-answer"
    assert message.next_attempt_at > timezone.now() + dt.timedelta(minutes=25)
    assert len(voice_api.calls) == 1  # not before its time

    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbound_deliver(message.pk)
    second = voice_api.calls[1]
    message.refresh_from_db()
    assert message.provider_message_id == second["Sid"] and message.attempts == 2

    again = no_answer | {"CallSid": second["Sid"]}
    tt.post_signed(client, "/ivr/twilio/status", again)
    message.refresh_from_db()
    assert message.status == "undelivered"  # two calls were the limit
    timeline = Interaction.objects.get(pk=message.interaction_id)
    assert timeline.status == "undelivered" and "no-answer" in timeline.error_message


def test_an_answered_voice_notification_is_delivered(
    client, landline_citizen, open_case, staff, voice_api, django_capture_on_commit_callbacks
):
    case = open_case(landline_citizen)
    with django_capture_on_commit_callbacks(execute=True):
        case_apply_action(case=case, action="cancel", actor=staff.district, payload={"reason": "x"})
    message = OutboundMessage.objects.get(channel="voice")
    done = tv.fixture("call_status_completed") | {"CallSid": voice_api.calls[0]["Sid"]}
    tt.post_signed(client, "/ivr/twilio/status", done)
    message.refresh_from_db()
    assert message.status == "delivered"
