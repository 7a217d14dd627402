"""Under ASGI a provider's webhook is answered on the event loop: its INSERT goes through the
loop's psycopg pool and its kick through redis.asyncio, with the sync path's guarantees."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from django.conf import settings as django_settings
from django.db import connection, connections
from django.test import AsyncClient

from channels_app import intake, leases
from channels_app.models import InboundDelivery
from channels_app.tasks import inbound_drain
from config.database import async_pool
from config.database import base as database_base
from sms.views import EMPTY_TWIML
from tests.security.test_faults import closed_port
from tests.sms import twilio_transport as tt
from tests.telegram_bot.transport import WEBHOOK_SECRET, fixture

INBOUND = "/sms/twilio/inbound"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.asyncio,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not django_settings.REDIS_URL,
        reason="the event-loop path needs PostgreSQL and Redis; elsewhere the webhook runs "
        "the sync code (tests/sms, tests/channels_app); run with DATABASE_URL and REDIS_URL",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def asgi(settings, twilio_webhooks):
    """The middleware as an ASGI server loads it (config/asgi.py), and the AsyncClient."""
    settings.MIDDLEWARE = [
        "channels_app.webhooks.AsyncProviderWebhookMiddleware"
        if name == "channels_app.webhooks.ProviderWebhookMiddleware"
        else name
        for name in settings.MIDDLEWARE
    ]
    settings.TELEGRAM_WEBHOOK_SECRET = WEBHOOK_SECRET
    return AsyncClient(raise_request_exception=False)


@pytest.fixture
def published(monkeypatch) -> list:
    """Drainers the kicks publish (no worker runs here): the slot each was asked for."""
    calls: list = []
    monkeypatch.setattr(inbound_drain, "apply_async", lambda args, **kw: calls.append(args[0]))
    return calls


@pytest.fixture
def no_thread(monkeypatch):
    """Fails the test if the webhook fell back to the synchronous intake."""

    def refuse(**kwargs):
        raise AssertionError("the webhook went to the sync path")

    monkeypatch.setattr(intake, "inbound_accept", refuse)


@pytest_asyncio.fixture(autouse=True)
async def _close_loop_clients():
    """The pool and the Redis client belong to this test's loop: close them with it."""
    yield
    await async_pool.pools_close()
    await leases.lease_clients_close()
    await sync_to_async(connections.close_all)()


async def post_sms(client: AsyncClient, payload: dict, *, signature: str | None = None):
    signature = tt.sign(INBOUND, payload) if signature is None else signature
    return await client.post(
        INBOUND,
        data=urlencode(payload),
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": signature},
    )


def _deliveries() -> list[tuple]:
    return list(InboundDelivery.objects.values_list("channel", "provider_id", "sender", "status"))


async def test_an_sms_is_stored_once_and_a_retry_answers_the_same(asgi, published, no_thread):
    payload = tt.inbound_payload("HELP", "+97699112233")
    first = await post_sms(asgi, payload)
    retry = await post_sms(asgi, payload)
    assert first.status_code == retry.status_code == 200
    assert first.content == retry.content == EMPTY_TWIML.encode()
    assert first["Content-Type"] == "text/xml; charset=utf-8"
    assert await sync_to_async(_deliveries)() == [
        ("sms", payload["MessageSid"], "+97699112233", "received")
    ]
    # The stored delivery started its lane's drainer once; the retry stored nothing to kick.
    lane = intake.lane_of("sms", "+97699112233")
    assert published == [lane % django_settings.INBOUND_DRAINERS]


async def test_a_burst_publishes_one_drainer_per_lease(asgi, published, settings, no_thread):
    settings.INBOUND_DRAINERS = 1
    for n in range(5):
        response = await post_sms(asgi, tt.inbound_payload(f"msg {n}", f"+9769911000{n}"))
        assert response.status_code == 200
    assert published == [0]
    assert await sync_to_async(InboundDelivery.objects.count)() == 5


