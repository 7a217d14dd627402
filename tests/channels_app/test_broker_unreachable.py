"""With the broker pointed at a closed port: webhooks answer at once, nothing is lost.

The Celery app is really pointed at ``127.0.0.1:1`` (nothing listens there), not mocked: a
publish fails as it does with Redis down, and the sweeps finish the work once it is back.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.test import TestCase
from django.utils import timezone

from channels_app.models import DeferredTask, InboundDelivery
from channels_app.tasks import deferred_tasks_publish, inbound_sweep_waiting
from config.celery import app as celery_app
from crm.models import Identity, Role
from tests.factories import ContactFactory, IdentityFactory, UserFactory
from tests.sms import twilio_transport as tt

pytestmark = pytest.mark.django_db

CLOSED = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down(twilio_webhooks):
    conf = celery_app.conf
    saved = (conf.broker_url, conf.broker_connection_timeout)
    pools = (celery_app._pool, celery_app.amqp._producer_pool)
    conf.broker_url, conf.broker_connection_timeout = CLOSED, 1
    conf.task_always_eager = False
    # Fresh pools for the closed port; the working ones are put back untouched afterwards.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None

    def restore():
        conf.broker_url, conf.broker_connection_timeout = saved
        celery_app._pool, celery_app.amqp._producer_pool = pools
        # Back in this process: tasks run eagerly, as everywhere in the tests.
        conf.task_always_eager = True

    yield restore
    restore()


def test_the_webhook_answers_at_once_and_the_sweep_processes_it_when_redis_is_back(
    client, tree, broker_down
):
    agent = UserFactory(role=Role.AGENT, unit=tree.country, availability="available")
    citizen = ContactFactory(address_unit=tree.k7)
    IdentityFactory(contact=citizen, scheme=Identity.Scheme.PHONE, value="+97699112233")
    started = time.monotonic()
    response = tt.sms(client, "Сайн байна уу")
    assert response.status_code == 200
    assert time.monotonic() - started < 5  # far inside Twilio's 15 s
    delivery = InboundDelivery.objects.get()
    assert delivery.status == InboundDelivery.Status.RECEIVED

    broker_down()  # Redis is back
    InboundDelivery.objects.update(received_at=timezone.now() - dt.timedelta(minutes=5))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert inbound_sweep_waiting() == 1
    delivery.refresh_from_db()
    assert delivery.status == InboundDelivery.Status.PROCESSED
    conversation = citizen.conversations.get()
    assert conversation.assignee == agent


def test_side_effects_queued_while_redis_is_down_are_kept_then_run(client, tree, broker_down):
    agent = UserFactory(role=Role.AGENT, unit=tree.country, availability="available")
    citizen = ContactFactory(address_unit=tree.k7)
    IdentityFactory(contact=citizen, scheme=Identity.Scheme.PHONE, value="+97699112233")
    # The worker processed the message while the broker was gone: its reactions are kept.
    from channels_app.intake import inbound_sender_drain

    tt.sms(client, "Тусламж хэрэгтэй байна")
    with TestCase.captureOnCommitCallbacks(execute=True):
        inbound_sender_drain(delivery_id=InboundDelivery.objects.get().pk)
    assert DeferredTask.objects.filter(task="console.tasks.console_react").exists()
    assert citizen.conversations.get().assignee is None

    broker_down()
    deferred_tasks_publish()
    assert not DeferredTask.objects.exists()
    assert citizen.conversations.get().assignee == agent
