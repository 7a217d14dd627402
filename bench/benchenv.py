"""The environment every bench process shares: production settings, bench-only stores."""

from __future__ import annotations

import os
import secrets
import socket

# Its own database and Redis DB; name others when two runs share one machine.
DB_NAME = os.environ.get("BENCH_DB_NAME", "welfare_bench")
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
# What Twilio would call: TLS ends at the proxy, which forwards X-Forwarded-Proto.
PUBLIC_BASE_URL = "https://crm.bench.example"
FORWARDED_HEADERS = {"X-Forwarded-Proto": "https"}
TWILIO_ACCOUNT_SID = "AC" + "b3" * 16
TWILIO_FROM_NUMBER = "+97670001234"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_environment(*, twilio_api_port: int) -> dict[str, str]:
    """Settings as production would have them (DEBUG off), pointed at loopback services."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": REDIS_URL,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_LOG_LEVEL": "WARNING",
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
            "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": secrets.token_hex(16),
            "TWILIO_FROM_NUMBER": TWILIO_FROM_NUMBER,
            "TELEGRAM_WEBHOOK_SECRET": secrets.token_hex(16),
            "CRM_COUNTRY": "MN",
            "CRM_BENCH_ENDPOINTS": "1",
            # Every supervisor figure is computed afresh on each request: the figures measured
            # are the database's, not the minute-long cache's.
            "CRM_STATS_CACHE_SECONDS": "0",
            # One staff account reads hundreds of records a second here, far past the API's
            # per-user limit (there to stop harvesting): the figures are the reads', not 429s.
            "API_THROTTLE_USER": "1000000/minute",
            # Read by bench/twilio_transport.py inside the Celery worker only.
            "BENCH_TWILIO_API": f"http://127.0.0.1:{twilio_api_port}",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "PYTHONHASHSEED": "0",
        }
    )
    env.pop("DJANGO_SECURE_SSL_REDIRECT", None)
    return env
