"""Accept fast, process later: the stored delivery, its worker, retries, the sweep, order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import TestCase
from django.utils import timezone
from kombu.exceptions import OperationalError

from channels_app import intake
from channels_app.models import InboundDelivery, InboundReply, OutboundMessage
from channels_app.tasks import inbound_drain, inbound_process, inbound_sweep_waiting
from channels_app.texts import text_render
from crm.models import Contact, Interaction
from tests.factories import ContactFactory, IdentityFactory
from tests.sms import twilio_transport as tt
from tests.sms.answers import answer_of

INBOUND = "/sms/twilio/inbound"
PHONE = "+97699112233"
Status = InboundDelivery.Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    """Publishing a task fails as it does with Redis unreachable; the INSERT still commits."""

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr(inbound_process, "apply_async", refuse)
    monkeypatch.setattr(inbound_drain, "apply_async", refuse)
    return monkeypatch


def _age(seconds: int = 600) -> None:
    InboundDelivery.objects.update(received_at=timezone.now() - dt.timedelta(seconds=seconds))


def test_the_webhook_stores_one_delivery_and_answers_empty_twiml_at_once(
    client, twilio_webhooks, broker_down
):
    response = tt.sms(client, "HELP")
    assert response.status_code == 200
    assert response.content.decode().endswith("<Response />")
    delivery = InboundDelivery.objects.get()
    assert (delivery.channel, delivery.provider_id, delivery.sender) == ("sms", response.sid, PHONE)
    assert delivery.status == Status.RECEIVED
    assert delivery.payload["Body"] == "HELP"
    # Nothing else happened inside the provider's request.
    assert not Interaction.objects.exists()
    assert not Contact.objects.exists()


def test_a_retried_delivery_changes_nothing(client, twilio_webhooks):
    payload = tt.inbound_payload("CALL")
    first = tt.post_signed(client, INBOUND, payload)
    again = tt.post_signed(client, INBOUND, payload)
    assert first.content == again.content
    assert InboundDelivery.objects.count() == 1
    assert Interaction.objects.filter(direction="in").count() == 1
    assert OutboundMessage.objects.count() == 1
    assert InboundReply.objects.count() == 1


def test_a_worker_lost_between_store_and_process_loses_nothing(
    client, twilio_webhooks, broker_down
):
    response = tt.sms(client, "ТУСЛАМЖ")
    assert InboundDelivery.objects.get().status == Status.RECEIVED
    broker_down.undo()
    # Too fresh for the sweep: its own task may still be on its way.
    assert inbound_sweep_waiting() == 0
    _age()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert inbound_sweep_waiting() == 1
    assert answer_of(response) == text_render("help", "mn")
    assert inbound_sweep_waiting() == 0


def test_one_senders_deliveries_are_processed_in_arrival_order(
    client, twilio_webhooks, broker_down
):
    bodies = ["first", "second", "third"]
    responses = [tt.sms(client, body) for body in bodies]
    other = tt.sms(client, "someone else", "+97688112233")
    broker_down.undo()
    # The last message's task runs first: it takes the sender's oldest delivery first.
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert inbound_process(InboundDelivery.objects.get(provider_id=responses[2].sid).pk) == 3
    stored = list(
        Interaction.objects.filter(direction="in", address=PHONE)
        .order_by("pk")
        .values_list("body", flat=True)
    )
    assert stored == bodies
    # Another sender's delivery is not this sender's queue.
    assert InboundDelivery.objects.get(provider_id=other.sid).status == Status.RECEIVED


def test_a_delivery_waiting_for_its_retry_holds_its_senders_later_ones(
    client, twilio_webhooks, monkeypatch
):
    from channels_app import commands

    def broken(command, ctx):
        raise RuntimeError("the case registry is down")

    monkeypatch.setitem(commands._HANDLERS, commands.STATUS, broken)
    failing = tt.sms(client, "STATUS")
    later = tt.sms(client, "are you there?")
    assert InboundDelivery.objects.get(provider_id=failing.sid).status == Status.RETRYING
    assert InboundDelivery.objects.get(provider_id=later.sid).status == Status.RECEIVED
    monkeypatch.undo()
    InboundDelivery.objects.filter(provider_id=failing.sid).update(
        next_attempt_at=timezone.now() - dt.timedelta(minutes=5)
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert inbound_sweep_waiting() == 1
    assert answer_of(failing) == text_render("status_none", "en")
    assert answer_of(later) == text_render("ack", "en")  # the language STATUS taught us
    bodies = list(
        Interaction.objects.filter(direction="in").order_by("pk").values_list("body", flat=True)
    )
    assert bodies == ["STATUS", "are you there?"]


def test_the_retry_backoff_grows_and_is_a_setting(settings):
    settings.INBOUND_RETRY_BASE_SECONDS = 5
    assert [intake.inbound_retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [
        5,
        15,
        45,
        135,
    ]


def test_the_sweep_is_bounded_by_its_setting(client, twilio_webhooks, broker_down, settings):
    for number in ("+97699112233", "+97688112233", "+97695112233"):
        tt.sms(client, "hello", number)
    broker_down.undo()
    _age()
    settings.INBOUND_SWEEP_LIMIT = 2
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert inbound_sweep_waiting() == 2
        assert inbound_sweep_waiting() == 1
    assert set(InboundDelivery.objects.values_list("status", flat=True)) == {Status.PROCESSED}


# --- input Twilio would never send, signed anyway: stored or refused with a reason -------


@pytest.mark.parametrize(
    "sender",
    ["", "abc", "+0000", "9" * 300, "＋９７６９９１１２２３３", "12345", "+976 99\x0012233"],
)
def test_an_invalid_sender_is_kept_as_refused_and_never_becomes_a_contact(
    client, twilio_webhooks, sender
):
    response = tt.sms(client, "HELP", sender)
    assert response.status_code == 200
    delivery = InboundDelivery.objects.get()
    assert delivery.status == Status.REJECTED
    assert delivery.error
    assert not Contact.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_an_international_prefix_is_the_same_citizen(client, twilio_webhooks):
    citizen = ContactFactory(preferred_language="ru")
    IdentityFactory(contact=citizen, value=PHONE)
    response = tt.sms(client, "HELP", "0097699112233")
    assert answer_of(response) == text_render("help", "ru")
    assert Contact.objects.get() == citizen


def test_nul_bytes_anywhere_are_stored_not_refused(client, twilio_webhooks):
    payload = tt.inbound_payload("ТӨЛӨВ\x00 please")
    payload["MessageSid"] = payload["SmsSid"] = "SM\x00" + "a" * 32
    payload["FromCity"] = "\x00"
    response = tt.post_signed(client, INBOUND, payload)
    assert response.status_code == 200
    delivery = InboundDelivery.objects.get()
    assert delivery.status == Status.PROCESSED, delivery.error
    inbound = Interaction.objects.get(direction="in")
    assert inbound.body == "ТӨЛӨВ\ufffd please"
    assert "\x00" not in delivery.provider_id
    # The retry finds the same delivery.
    assert tt.post_signed(client, INBOUND, payload).status_code == 200
    assert InboundDelivery.objects.count() == 1


def test_a_signed_request_without_a_message_sid_is_stored_once(client, twilio_webhooks):
    payload = tt.inbound_payload("hello")
    for key in ("MessageSid", "SmsSid", "SmsMessageSid"):
        del payload[key]
    tt.post_signed(client, INBOUND, payload)
    tt.post_signed(client, INBOUND, payload)
    assert InboundDelivery.objects.count() == 1
    assert Interaction.objects.filter(direction="in").count() == 1


def test_a_huge_body_is_cut_with_a_note(client, twilio_webhooks, settings):
    settings.INBOUND_FIELD_MAX_CHARS = 4000
    body = "Ж" * 1_000_000
    response = tt.sms(client, body)
    assert response.status_code == 200
    inbound = Interaction.objects.get(direction="in")
    assert inbound.body == "Ж" * 4000
    assert inbound.payload["_truncated"] == {"Body": 1_000_000}
    assert len(InboundDelivery.objects.get().payload["Body"]) == 4000


def test_without_a_registered_hook_a_delivery_fails_visibly(settings):
    settings.INBOUND_MAX_ATTEMPTS = 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        accepted = intake.inbound_accept(
            channel="no-such-channel", provider_id="x1", sender="a", payload={}
        )
    delivery = InboundDelivery.objects.get(pk=accepted.delivery_id)
    assert delivery.status == Status.FAILED
    assert "No channel adapter" in delivery.error


def test_the_database_refuses_a_second_row_for_one_provider_id():
    from django.db import IntegrityError, transaction

    InboundDelivery.objects.create(channel="sms", provider_id="SM1", sender=PHONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        InboundDelivery.objects.create(channel="sms", provider_id="SM1", sender=PHONE)
    assert connection.vendor in ("sqlite", "postgresql")


def test_the_admin_lists_and_shows_deliveries_with_their_error(client, twilio_webhooks):
    from tests.factories import UserFactory

    tt.sms(client, "HELP", "abc")
    delivery = InboundDelivery.objects.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get("/admin/channels_app/inbounddelivery/?status__exact=rejected")
    assert listing.status_code == 200
    assert delivery.provider_id in listing.content.decode()
    page = client.get(f"/admin/channels_app/inbounddelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert "is not a phone number" in page.content.decode()
    assert client.get("/admin/channels_app/deferredtask/").status_code == 200


# --- one drainer per lane instead of a task per delivery ---------------------------------


def _published(monkeypatch) -> list[tuple]:
    """What the webhook path publishes to the broker (the drainers still run, eagerly)."""
    from channels_app.tasks import inbound_drain

    sent: list[tuple] = []
    original = inbound_drain.apply_async

    def record(args=None, kwargs=None, **options):
        sent.append(tuple(args or ()))
        return original(args, kwargs, **options)

    monkeypatch.setattr(inbound_drain, "apply_async", record)
    return sent


def test_a_burst_of_webhooks_while_a_drainer_runs_publishes_nothing(
    client, twilio_webhooks, monkeypatch, settings
):
    from django.core.cache import cache

    settings.INBOUND_DRAINERS = 1
    sent = _published(monkeypatch)
    cache.set(intake.drain_slot_key(0), "1", 60)  # a drainer is at work
    responses = [tt.sms(client, f"hello {n}", f"+9769911{n:04d}") for n in range(5)]
    assert sent == []
    assert set(InboundDelivery.objects.values_list("status", flat=True)) == {Status.RECEIVED}
    # The running drainer finds them all before it lets its lease go.
    assert inbound_drain(0) == 5
    assert set(InboundDelivery.objects.values_list("status", flat=True)) == {Status.PROCESSED}
    assert cache.get(intake.drain_slot_key(0)) is None
    assert [answer_of(r) for r in responses] == [text_render("ack", "mn")] * 5


def test_each_sender_belongs_to_one_drainer_and_drainers_take_only_their_own(
    client, twilio_webhooks, broker_down, settings
):
    settings.INBOUND_DRAINERS = 2
    senders = [f"+9769911{n:04d}" for n in range(12)]
    for sender in senders:
        tt.sms(client, "hello", sender)
        tt.sms(client, "again", sender)
    broker_down.undo()
    lanes = dict(InboundDelivery.objects.values_list("sender", "lane").distinct())
    slot_of = {sender: lanes[sender] % 2 for sender in senders}
    assert set(slot_of.values()) == {0, 1}  # twelve senders land on both drainers
    assert lanes == {sender: intake.lane_of("sms", sender) for sender in senders}

    first = sum(1 for sender in senders if slot_of[sender] == 0) * 2
    assert inbound_drain(0) == first
    done = set(
        InboundDelivery.objects.filter(status=Status.PROCESSED).values_list("sender", flat=True)
    )
    assert done == {sender for sender in senders if slot_of[sender] == 0}
    assert inbound_drain(1) == 24 - first
    for sender in senders:
        bodies = list(
            Interaction.objects.filter(direction="in", address=sender)
            .order_by("pk")
            .values_list("body", flat=True)
        )
        assert bodies == ["hello", "again"]


def test_a_drainer_passes_over_a_sender_waiting_for_a_retry(
    client, twilio_webhooks, broker_down, settings
):
    settings.INBOUND_DRAINERS = 1
    held = tt.sms(client, "first", PHONE)
    later = tt.sms(client, "second", PHONE)
    other = tt.sms(client, "hello", "+97688112233")
    broker_down.undo()
    InboundDelivery.objects.filter(provider_id=held.sid).update(
        status=Status.RETRYING, attempts=1, next_attempt_at=timezone.now() + dt.timedelta(minutes=1)
    )
    assert inbound_drain(0) == 1  # only the other sender's
    assert InboundDelivery.objects.get(provider_id=other.sid).status == Status.PROCESSED
    assert InboundDelivery.objects.get(provider_id=later.sid).status == Status.RECEIVED


def test_a_killed_drainers_lease_frees_and_the_next_webhook_starts_a_fresh_one(
    client, twilio_webhooks, settings
):
    import time

    from django.core.cache import cache

    settings.INBOUND_DRAINERS = 1
    assert settings.INBOUND_DRAIN_LEASE_SECONDS <= 30
    # A drainer took the lease and was killed: its lease is what is left of it.
    cache.set(intake.drain_slot_key(0), "1", 1)
    stuck = tt.sms(client, "hello")
    assert InboundDelivery.objects.get(provider_id=stuck.sid).status == Status.RECEIVED
    time.sleep(1.1)
    tt.sms(client, "anyone there?")
    assert set(InboundDelivery.objects.values_list("status", flat=True)) == {Status.PROCESSED}
    assert answer_of(stuck) == text_render("ack", "mn")
