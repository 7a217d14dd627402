"""Shared fixtures: staff of every role in a small two-district tree, API clients."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from crm.models import Role

from .factories import AdminUnitFactory, UserFactory


def pytest_configure(config):
    from django.conf import settings

    # PBKDF2's million rounds per staff account would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config):
    database = os.environ.get("DATABASE_URL") or "SQLite (embedded default)"
    redis = os.environ.get("REDIS_URL") or "in-memory layer, eager Celery"
    return [f"welfare-crm backend: database={database} redis={redis}"]


@pytest.fixture(autouse=True)
def _english_and_private_media(settings, tmp_path):
    # Assertions read English messages; citizens' languages are tested explicitly.
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path / "media"
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Nothing a test leaves in the cache (e.g. an outbox drainer's slot) reaches the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _celery_in_process():
    """Tasks run in the test's process, also on the Redis run (no worker runs in tests)."""
    from config.celery import app as celery_app

    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def tree(db):
    """Country -> city -> two districts -> two khoroos in the first, one in the second."""
    country = AdminUnitFactory(code="MN", level=0, name="Монгол Улс", parent=None)
    city = AdminUnitFactory(code="UB", level=1, name="Улаанбаатар", parent=country)
    skh = AdminUnitFactory(code="SKH", level=2, name="Сонгинохайрхан", parent=city)
    sbd = AdminUnitFactory(code="SBD", level=2, name="Сүхбаатар", parent=city)
    k7 = AdminUnitFactory(code="07", level=3, name="7-р хороо", parent=skh)
    k12 = AdminUnitFactory(code="12", level=3, name="12-р хороо", parent=skh)
    s1 = AdminUnitFactory(code="01", level=3, name="1-р хороо", parent=sbd)
    return type(
        "Tree",
        (),
        {"country": country, "city": city, "skh": skh, "sbd": sbd, "k7": k7, "k12": k12, "s1": s1},
    )


@pytest.fixture
def staff(tree):
    """One account per role, placed as the contract says."""
    return type(
        "Staff",
        (),
        {
            "agent": UserFactory(username="agent", role=Role.AGENT, unit=tree.country),
            "local7": UserFactory(username="local7", role=Role.LOCAL_WORKER, unit=tree.k7),
            "local12": UserFactory(username="local12", role=Role.LOCAL_WORKER, unit=tree.k12),
            "local_s1": UserFactory(username="local_s1", role=Role.LOCAL_WORKER, unit=tree.s1),
            "district": UserFactory(username="district", role=Role.DISTRICT_WORKER, unit=tree.skh),
            "district_sbd": UserFactory(
                username="district_sbd", role=Role.DISTRICT_WORKER, unit=tree.sbd
            ),
            "supervisor": UserFactory(
                username="supervisor", role=Role.SUPERVISOR, unit=tree.country
            ),
            "admin": UserFactory(
                username="admin",
                role=Role.ADMIN,
                unit=tree.country,
                is_staff=True,
                is_superuser=True,
            ),
        },
    )


@pytest.fixture
def api():
    """An API client; ``api.as_user(user)`` signs in with a token, as integrators do."""
    from knox.models import get_token_model

    client = APIClient()

    def as_user(user):
        # A per-login, expiring token (django-rest-knox), as POST /api/v1/auth/token/ gives.
        _instance, token = get_token_model().objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    client.as_user = as_user
    return client
