"""The outbox: one row per decision, delivered after commit, once, with retries and reasons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from channels_app.delivery import MAX_ATTEMPTS, outbox_claim, outbox_deliver, retry_countdown
from channels_app.models import OutboundMessage
from channels_app.outbound import message_send, reply_send
from channels_app.tasks import outbound_deliver
from crm.errors import ValidationFailed
from crm.models import Identity, Interaction
from tests.factories import ContactFactory, ConversationFactory, IdentityFactory, UserFactory
from tests.sms import twilio_transport as tt

PHONE = "+97699112233"
_STALE = dt.timedelta(hours=1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    contact = ContactFactory(preferred_language="mn")
    IdentityFactory(contact=contact, value=PHONE)
    return contact


def send(citizen, capture, **kwargs):
    kwargs.setdefault("channel", "sms")
    kwargs.setdefault("template_code", "help")
    with capture(execute=True):
        message = message_send(contact=citizen, **kwargs)
    message.refresh_from_db()
    return message


def test_embedded_default_delivers_to_the_local_outbox(
    citizen, settings, django_capture_on_commit_callbacks
):
    settings.TWILIO_ACCOUNT_SID = settings.TWILIO_AUTH_TOKEN = ""
    message = send(citizen, django_capture_on_commit_callbacks)
    assert message.status == OutboundMessage.Status.DELIVERED
    assert message.transport == OutboundMessage.Transport.LOCAL
    assert message.address == PHONE
    assert message.body.startswith("Үгс: ТӨЛӨВ")  # the contact's language
    assert message.provider_message_id is None
    timeline = message.interaction
    assert timeline.direction == Interaction.Direction.OUTBOUND
    assert timeline.status == Interaction.Status.DELIVERED
    assert timeline.contact == citizen


def test_with_credentials_twilio_messages_create_is_called(
    citizen, twilio_api, django_capture_on_commit_callbacks
):
    message = send(citizen, django_capture_on_commit_callbacks)
    (request,) = twilio_api.sent
    assert request["uri"] == (
        f"https://api.twilio.com/2010-04-01/Accounts/{tt.ACCOUNT_SID}/Messages.json"
    )
    assert request["auth"] == (tt.ACCOUNT_SID, tt.AUTH_TOKEN)
    assert request["data"]["To"] == PHONE
    assert request["data"]["From"] == tt.FROM_NUMBER
    assert request["data"]["Body"] == message.body
    assert request["data"]["StatusCallback"] == tt.PUBLIC_BASE_URL + "/sms/twilio/status"
    assert message.status == OutboundMessage.Status.QUEUED
    assert message.transport == OutboundMessage.Transport.TWILIO
    assert message.provider_message_id.startswith("SM")
    assert message.attempts == 1
    assert message.interaction.provider_message_id == message.provider_message_id
    assert message.interaction.status == Interaction.Status.QUEUED


def test_nothing_is_sent_before_the_transaction_commits(citizen, twilio_api):
    # No on-commit execution here: the decision exists, the network was not touched.
    message = message_send(contact=citizen, channel="sms", template_code="help")
    assert message.status == OutboundMessage.Status.PENDING
    assert twilio_api.requests == []


def test_a_task_run_twice_sends_once(citizen, twilio_api, django_capture_on_commit_callbacks):
    message = send(citizen, django_capture_on_commit_callbacks)
    assert outbound_deliver(message.pk) == OutboundMessage.Status.QUEUED
    assert outbound_deliver(message.pk) == OutboundMessage.Status.QUEUED
    assert len(twilio_api.sent) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_pending_row_left_by_a_crash_is_sent_by_the_next_run(citizen, twilio_api):
    message = message_send(contact=citizen, channel="sms", template_code="help")
    outbound_deliver(message.pk)  # e.g. a worker picking up the row after a restart
    outbound_deliver(message.pk)
    assert len(twilio_api.sent) == 1


def test_a_temporary_error_is_retried_then_sent(
    citizen, twilio_api, django_capture_on_commit_callbacks
):
    twilio_api.fail_next(429, "error_20429")
    twilio_api.fail_next(500, "error_20500")
    message = send(citizen, django_capture_on_commit_callbacks)
    assert len(twilio_api.sent) == 3
    assert message.status == OutboundMessage.Status.QUEUED
    assert message.attempts == 3
    assert message.error_code == ""
    assert message.interaction.status == Interaction.Status.QUEUED


@pytest.mark.parametrize(
    "failure",
    [tt.connection_refused, tt.name_not_resolved, tt.connect_timeout],
    ids=["refused", "dns", "connect-timeout"],
)
def test_a_request_that_cannot_have_left_is_retried(
    citizen, twilio_api, django_capture_on_commit_callbacks, failure
):
    twilio_api.break_next(failure())
    message = send(citizen, django_capture_on_commit_callbacks)
    assert message.status == OutboundMessage.Status.QUEUED
    assert message.attempts == 2
    assert len(twilio_api.created) == 1


@pytest.mark.parametrize(
    "failure",
    [tt.closed_without_response, tt.connection_reset, tt.read_timeout],
    ids=["closed-without-response", "reset", "read-timeout"],
)
def test_a_failure_after_the_request_left_is_never_resent_blindly(
    citizen, twilio_api, django_capture_on_commit_callbacks, failure
):
    # Twilio took the message; the answer was lost on the way back.
    twilio_api.forget_answer_of_next(failure())
    message = send(citizen, django_capture_on_commit_callbacks)
    assert message.status == OutboundMessage.Status.SENDING  # waits for reconciliation
    assert len(twilio_api.created) == 1
    OutboundMessage.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - _STALE)
    from channels_app.tasks import outbound_reconcile_sending

    assert outbound_reconcile_sending()["found"] == 1
    message.refresh_from_db()
    assert message.provider_message_id == twilio_api.created[0]["sid"]
    assert len(twilio_api.created) == 1  # texted once


def test_temporary_errors_give_up_after_the_last_attempt(
    citizen, twilio_api, django_capture_on_commit_callbacks
):
    twilio_api.fail_next(500, "error_20500", times=MAX_ATTEMPTS)
    message = send(citizen, django_capture_on_commit_callbacks)
    assert len(twilio_api.sent) == MAX_ATTEMPTS
    assert message.status == OutboundMessage.Status.FAILED
    assert message.error_code == "20500"
    assert message.interaction.status == Interaction.Status.FAILED


def test_backoff_grows_exponentially_and_is_bounded():
    assert [retry_countdown(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_countdown(50) == 3600


def test_a_permanent_twilio_error_is_recorded_on_the_timeline(
    citizen, twilio_api, django_capture_on_commit_callbacks
):
    twilio_api.fail_next(400, "error_21211")
    message = send(citizen, django_capture_on_commit_callbacks)
    assert len(twilio_api.sent) == 1  # never retried
    assert message.status == OutboundMessage.Status.FAILED
    assert message.error_code == "21211"
    assert message.error_message == "Invalid phone number."
    timeline = Interaction.objects.get(pk=message.interaction_id)
    assert timeline.status == Interaction.Status.FAILED
    assert (timeline.error_code, timeline.error_message) == ("21211", "Invalid phone number.")
    assert timeline in citizen.interactions.all()


def test_twilio_unsubscribed_error_marks_the_number_opted_out(
    citizen, twilio_api, django_capture_on_commit_callbacks
):
    twilio_api.fail_next(400, "error_21610")
    message = send(citizen, django_capture_on_commit_callbacks)
    assert (message.status, message.error_code) == (OutboundMessage.Status.FAILED, "21610")
    assert Identity.objects.get(value=PHONE).opted_out_at is not None
    # The next notification is not even tried.
    later = send(citizen, django_capture_on_commit_callbacks)
    assert later.status == OutboundMessage.Status.SUPPRESSED
    assert len(twilio_api.sent) == 1


def test_an_opted_out_number_is_never_messaged(
    citizen, twilio_api, django_capture_on_commit_callbacks
):
    Identity.objects.filter(value=PHONE).update(opted_out_at=timezone.now())
    message = send(citizen, django_capture_on_commit_callbacks)
    assert message.status == OutboundMessage.Status.SUPPRESSED
    assert message.error_code == "opted_out"
    assert message.interaction.status == Interaction.Status.FAILED
    assert message.interaction.error_code == "opted_out"
    assert twilio_api.requests == []


def test_an_opt_out_between_decision_and_delivery_is_honoured(citizen, twilio_api):
    message = message_send(contact=citizen, channel="sms", template_code="help")
    Identity.objects.filter(value=PHONE).update(opted_out_at=timezone.now())
    assert outbound_deliver(message.pk) == OutboundMessage.Status.SUPPRESSED
    assert twilio_api.requests == []


def test_no_consent_suppresses_notifications_but_not_replies(
    citizen, twilio_api, django_capture_on_commit_callbacks
):
    citizen.consent_messages = False
    citizen.save()
    notification = send(citizen, django_capture_on_commit_callbacks)
    assert notification.status == OutboundMessage.Status.SUPPRESSED
    assert notification.error_code == "no_consent"
    conversation = ConversationFactory(contact=citizen, address=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_send(conversation=conversation, author=UserFactory(), body="Сайн байна уу")
    reply.refresh_from_db()
    assert reply.status == OutboundMessage.Status.QUEUED
    assert len(twilio_api.sent) == 1


def test_a_dedupe_key_sends_one_message(citizen, twilio_api, django_capture_on_commit_callbacks):
    first = send(citizen, django_capture_on_commit_callbacks, dedupe_key="case-event:1:x")
    again = send(citizen, django_capture_on_commit_callbacks, dedupe_key="case-event:1:x")
    assert first.pk == again.pk
    assert OutboundMessage.objects.count() == 1
    assert len(twilio_api.sent) == 1


def test_reply_send_answers_on_the_citizens_channel_and_address(
    citizen, twilio_api, django_capture_on_commit_callbacks
):
    agent = UserFactory(username="agent.reply")
    conversation = ConversationFactory(contact=citizen, channel="sms", address=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_send(conversation=conversation, author=agent, body="  Тийм, маргааш.  ")
    reply.refresh_from_db()
    assert (reply.channel, reply.address, reply.body) == ("sms", PHONE, "Тийм, маргааш.")
    assert reply.purpose == OutboundMessage.Purpose.REPLY
    assert reply.author == agent
    assert reply.interaction.conversation == conversation
    assert reply.interaction.author == agent
    assert twilio_api.sent[0]["data"]["Body"] == "Тийм, маргааш."


def test_reply_send_refuses_an_empty_reply_and_an_unknown_channel(citizen):
    conversation = ConversationFactory(contact=citizen, address=PHONE)
    with pytest.raises(ValidationFailed, match="Write a reply"):
        reply_send(conversation=conversation, author=UserFactory(), body="   ")
    walk_in = ConversationFactory(contact=citizen, channel="walk_in", address="")
    with pytest.raises(ValidationFailed, match="cannot be sent on walk_in"):
        reply_send(conversation=walk_in, author=UserFactory(), body="hello")
    assert OutboundMessage.objects.count() == 0


def test_a_row_whose_task_never_ran_is_requeued_by_the_sweeper(citizen, twilio_api):
    from datetime import timedelta

    from channels_app.tasks import outbound_requeue_pending

    # Decided, committed, but the broker lost the task (no on-commit execution here).
    message = message_send(contact=citizen, channel="sms", template_code="help")
    assert outbound_requeue_pending() == 0  # too fresh: its own task may still be coming
    OutboundMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    assert outbound_requeue_pending() == 1
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.QUEUED
    assert outbound_requeue_pending() == 0
    assert len(twilio_api.sent) == 1


def test_the_sweeper_leaves_a_row_waiting_for_its_backoff(citizen, twilio_api):
    from datetime import timedelta

    from channels_app.tasks import outbound_requeue_pending

    message = message_send(contact=citizen, channel="sms", template_code="help")
    OutboundMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(hours=1),
        next_attempt_at=timezone.now() + timedelta(minutes=4),
    )
    assert outbound_requeue_pending() == 0
    assert twilio_api.requests == []


def test_a_temporary_error_schedules_the_next_attempt(citizen, twilio_api):
    twilio_api.fail_next(500, "error_20500")
    message = message_send(contact=citizen, channel="sms", template_code="help")
    # The delivery steps without the task, whose retry eager Celery would run at once.
    report = outbox_deliver(outbox_claim(first_id=message.pk, limit=10))
    assert report.retry_in == {message.pk: retry_countdown(1)}
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.PENDING
    assert (message.attempts, message.error_code) == (1, "20500")
    assert message.next_attempt_at > timezone.now()
    assert message.interaction.status == Interaction.Status.QUEUED


def test_the_admin_sends_a_failed_message_again(
    citizen, twilio_api, admin_client, django_capture_on_commit_callbacks
):
    twilio_api.fail_next(400, "error_21211")
    message = send(citizen, django_capture_on_commit_callbacks)
    assert message.status == OutboundMessage.Status.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/channels_app/outboundmessage/",
            {"action": "retry_failed", "_selected_action": [message.pk]},
        )
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboundMessage.Status.QUEUED, 1)
    assert message.interaction.status == Interaction.Status.QUEUED
    assert message.interaction.error_code == ""
    assert len(twilio_api.sent) == 2
