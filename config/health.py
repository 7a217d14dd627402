"""Liveness and readiness for load balancers.

``/ready/`` answers within about a second whatever the dependencies do: each check runs in a
worker thread with a deadline. It is 503 only when the database is unreachable; Redis trouble
is reported in the body but stays 200, since web nodes keep working without it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Seconds each check may take; both run at once, so the answer comes within this.
READY_CHECK_SECONDS = 0.8
# A stuck check keeps its thread until its own timeout ends it; a few spare threads keep the
# probe answering meanwhile.
_checks = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ready-check")


@require_GET
@never_cache
def health(request):
    return JsonResponse({"status": "ok"})


def _database() -> None:
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()


def _redis() -> None:
    import redis

    timeout = min(READY_CHECK_SECONDS, settings.REDIS_CONNECT_TIMEOUT)
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout
    )
    try:
        client.ping()
    finally:
        client.close()


def _outcome(future) -> str:
    try:
        future.result(timeout=READY_CHECK_SECONDS)
    except FutureTimeout:
        return "error: timeout"
    except Exception as exc:  # any failure means "not ready", whatever the driver raises
        return f"error: {exc.__class__.__name__}"
    return "ok"


@require_GET
@never_cache
def ready(request):
    futures = {"database": _checks.submit(_database)}
    if settings.REDIS_URL:
        futures["redis"] = _checks.submit(_redis)
    checks = {name: _outcome(future) for name, future in futures.items()}
    ok = checks["database"] == "ok"
    status = "ok" if all(value == "ok" for value in checks.values()) else "degraded"
    return JsonResponse(
        {"status": status if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )
