from __future__ import annotations

import pytest

from tests.channels_app.conftest import (  # noqa: F401  (the fixtures the channel tests share)
    eager_celery,
    open_case,
    placement,
    twilio_api,
    twilio_webhooks,
)

from . import twilio_voice as tv


@pytest.fixture
def voice_api(twilio_webhooks, monkeypatch) -> tv.VoiceHttpClient:  # noqa: F811
    """Credentials set; calls and recordings go through a recording transport at the seam."""
    import sms.client
    from tests.sms import twilio_transport as tt

    twilio_webhooks.TWILIO_ACCOUNT_SID = tt.ACCOUNT_SID
    twilio_webhooks.TWILIO_FROM_NUMBER = tt.FROM_NUMBER
    transport = tv.VoiceHttpClient()
    monkeypatch.setattr(sms.client, "http_client", transport)
    return transport


@pytest.fixture
def office_open(monkeypatch):
    """Agents at work, whatever the clock of the test run says."""
    import ivr.flow
    import ivr.hours

    def set_open(value: bool = True):
        monkeypatch.setattr(ivr.hours, "office_open", lambda country, at=None: value)
        monkeypatch.setattr(ivr.flow, "office_open", lambda country, at=None: value)

    set_open(True)
    return set_open


@pytest.fixture
def phone(client, twilio_webhooks):  # noqa: F811
    def make(number: str = "+97699112233") -> tv.Phone:
        return tv.Phone(client, number)

    return make
