"""Delivering the outbox in batches: claimed before sent, sent once, reconciled after a crash."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import requests
from django.db import connection
from django.utils import timezone

from channels_app.delivery import outbox_claim, outbox_deliver, sending_stale_after
from channels_app.models import OutboundMessage
from channels_app.outbound import message_send
from channels_app.tasks import outbound_deliver, outbound_reconcile_sending
from crm.models import Identity, Interaction
from tests.factories import ContactFactory, IdentityFactory

pytestmark = pytest.mark.django_db

Status = OutboundMessage.Status


def citizen(phone: str, **kwargs):
    contact = ContactFactory(preferred_language="mn", **kwargs)
    IdentityFactory(contact=contact, value=phone)
    return contact


def decided(count: int) -> list[OutboundMessage]:
    """``count`` committed decisions whose tasks have not run (no on-commit execution)."""
    return [
        message_send(contact=citizen(f"+9769911{i:04d}"), channel="sms", template_code="help")
        for i in range(count)
    ]


def go_stale(message: OutboundMessage) -> None:
    OutboundMessage.objects.filter(pk=message.pk).update(
        claimed_at=timezone.now() - sending_stale_after() - dt.timedelta(seconds=5)
    )


def test_one_task_sends_the_due_rows_queued_behind_it_and_their_tasks_send_nothing(
    twilio_api, settings
):
    settings.OUTBOX_SEND_THREADS = 4
    messages = decided(7)
    assert outbound_deliver(messages[3].pk) == Status.QUEUED
    assert len(twilio_api.sent) == 7
    assert sorted(r["data"]["To"] for r in twilio_api.sent) == sorted(m.address for m in messages)
    for message in messages:  # each row's own task arrives later
        assert outbound_deliver(message.pk) == Status.QUEUED
    assert len(twilio_api.sent) == 7
    for message in messages:
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.QUEUED, 1)
        assert message.provider_message_id.startswith("SM")
        assert message.claimed_at is not None
        assert message.interaction.status == Interaction.Status.QUEUED
        assert message.interaction.provider_message_id == message.provider_message_id


def test_a_batch_is_capped_and_the_rest_wait_for_their_own_tasks(twilio_api, settings):
    settings.OUTBOX_BATCH_SIZE = 3
    messages = decided(5)
    outbound_deliver(messages[0].pk)
    assert len(twilio_api.sent) == 3
    outbound_deliver(messages[4].pk)
    assert len(twilio_api.sent) == 5


def test_a_row_in_backoff_is_not_swept_into_another_rows_batch(twilio_api):
    waiting, fresh = decided(2)
    OutboundMessage.objects.filter(pk=waiting.pk).update(
        next_attempt_at=timezone.now() + dt.timedelta(minutes=3)
    )
    outbound_deliver(fresh.pk)
    assert [r["data"]["To"] for r in twilio_api.sent] == [fresh.address]
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING


def test_a_row_another_worker_is_sending_is_left_to_it(twilio_api):
    (message,) = decided(1)
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=Status.SENDING, claimed_at=timezone.now()
    )
    assert outbound_deliver(message.pk) == Status.SENDING
    assert outbox_claim(first_id=message.pk, limit=10) == []
    assert twilio_api.sent == []


def test_mixed_outcomes_in_one_batch_are_each_recorded(twilio_api, settings):
    settings.OUTBOX_SEND_THREADS = 1  # the recording transport answers in order
    refused, busy, ok, stopped = decided(4)
    Identity.objects.filter(value=stopped.address).update(opted_out_at=timezone.now())
    twilio_api.fail_next(400, "error_21211")  # the first send: `refused`
    twilio_api.fail_next(429, "error_20429")  # the second: `busy`, Twilio's rate limit
    claimed = outbox_claim(first_id=refused.pk, limit=10)
    assert [m.pk for m in claimed] == [refused.pk, busy.pk, ok.pk, stopped.pk]
    report = outbox_deliver(claimed)
    assert report.statuses == {
        ok.pk: Status.QUEUED,
        refused.pk: Status.FAILED,
        busy.pk: Status.PENDING,
        stopped.pk: Status.SUPPRESSED,
    }
    assert list(report.retry_in) == [busy.pk]
    assert len(twilio_api.sent) == 3  # nothing went to the opted-out number
    refused.refresh_from_db()
    assert (refused.error_code, refused.interaction.status) == ("21211", Interaction.Status.FAILED)
    stopped.refresh_from_db()
    assert (stopped.attempts, stopped.interaction.error_code) == (0, "opted_out")
    busy.refresh_from_db()
    assert (busy.attempts, busy.error_code) == (1, "20429")
    assert busy.next_attempt_at > timezone.now()
    ok.refresh_from_db()
    assert ok.interaction.status == Interaction.Status.QUEUED


# --- a send whose answer never came back -------------------------------------------------


def test_a_timeout_after_twilio_took_the_message_is_not_resent(twilio_api):
    (message,) = decided(1)
    twilio_api.forget_answer_of_next(requests.ReadTimeout("read timed out"))
    assert outbound_deliver(message.pk) == Status.SENDING
    message.refresh_from_db()
    assert (message.status, message.error_code) == (Status.SENDING, "timeout")
    # Another run of the task, and the sweeper of pending rows, leave it alone.
    outbound_deliver(message.pk)
    assert len(twilio_api.sent) == 1
    # Too fresh to reconcile: its worker may still be waiting on Twilio.
    assert outbound_reconcile_sending() == {"found": 0, "resend": 0, "unreachable": 0}
    go_stale(message)
    assert outbound_reconcile_sending() == {"found": 1, "resend": 0, "unreachable": 0}
    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert message.provider_message_id == twilio_api.created[0]["sid"]
    assert message.interaction.provider_message_id == message.provider_message_id
    assert message.error_code == ""
    assert len(twilio_api.sent) == 1  # found in Twilio's log, never sent again


def test_a_row_a_dead_worker_left_before_twilio_got_it_is_sent_again_once(twilio_api):
    (message,) = decided(1)
    # The worker claimed the row and died before its request left the machine.
    assert outbox_claim(first_id=message.pk, limit=1)
    go_stale(message)
    # Twilio's log holds an older, different message to the same number.
    twilio_api.created.append({**twilio_api_resource(message.address), "body": "an older message"})
    assert outbound_reconcile_sending() == {"found": 0, "resend": 1, "unreachable": 0}
    message.refresh_from_db()
    assert message.status == Status.QUEUED  # eager Celery ran the re-queued task
    assert message.attempts == 2
    assert len(twilio_api.sent) == 1
    get = [r for r in twilio_api.requests if r["method"] == "GET"]
    assert get and get[0]["params"]["To"] == message.address


def test_when_twilio_cannot_be_asked_the_row_waits_for_the_next_sweep(twilio_api):
    (message,) = decided(1)
    assert outbox_claim(first_id=message.pk, limit=1)
    go_stale(message)
    original = twilio_api._list

    def unreachable(uri, params):
        raise requests.ConnectionError("no route to api.twilio.com")

    twilio_api._list = unreachable
    assert outbound_reconcile_sending() == {"found": 0, "resend": 0, "unreachable": 1}
    message.refresh_from_db()
    assert message.status == Status.SENDING
    twilio_api._list = original
    assert outbound_reconcile_sending()["resend"] == 1
    assert len(twilio_api.sent) == 1


def test_the_local_outbox_resends_what_a_dead_worker_left(settings):
    settings.TWILIO_ACCOUNT_SID = settings.TWILIO_AUTH_TOKEN = ""
    (message,) = decided(1)
    assert outbox_claim(first_id=message.pk, limit=1)
    go_stale(message)
    assert outbound_reconcile_sending()["resend"] == 1
    message.refresh_from_db()
    assert (message.status, message.transport) == (Status.DELIVERED, "local")


def twilio_api_resource(to: str) -> dict:
    from tests.sms.twilio_transport import ACCOUNT_SID, fixture, new_sid

    return {
        **fixture("message_created"),
        "sid": new_sid(),
        "to": to,
        "account_sid": ACCOUNT_SID,
        "date_created": timezone.now().strftime("%a, %d %b %Y %H:%M:%S +0000"),
    }


# --- two workers at once (PostgreSQL row locks) ------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises writers, so two claims cannot overlap there",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_never_take_the_same_row():
    import threading

    from django.db import connections

    messages = decided(40)
    # Outside a test transaction on-commit delivery already ran: make them all due again.
    OutboundMessage.objects.update(status=Status.PENDING, attempts=0, claimed_at=None)
    barrier = threading.Barrier(4)
    claimed: list[list[int]] = []
    errors: list[Exception] = []

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            mine: list[int] = []
            for message in messages[i::4]:
                mine.extend(m.pk for m in outbox_claim(first_id=message.pk, limit=7))
            claimed.append(mine)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    every = [pk for mine in claimed for pk in mine]
    assert sorted(every) == sorted(m.pk for m in messages)  # each row once, none left
    assert set(OutboundMessage.objects.values_list("status", "attempts")) == {(Status.SENDING, 1)}


# --- drainers instead of a task per row --------------------------------------------------


def test_a_committed_message_kicks_a_drainer_that_frees_its_slot(
    twilio_api, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from channels_app.tasks import _slot_key

    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(contact=citizen("+97699110001"), channel="sms", template_code="help")
    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert len(twilio_api.sent) == 1
    assert cache.get(_slot_key(0)) is None  # nothing left to do, the slot is free again


def test_a_kick_while_every_drainer_runs_leaves_the_row_to_them(
    twilio_api, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from channels_app.tasks import _slot_key, outbound_drain

    settings.OUTBOX_DRAINERS = 2
    for slot in range(2):  # two drainers are busy elsewhere
        cache.set(_slot_key(slot), "1", 60)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = [
            message_send(contact=citizen(f"+9769911000{i}"), channel="sms", template_code="help")
            for i in range(3)
        ]
    assert twilio_api.sent == []  # no task was queued for them...
    assert outbound_drain(1) == 3  # ...the running drainer finds them before it stops
    assert len(twilio_api.sent) == 3
    assert {m.status for m in OutboundMessage.objects.filter(pk__in=[w.pk for w in waiting])} == {
        Status.QUEUED
    }
    assert cache.get(_slot_key(1)) is None
    assert cache.get(_slot_key(0)) == "1"  # the other one is still at work


def test_a_drainer_hands_over_to_a_fresh_task_after_its_time(twilio_api, settings, monkeypatch):
    from channels_app import tasks

    settings.OUTBOX_BATCH_SIZE = 2
    decided(5)
    monkeypatch.setattr(tasks, "DRAIN_SECONDS", -1)  # every batch is past the deadline
    assert tasks.outbound_drain(0) == 2  # its follow-up (eager here) sends the rest
    assert len(twilio_api.sent) == 5
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {Status.QUEUED}


def test_rows_a_slow_batch_did_not_reach_in_time_go_back_unsent(twilio_api, monkeypatch):
    from channels_app import delivery

    first, second = decided(2)
    monkeypatch.setattr(delivery, "SEND_WINDOW", dt.timedelta(seconds=-1))  # already late
    report = outbox_deliver(outbox_claim(first_id=first.pk, limit=10))
    assert twilio_api.sent == []
    assert report.statuses == {first.pk: Status.PENDING, second.pk: Status.PENDING}
    for message in (first, second):
        message.refresh_from_db()
        assert (message.status, message.attempts, message.next_attempt_at) == (
            Status.PENDING,
            0,
            None,
        )


def test_a_twilio_timeout_longer_than_the_outbox_allows_fails_the_checks(settings):
    from sms.checks import twilio_timeout_fits_the_outbox

    assert twilio_timeout_fits_the_outbox() == []
    settings.TWILIO_HTTP_TIMEOUT = 600
    errors = twilio_timeout_fits_the_outbox()
    assert [e.id for e in errors] == ["sms.E001"]
    assert "TWILIO_HTTP_TIMEOUT is 600 s" in errors[0].msg


# --- reconciliation never matches a message another row holds, never wedges -------------


def test_two_identical_texts_to_one_citizen_reconcile_to_their_own_messages(twilio_api, settings):
    settings.OUTBOX_BATCH_SIZE = 1
    contact = citizen("+97699112299")
    first, second = (
        message_send(contact=contact, channel="sms", template_code="help") for _ in range(2)
    )
    # Both were sent, both answers lost (a worker killed after Twilio took them).
    for message in (first, second):
        twilio_api.forget_answer_of_next(requests.ReadTimeout("read timed out"))
        outbound_deliver(message.pk)
        go_stale(message)
    assert len(twilio_api.created) == 2
    assert outbound_reconcile_sending() == {"found": 2, "resend": 0, "unreachable": 0}
    first.refresh_from_db()
    second.refresh_from_db()
    assert {first.provider_message_id, second.provider_message_id} == {
        m["sid"] for m in twilio_api.created
    }
    assert len(twilio_api.sent) == 2


def test_one_row_that_cannot_be_settled_never_stops_the_sweep(twilio_api, monkeypatch):
    from channels_app import delivery

    bad, good = decided(2)
    for message in (bad, good):
        assert outbox_claim(first_id=message.pk, limit=1)
        go_stale(message)
    original = delivery._reconcile_one

    def reconcile(message):
        if message.pk == bad.pk:
            raise RuntimeError("duplicate key value violates unique constraint")
        return original(message)

    monkeypatch.setattr(delivery, "_reconcile_one", reconcile)
    assert outbound_reconcile_sending() == {"found": 0, "resend": 1, "unreachable": 1}
    good.refresh_from_db()
    assert good.status == Status.QUEUED


def test_a_killed_drainers_slot_frees_after_its_short_lease(
    twilio_api, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from channels_app.tasks import _slot_key, outbox_kick

    settings.OUTBOX_DRAINERS = 1
    # A drainer took the slot and was killed: its lease is what is left of it.
    assert settings.OUTBOX_DRAIN_LEASE_SECONDS <= 30
    cache.set(_slot_key(0), "1", 1)
    waiting = decided(3)
    time.sleep(1.1)
    outbox_kick()
    assert len(twilio_api.sent) == 3
    assert {m.status for m in OutboundMessage.objects.filter(pk__in=[w.pk for w in waiting])} == {
        Status.QUEUED
    }


def test_the_requeue_sweep_starts_drainers_for_every_stale_row(twilio_api, settings):
    from channels_app.tasks import outbound_requeue_pending

    settings.OUTBOX_BATCH_SIZE = 10
    decided(25)
    assert outbound_requeue_pending() == 0  # just decided: their kicks may still be coming
    OutboundMessage.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    assert outbound_requeue_pending() == 25
    assert len(twilio_api.sent) == 25
