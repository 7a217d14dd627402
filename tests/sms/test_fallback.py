"""POST /sms/twilio/fallback: with the database down, the signed request is kept and imported."""

from __future__ import annotations

import os

import pytest
from django.test import TestCase

from channels_app.models import InboundDelivery
from channels_app.spool import SPOOL_KEY, spool_import
from channels_app.texts import text_render
from crm.models import Interaction

from . import twilio_transport as tt
from .answers import answer_of

FALLBACK = "/sms/twilio/fallback"

pytestmark = pytest.mark.django_db


@pytest.fixture
def spool(settings, tmp_path, twilio_webhooks):
    settings.INBOUND_SPOOL_DIR = str(tmp_path / "spool")
    return tmp_path / "spool"


def keep(client, payload, django_assert_num_queries):
    # The fallback must work with the database gone: it makes no query at all.
    with django_assert_num_queries(0):
        response = tt.post_signed(client, FALLBACK, payload)
    assert response.status_code == 200
    assert response.content.decode().endswith("<Response />")
    return response


def test_with_redis_unreachable_too_the_request_is_kept_in_a_file_and_imported(
    client, spool, settings, django_assert_num_queries
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    payload = tt.inbound_payload("ТУСЛАМЖ")
    keep(client, payload, django_assert_num_queries)
    keep(client, payload, django_assert_num_queries)  # Twilio tried the fallback twice
    assert len(list(spool.glob("*.json"))) == 2
    assert not InboundDelivery.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert spool_import() == 2
    assert list(spool.glob("*.json")) == []
    assert InboundDelivery.objects.count() == 1  # the same MessageSid is one delivery
    response = tt.post_signed(client, "/sms/twilio/inbound", payload)  # and the primary too
    assert answer_of(response) == text_render("help", "mn")
    assert Interaction.objects.filter(direction="in").count() == 1


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_the_request_is_kept_in_redis_when_it_is_up(
    client, spool, settings, django_assert_num_queries
):
    import redis

    settings.REDIS_URL = os.environ["REDIS_URL"]
    server = redis.Redis.from_url(settings.REDIS_URL)
    server.delete(SPOOL_KEY)
    payload = tt.inbound_payload("hello from the fallback")
    keep(client, payload, django_assert_num_queries)
    assert server.llen(SPOOL_KEY) == 1
    assert not spool.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert spool_import() == 1
    assert server.llen(SPOOL_KEY) == 0
    assert Interaction.objects.get(direction="in").body == "hello from the fallback"


def test_an_unreadable_spool_file_is_set_aside_not_lost(spool, settings):
    settings.REDIS_URL = ""
    spool.mkdir()
    (spool / "00000000000000000001-bad.json").write_text("{not json", encoding="utf-8")
    assert spool_import() == 0
    assert (spool / "00000000000000000001-bad.bad").exists()


def test_an_unsigned_fallback_is_refused_and_nothing_kept(client, spool):
    response = tt.post_signed(client, FALLBACK, tt.inbound_payload("HELP"), signature="")
    assert response.status_code == 403
    assert not spool.exists()
