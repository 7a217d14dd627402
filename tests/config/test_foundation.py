"""The foundation as an operator meets it: health, docs, admin, settings, demo data."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from config.env import Env
from crm.models import AdminUnit, Contact, Identity, User

ROOT = Path(__file__).resolve().parents[2]


def test_health(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_ready_checks_the_database_and_redis_when_configured(client, settings):
    body = client.get("/ready/").json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert ("redis" in body["checks"]) == bool(settings.REDIS_URL)


@pytest.mark.django_db
def test_ready_reports_an_unreachable_redis(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/ready/")
    # Web nodes work without Redis: reported in the body, still ready (the contract).
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["redis"].startswith("error")


@pytest.mark.django_db
def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/contacts/" in paths
    assert "/api/v1/contacts/{id}/timeline/" in paths
    assert "/api/v1/auth/token/" in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    # Served from our static files: the docs must work on a network without internet.
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.content
    assert b"cdn.jsdelivr" not in docs.content


@pytest.mark.django_db
def test_admin_login_page_and_sign_in(client, staff):
    assert client.get("/admin/login/").status_code == 200
    client.force_login(staff.admin)
    for page in (
        "/admin/crm/contact/",
        "/admin/crm/adminunit/",
        "/admin/crm/interaction/",
        "/admin/crm/user/",
        "/admin/crm/household/add/",
    ):
        assert client.get(page).status_code == 200, page


def test_env_reader_refuses_missing_production_secret():
    env = Env({})
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        env.secret("DJANGO_SECRET_KEY", debug=False, dev_default="x")
    assert env.secret("DJANGO_SECRET_KEY", debug=True, dev_default="x") == "x"
    with pytest.raises(ImproperlyConfigured, match="boolean"):
        Env({"DJANGO_DEBUG": "maybe"}).bool("DJANGO_DEBUG", True)
    with pytest.raises(ImproperlyConfigured, match="MN, KZ"):
        Env({"CRM_COUNTRY": "US"}).choice("CRM_COUNTRY", "MN", ("MN", "KZ"))


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "p" * 20 + "-production-secret-with-enough-entropy-8c1e5f",
    "DJANGO_ALLOWED_HOSTS": "crm.example.mn",
    "PUBLIC_BASE_URL": "https://crm.example.mn",
}


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_production_without_a_secret_key_fails_fast():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_country_sets_the_time_zone():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings;print(settings.TIME_ZONE, settings.DEFAULT_CURRENCY)",
        env={"CRM_COUNTRY": "KZ"},
    )
    assert result.stdout.strip().splitlines()[-1] == "Asia/Almaty KZT"


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_accounts_as_json(capsys):
    call_command("seed_demo", "--json")
    accounts = json.loads(capsys.readouterr().out)
    counts = (
        AdminUnit.objects.count(),
        Contact.objects.count(),
        Identity.objects.count(),
        User.objects.count(),
    )
    call_command("seed_demo", "--json")
    assert json.loads(capsys.readouterr().out) == accounts
    assert counts == (
        AdminUnit.objects.count(),
        Contact.objects.count(),
        Identity.objects.count(),
        User.objects.count(),
    )
    roles = {a["role"] for a in accounts}
    assert {"agent", "local_worker", "district_worker", "supervisor", "admin"} <= roles
    assert set(accounts[0]) == {"username", "password", "role", "unit"}
    for account in accounts:
        assert User.objects.get(username=account["username"]).check_password(account["password"])


@pytest.mark.django_db
def test_demo_national_ids_are_all_valid(capsys):
    from crm.national_ids import parse_national_id

    call_command("seed_demo")
    for value in Identity.objects.filter(scheme="national_id").values_list("value", flat=True):
        assert parse_national_id(value).value == value
