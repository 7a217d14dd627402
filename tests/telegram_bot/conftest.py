"""The bot configured as in production (token, webhook secret) with the network replaced at
python-telegram-bot's request seam."""

from __future__ import annotations

import pytest

from cases.models import Service
from telegram_bot import channel, client

from .transport import BOT_TOKEN, WEBHOOK_SECRET, RecordingRequest


@pytest.fixture(autouse=True)
def _catalogue(db):
    from tests.cases.factories import ensure_catalogue

    ensure_catalogue()


@pytest.fixture
def telegram(settings, monkeypatch):
    """Returns the recording request every Bot API call goes through."""
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN
    settings.TELEGRAM_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.TELEGRAM_MAX_WAIT_SECONDS = 10
    recording = RecordingRequest()
    monkeypatch.setattr(client, "request_factory", lambda: recording)
    channel.scheduler.cache_clear()
    yield recording
    channel.scheduler.cache_clear()


@pytest.fixture
def placement(db) -> Service:
    from tests.cases.factories import placement_service

    return placement_service()
