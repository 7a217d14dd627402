from __future__ import annotations

import pytest
from django.utils import timezone

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
def office_open(db):
    """The offices' hours as data: open around the clock today and tomorrow, or closed today."""
    import datetime as dt

    from cases.office_hours import CalendarOverride, OfficeHours
    from cases.sla import local_date

    def set_open(value: bool = True):
        for country in ("MN", "KZ"):
            OfficeHours.objects.update_or_create(
                country=country,
                defaults={
                    "time_zone": "Asia/Ulaanbaatar" if country == "MN" else "Asia/Almaty",
                    "opens_at": dt.time(0, 0),
                    "closes_at": dt.time(23, 59, 59, 999999),
                    "lunch_starts_at": None,
                    "lunch_ends_at": None,
                },
            )
            today = local_date(timezone.now(), country)
            for day in (today, today + dt.timedelta(days=1)):
                CalendarOverride.objects.update_or_create(
                    country=country,
                    date=day,
                    defaults={"is_working_day": value or day != today, "reason": "test"},
                )

    set_open(True)
    return set_open


@pytest.fixture
def phone(client, twilio_webhooks):  # noqa: F811
    def make(number: str = "+97699112233") -> tv.Phone:
        return tv.Phone(client, number)

    return make
