"""Side effects that matter to a citizen or a worker are never dropped: retried, deferred, swept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import TestCase
from kombu.exceptions import OperationalError

from cases.models import CaseEvent
from cases.transitions import case_apply_action
from channels_app import notifications, outbound
from channels_app.models import CaseEventNotified, DeferredTask, OutboundMessage
from channels_app.notifications import case_notifications_check
from channels_app.tasks import deferred_tasks_publish
from console.tasks import console_react
from crm.models import Identity, Role
from tests.factories import ContactFactory, IdentityFactory, UserFactory

MOTHER_PHONE = "+97699112233"

pytestmark = pytest.mark.django_db


def refused(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")


@pytest.fixture
def mother(tree):
    contact = ContactFactory(preferred_language="mn", address_unit=tree.k7)
    IdentityFactory(contact=contact, value=MOTHER_PHONE)
    return contact


def cancel(case, staff):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return case_apply_action(
            case=case, action="cancel", actor=staff.district, payload={"reason": "Нас барсан"}
        )


def _age_events(minutes: int = 10) -> None:
    # Append-only rows: moved back in time with an UPDATE, as a test only may.
    CaseEvent.objects.update(occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes))


def test_a_notification_that_fails_once_is_retried_and_sent_exactly_once(
    mother, open_case, staff, monkeypatch
):
    case = open_case(mother)
    real_send = outbound.message_send
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["dedupe_key"])
        if len(calls) == 1:
            raise RuntimeError("database hiccup")
        return real_send(**kwargs)

    monkeypatch.setattr(notifications, "message_send", flaky)
    cancel(case, staff)
    assert len(calls) == 2  # the task's retry
    (message,) = OutboundMessage.objects.filter(contact=mother, purpose="notification")
    assert message.template_code == "case_status_cancelled"
    event = CaseEvent.objects.get(case=case, action="cancel")
    assert CaseEventNotified.objects.get(event=event).messages == 1
    # The sweep finds nothing left to do.
    _age_events()
    assert case_notifications_check() == 0
    assert OutboundMessage.objects.filter(contact=mother, purpose="notification").count() == 1


def test_a_listener_that_raises_still_ends_in_one_notification_through_the_sweep(
    mother, open_case, staff, monkeypatch
):
    case = open_case(mother)

    def broken_listener(sender, **kwargs):
        raise RuntimeError("listener bug")

    monkeypatch.setattr(notifications, "task_dispatch", broken_listener)
    cancel(case, staff)  # the transition itself succeeds
    assert not OutboundMessage.objects.filter(contact=mother).exists()
    assert case_notifications_check() == 0  # too fresh: its task may still be coming
    _age_events()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert case_notifications_check() >= 1
        assert case_notifications_check() == 0
    (message,) = OutboundMessage.objects.filter(contact=mother)
    assert message.status == OutboundMessage.Status.DELIVERED  # the local outbox


def test_one_event_that_cannot_be_notified_never_stops_the_sweep(
    mother, open_case, staff, monkeypatch, tree
):
    other = ContactFactory(preferred_language="ru", address_unit=tree.k7)
    IdentityFactory(contact=other, value="+97688112233")
    first, second = open_case(mother), open_case(other)
    monkeypatch.setattr(notifications, "task_dispatch", lambda *a, **k: None)
    cancel(first, staff)
    cancel(second, staff)
    _age_events()
    real = notifications.notification_route

    def route(contact):
        if contact.pk == mother.pk:
            raise RuntimeError("bad row")
        return real(contact)

    monkeypatch.setattr(notifications, "notification_route", route)
    notifications.case_notifications_sweep()
    assert OutboundMessage.objects.filter(contact=other).count() == 1
    assert not OutboundMessage.objects.filter(contact=mother).exists()


def test_with_the_broker_unreachable_a_notification_is_deferred_then_sent(
    mother, open_case, staff, monkeypatch
):
    case = open_case(mother)
    monkeypatch.setattr(notifications.case_notify, "apply_async", refused)
    cancel(case, staff)
    deferred = DeferredTask.objects.get(task="channels_app.notifications.case_notify")
    assert "Connection refused" in deferred.error
    assert not OutboundMessage.objects.filter(contact=mother).exists()
    # Still down: the sweep keeps it.
    assert deferred_tasks_publish() == 0
    assert DeferredTask.objects.filter(task=deferred.task).exists()
    monkeypatch.undo()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert deferred_tasks_publish() >= 1
    assert OutboundMessage.objects.filter(contact=mother).count() == 1
    assert not DeferredTask.objects.filter(task=deferred.task).exists()


def test_with_the_broker_unreachable_assignment_is_deferred_then_done(
    tree, client, monkeypatch, settings
):
    from tests.sms import twilio_transport as tt

    settings.TWILIO_AUTH_TOKEN = tt.AUTH_TOKEN
    settings.PUBLIC_BASE_URL = tt.PUBLIC_BASE_URL
    agent = UserFactory(role=Role.AGENT, unit=tree.country, availability="available")
    citizen = ContactFactory(address_unit=tree.k7)
    IdentityFactory(contact=citizen, scheme=Identity.Scheme.PHONE, value=MOTHER_PHONE)
    monkeypatch.setattr(console_react, "apply_async", refused)
    assert tt.sms(client, "Сайн байна уу, тусламж хэрэгтэй").status_code == 200
    conversation = citizen.conversations.get()
    assert conversation.assignee is None
    assert DeferredTask.objects.filter(task="console.tasks.console_react").exists()
    monkeypatch.undo()
    deferred_tasks_publish()
    conversation.refresh_from_db()
    assert conversation.assignee == agent
    assert not DeferredTask.objects.exists()
