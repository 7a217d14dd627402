"""Fixtures of the channel hub and the SMS adapter (shared with tests/sms)."""

from __future__ import annotations

import pytest

from config.celery import app as celery_app
from tests.sms import twilio_transport as tt


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in-process even when REDIS_URL is set for the PostgreSQL run."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def twilio_webhooks(settings):
    """The server knows its auth token and public URL, so it can check signatures."""
    settings.TWILIO_AUTH_TOKEN = tt.AUTH_TOKEN
    settings.PUBLIC_BASE_URL = tt.PUBLIC_BASE_URL
    return settings


@pytest.fixture
def twilio_api(twilio_webhooks, monkeypatch) -> tt.RecordingHttpClient:
    """Credentials are set, so sends go to Twilio's API, through a recording transport."""
    import sms.client

    twilio_webhooks.TWILIO_ACCOUNT_SID = tt.ACCOUNT_SID
    twilio_webhooks.TWILIO_FROM_NUMBER = tt.FROM_NUMBER
    transport = tt.RecordingHttpClient()
    monkeypatch.setattr(sms.client, "http_client", transport)
    return transport


@pytest.fixture
def placement(db):
    """The care-home placement service the cases migration seeds."""
    from cases.models import Service

    return Service.objects.get(code="care-home-placement")


@pytest.fixture
def open_case(placement, staff):
    """A draft case opened by a call-centre agent, through the case core's own service."""
    from cases.services import case_create

    def make(beneficiary, applicant=None, **kwargs):
        if beneficiary.address_unit_id is None:
            beneficiary.address_unit = staff.local7.unit
            beneficiary.save()
        return case_create(
            beneficiary=beneficiary,
            applicant=applicant,
            applicant_relationship="child" if applicant else "",
            service=placement,
            actor=staff.agent,
            origin_channel="sms",
            **kwargs,
        )

    return make


def queue_up(case, *, priority: int = 0, minutes_ago: int = 0):
    """Put a case in its district's waiting queue (the state a submit leaves it in)."""
    import datetime as dt

    from django.utils import timezone

    from cases.models import Case

    Case.objects.filter(pk=case.pk).update(
        status="submitted",
        priority_score=priority,
        submitted_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )
    case.refresh_from_db()
    return case
