"""Password guessing is slowed, tokens expire and are revoked, pages carry a CSP."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from knox.models import get_token_model
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PASSWORD = "pass-12345"  # tests.factories.UserFactory's


def console_login(username, password, address="10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(
        "/console/login/", {"username": username, "password": password}
    )


def admin_login(username, password, address="10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(
        "/admin/login/", {"username": username, "password": password}
    )


def token_login(username, password, address="10.0.0.1"):
    return APIClient(REMOTE_ADDR=address).post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


SIGNED_IN = {console_login: 302, admin_login: 302, token_login: 200}


@pytest.mark.parametrize("login", [console_login, admin_login, token_login])
def test_repeated_failures_lock_the_username_from_that_address_only(login, staff, settings):
    answers = [login("admin", "wrong").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert answers[:-1] == [answers[0]] * (settings.AXES_FAILURE_LIMIT - 1)
    assert answers[0] in (200, 400) and answers[-1] == 429
    # The right password no longer helps from this address...
    locked = login("admin", PASSWORD)
    assert locked.status_code == 429
    # ...but the same person from another desk, and a colleague at this one, still sign in.
    assert login("admin", PASSWORD, address="10.0.0.2").status_code == SIGNED_IN[login]
    assert login("agent", PASSWORD).status_code in (SIGNED_IN[login], 200)


def test_the_token_lockout_answer_says_what_happened(staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        token_login("local7", "wrong")
    response = token_login("local7", PASSWORD)
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert "token" not in response.json()


def test_the_lockout_ends_after_the_cool_off(staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        token_login("local7", "wrong")
    assert token_login("local7", PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1)
    )
    assert token_login("local7", PASSWORD).status_code == 200


def test_an_admin_unlocks_from_the_admin(staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        console_login("local7", "wrong")
    assert console_login("local7", PASSWORD).status_code == 429
    admin = Client()
    admin.force_login(staff.admin)
    attempt = AccessAttempt.objects.get(username="local7")
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert console_login("local7", PASSWORD).status_code == 302


def test_each_login_gets_its_own_expiring_token_and_logout_revokes_it(staff):
    first, second = token_login("agent", PASSWORD).json(), token_login("agent", PASSWORD).json()
    assert first["token"] != second["token"]
    expiry = dt.datetime.fromisoformat(first["expiry"].replace("Z", "+00:00"))
    assert timezone.now() < expiry <= timezone.now() + dt.timedelta(hours=24)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first['token']}")
    assert client.get("/api/v1/cases/").status_code == 200
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/cases/").status_code in (401, 403)
    # The other login's token is untouched.
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {second['token']}")
    assert other.get("/api/v1/cases/").status_code == 200


def test_an_expired_token_is_refused(staff):
    token = token_login("agent", PASSWORD).json()["token"]
    get_token_model().objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/cases/").status_code in (401, 403)


def test_signing_out_of_the_console_revokes_the_api_tokens(staff):
    token = token_login("agent", PASSWORD).json()["token"]
    console = Client()
    console.force_login(staff.agent)
    assert console.post("/console/logout/").status_code == 302
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/cases/").status_code in (401, 403)


def test_api_throttles_per_user_and_per_anonymous_client(api, staff, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute"},
    }
    client = api.as_user(staff.agent)
    answers = [client.get("/api/v1/services/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    throttled = client.get("/api/v1/services/")
    assert throttled.json()["code"] == "throttled"
    # Another user has a budget of their own.
    assert api.as_user(staff.local7).get("/api/v1/services/").status_code == 200
    anonymous = APIClient(REMOTE_ADDR="10.9.9.9")
    answers = [anonymous.get("/api/schema/").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    # The login is not under the anonymous throttle: a call centre shares one address.
    assert [token_login("agent", PASSWORD, "10.9.9.9").status_code for _ in range(4)] == [200] * 4


@pytest.mark.parametrize("path", ["/console/login/", "/admin/login/", "/api/docs/", "/health/"])
def test_every_page_carries_a_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    if "text/html" in response["Content-Type"]:
        # No inline script anywhere the policy would block it.
        assert "<script>" not in response.content.decode()


def test_uploaded_documents_are_not_served_from_media(client, settings, staff):
    stored = settings.MEDIA_ROOT / "cases" / "secret.pdf"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"%PDF-1.4 private")
    for who in (client, Client()):
        assert who.get("/media/cases/secret.pdf").status_code == 404
    signed = Client()
    signed.force_login(staff.admin)
    assert signed.get("/media/cases/secret.pdf").status_code == 404
