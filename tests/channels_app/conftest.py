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
