"""POST /sms/twilio/inbound as Twilio calls it: signed, retried, in four languages."""

from __future__ import annotations

import pytest
from django.test import TestCase
from django.utils import timezone

from channels_app.models import CallbackRequest, InboundReply
from channels_app.texts import text_render
from crm.models import Contact, Conversation, Identity, Interaction
from tests.factories import ContactFactory, IdentityFactory, UserFactory

from . import twilio_transport as tt
from .answers import answer_of

PHONE = "+97699112233"
INBOUND = "/sms/twilio/inbound"

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    contact = ContactFactory(preferred_language="")
    IdentityFactory(contact=contact, value=PHONE)
    return contact


# --- signatures --------------------------------------------------------------------------


def test_a_missing_signature_is_refused_and_nothing_is_stored(client, twilio_webhooks):
    response = tt.post_signed(client, INBOUND, tt.inbound_payload("HELP"), signature="")
    assert response.status_code == 403
    assert Interaction.objects.count() == 0
    assert Contact.objects.count() == 0


def test_a_wrong_signature_is_refused(client, twilio_webhooks):
    payload = tt.inbound_payload("HELP")
    forged = tt.sign(INBOUND, payload, token="someone-elses-token")
    assert tt.post_signed(client, INBOUND, payload, signature=forged).status_code == 403
    tampered = tt.sign(INBOUND, payload)
    payload["Body"] = "STOP"
    assert tt.post_signed(client, INBOUND, payload, signature=tampered).status_code == 403
    assert Interaction.objects.count() == 0


def test_without_an_auth_token_every_webhook_is_refused(client, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    settings.PUBLIC_BASE_URL = tt.PUBLIC_BASE_URL
    payload = tt.inbound_payload("HELP")
    response = tt.post_signed(client, INBOUND, payload, signature=tt.sign(INBOUND, payload))
    assert response.status_code == 403
    assert Interaction.objects.count() == 0


def test_the_signature_covers_the_public_url_not_the_internal_host(client, twilio_webhooks):
    payload = tt.inbound_payload("HELP")
    internal = tt.RequestValidator(tt.AUTH_TOKEN).compute_signature(
        "http://testserver" + INBOUND, payload
    )
    assert tt.post_signed(client, INBOUND, payload, signature=internal).status_code == 403
    assert tt.post_signed(client, INBOUND, payload).status_code == 200


def test_a_signature_over_the_public_url_with_its_port_is_accepted(client, twilio_webhooks):
    # Twilio signs the URL as configured; some consoles add the default port to it.
    payload = tt.inbound_payload("HELP")
    with_port = tt.PUBLIC_BASE_URL.replace(".mn", ".mn:443") + INBOUND
    assert with_port != tt.PUBLIC_BASE_URL + INBOUND
    signature = tt.RequestValidator(tt.AUTH_TOKEN).compute_signature(with_port, payload)
    assert tt.post_signed(client, INBOUND, payload, signature=signature).status_code == 200


def test_get_is_not_allowed(client, twilio_webhooks):
    assert client.get(INBOUND).status_code == 405


# --- storing and retries -----------------------------------------------------------------


def test_an_unknown_sender_becomes_a_contact_with_a_conversation_and_an_ack(
    client, twilio_webhooks
):
    response = tt.sms(client, "Сайн байна уу, тэтгэмжийн талаар асуух гэсэн юм", "+976 9911 2233")
    assert answer_of(response) == text_render("ack", "mn")  # the deployment's language
    contact = Contact.objects.get()
    assert not contact.is_identified
    assert contact.identities.get().value == PHONE  # normalised to E.164
    inbound = Interaction.objects.get(direction=Interaction.Direction.INBOUND)
    assert inbound.body.startswith("Сайн байна уу")
    assert inbound.payload["AccountSid"] == tt.ACCOUNT_SID
    assert inbound.conversation.status == Conversation.Status.OPEN
    ack = Interaction.objects.get(direction=Interaction.Direction.OUTBOUND)
    assert ack.conversation == inbound.conversation
    assert ack.body == text_render("ack", "mn")


def test_a_second_message_soon_after_gets_no_second_ack(client, twilio_webhooks, citizen):
    assert answer_of(tt.sms(client, "Hello")) is not None
    assert answer_of(tt.sms(client, "I have a question about my mother")) is None
    assert Conversation.objects.get().unread_count == 2


def test_a_retried_message_sid_changes_nothing_and_answers_the_same(
    client, twilio_webhooks, citizen
):
    payload = tt.inbound_payload("CALL")
    first = tt.post_signed(client, INBOUND, payload)
    again = tt.post_signed(client, INBOUND, payload)
    assert first.content == again.content
    assert answer_of(first) == answer_of(again)
    assert Interaction.objects.filter(direction=Interaction.Direction.INBOUND).count() == 1
    assert Interaction.objects.filter(direction=Interaction.Direction.OUTBOUND).count() == 1
    assert CallbackRequest.objects.count() == 1
    assert InboundReply.objects.count() == 1


def test_a_retry_after_an_opt_out_still_answers_as_the_first_time(client, twilio_webhooks, citizen):
    payload = tt.inbound_payload("HELP")
    first = tt.post_signed(client, INBOUND, payload)
    tt.sms(client, "STOP")
    assert tt.post_signed(client, INBOUND, payload).content == first.content


# --- keywords in every language ----------------------------------------------------------

KEYWORDS = [
    # (text, language it implies, command, template of the reply)
    ("HELP", "en", "help", "help"),
    ("help", "en", "help", "help"),
    ("ТУСЛАМЖ", "mn", "help", "help"),
    ("tuslamj", "mn", "help", "help"),
    ("Помощь", "ru", "help", "help"),
    ("КӨМЕК", "kk", "help", "help"),
    ("комек", "kk", "help", "help"),
    ("STATUS", "en", "status", "status_none"),
    ("төлөв", "mn", "status", "status_none"),
    ("ТОЛОВ", "mn", "status", "status_none"),
    ("статус", "ru", "status", "status_none"),
    ("МӘРТЕБЕ", "kk", "status", "status_none"),
    ("martebe", "kk", "status", "status_none"),
    ("QUEUE", "en", "queue", "status_none"),
    ("ДАРААЛАЛ", "mn", "queue", "status_none"),
    ("очередь", "ru", "queue", "status_none"),
    ("КЕЗЕК", "kk", "queue", "status_none"),
    ("CALL", "en", "call", "callback_confirmed"),
    ("Залга", "mn", "call", "callback_confirmed"),
    ("ПОЗВОНИТЬ", "ru", "call", "callback_confirmed"),
    ("ҚОҢЫРАУ", "kk", "call", "callback_confirmed"),
    ("konyrau", "kk", "call", "callback_confirmed"),
    ("STOP", "en", "stop", "opted_out"),
    ("ЗОГС", "mn", "stop", "opted_out"),
    ("стоп", "ru", "stop", "opted_out"),
    ("ТОҚТА", "kk", "stop", "opted_out"),
    ("токта!", "kk", "stop", "opted_out"),
    ("START", "en", "start", "opted_in"),
    ("ЭХЛЭХ", "mn", "start", "opted_in"),
    ("Старт", "ru", "start", "opted_in"),
    ("БАСТАУ", "kk", "start", "opted_in"),
]


@pytest.mark.parametrize(("text", "language", "command", "template"), KEYWORDS)
def test_each_keyword_in_each_language(
    client, twilio_webhooks, citizen, text, language, command, template
):
    answer = answer_of(tt.sms(client, text))
    citizen.refresh_from_db()
    assert citizen.preferred_language == language  # learnt from the keyword
    if template == "callback_confirmed":
        callback = CallbackRequest.objects.get(contact=citizen)
        assert callback.phone == PHONE
        assert callback.status == CallbackRequest.Status.OPEN
        assert callback.due_at > timezone.now()
        assert answer.startswith(text_render(template, language, phone=PHONE, due="@")[:10])
        assert PHONE in answer
    else:
        assert answer == text_render(template, language)
    # Keywords are self-service: they do not open a conversation in the agents' inbox.
    assert not Conversation.objects.exists()
    inbound = Interaction.objects.get(direction=Interaction.Direction.INBOUND)
    assert inbound.body == text
    assert InboundReply.objects.get(inbound=inbound).command == command


def test_queue_keyword_with_no_cases_tells_so_in_the_keywords_language(
    client, twilio_webhooks, citizen
):
    assert answer_of(tt.sms(client, "КЕЗЕК")) == text_render("status_none", "kk")


def test_a_known_language_wins_over_the_keywords(client, twilio_webhooks, citizen):
    citizen.preferred_language = "ru"
    citizen.save()
    assert answer_of(tt.sms(client, "HELP")) == text_render("help", "ru")
    citizen.refresh_from_db()
    assert citizen.preferred_language == "ru"


def test_the_help_text_lists_the_keywords_of_its_language(client, twilio_webhooks, citizen):
    answer = answer_of(tt.sms(client, "ТУСЛАМЖ"))
    for word in ("ТӨЛӨВ", "ДАРААЛАЛ", "ЗАЛГА", "ЗОГС", "ЭХЛЭХ"):
        assert word in answer


def test_a_keyword_inside_a_sentence_is_a_message_for_the_agents(client, twilio_webhooks, citizen):
    answer = answer_of(tt.sms(client, "Stop by my house tomorrow please"))
    assert answer == text_render("ack", "mn")
    assert Identity.objects.get(value=PHONE).opted_out_at is None
    assert Conversation.objects.get().contact == citizen


# --- opt-out and callbacks ---------------------------------------------------------------


def test_stop_then_start(client, twilio_webhooks, citizen):
    answer_of(tt.sms(client, "STOP"))
    assert Identity.objects.get(value=PHONE).opted_out_at is not None
    # While opted out, only START and HELP are answered; the message is still kept.
    assert answer_of(tt.sms(client, "STATUS")) is None
    assert answer_of(tt.sms(client, "Are you there?")) is None
    assert Conversation.objects.get().interactions.filter(body="Are you there?").exists()
    assert answer_of(tt.sms(client, "HELP")) == text_render("help", "en")
    assert answer_of(tt.sms(client, "START")) == text_render("opted_in", "en")
    assert Identity.objects.get(value=PHONE).opted_out_at is None


def test_call_twice_is_one_callback_task(client, twilio_webhooks, citizen):
    first = answer_of(tt.sms(client, "CALL"))
    second = answer_of(tt.sms(client, "ЗАЛГА"))
    assert CallbackRequest.objects.count() == 1
    callback = CallbackRequest.objects.get()
    assert callback.channel == "sms"
    assert callback.interaction.body == "CALL"
    assert PHONE in first and PHONE in second


def test_a_callback_for_an_unknown_sender(client, twilio_webhooks):
    tt.sms(client, "CALL", "+97688001122")
    callback = CallbackRequest.objects.get()
    assert callback.phone == "+97688001122"
    assert not callback.contact.is_identified


def test_a_keyword_that_fails_is_kept_retried_then_parked_as_failed(
    client, twilio_webhooks, citizen, monkeypatch, settings
):
    from channels_app import commands
    from channels_app.models import InboundDelivery
    from channels_app.tasks import inbound_process

    settings.INBOUND_MAX_ATTEMPTS = 3

    def broken(command, ctx):
        # It wrote something before failing: that must be rolled back with it.
        CallbackRequest.objects.create(
            contact=ctx.contact, channel="sms", phone=ctx.address, due_at=timezone.now()
        )
        raise RuntimeError("the case registry is down")

    monkeypatch.setitem(commands._HANDLERS, commands.CALL, broken)
    payload = tt.inbound_payload("ЗАЛГА")
    first = tt.post_signed(client, INBOUND, payload)
    assert first.status_code == 200  # Twilio is answered at once; the failure is ours
    delivery = InboundDelivery.objects.get(provider_id=payload["MessageSid"])
    assert delivery.status == InboundDelivery.Status.RETRYING
    assert delivery.attempts == 1
    assert "the case registry is down" in delivery.error
    assert delivery.payload["Body"] == "ЗАЛГА"
    assert CallbackRequest.objects.count() == 0
    # Twilio retrying meanwhile changes nothing.
    assert tt.post_signed(client, INBOUND, payload).content == first.content
    assert InboundDelivery.objects.count() == 1
    for attempt in (2, 3):
        InboundDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        inbound_process(delivery.pk)
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
    assert delivery.status == InboundDelivery.Status.FAILED
    assert not Interaction.objects.exists()
    assert CallbackRequest.objects.count() == 0

    # Fixed, the operator re-runs it from the admin: the citizen gets the answer once.
    monkeypatch.undo()
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/admin/channels_app/inbounddelivery/",
            {"action": "rerun", "_selected_action": [delivery.pk]},
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == InboundDelivery.Status.PROCESSED
    assert CallbackRequest.objects.get().interaction == delivery.interaction
    reply = InboundReply.objects.get(inbound=delivery.interaction)
    assert PHONE in reply.reply_text


def test_a_keyword_and_its_answer_are_announced_once(client, twilio_webhooks, citizen):
    from crm.events import interaction_recorded

    heard: list[dict] = []

    def listener(sender, **kwargs):
        heard.append(kwargs)

    interaction_recorded.connect(listener, dispatch_uid="test.announced_once")
    try:
        # The webhook's after-commit work (here: the worker's) runs inside ``tt.sms``.
        assert answer_of(tt.sms(client, "HELP"))
    finally:
        interaction_recorded.disconnect(dispatch_uid="test.announced_once")
    # The answer is on the timeline, but listeners hear of the citizen's message only.
    assert Interaction.objects.filter(contact=citizen).count() == 2
    assert [event["direction"] for event in heard] == [Interaction.Direction.INBOUND]
