"""Dependencies that fail: an unreachable Redis, an unreachable database, runaway queries.

Faults are made by pointing at a closed local port (never by stopping the machine's shared
servers). Timeouts against a host that never answers are checked by asserting the configured
deadlines, not by waiting on the wall clock.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client

from cases.models import Status
from channels_app.intake import inbound_sweep
from channels_app.leases import _leases
from channels_app.models import InboundDelivery
from crm.models import Interaction
from tests.cases.conftest import complete_draft
from tests.sms import twilio_transport as tt

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A local port nothing listens on: connections to it are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    url = f"redis://127.0.0.1:{closed_port()}/0"
    saved_caches = settings.CACHES
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": url, "socket_connect_timeout": 1}]},
        }
    }
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    # The drainers' leases keep one cache client per process: make it the unreachable one.
    _leases.cache_clear()
    yield url
    # Back before the shared fixtures clear the cache on teardown.
    settings.CACHES = saved_caches
    channel_layers.backends.clear()
    _leases.cache_clear()


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.django_db
def test_with_redis_unreachable_webhook_inbox_case_action_and_ready_work(
    redis_down, settings, staff, new_case, citizen, api
):
    settings.TWILIO_AUTH_TOKEN = tt.AUTH_TOKEN
    settings.PUBLIC_BASE_URL = tt.PUBLIC_BASE_URL

    webhook, seconds = timed(lambda: tt.sms(Client(), "Сайн байна уу", "+97699118877"))
    assert webhook.status_code == 200 and seconds < 5
    # Stored, though no drainer could be started: the sweep hands it to a worker.
    delivery = InboundDelivery.objects.get(sender="+97699118877")
    assert delivery.status == InboundDelivery.Status.RECEIVED
    settings.INBOUND_SWEEP_AFTER_SECONDS = 0
    assert inbound_sweep() == 1
    stored = Interaction.objects.get(address="+97699118877", direction="in")
    assert stored.body == "Сайн байна уу"

    desk = Client()
    desk.force_login(staff.agent)
    inbox, seconds = timed(lambda: desk.get("/console/inbox/"))
    assert inbox.status_code == 200 and seconds < 5
    assert stored.contact.display_name in inbox.content.decode()

    case = complete_draft(new_case(citizen))
    action, seconds = timed(
        lambda: api.as_user(staff.local7).post(f"/api/v1/cases/{case.pk}/actions/submit/")
    )
    assert action.status_code == 200, action.content
    assert action.json()["status"] == Status.SUBMITTED and seconds < 5

    ready, seconds = timed(lambda: Client().get("/ready/"))
    assert ready.status_code == 200 and seconds < 1.5
    assert ready.json()["checks"]["redis"].startswith("error")


DB_DOWN_PROBE = """
import json, time
import django
django.setup()
from django.test import Client
from tests.sms import twilio_transport as tt
from django.conf import settings
settings.TWILIO_AUTH_TOKEN = tt.AUTH_TOKEN
settings.PUBLIC_BASE_URL = tt.PUBLIC_BASE_URL
client = Client(raise_request_exception=False)
out = {}
for name, call in [
    ("health", lambda: client.get("/health/")),
    ("ready", lambda: client.get("/ready/")),
    ("webhook", lambda: tt.sms(client, "hello", "+97699117766")),
    ("api", lambda: client.get("/api/v1/cases/", HTTP_AUTHORIZATION="Token x")),
    ("console", lambda: client.get("/console/login/")),
]:
    started = time.monotonic()
    response = call()
    out[name] = [
        response.status_code,
        round(time.monotonic() - started, 2),
        response.get("Retry-After"),
        response.get("Content-Type"),
    ]
print(json.dumps(out))
"""


def test_with_the_database_unreachable_every_request_fails_fast_and_ready_says_503():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "CRM_TEST_BACKEND", "CRM_ASGI")
    }
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port()}/crm_down",
        DJANGO_SETTINGS_MODULE="config.settings",
        CRM_WEB_PROCESS="1",
        # As in production: errors get the error handlers, not the debug page.
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="fault-probe-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
    )
    probe = subprocess.run(
        [sys.executable, "-c", DB_DOWN_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr[-2000:]
    answers = json.loads(probe.stdout.strip().splitlines()[-1])
    assert answers["health"][0] == 200
    assert answers["ready"][0] == 503 and answers["ready"][1] < 1.5
    # A webhook fails well inside Twilio's 15 s (so Twilio's fallback URL takes over): one
    # pool timeout at most, and every request after it at once (config/database/).
    # Each says "try again shortly" (503 with Retry-After), the API in its JSON body.
    assert answers["webhook"][0] == 503 and answers["webhook"][1] < 6
    assert answers["webhook"][2] == "5"
    assert answers["api"][0] == 503 and answers["api"][1] < 1
    assert answers["api"][2] == "5" and answers["api"][3] == "application/json"
    # The sign-in page needs no database; it still answers.
    assert answers["console"][0] in (200, 503) and answers["console"][1] < 1


def test_configured_deadlines_for_the_database_redis_and_the_broker(settings):
    from config import settings as config

    url = "postgres://postgres@db.example:5432/crm"
    web = config._postgres(url, web=True)
    assert web["OPTIONS"]["connect_timeout"] == config.DATABASE_CONNECT_TIMEOUT <= 5
    assert web["OPTIONS"]["options"] == (
        f"-c statement_timeout={config.DATABASE_STATEMENT_TIMEOUT}"
    )
    assert 0 < config.DATABASE_STATEMENT_TIMEOUT <= 10_000
    if "pool" in web["OPTIONS"]:
        assert web["OPTIONS"]["pool"]["timeout"] == config.DATABASE_POOL_TIMEOUT <= 5
    # Worker and management processes (migrations, bulk loads) carry no statement limit.
    assert "options" not in config._postgres(url)["OPTIONS"]
    assert config.REDIS_CONNECT_TIMEOUT <= 2 and config.REDIS_SOCKET_TIMEOUT <= 5
    assert config.CELERY_BROKER_CONNECTION_TIMEOUT == config.REDIS_CONNECT_TIMEOUT
    assert config.CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] <= 2
    if settings.REDIS_URL:
        assert settings.CACHES["default"]["OPTIONS"]["socket_connect_timeout"] <= 2
        host = settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]
        assert host["socket_connect_timeout"] <= 2


WEB_TIMEOUT_PROBE = """
import json
import django
django.setup()
from django.db import connection
from crm.db import statement_timeout
with connection.cursor() as cursor:
    cursor.execute("SHOW statement_timeout")
    request = cursor.fetchone()[0]
with statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        report = cursor.fetchone()[0]
print(json.dumps([request, report]))
"""


@pytest.mark.postgres
def test_web_requests_run_under_the_statement_timeout_and_reports_get_their_own(on_postgres):
    if not on_postgres:
        pytest.skip("needs PostgreSQL: SQLite has no statement timeout")
    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "CRM_WEB_PROCESS": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # The test database this session made (the configured one may not exist).
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
    }
    probe = subprocess.run(
        [sys.executable, "-c", WEB_TIMEOUT_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr[-2000:]
    request, report = json.loads(probe.stdout.strip().splitlines()[-1])
    assert request == "5s"
    assert report == "2min"