async def test_a_wrongly_signed_sms_is_refused_before_anything_is_stored(asgi, published):
    payload = tt.inbound_payload("HELP")
    refused = await post_sms(asgi, payload, signature="bm90IGEgc2lnbmF0dXJl")
    unsigned = await post_sms(asgi, payload, signature="")
    assert refused.status_code == unsigned.status_code == 403
    assert await sync_to_async(_deliveries)() == [] and published == []


@pytest.fixture
def redis_down(settings):
    saved = settings.CACHES
    settings.CACHES = {
        "default": {**saved["default"], "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}
    }
    yield
    # Back before the shared fixtures clear the cache on teardown.
    settings.CACHES = saved


async def test_with_redis_unreachable_the_delivery_is_kept_for_the_sweep(
    asgi, published, redis_down, no_thread, caplog
):
    payload = tt.inbound_payload("Сайн байна уу", "+97699118877")
    started = time.monotonic()
    response = await post_sms(asgi, payload)
    assert response.status_code == 200 and time.monotonic() - started < 3
    assert response.content == EMPTY_TWIML.encode()
    assert await sync_to_async(_deliveries)() == [
        ("sms", payload["MessageSid"], "+97699118877", "received")
    ]
    assert published == [] and "the sweep will" in caplog.text


async def test_with_the_database_unreachable_the_webhook_answers_503_and_then_fails_fast(
    asgi, monkeypatch
):
    monkeypatch.setattr(database_base, "_unreachable_until", 0.0)
    real = database_base.DatabaseWrapper.get_connection_params

    def closed(self):
        return {**real(self), "host": "127.0.0.1", "port": closed_port()}

    monkeypatch.setattr(database_base.DatabaseWrapper, "get_connection_params", closed)
    answers = []
    for sid in ("SMdown1", "SMdown2"):
        started = time.monotonic()
        response = await post_sms(asgi, tt.inbound_payload("hello", sid=sid))
        answers.append((response.status_code, response.get("Retry-After"),
                        time.monotonic() - started))  # fmt: skip
    # One pool timeout at most (Twilio then calls the fallback URL), the next one at once.
    assert answers[0][:2] == answers[1][:2] == (503, "5")
    assert answers[0][2] < 6 and answers[1][2] < 1


async def test_a_telegram_update_is_stored_once_on_the_loop(asgi, published, no_thread):
    update = fixture("text_message")
    answers = [
        await asgi.post(
            "/telegram/webhook",
            json.dumps(update),
            content_type="application/json",
            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert await sync_to_async(_deliveries)() == [
        ("telegram", str(update["update_id"]), "5120458830", "received")
    ]
    assert len(published) == 1
    wrong = await asgi.post(
        "/telegram/webhook",
        json.dumps(update),
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"},
    )
    assert wrong.status_code == 403


async def test_a_synchronous_webhook_still_answers_through_one_thread(asgi):
    # The status callback is a sync view: handed to a thread, answered as before.
    payload = {"MessageSid": "SMunknown", "MessageStatus": "delivered"}
    response = await asgi.post(
        "/sms/twilio/status",
        data=urlencode(payload),
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": tt.sign("/sms/twilio/status", payload)},
    )
    assert response.status_code == 204


async def _prepared_on_the_pool() -> list[str]:
    """What the loop's pool connection has prepared. The webhooks came one at a time, so the
    pool never grew past its first connection: the one they used."""
    async with intake._async_database().async_connection() as conn:
        cursor = await conn.execute("SELECT statement FROM pg_prepared_statements", prepare=False)
        return [row[0] for row in await cursor.fetchall()]


@pytest.mark.parametrize("prepared", [True, False])
async def test_the_webhook_insert_is_prepared_once_per_connection_unless_turned_off(
    asgi, published, settings, no_thread, prepared
):
    settings.DATABASE_PREPARED_STATEMENTS = prepared
    for n in range(3):
        response = await post_sms(asgi, tt.inbound_payload(f"msg {n}", f"+9769922000{n}"))
        assert response.status_code == 200
    statements = await _prepared_on_the_pool()
    inserts = [s for s in statements if s.startswith("INSERT INTO")]
    assert len(inserts) == (1 if prepared else 0)
    assert await sync_to_async(InboundDelivery.objects.count)() == 3
